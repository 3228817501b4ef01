// What /readyz and the metrics ask of the database: is it there and migrated, and is the outbox moving.
// Read from the database alone, never from this process's memory, so that every portal process
// behind a load balancer (issue 21, PostgreSQL) gives the same answer about the shared state.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import { newestMigration } from '../db/dialect.ts'
import { outbox } from '../db/tables.ts'
import { root } from '../paths.ts'
import type { Deps } from './deps.ts'

/** The newest migration this code ships (drizzle-kit's journal), read once. */
const shipped = new Map<string, { tag: string; when: number }>()
function newestShipped(folder: string): { tag: string; when: number } {
  let newest = shipped.get(folder)
  if (!newest) {
    const journal = JSON.parse(readFileSync(join(root, folder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] }
    newest = journal.entries.reduce((a, b) => (b.when > a.when ? b : a))
    shipped.set(folder, newest)
  }
  return newest
}

export type DatabaseCheck = { ok: true } | { ok: false; reason: string }

/** Reachable (a query answers) and migrated (the newest migration of this code is applied). */
export async function checkDatabase(deps: Deps): Promise<DatabaseCheck> {
  try {
    // drizzle's migrator records each applied migration with its journal time.
    const [row] = await deps.db.rows<{ created_at: number | string | null }>(newestMigration(deps.db))
    const applied = Number(row?.created_at ?? 0)
    const newest = newestShipped(deps.db.dialect === 'pg' ? 'migrations-pg' : 'migrations')
    return applied >= newest.when ? { ok: true } : { ok: false, reason: `migration ${newest.tag} not applied` }
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : 'unreachable' }
  }
}

export interface OutboxState {
  /** Messages waiting to be sent (due now or waiting for a retry). */
  pending: number
  /** Age of the oldest pending message, in seconds (0 when none). */
  oldestPendingSeconds: number
  /**
   * How long the most overdue message has been due without being sent, in seconds (0 when none). A
   * working dispatcher takes a due message within seconds, also while a mail server is down (it then
   * schedules a retry), so this grows only when no dispatcher runs or one hangs.
   */
  oldestDueSeconds: number
}

export async function outboxState(deps: Deps): Promise<OutboxState> {
  const now = deps.clock.now()
  const [row] = await deps.db
    .select({
      pending: sql<number>`count(*)`.mapWith(Number),
      oldestCreated: sql<number | null>`min(${outbox.createdAt})`.mapWith(outbox.createdAt),
      oldestDue: sql<number | null>`min(case when ${outbox.nextAttemptAt} <= ${sql.param(now, outbox.nextAttemptAt)} then ${outbox.nextAttemptAt} end)`.mapWith(outbox.nextAttemptAt),
    })
    .from(outbox)
    .where(eq(outbox.status, 'pending'))
  const age = (at: Date | null | undefined) => (at == null ? 0 : Math.max(0, (now.getTime() - at.getTime()) / 1000))
  return { pending: row?.pending ?? 0, oldestPendingSeconds: age(row?.oldestCreated as Date | null | undefined), oldestDueSeconds: age(row?.oldestDue as Date | null | undefined) }
}
