// Guessing, bounded without handing a stranger the patient's door (docs/decisions/0011-throttle.md).
// Passwords: a delay per (username, client) after 5 failures, doubling from 30 s to 15 min; a delay for
// every untrusted client after 25 failures of the username; a hard lock at 100; a browser with a device
// cookie for the username counts on its own. Over 10 failures of one client across usernames, that
// client's password answers hide whether the password was right (hidden mode) instead of refusing.
// Second factor: per account and factor, delay after 5, lock at 100, reset only by a complete sign-in.
// Every key is an HMAC: the table never holds a typed username in clear.
import { and, eq, like, or, sql } from 'drizzle-orm'
import { isIPv4, isIPv6 } from 'node:net'
import { preparedFor } from '../db/prepared.ts'
import { throttles } from '../db/schema.ts'
import { messages } from '../messages.ts'
import { findAccountByUsername, normalizeUsername, type Account } from './accounts.ts'
import { recordEvent } from './audit.ts'
import { hours, type Actor, type Deps } from './deps.ts'
import { queueMail } from './delivery.ts'
import { hmac, keysOf } from './secrets.ts'

export type Factor = 'app' | 'email'

/** Who is guessing: the typed username, the client, and the device id of a valid device cookie for it. */
export interface Guesser {
  username: string
  /** clientOf(req.ip) */
  client: string
  /** Set only when the browser carries a valid device cookie for this username. */
  device: string | null
}

export type Verdict =
  /** Go ahead; the guess is counted already. hidden: the answer must not show whether it was right. */
  | { ok: true; hidden: boolean }
  /** Refused before the guess was checked. locked: the counter that refused is locked, waiting will not help. */
  | { ok: false; locked: boolean }

