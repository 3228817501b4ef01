// Guessing, bounded (SPEC.md section 5): per typed username, a delay after 5 consecutive failures
// doubling from 30 s up to 15 min, and a hard lock at 100 until the practice unlocks or a reset
// completes; per IP address, a delay across usernames. Counters live in the database, so a restart
// forgets nothing, and they are keyed by what was typed, so unknown usernames behave like known ones.
import { eq, sql } from 'drizzle-orm'
import { preparedFor } from '../db/prepared.ts'
import { throttles } from '../db/schema.ts'
import { mail } from '../messages.ts'
import { findAccountByUsername, normalizeUsername } from './accounts.ts'
import { recordEvent } from './audit.ts'
import { hours, type Actor, type Deps } from './deps.ts'
import { queueMail } from './delivery.ts'

export type Verdict = { ok: true } | { ok: false; retryInSeconds: number }

const userKey = (username: string) => `user:${normalizeUsername(username).slice(0, 64)}`
const ipKey = (ip: string) => `ip:${ip}`

function delaySeconds(deps: Deps, failures: number, threshold: number): number {
  const { delayBaseSeconds, delayCapMinutes } = deps.config.limits
  if (failures < threshold) return 0
  return Math.min(delayBaseSeconds * 2 ** Math.min(failures - threshold, 20), delayCapMinutes * 60)
}

/** The reads and the reset every password and code attempt makes, prepared (src/db/prepared.ts). */
const statements = preparedFor((db) => ({
  blockedUntil: db.select({ blockedUntil: throttles.blockedUntil }).from(throttles).where(eq(throttles.key, sql.placeholder('key'))).prepare(),
  lockedAt: db.select({ lockedAt: throttles.lockedAt }).from(throttles).where(eq(throttles.key, sql.placeholder('key'))).prepare(),
  reset: db
    .update(throttles)
    .set({ failures: 0, blockedUntil: null })
    .where(eq(throttles.key, sql.placeholder('key')))
    .prepare(),
  // Every guess is counted before it is checked, and a right one refunded: these run twice per sign-in.
  row: db.select().from(throttles).where(eq(throttles.key, sql.placeholder('key'))).prepare(),
  upsert: db
    .insert(throttles)
    // blockedUntil may be null, which Drizzle's timestamp mapping does not take: it is bound as epoch ms.
    .values({ key: sql.placeholder('key'), failures: sql.placeholder('failures'), lastFailureAt: sql.placeholder('lastFailureAt'), blockedUntil: sql`${sql.placeholder('blockedUntil')}` })
    .onConflictDoUpdate({ target: throttles.key, set: { failures: sql`excluded.failures`, lastFailureAt: sql`excluded.last_failure_at`, blockedUntil: sql`excluded.blocked_until` } })
    .prepare(),
  refund: db
    .update(throttles)
    .set({ failures: sql`${sql.placeholder('failures')}`, blockedUntil: sql`${sql.placeholder('blockedUntil')}` })
    .where(eq(throttles.key, sql.placeholder('key')))
    .prepare(),
}))

function remaining(deps: Deps, key: string): number {
  const row = statements(deps.db).blockedUntil.get({ key })
  const left = row?.blockedUntil ? row.blockedUntil.getTime() - deps.clock.now().getTime() : 0
  return left > 0 ? Math.ceil(left / 1000) : 0
}

/** May this attempt be made now? The longer of the username's and the address's waits applies. */
export function checkAttempt(deps: Deps, username: string, ip: string): Verdict {
  const wait = Math.max(remaining(deps, userKey(username)), remaining(deps, ipKey(ip)))
  return wait > 0 ? { ok: false, retryInSeconds: wait } : { ok: true }
}

/**
 * Check and count a guess in one synchronous step (no await between them), before the guess is
 * verified: parallel guesses cannot all slip through before the first failure is counted.
 */
export function beginGuess(deps: Deps, by: Actor, username: string, ip: string): Verdict {
  const verdict = checkAttempt(deps, username, ip)
  if (verdict.ok) countFailure(deps, by, username, ip)
  return verdict
}

/** A right guess: the username's consecutive failures reset, the address's advance count refunded. */
export function guessSucceeded(deps: Deps, username: string, ip: string): void {
  countSuccess(deps, username)
  const key = ipKey(ip)
  deps.db.transaction(() => {
    const row = statements(deps.db).row.get({ key })
    if (!row) return
    const failures = Math.max(0, row.failures - 1)
    const blockedUntil = failures >= deps.config.limits.ipFailuresBeforeDelay ? row.blockedUntil : null
    statements(deps.db).refund.run({ key, failures, blockedUntil: blockedUntil?.getTime() ?? null })
  })
}

/** Locked after too many failures: the right password is refused too, with the same message. */
export function isLocked(deps: Deps, username: string): boolean {
  const row = statements(deps.db).lockedAt.get({ key: userKey(username) })
  return row?.lockedAt != null
}

function bump(deps: Deps, key: string, threshold: number, forgetAfterMs: number | null): number {
  const now = deps.clock.now()
  return deps.db.transaction(() => {
    const row = statements(deps.db).row.get({ key })
    const stale = forgetAfterMs !== null && row?.lastFailureAt && now.getTime() - row.lastFailureAt.getTime() > forgetAfterMs
    const failures = (stale ? 0 : (row?.failures ?? 0)) + 1
    const wait = delaySeconds(deps, failures, threshold)
    const blockedUntil = wait > 0 ? new Date(now.getTime() + wait * 1000) : null
    statements(deps.db).upsert.run({ key, failures, lastFailureAt: now, blockedUntil: blockedUntil?.getTime() ?? null })
    return failures
  })
}

/** A wrong password or code: counted for the typed username and for the address. */
export function countFailure(deps: Deps, by: Actor, username: string, ip: string): void {
  const { limits } = deps.config
  const failures = bump(deps, userKey(username), limits.failuresBeforeDelay, null)
  bump(deps, ipKey(ip), limits.ipFailuresBeforeDelay, hours(1))
  if (failures !== limits.lockAfterFailures) return
  deps.db.update(throttles).set({ lockedAt: deps.clock.now() }).where(eq(throttles.key, userKey(username))).run()
  const account = findAccountByUsername(deps, username)
  if (!account) return
  recordEvent(deps, by, { event: 'lockout', outcome: 'failure', accountId: account.id, detail: { failures } })
  const message = mail.locked({ name: account.name, portal: deps.config.portalName, practice: deps.config.practiceName })
  queueMail(deps, { accountId: account.id, kind: 'locked', to: account.email, from: deps.config.senders.system, ...message })
  deps.notify()
}

/**
 * A success resets the username's consecutive failures and delay. A hard lock stays (lockedAt): the
 * sign-in still refuses, but the forgot-password path, which lifts the lock, is not held up by a delay.
 */
export function countSuccess(deps: Deps, username: string): void {
  statements(deps.db).reset.run({ key: userKey(username) })
}

/** The practice unlocks, or a password reset completes: the slate is clean. */
export function unlock(deps: Deps, username: string): void {
  deps.db.delete(throttles).where(eq(throttles.key, userKey(username))).run()
}
