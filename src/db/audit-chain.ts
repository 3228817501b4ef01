// The audit log is append-only and chained (issue 11 #13). Triggers refuse every UPDATE and DELETE on
// audit_log, so no code path (and no mistake) changes history; each row stores
// hash = SHA-256(previous row's hash + "\n" + this row's canonical content), so a change made
// around the triggers (a raw edit of the file, the triggers dropped) shows up in `audit verify` as
// the first row whose hash no longer follows. The chain is not keyed: whoever can write the file can
// also recompute every hash after an edit. The head that `audit verify` prints, kept elsewhere (with
// each backup), is what catches that.
import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'

/** The chain's start: the "previous hash" of the first row. */
export const genesisHash = '0'.repeat(64)

/** An audit_log row as SQLite holds it (times in epoch ms). */
export interface ChainRow {
  id: number
  at: number
  event: string
  outcome: string
  account_id: number | null
  actor: string
  ip: string | null
  user_agent: string | null
  detail: string | null
}

/** Every column but the hash, in a fixed order, as JSON: no two rows share a canonical form. */
export function canonical(row: ChainRow): string {
  return JSON.stringify([row.id, row.at, row.event, row.outcome, row.account_id, row.actor, row.ip, row.user_agent, row.detail])
}

export function chainHash(previous: string, row: ChainRow): string {
  return createHash('sha256').update(`${previous}\n${canonical(row)}`).digest('hex')
}

const guards = [
  `create trigger if not exists audit_log_no_update before update on audit_log
   begin select raise(abort, 'audit_log is append-only'); end`,
  `create trigger if not exists audit_log_no_delete before delete on audit_log
   begin select raise(abort, 'audit_log is append-only'); end`,
]

/**
 * Run at every start, after the migrations. A log written before the chain existed (no row has a
 * hash yet) is chained once, in id order; then the triggers are (re)installed. Rows without a hash
 * after that are never filled in: `audit verify` reports them.
 */
export function sealAuditLog(sqlite: Database.Database): void {
  sqlite
    .transaction(() => {
      const chained = sqlite.prepare('select 1 from audit_log where hash is not null limit 1').get()
      if (!chained) {
        let previous = genesisHash
        const update = sqlite.prepare('update audit_log set hash = ? where id = ?')
        const rows = sqlite.prepare<[], ChainRow>('select id, at, event, outcome, account_id, actor, ip, user_agent, detail from audit_log order by id').all()
        for (const row of rows) {
          previous = chainHash(previous, row)
          update.run(previous, row.id)
        }
      }
      for (const sql of guards) sqlite.exec(sql)
    })
    .immediate()
}

export type ChainCheck =
  | { ok: true; rows: number; head: string; lastId: number | null }
  | { ok: false; rows: number; id: number; reason: 'hash' | 'missing-hash' | 'tail-removed' }

/**
 * Walks the chain in id order and stops at the first row that does not follow from the one before
 * (changed, removed before it, or slipped in). Rows removed from the end show as a gap between the
 * last id and the table's AUTOINCREMENT counter.
 */
export function verifyChain(sqlite: Database.Database): ChainCheck {
  let previous = genesisHash
  let rows = 0
  let lastId: number | null = null
  const all = sqlite.prepare<[], ChainRow & { hash: string | null }>('select id, at, event, outcome, account_id, actor, ip, user_agent, detail, hash from audit_log order by id')
  for (const row of all.iterate()) {
    if (row.hash === null) return { ok: false, rows, id: row.id, reason: 'missing-hash' }
    if (row.hash !== chainHash(previous, row)) return { ok: false, rows, id: row.id, reason: 'hash' }
    previous = row.hash
    lastId = row.id
    rows++
  }
  const seq = sqlite.prepare<[], { seq: number }>("select seq from sqlite_sequence where name = 'audit_log'").get()?.seq ?? 0
  if (seq > (lastId ?? 0)) return { ok: false, rows, id: (lastId ?? 0) + 1, reason: 'tail-removed' }
  return { ok: true, rows, head: previous, lastId }
}