/** The client a limit applies to: an IPv4 address, or the /64 of an IPv6 address (one household or phone). */
export function clientOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) return mapped[1]!
  if (isIPv4(ip)) return ip
  if (!isIPv6(ip)) return ip
  const [head = '', tail = ''] = ip.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === '' ? [] : tail.split(':')
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`
}

// Names under one throttle key (the first key's for counting; an older key's to find what to take over).
const nameUnder = (key: Buffer, kind: string, value: string) => hmac(key, `${kind}:${value}`).slice(0, 32)
/** The username's counter under `key`: for tools that move counters (domain/reseal.ts). */
export const userPartUnder = (key: Buffer, username: string) => `u:${nameUnder(key, 'user', normalizeUsername(username).slice(0, 64))}`
const clientKeyUnder = (key: Buffer, client: string) => `c:${nameUnder(key, 'client', client)}`

function passwordKeysUnder(key: Buffer, g: Guesser) {
  const user = userPartUnder(key, g.username)
  return g.device
    ? { own: `${user}:d:${nameUnder(key, 'device', g.device)}`, user: null, client: null }
    : { own: `${user}:c:${nameUnder(key, 'client', g.client)}`, user, client: clientKeyUnder(key, g.client) }
}

const userPart = (deps: Deps, username: string) => userPartUnder(deps.keys.throttle, username)
const clientKey = (deps: Deps, client: string) => clientKeyUnder(deps.keys.throttle, client)

/**
 * The counters a password guess meets: the username on this device, or at this client and for all
 * untrusted clients. Counters named under an older key (SECRET_KEYS_OLD) are taken over first.
 */
function passwordKeys(deps: Deps, g: Guesser) {
  takeOverCounters(deps, (key) => Object.values(passwordKeysUnder(key, g)))
  return passwordKeysUnder(deps.keys.throttle, g)
}

/**
 * A second factor's counter: per account (a decoy's under the installation's decoy key, which no key
 * rotation changes) and, for a browser with a device cookie, per device.
 */
function factorKeyUnder(deps: Deps, key: Buffer, accountId: number | string, factor: Factor, device: string | null) {
  return `f:${typeof accountId === 'number' ? accountId : nameUnder(deps.keys.decoy, 'decoy', accountId)}:${factor}${device ? `:d:${nameUnder(key, 'device', device)}` : ''}`
}

function factorKey(deps: Deps, accountId: number | string, factor: Factor, device: string | null) {
  if (device) takeOverCounters(deps, (key) => [factorKeyUnder(deps, key, accountId, factor, device)])
  return factorKeyUnder(deps, deps.keys.throttle, accountId, factor, device)
}

/**
 * Key rotation (docs/decisions/0014-key-rotation.md): after SECRET_KEY changed, a counter named under an older key is
 * moved to its name under the first key the first time it is met, so a delay or a lock outlives the
 * change. `namesUnder` gives the same counters' names under any key, in the same order. Nothing to do
 * (and no work) without SECRET_KEYS_OLD.
 */
export function takeOverCounters(deps: Deps, namesUnder: (key: Buffer) => (string | null)[]): void {
  if (deps.keys.older.length === 0) return
  const current = namesUnder(deps.keys.throttle)
  for (const older of deps.keys.older) {
    namesUnder(older.throttle).forEach((from, i) => {
      const to = current[i]
      if (from && to && from !== to) moveCounter(deps, from, to)
    })
  }
}

/** Moves a counter to a new name; where both exist, the stricter of each value stays. */
export function moveCounter(deps: Deps, from: string, to: string): boolean {
  return deps.db.transaction(() => {
    const row = read(deps, from)
    if (!row) return false
    const existing = read(deps, to)
    if (!existing) {
      deps.db.update(throttles).set({ key: to }).where(eq(throttles.key, from)).run()
      return true
    }
    const later = (a: Date | null, b: Date | null) => (a === null ? b : b === null ? a : a > b ? a : b)
    const earlier = (a: Date | null, b: Date | null) => (a === null ? b : b === null ? a : a < b ? a : b)
    deps.db
      .update(throttles)
      .set({
        failures: Math.max(existing.failures, row.failures),
        lastFailureAt: later(existing.lastFailureAt, row.lastFailureAt),
        blockedUntil: later(existing.blockedUntil, row.blockedUntil),
        lockedAt: earlier(existing.lockedAt, row.lockedAt),
        notifiedAt: earlier(existing.notifiedAt, row.notifiedAt),
      })
      .where(eq(throttles.key, to))
      .run()
    deps.db.delete(throttles).where(eq(throttles.key, from)).run()
    return true
  })
}

function delaySeconds(deps: Deps, failures: number, threshold: number): number {
  const { delayBaseSeconds, delayCapMinutes } = deps.config.limits
  if (failures < threshold) return 0
  return Math.min(delayBaseSeconds * 2 ** Math.min(failures - threshold, 20), delayCapMinutes * 60)
}

type Row = typeof throttles.$inferSelect

const statements = preparedFor((db) => ({
  row: db.select().from(throttles).where(eq(throttles.key, sql.placeholder('key'))).prepare(),
  upsert: db
    .insert(throttles)
    // Nullable times are bound as epoch ms (Drizzle's timestamp mapping does not take null here).
    .values({ key: sql.placeholder('key'), failures: sql.placeholder('failures'), lastFailureAt: sql.placeholder('lastFailureAt'), blockedUntil: sql`${sql.placeholder('blockedUntil')}`, refused: 0 })
    .onConflictDoUpdate({ target: throttles.key, set: { failures: sql`excluded.failures`, lastFailureAt: sql`excluded.last_failure_at`, blockedUntil: sql`excluded.blocked_until`, refused: 0 } })
    .prepare(),
  refund: db
    .update(throttles)
    .set({ failures: sql`${sql.placeholder('failures')}`, blockedUntil: sql`${sql.placeholder('blockedUntil')}` })
    .where(eq(throttles.key, sql.placeholder('key')))
    .prepare(),
  reset: db.update(throttles).set({ failures: 0, blockedUntil: null, refused: 0, notifiedAt: null }).where(eq(throttles.key, sql.placeholder('key'))).prepare(),
}))

const read = (deps: Deps, key: string): Row | undefined => statements(deps.db).row.get({ key })

function waitOf(deps: Deps, row: Row | undefined): number {
  const left = row?.blockedUntil ? row.blockedUntil.getTime() - deps.clock.now().getTime() : 0
  return left > 0 ? left : 0
}

/** A failure more on `key`: its wait starts again from the new count. Returns the new count. */
function bump(deps: Deps, by: Actor, key: string, threshold: number, forgetAfterMs: number | null): number {
  const now = deps.clock.now()
  const row = read(deps, key)
  const stale = forgetAfterMs !== null && row?.lastFailureAt && now.getTime() - row.lastFailureAt.getTime() > forgetAfterMs
  const failures = (stale ? 0 : (row?.failures ?? 0)) + 1
  const wait = delaySeconds(deps, failures, threshold)
  const blockedUntil = wait > 0 ? new Date(now.getTime() + wait * 1000) : null
  // The refusals of the wait that ends here, beyond the one already audited, in one event.
  if (row && row.refused > 1) recordEvent(deps, by, { event: 'attempt_refused', outcome: 'failure', detail: { counter: key.split(':')[0]!, refused: row.refused } })
  statements(deps.db).upsert.run({ key, failures, lastFailureAt: now, blockedUntil: blockedUntil?.getTime() ?? null })
  return failures
}

/** A refusal: audited the first time in each wait of the counter, only counted after that (a flood adds no rows). */
function refuse(deps: Deps, by: Actor, key: string, accountId: number | null, locked: boolean): void {
  const row = read(deps, key)
  deps.db.update(throttles).set({ refused: sql`${throttles.refused} + 1` }).where(eq(throttles.key, key)).run()
  if ((row?.refused ?? 0) === 0) {
    recordEvent(deps, by, { event: 'attempt_refused', outcome: 'failure', accountId, detail: { counter: key.split(':')[0]!, locked } })
  }
}

function lock(deps: Deps, key: string): void {
  deps.db.update(throttles).set({ lockedAt: deps.clock.now() }).where(eq(throttles.key, key)).run()
}

/**
 * A password guess: checked against every counter and counted in one synchronous step, before the
 * password is verified, so parallel guesses meet the delay like serial ones.
 */
export function beginPasswordGuess(deps: Deps, by: Actor, g: Guesser): Verdict {
  const { limits } = deps.config
  const keys = passwordKeys(deps, g)
  return deps.db.transaction((): Verdict => {
    const own = read(deps, keys.own)
    const user = keys.user ? read(deps, keys.user) : undefined
    const ownWait = waitOf(deps, own)
    const userWait = waitOf(deps, user)
    if (ownWait > 0 || userWait > 0) {
      const refusing = ownWait >= userWait ? keys.own : keys.user!
      const locked = (keys.user ? user?.lockedAt : own?.lockedAt) != null
      refuse(deps, by, refusing, findAccountByUsername(deps, g.username)?.id ?? null, locked)
      return { ok: false, locked }
    }
    const ownFailures = bump(deps, by, keys.own, limits.failuresBeforeDelay, null)
    let hidden = false
    if (keys.user && keys.client) {
      const userFailures = bump(deps, by, keys.user, limits.usernameFailuresBeforeDelay, null)
      if (userFailures === limits.lockAfterFailures) lockUsername(deps, by, g.username, keys.user, userFailures)
      const clientRow = read(deps, keys.client)
      const quiet = !clientRow?.lastFailureAt || deps.clock.now().getTime() - clientRow.lastFailureAt.getTime() > hours(1)
      // Hidden mode from the guess after the limit: the client's failures before this one decide.
      hidden = !quiet && clientRow!.failures >= limits.ipFailuresBeforeDelay
      bump(deps, by, keys.client, Number.MAX_SAFE_INTEGER, hours(1))
    } else if (ownFailures === limits.lockAfterFailures) {
      lock(deps, keys.own)
    }
    return { ok: true, hidden }
  })
}

function lockUsername(deps: Deps, by: Actor, username: string, key: string, failures: number): void {
  lock(deps, key)
  const account = findAccountByUsername(deps, username)
  if (!account) return
  recordEvent(deps, by, { event: 'lockout', outcome: 'failure', accountId: account.id, detail: { failures } })
  const message = messages(account.language).mail.locked({ name: account.name, portal: deps.config.portalName, practice: deps.config.practiceName })
  queueMail(deps, { accountId: account.id, kind: 'locked', to: account.email, from: deps.config.senders.system, ...message })
  deps.notify()
}

/** Gives one counted failure back (a right guess), lifting the wait when it falls below the threshold. */
function refundOne(deps: Deps, key: string, threshold: number): void {
  const row = read(deps, key)
  if (!row) return
  const failures = Math.max(0, row.failures - 1)
  const blockedUntil = failures >= threshold ? row.blockedUntil : null
  statements(deps.db).refund.run({ key, failures, blockedUntil: blockedUntil?.getTime() ?? null })
}

/**
 * The password was right and the answer shows it (not hidden mode): the username's consecutive
 * failures at this client (or device) and for untrusted clients reset, the client's count refunded.
 * In hidden mode nothing is given back until the sign-in completes (signInCompleted).
 */
export function passwordRight(deps: Deps, g: Guesser): void {
  const keys = passwordKeys(deps, g)
  deps.db.transaction(() => {
    statements(deps.db).reset.run({ key: keys.own })
    if (keys.user) statements(deps.db).reset.run({ key: keys.user })
    if (keys.client) refundOne(deps, keys.client, Number.MAX_SAFE_INTEGER)
  })
}

/** Locked for this guesser: for untrusted clients the username's lock, for a device its own. */
export function isLocked(deps: Deps, g: Pick<Guesser, 'username' | 'device'>): boolean {
  const keys = passwordKeys(deps, { ...g, client: '' })
  return read(deps, keys.user ?? keys.own)?.lockedAt != null
}

/**
 * A second-factor guess (an app or e-mail code), counted before it is checked, per account and factor
 * (and device). `decoy`: the account of a hidden-mode decoy (its id, or the typed username for none).
 */
export function beginFactorGuess(deps: Deps, by: Actor, account: number | string, factor: Factor, device: string | null): Verdict {
  const key = factorKey(deps, account, factor, device)
  return deps.db.transaction((): Verdict => {
    const row = read(deps, key)
    if (waitOf(deps, row) > 0) {
      refuse(deps, by, key, typeof account === 'number' ? account : null, row?.lockedAt != null)
      return { ok: false, locked: row?.lockedAt != null }
    }
    bump(deps, by, key, deps.config.limits.failuresBeforeDelay, null)
    return { ok: true, hidden: false }
  })
}

/**
 * A wrong code after a right password (not a decoy): at the 5th failure in a row the patient is mailed
 * once for this burst; at 100 the factor locks until a practice unlock or factor reset.
 */
export function factorWrong(deps: Deps, by: Actor, account: Account, factor: Factor, device: string | null): void {
  const { limits } = deps.config
  const key = factorKey(deps, account.id, factor, device)
  const row = read(deps, key)
  if (!row) return
  const names = { name: account.name, portal: deps.config.portalName, practice: deps.config.practiceName }
  if (row.failures >= limits.failuresBeforeDelay && row.notifiedAt === null) {
    deps.db.update(throttles).set({ notifiedAt: deps.clock.now() }).where(eq(throttles.key, key)).run()
    queueMail(deps, { accountId: account.id, kind: 'factor-failures', to: account.email, from: deps.config.senders.system, ...messages(account.language).mail.factorFailures(names) })
    deps.notify()
  }
  if (row.failures >= limits.lockAfterFailures && row.lockedAt === null) {
    lock(deps, key)
    recordEvent(deps, by, { event: 'lockout', outcome: 'failure', accountId: account.id, detail: { failures: row.failures, factor } })
    queueMail(deps, { accountId: account.id, kind: 'locked', to: account.email, from: deps.config.senders.system, ...messages(account.language).mail.locked(names) })
    deps.notify()
  }
}

export function isFactorLocked(deps: Deps, accountId: number, factor: Factor, device: string | null): boolean {
  return read(deps, factorKey(deps, accountId, factor, device))?.lockedAt != null
}

/**
 * A complete sign-in (password and second factor): every counter this sign-in met is cleared, the
 * client's count given back. Locks stay (they are lifted by a reset or the practice only).
 */
export function signInCompleted(deps: Deps, account: Account, g: Guesser, hidden: boolean): void {
  const keys = passwordKeys(deps, g)
  deps.db.transaction(() => {
    for (const factor of ['app', 'email'] as const) statements(deps.db).reset.run({ key: factorKey(deps, account.id, factor, g.device) })
    statements(deps.db).reset.run({ key: keys.own })
    if (keys.user) statements(deps.db).reset.run({ key: keys.user })
    if (keys.client && hidden) refundOne(deps, keys.client, Number.MAX_SAFE_INTEGER)
  })
}

/**
 * The practice unlocks, or a password reset completes: the username's counters go, at every client and
 * device. `factors`: the practice's unlock (and a factor reset) lifts second-factor locks too; a password
 * reset does not, since it never proves the second factor.
 */
export function unlock(deps: Deps, username: string, factorsOf?: number): void {
  // Under every configured key: a lock named under an older key is lifted too.
  for (const key of keysOf(deps.keys, 'throttle')) {
    const user = userPartUnder(key, username)
    deps.db.delete(throttles).where(or(eq(throttles.key, user), like(throttles.key, `${user}:%`))).run()
  }
  if (factorsOf !== undefined) clearFactorCounters(deps, factorsOf)
}

/** The account's second-factor counters and locks, at every device. */
export function clearFactorCounters(deps: Deps, accountId: number): void {
  deps.db.delete(throttles).where(like(throttles.key, `f:${accountId}:%`)).run()
}

/** The untrusted-client lock of the username, or a second-factor lock (for the practice's pages). */
export function isAccountLocked(deps: Deps, account: Pick<Account, 'id' | 'username'>): boolean {
  if (isLocked(deps, { username: account.username, device: null })) return true
  return (
    deps.db
      .select({ key: throttles.key })
      .from(throttles)
      .where(and(like(throttles.key, `f:${account.id}:%`), sql`${throttles.lockedAt} is not null`))
      .get() !== undefined
  )
}


/** A wrong password counted on every counter of an untrusted client, whatever wait runs (tools and tests). */
export function countFailure(deps: Deps, by: Actor, username: string, ip: string): void {
  const { limits } = deps.config
  const keys = passwordKeys(deps, { username, client: clientOf(ip), device: null })
  deps.db.transaction(() => {
    bump(deps, by, keys.own, limits.failuresBeforeDelay, null)
    const failures = bump(deps, by, keys.user!, limits.usernameFailuresBeforeDelay, null)
    if (failures === limits.lockAfterFailures) lockUsername(deps, by, username, keys.user!, failures)
    bump(deps, by, keys.client!, Number.MAX_SAFE_INTEGER, hours(1))
  })
}

/** The names of a username's and a client's counters (for tools and tests: the table holds only these). */
export const counterNames = (deps: Deps, username: string, ip: string) => ({ username: userPart(deps, username), client: clientKey(deps, clientOf(ip)) })
