// Guessing, bounded without handing a stranger the patient's door (docs/decisions/0011-throttle.md).
// Passwords: a delay per (username, client) after 5 failures, doubling from 30 s to 15 min; a browser
// with a device cookie for the username counts on its own (delay after 5, lock at 100). Past 25 failures
// of the username over all untrusted clients, or 10 of one client across usernames, answers hide whether
// the password was right (hidden mode) instead of refusing or locking: only a right password with a
// right second factor signs in, so a stranger can neither guess the password nor lock the patient out.
// Second factor: a delay per (account, factor, client) or device after 5; the account's consecutive
// wrong codes after a right password mail the patient at 5 and lock the factor at 100 (NIST 800-63B).
// Every key is an HMAC: the table never holds a typed username in clear.
import { and, eq, like, or, sql } from 'drizzle-orm'
import { isIPv4, isIPv6 } from 'node:net'
import { first } from '../db/index.ts'
import { throttles } from '../db/tables.ts'
import { messages } from '../messages.ts'
import { findAccountByUsername, normalizeUsername, type Account } from './accounts.ts'
import { recordEvent } from './audit.ts'
import { hours, type Actor, type Deps } from './deps.ts'
import { queueMail } from './delivery.ts'
import { contactWords, practiceOf } from './practices.ts'
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
  /**
   * Refused before the guess was checked. locked: the counter that refused is locked, waiting will not
   * help; otherwise waitMs says how long the delay still runs (the page says when to try again).
   */
  | { ok: false; locked: boolean; waitMs: number }

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
/** The username's counter under `key`: for tools that move counters (domain/sealed.ts's reseal). */
export const userPartUnder = (key: Buffer, username: string) => `u:${nameUnder(key, 'user', normalizeUsername(username).slice(0, 64))}`
const clientKeyUnder = (key: Buffer, client: string) => `c:${nameUnder(key, 'client', client)}`
const userPart = (deps: Deps, username: string) => userPartUnder(deps.keys.throttle, username)
const clientKey = (deps: Deps, client: string) => clientKeyUnder(deps.keys.throttle, client)

/**
 * Whose counters a hidden-mode decoy of an unknown username moves: an HMAC of it, never the typed text.
 * Under the installation's decoy key, which no SECRET_KEY rotation changes (decision 0017).
 */
export const decoyTag = (deps: Deps, username: string) => `t:${nameUnder(deps.keys.decoy, 'decoy-user', normalizeUsername(username).slice(0, 64))}`

function passwordKeysUnder(key: Buffer, g: Guesser) {
  const user = userPartUnder(key, g.username)
  return g.device
    ? { own: `${user}:d:${nameUnder(key, 'device', g.device)}`, user: null, client: null }
    : { own: `${user}:c:${nameUnder(key, 'client', g.client)}`, user, client: clientKeyUnder(key, g.client) }
}

/**
 * The counters a password guess meets: the username on this device, or at this client and for all
 * untrusted clients. Counters named under an older key (SECRET_KEYS_OLD) are taken over first.
 */
async function passwordKeys(deps: Deps, g: Guesser) {
  await takeOverCounters(deps, (key) => Object.values(passwordKeysUnder(key, g)))
  return passwordKeysUnder(deps.keys.throttle, g)
}

/** Where a second-factor guess comes from: a device cookie's browser, or else its client. */
export interface FactorGuesser {
  device: string | null
  client: string
}

/**
 * The account's (or a decoy's) counter of a factor: `f:A:factor` (lock and mail), with `:d:D` a device's
 * own. A decoy's name is under the installation's decoy key; a device's under the throttle key `key`.
 */
const factorKeyUnder = (deps: Deps, key: Buffer, accountId: number | string, factor: Factor, device: string | null) =>
  `f:${typeof accountId === 'number' ? accountId : nameUnder(deps.keys.decoy, 'decoy', accountId)}:${factor}${device ? `:d:${nameUnder(key, 'device', device)}` : ''}`

async function factorKey(deps: Deps, accountId: number | string, factor: Factor, device: string | null): Promise<string> {
  if (device) await takeOverCounters(deps, (key) => [factorKeyUnder(deps, key, accountId, factor, device)])
  return factorKeyUnder(deps, deps.keys.throttle, accountId, factor, device)
}

