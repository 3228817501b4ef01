// The forgot-password / first-login path. A matching username and e-mail start it; the SMS code
// proves the phone; then a random temporary password (1 hour, single use) goes to the e-mail
// address, and together with a new password it proves the mailbox. Completing a reset ends every
// other session, lifts a lock, and tells the patient by mail. It never passes the second factor.
import { and, desc, eq, isNull } from 'drizzle-orm'
import { links } from '../db/tables.ts'
import { messages } from '../messages.ts'
import { findAccountByUsername, updateAccount, type Account } from './accounts.ts'
import { recordEvent } from './audit.ts'
import { minutes, type Actor, type Deps } from './deps.ts'
import { queueMail } from './delivery.ts'
import { contactWords, practiceOf } from './practices.ts'
import { equalHex, hmac, newTemporaryPassword, sha256 } from './secrets.ts'
import { unlock } from './throttle.ts'
import { first } from '../db/index.ts'

/** The account when username and e-mail belong together and it may reset; null otherwise (a decoy walk follows). */
export async function startReset(deps: Deps, by: Actor, username: string, email: string): Promise<Account | null> {
  const account = await findAccountByUsername(deps, username)
  const matches = account !== undefined && account.deactivatedAt === null && account.email.trim().toLowerCase() === email.trim().toLowerCase()
  await recordEvent(deps, by, {
    event: 'reset_started',
    outcome: matches ? 'success' : 'failure',
    accountId: matches ? account.id : null,
    ...(matches ? {} : { detail: { reason: 'no-match' } }),
  })
  return matches ? account : null
}

/** Last four digits for a decoy walk: stable for what was typed, unrelated to any real number. */
export function decoyDigits(deps: Deps, username: string, email: string): string {
  return (parseInt(decoyKey(deps, username, email).slice(0, 8), 16) % 10_000).toString().padStart(4, '0')
}

/** Names a typed username/e-mail pair without storing either. */
export function decoyKey(deps: Deps, username: string, email: string): string {
  return hmac(deps.keys.decoy, `decoy:${username}:${email}`)
}

export async function sendTemporaryPassword(deps: Deps, by: Actor, account: Account): Promise<void> {
  const now = deps.clock.now()
  await deps.db.transaction(async () => {
    await deps.db.update(links).set({ usedAt: now }).where(and(eq(links.accountId, account.id), eq(links.purpose, 'reset'), isNull(links.usedAt)))
    const temporary = newTemporaryPassword()
    const ttl = deps.config.limits.tempPasswordTtlMinutes
    await deps.db
      .insert(links)
      .values({ accountId: account.id, purpose: 'reset', tokenHash: sha256(`temporary:${temporary}`), createdAt: now, expiresAt: new Date(now.getTime() + minutes(ttl)) })
    const message = messages(account.language).mail.temporaryPassword({ name: account.name, portal: deps.config.portalName, ...contactWords((await practiceOf(deps, account))), password: temporary, minutes: ttl })
    await queueMail(deps, { accountId: account.id, kind: 'temporary-password', to: account.email, from: deps.config.senders.system, ...message })
    await recordEvent(deps, by, { event: 'temporary_password_sent', outcome: 'success', accountId: account.id })
  })
  deps.notify()
}

/** 'spent': five wrong tries voided it; only a new one, from the forgot path, can help now. */
export type TemporaryCheck = 'ok' | 'wrong' | 'spent'

/** Checks the temporary password, counting the try first; five wrong tries void it. Does not consume it. */
export async function checkTemporaryPassword(deps: Deps, account: Account, typed: string): Promise<TemporaryCheck> {
  const now = deps.clock.now()
  const max = deps.config.limits.codeMaxAttempts
  return await deps.db.transaction(async () => {
    const latest = await deps.db
      .select()
      .from(links)
      .where(and(eq(links.accountId, account.id), eq(links.purpose, 'reset')))
      .orderBy(desc(links.id))
      .limit(1)
      .then(first)
    if (!latest || latest.usedAt !== null) return latest && latest.attempts >= max ? 'spent' : 'wrong'
    if (latest.expiresAt.getTime() <= now.getTime()) return 'wrong'
    if (equalHex(latest.tokenHash, sha256(`temporary:${typed.trim()}`))) return 'ok'
    const attempts = latest.attempts + 1
    await deps.db.update(links).set({ attempts, ...(attempts >= max ? { usedAt: now } : {}) }).where(eq(links.id, latest.id))
    return attempts >= max ? 'spent' : 'wrong'
  })
}

/** The new password is in place: the temporary one is spent, the lock lifted, the patient told. */
export async function completeReset(deps: Deps, by: Actor, account: Account, passwordHash: string): Promise<void> {
  const now = deps.clock.now()
  await deps.db.transaction(async () => {
    await deps.db.update(links).set({ usedAt: now }).where(and(eq(links.accountId, account.id), eq(links.purpose, 'reset'), isNull(links.usedAt)))
    await updateAccount(deps, account.id, { passwordHash, passwordSetAt: now, emailVerifiedAt: account.emailVerifiedAt ?? now })
    await unlock(deps, account.username)
    await recordEvent(deps, by, { event: 'password_set', outcome: 'success', accountId: account.id, detail: { via: 'reset' } })
    const message = messages(account.language).mail.passwordChanged({ name: account.name, portal: deps.config.portalName, ...contactWords((await practiceOf(deps, account))) })
    await queueMail(deps, { accountId: account.id, kind: 'password-changed', to: account.email, from: deps.config.senders.system, ...message })
  })
  deps.notify()
}
