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

/** Run at every start, after the migrations: the triggers (a table rebuild drops them) are put back. */
export function sealAuditLog(sqlite: Database.Database): void {
  for (const sql of guards) sqlite.exec(sql)
}

/** Rows an older version wrote, taken into the chain: how many, and their ids (all ids from..to). */
export interface Adopted {
  rows: number
  fromId: number
  toId: number
}

const columns = 'id, at, event, outcome, account_id, actor, ip, user_agent, detail'

/**
 * Issue 22 item 4: a version from before the chain (after a rollback, then an upgrade again) appends
 * rows without a hash. Such rows can only be at the end, after the last hashed row (or the whole log,
 * the first time a chaining version starts); they are chained from the last hash on, in id order.
 * Rows without a hash *before* a hashed row can not come from an older version: they are left for
 * `audit verify` to report. Run inside the caller's write transaction (domain/audit.ts records the
 * adoption in the same one); the update trigger is lifted for exactly these updates and put back.
 * Adopting changes nothing an attacker could not already do: the chain is not keyed, and appending is
 * what it can not show (docs/security.md); what it shows, rows changed inside it, stays shown.
 */
export function adoptUnchainedTail(sqlite: Database.Database): Adopted | null {
  const last = sqlite.prepare<[], { id: number; hash: string }>('select id, hash from audit_log where hash is not null order by id desc limit 1').get()
  const tail = sqlite.prepare<[number], ChainRow>(`select ${columns} from audit_log where id > ? order by id`).all(last?.id ?? 0)
  if (tail.length === 0) return null
  sqlite.exec('drop trigger if exists audit_log_no_update')
  const update = sqlite.prepare('update audit_log set hash = ? where id = ? and hash is null')
  let previous = last?.hash ?? genesisHash
  for (const row of tail) {
    previous = chainHash(previous, row)
    update.run(previous, row.id)
  }
  sealAuditLog(sqlite)
  return { rows: tail.length, fromId: tail[0]!.id, toId: tail.at(-1)!.id }
}

export type ChainCheck =
  | {
      ok: true
      rows: number
      head: string
      lastId: number | null
      /** Adoptions of rows an older version wrote, as recorded in the log itself (`audit_adopted`). */
      adoptions: (Adopted & { at: Date })[]
      /** Rows at the end without a hash yet (an older version wrote them; the next start adopts them). */
      pending: Adopted | null
    }
  | { ok: false; rows: number; id: number; reason: 'hash' | 'missing-hash' | 'tail-removed' }
  | { ok: false; rows: 0; id: 0; reason: 'no-chain' }

/** An audit_log row with its hash, as the walk reads it. */
export type HashedRow = ChainRow & { hash: string | null }

/**
 * Walks the chain in id order and stops at the first row that does not follow from the one before
 * (changed, removed before it, or slipped in). Rows removed from the end show as a gap between the
 * last id and the table's AUTOINCREMENT counter. Rows without a hash at the very end are not a break:
 * they are an older version's, reported as pending (the next start adopts them). Only reads.
 */
export function verifyChain(sqlite: Database.Database): ChainCheck {
  const hasHash = (sqlite.prepare("select name from pragma_table_info('audit_log')").all() as { name: string }[]).some((c) => c.name === 'hash')
  if (!hasHash) return { ok: false, rows: 0, id: 0, reason: 'no-chain' }
  const walk = chainWalk()
  for (const row of sqlite.prepare<[], HashedRow>(`select ${columns}, hash from audit_log order by id`).iterate()) {
    const broken = walk.next(row)
    if (broken) return broken
  }
  return walk.end(sqlite.prepare<[], { seq: number }>("select seq from sqlite_sequence where name = 'audit_log'").get()?.seq ?? 0)
}

/**
 * The walk itself, row by row, for either engine (PostgreSQL reads the rows in pages): `next` answers
 * the first break, `end` the result, given the highest id the table ever handed out (null: the engine
 * does not keep one that a removal would leave behind).
 */
export function chainWalk(): { next(row: HashedRow): ChainCheck | null; end(seq: number | null): ChainCheck } {
  let previous = genesisHash
  let rows = 0
  let lastId: number | null = null
  // Rows without a hash since the last hashed one (from..to).
  let unhashedFrom = 0
  let unhashedTo = 0
  let unhashedRows = 0
  const adoptions: (Adopted & { at: Date })[] = []
  return {
    next(row) {
      if (row.hash === null) {
        if (unhashedFrom === 0) unhashedFrom = row.id
        unhashedTo = row.id
        unhashedRows++
        return null
      }
      // A hashed row after rows without one: those were slipped in, not appended by an older version.
      if (unhashedFrom !== 0) return { ok: false, rows, id: unhashedFrom, reason: 'missing-hash' }
      if (row.hash !== chainHash(previous, row)) return { ok: false, rows, id: row.id, reason: 'hash' }
      if (row.event === 'audit_adopted' && row.detail) adoptions.push({ ...(JSON.parse(row.detail) as Adopted), at: new Date(row.at) })
      previous = row.hash
      lastId = row.id
      rows++
      return null
    },
    end(seq) {
      const end = unhashedFrom !== 0 ? unhashedTo : (lastId ?? 0)
      if (seq !== null && seq > end) return { ok: false, rows, id: end + 1, reason: 'tail-removed' }
      const pending = unhashedFrom === 0 ? null : { rows: unhashedRows, fromId: unhashedFrom, toId: unhashedTo }
      return { ok: true, rows, head: previous, lastId, adoptions, pending }
    },
  }
}