/**
 * The counter whose delay a second-factor guess meets: the device's own, or else the (account, factor,
 * client) one. Per client, so a stranger's wrong codes (at a hidden-mode decoy too) do not hold up the
 * patient at another address; real and decoy guesses move it alike, so its delay tells nothing.
 */
async function factorDelayKey(deps: Deps, accountId: number | string, factor: Factor, g: FactorGuesser): Promise<string> {
  const under = (key: Buffer) =>
    g.device ? factorKeyUnder(deps, key, accountId, factor, g.device) : `${factorKeyUnder(deps, key, accountId, factor, null)}:c:${nameUnder(key, 'client', g.client)}`
  await takeOverCounters(deps, (key) => [under(key)])
  return under(deps.keys.throttle)
}

/**
 * Key rotation (docs/decisions/0017-key-rotation.md): after SECRET_KEY changed, a counter named under an
 * older key is moved to its name under the first key the first time it is met, so a delay or a lock
 * outlives the change. `namesUnder` gives the same counters' names under any key, in the same order.
 * Nothing to do (and no work) without SECRET_KEYS_OLD.
 */
export async function takeOverCounters(deps: Deps, namesUnder: (key: Buffer) => (string | null)[]): Promise<void> {
  if (deps.keys.older.length === 0) return
  const current = namesUnder(deps.keys.throttle)
  for (const older of deps.keys.older) {
    const names = namesUnder(older.throttle)
    for (const [i, from] of names.entries()) {
      const to = current[i]
      if (from && to && from !== to) await moveCounter(deps, from, to)
    }
  }
}

/** Moves a counter to a new name; where both exist, the stricter of each value stays. */
export async function moveCounter(deps: Deps, from: string, to: string): Promise<boolean> {
  return await deps.db.transaction(async () => {
    const row = await read(deps, from)
    if (!row) return false
    const existing = await read(deps, to)
    if (!existing) {
      await deps.db.update(throttles).set({ key: to }).where(eq(throttles.key, from))
      return true
    }
    const later = (a: Date | null, b: Date | null) => (a === null ? b : b === null ? a : a > b ? a : b)
    const earlier = (a: Date | null, b: Date | null) => (a === null ? b : b === null ? a : a < b ? a : b)
    await deps.db
      .update(throttles)
      .set({
        failures: Math.max(existing.failures, row.failures),
        lastFailureAt: later(existing.lastFailureAt, row.lastFailureAt),
        blockedUntil: later(existing.blockedUntil, row.blockedUntil),
        lockedAt: earlier(existing.lockedAt, row.lockedAt),
        notifiedAt: earlier(existing.notifiedAt, row.notifiedAt),
      })
      .where(eq(throttles.key, to))
    await deps.db.delete(throttles).where(eq(throttles.key, from))
    return true
  })
}

function delaySeconds(deps: Deps, failures: number, threshold: number): number {
  const { delayBaseSeconds, delayCapMinutes } = deps.config.limits
  if (failures < threshold) return 0
  return Math.min(delayBaseSeconds * 2 ** Math.min(failures - threshold, 20), delayCapMinutes * 60)
}

type Row = typeof throttles.$inferSelect

const upsert = (deps: Deps, values: { key: string; failures: number; lastFailureAt: Date; blockedUntil: Date | null }) =>
  deps.db
    .insert(throttles)
    .values({ ...values, refused: 0 })
    .onConflictDoUpdate({ target: throttles.key, set: { failures: values.failures, lastFailureAt: values.lastFailureAt, blockedUntil: values.blockedUntil, refused: 0 } })

const reset = (deps: Deps, key: string) =>
  deps.db.update(throttles).set({ failures: 0, blockedUntil: null, refused: 0, notifiedAt: null }).where(eq(throttles.key, key))

const read = (deps: Deps, key: string): Promise<Row | undefined> => deps.db.select().from(throttles).where(eq(throttles.key, key)).then(first)

function waitOf(deps: Deps, row: Row | undefined): number {
  const left = row?.blockedUntil ? row.blockedUntil.getTime() - deps.clock.now().getTime() : 0
  return left > 0 ? left : 0
}

