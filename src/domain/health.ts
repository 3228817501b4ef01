// What /readyz and the metrics ask of the database: is it there and migrated, and is the outbox moving.
// Read from the database alone, never from this process's memory, so that every portal process
// behind a load balancer (issue 21, PostgreSQL) gives the same answer about the shared state.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { preparedFor } from '../db/prepared.ts'
import { root } from '../paths.ts'
import type { Deps } from './deps.ts'

/** The newest migration this code ships (drizzle-kit's journal), read once. */
let shipped: { tag: string; when: number } | undefined
function newestShipped(): { tag: string; when: number } {
  if (!shipped) {
    const journal = JSON.parse(readFileSync(join(root, 'migrations', 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] }
    shipped = journal.entries.reduce((a, b) => (b.when > a.when ? b : a))
  }
  return shipped
}

const statements = preparedFor((db) => ({
  // drizzle's migrator records each applied migration with its journal time.
  migrated: db.$client.prepare<[], { created_at: number }>('select max(created_at) as created_at from __drizzle_migrations'),
  outbox: db.$client.prepare<[number], { pending: number; oldest_created: number | null; oldest_due: number | null }>(
    "select count(*) as pending, min(created_at) as oldest_created, min(case when next_attempt_at <= ? then next_attempt_at end) as oldest_due from outbox where status = 'pending'",
  ),
}))

export type DatabaseCheck = { ok: true } | { ok: false; reason: string }

/** Reachable (a query answers) and migrated (the newest migration of this code is applied). */
export function checkDatabase(deps: Deps): DatabaseCheck {
  try {
    const applied = Number(statements(deps.db).migrated.get()?.created_at ?? 0)
    const newest = newestShipped()
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

export function outboxState(deps: Deps): OutboxState {
  const now = deps.clock.now().getTime()
  const row = statements(deps.db).outbox.get(now)
  const age = (ms: number | null | undefined) => (ms == null ? 0 : Math.max(0, (now - ms) / 1000))
  return { pending: row?.pending ?? 0, oldestPendingSeconds: age(row?.oldest_created), oldestDueSeconds: age(row?.oldest_due) }
}
