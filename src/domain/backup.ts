// A consistent online backup of the SQLite file (`npm run admin -- backup FILE`). SQLite's backup API
// copies a snapshot page by page while the portal keeps serving; writes that land during the copy
// restart it, so the result is one moment of the database, never a torn mix. The copy is written
// beside its final name, turned into a self-contained file (no -wal), checked with integrity_check,
// and only then renamed: a half-written or damaged file never looks like a backup.
// The backup holds no secret key: codes, sessions and app secrets need SECRET_KEY too (docs/security.md).
import Database from 'better-sqlite3'
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { verifyChain, type ChainCheck } from '../db/audit-chain.ts'
import type { Deps } from './deps.ts'

export type BackupResult =
  /** `chain`: the audit log's hash chain checked in the copy itself (its head is the copy's, not the live log's). */
  | { ok: true; file: string; bytes: number; pages: number; chain: ChainCheck }
  | { ok: false; reason: 'exists' | 'same-file' }
  /** PostgreSQL is backed up by its own tools (pg_dump), which know its consistency (docs/postgresql.md). */
  | { ok: false; reason: 'postgres' }
  | { ok: false; reason: 'check-failed'; detail: string }

export async function backupDatabase(deps: Pick<Deps, 'db'>, file: string): Promise<BackupResult> {
  if (deps.db.dialect === 'pg') return { ok: false, reason: 'postgres' }
  const source = deps.db.$client
  const target = resolve(file)
  if (target === resolve(source.name)) return { ok: false, reason: 'same-file' }
  // Never over an earlier backup: an operator who typed the wrong name keeps the old one.
  if (existsSync(target)) return { ok: false, reason: 'exists' }
  const partial = `${target}.part`
  rmSync(partial, { force: true })
  try {
    const { totalPages } = await source.backup(partial)
    const copy = new Database(partial)
    let chain: ChainCheck
    try {
      copy.pragma('journal_mode = DELETE')
      const check = copy.pragma('integrity_check', { simple: true })
      if (check !== 'ok') return { ok: false, reason: 'check-failed', detail: String(check) }
      // The copy's own chain: what the operator notes with this backup is what this file holds.
      chain = verifyChain(copy)
    } finally {
      copy.close()
    }
    // Personal data: readable by the operator's account only.
    chmodSync(partial, 0o600)
    renameSync(partial, target)
    return { ok: true, file: target, bytes: statSync(target).size, pages: totalPages, chain }
  } finally {
    rmSync(partial, { force: true })
  }
}