/** A failure more on `key`: its wait starts again from the new count. Returns the new count. */
async function bump(deps: Deps, by: Actor, key: string, threshold: number, forgetAfterMs: number | null): Promise<number> {
  // Read, then written: one transaction, so no other request's write comes between (joins the caller's).
  return await deps.db.transaction(async () => {
    const now = deps.clock.now()
    const row = await read(deps, key)
    const stale = forgetAfterMs !== null && row?.lastFailureAt && now.getTime() - row.lastFailureAt.getTime() > forgetAfterMs
    const failures = (stale ? 0 : (row?.failures ?? 0)) + 1
    const wait = delaySeconds(deps, failures, threshold)
    const blockedUntil = wait > 0 ? new Date(now.getTime() + wait * 1000) : null
    // The refusals of the wait that ends here, beyond the one already audited, in one event.
    if (row && row.refused > 1) await recordEvent(deps, by, { event: 'attempt_refused', outcome: 'failure', detail: { counter: key.split(':')[0]!, refused: row.refused } })
    await upsert(deps, { key, failures, lastFailureAt: now, blockedUntil })
    return failures
  })
}

/** A refusal: audited the first time in each wait of the counter, only counted after that (a flood adds no rows). */
async function refuse(deps: Deps, by: Actor, key: string, row: Row | undefined, accountId: number | null): Promise<Verdict> {
  const locked = row?.lockedAt != null
  await deps.db.update(throttles).set({ refused: sql`${throttles.refused} + 1` }).where(eq(throttles.key, key))
  deps.events?.emit({ type: 'throttle_refused', guess: key.startsWith('f:') ? 'second_factor' : 'password', locked })
  if ((row?.refused ?? 0) === 0) {
    await recordEvent(deps, by, { event: 'attempt_refused', outcome: 'failure', accountId, detail: { counter: key.split(':')[0]!, locked } })
  }
  return { ok: false, locked, waitMs: locked ? 0 : waitOf(deps, row) }
}

async function lock(deps: Deps, key: string): Promise<void> {
  await deps.db.update(throttles).set({ lockedAt: deps.clock.now() }).where(eq(throttles.key, key))
}

/**
 * A password guess: checked against its counters and counted in one synchronous step, before the
 * password is verified, so parallel guesses meet the delay like serial ones. Only the guesser's own
 * counter (username at this client, or on this device) can refuse; the username-wide and client-wide
 * counts only decide hidden mode, so no stranger's failures refuse or lock the patient's right password.
 */
export async function beginPasswordGuess(deps: Deps, by: Actor, g: Guesser): Promise<Verdict> {
  const { limits } = deps.config
  const keys = await passwordKeys(deps, g)
  return await deps.db.transaction(async (): Promise<Verdict> => {
    const own = await read(deps, keys.own)
    if (waitOf(deps, own) > 0) return await refuse(deps, by, keys.own, own, (await findAccountByUsername(deps, g.username))?.id ?? null)
    const ownFailures = await bump(deps, by, keys.own, limits.failuresBeforeDelay, null)
    let hidden = false
    if (keys.user && keys.client) {
      // No delay and no lock on the username-wide count (issue 19.3): past the limit every untrusted
      // client's answers go into hidden mode, from the guess after it, until a complete sign-in.
      const userFailures = await bump(deps, by, keys.user, Number.MAX_SAFE_INTEGER, null)
      if (userFailures === limits.usernameFailuresBeforeDelay) await usernameHidden(deps, by, g.username, userFailures)
      const clientRow = await read(deps, keys.client)
      const quiet = !clientRow?.lastFailureAt || deps.clock.now().getTime() - clientRow.lastFailureAt.getTime() > hours(1)
      // Hidden mode from the guess after the limit: the failures before this one decide.
      hidden = userFailures > limits.usernameFailuresBeforeDelay || (!quiet && clientRow!.failures >= limits.ipFailuresBeforeDelay)
      await bump(deps, by, keys.client, Number.MAX_SAFE_INTEGER, hours(1))
    } else if (ownFailures === limits.lockAfterFailures) {
      await lock(deps, keys.own)
    }
    return { ok: true, hidden }
  })
}

/** The username's untrusted failures reached the limit: audited once per burst (the count resets only at a sign-in). */
async function usernameHidden(deps: Deps, by: Actor, username: string, failures: number): Promise<void> {
  const account = await findAccountByUsername(deps, username)
  if (account) await recordEvent(deps, by, { event: 'password_guessing', outcome: 'failure', accountId: account.id, detail: { failures } })
}

/** Gives one counted failure back (a right guess), lifting the wait when it falls below the threshold. */
async function refundOne(deps: Deps, key: string, threshold: number): Promise<void> {
  // Read, then written: one transaction, so no other request's write comes between (joins the caller's).
  return await deps.db.transaction(async () => {
    const row = await read(deps, key)
    if (!row) return
    const failures = Math.max(0, row.failures - 1)
    const blockedUntil = failures >= threshold ? row.blockedUntil : null
    await deps.db.update(throttles).set({ failures, blockedUntil }).where(eq(throttles.key, key))
  })
}

/**
 * The password was right and the answer shows it (not hidden mode): the username's consecutive
 * failures at this client (or device) and for untrusted clients reset, the client's count refunded.
 * In hidden mode nothing is given back until the sign-in completes (signInCompleted).
 */
export async function passwordRight(deps: Deps, g: Guesser): Promise<void> {
  const keys = await passwordKeys(deps, g)
  await deps.db.transaction(async () => {
    await reset(deps, keys.own)
    if (keys.user) await reset(deps, keys.user)
    if (keys.client) await refundOne(deps, keys.client, Number.MAX_SAFE_INTEGER)
  })
}

/**
 * Locked for this guesser: a device's own counter after 100 failures. Untrusted clients meet no password
 * lock (hidden mode instead), so a stranger can not lock the patient out of a new browser.
 */
export async function isLocked(deps: Deps, g: Pick<Guesser, 'username' | 'device'>): Promise<boolean> {
  const keys = await passwordKeys(deps, { ...g, client: '' })
  return keys.user === null && (await read(deps, keys.own))?.lockedAt != null
}

/**
 * A second-factor guess (an app or e-mail code), counted before it is checked, on the device's counter
 * or the (account, factor, client) one. `account`: the account, or a hidden-mode decoy's typed username
 * (its decoyTag) when there is none.
 */
export async function beginFactorGuess(deps: Deps, by: Actor, account: number | string, factor: Factor, g: FactorGuesser): Promise<Verdict> {
  const key = await factorDelayKey(deps, account, factor, g)
  return await deps.db.transaction(async (): Promise<Verdict> => {
    const row = await read(deps, key)
    if (waitOf(deps, row) > 0) return await refuse(deps, by, key, row, typeof account === 'number' ? account : null)
    await bump(deps, by, key, deps.config.limits.failuresBeforeDelay, null)
    return { ok: true, hidden: false }
  })
}

/**
 * A wrong code after a right password (never a decoy's): counted on the account's factor (on a device,
 * its own counter already holds it). At the 5th in a row the patient is mailed once for this burst; at
 * 100 the factor locks until a practice unlock or factor reset. No delay here: the delay is per client.
 */
export async function factorWrong(deps: Deps, by: Actor, account: Account, factor: Factor, device: string | null): Promise<void> {
  // Read, then written: one transaction, so no other request's write comes between (joins the caller's).
  return await deps.db.transaction(async () => {
    const { limits } = deps.config
    const key = await factorKey(deps, account.id, factor, device)
    if (!device) await bump(deps, by, key, Number.MAX_SAFE_INTEGER, null)
    const row = await read(deps, key)
    if (!row) return
    const names = { name: account.name, portal: deps.config.portalName, ...contactWords((await practiceOf(deps, account))) }
    if (row.failures >= limits.failuresBeforeDelay && row.notifiedAt === null) {
      await deps.db.update(throttles).set({ notifiedAt: deps.clock.now() }).where(eq(throttles.key, key))
      await queueMail(deps, { accountId: account.id, kind: 'factor-failures', to: account.email, from: deps.config.senders.system, ...messages(account.language).mail.factorFailures(names) })
      deps.notify()
    }
    if (row.failures >= limits.lockAfterFailures && row.lockedAt === null) {
      await lock(deps, key)
      await recordEvent(deps, by, { event: 'lockout', outcome: 'failure', accountId: account.id, detail: { failures: row.failures, factor } })
      await queueMail(deps, { accountId: account.id, kind: 'locked', to: account.email, from: deps.config.senders.system, ...messages(account.language).mail.locked(names) })
      deps.notify()
    }
  })
}

export async function isFactorLocked(deps: Deps, accountId: number, factor: Factor, device: string | null): Promise<boolean> {
  return (await read(deps, (await factorKey(deps, accountId, factor, device))))?.lockedAt != null
}

/**
 * A complete sign-in (password and second factor): every counter this sign-in met is cleared, the
 * client's count given back. Locks stay (they are lifted by a reset or the practice only).
 */
export async function signInCompleted(deps: Deps, account: Account, g: Guesser, hidden: boolean): Promise<void> {
  const keys = await passwordKeys(deps, g)
  await deps.db.transaction(async () => {
    for (const factor of ['app', 'email'] as const) {
      await reset(deps, (await factorKey(deps, account.id, factor, g.device)))
      if (!g.device) await reset(deps, (await factorDelayKey(deps, account.id, factor, g)))
    }
    await reset(deps, keys.own)
    if (keys.user) await reset(deps, keys.user)
    if (keys.client && hidden) await refundOne(deps, keys.client, Number.MAX_SAFE_INTEGER)
  })
}

/**
 * The practice unlocks, or a password reset completes: the username's counters go, at every client and
 * device (a device's lock with them). `factors`: the practice's unlock (and a factor reset) lifts
 * second-factor locks too; a password reset does not, since it never proves the second factor.
 */
export async function unlock(deps: Deps, username: string, factorsOf?: number): Promise<void> {
  // Under every configured key: a lock named under an older key is lifted too.
  for (const key of keysOf(deps.keys, 'throttle')) {
    const user = userPartUnder(key, username)
    await deps.db.delete(throttles).where(or(eq(throttles.key, user), like(throttles.key, `${user}:%`)))
  }
  if (factorsOf !== undefined) await clearFactorCounters(deps, factorsOf)
}

/** The account's second-factor counters and locks, at every device. */
export async function clearFactorCounters(deps: Deps, accountId: number): Promise<void> {
  await deps.db.delete(throttles).where(like(throttles.key, `f:${accountId}:%`))
}

/**
 * A second-factor lock, or a device's password lock (for the practice's pages). A lock of the username
 * for untrusted clients from before issue 19.3 counts for nothing any more.
 */
export async function isAccountLocked(deps: Deps, account: Pick<Account, 'id' | 'username'>): Promise<boolean> {
  return (await isPasswordLocked(deps, account.username)) || (await isSecondStepLocked(deps, account.id))
}

/** A device's password lock of the username, at any device (the practice's unlock names it, issue 23.9). */
export async function isPasswordLocked(deps: Deps, username: string): Promise<boolean> {
  return await anyLocked(deps, `${userPart(deps, username)}:d:%`)
}

/** A lock of the account's second step: any factor, at any device or client (issue 23.9). */
export async function isSecondStepLocked(deps: Deps, accountId: number): Promise<boolean> {
  return await anyLocked(deps, `f:${accountId}:%`)
}

async function anyLocked(deps: Deps, pattern: string): Promise<boolean> {
  return (await deps.db.select({ key: throttles.key }).from(throttles).where(and(like(throttles.key, pattern), sql`${throttles.lockedAt} is not null`)).then(first)) !== undefined
}


/** A wrong password counted on every counter of an untrusted client, whatever wait runs (tools and tests). */
export async function countFailure(deps: Deps, by: Actor, username: string, ip: string): Promise<void> {
  const { limits } = deps.config
  const keys = await passwordKeys(deps, { username, client: clientOf(ip), device: null })
  await deps.db.transaction(async () => {
    await bump(deps, by, keys.own, limits.failuresBeforeDelay, null)
    const failures = await bump(deps, by, keys.user!, Number.MAX_SAFE_INTEGER, null)
    if (failures === limits.usernameFailuresBeforeDelay) await usernameHidden(deps, by, username, failures)
    await bump(deps, by, keys.client!, Number.MAX_SAFE_INTEGER, hours(1))
  })
}

/** A wrong second-factor code after a right password, from an untrusted client, whatever wait runs (tools and tests). */
export async function countFactorFailure(deps: Deps, by: Actor, account: Account, factor: Factor, ip: string): Promise<void> {
  await deps.db.transaction(async () => {
    await bump(deps, by, (await factorDelayKey(deps, account.id, factor, { device: null, client: clientOf(ip) })), deps.config.limits.failuresBeforeDelay, null)
    await factorWrong(deps, by, account, factor, null)
  })
}

/** The names of a username's and a client's counters (for tools and tests: the table holds only these). */
export const counterNames = (deps: Deps, username: string, ip: string) => ({ username: userPart(deps, username), client: clientKey(deps, clientOf(ip)) })
