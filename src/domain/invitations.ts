// E-mailed links: the invitation (Stap 1, from the practice) and the link to continue (from the system).
// A link is 256 random bits; only its SHA-256 is stored. Opening a link changes nothing (mail scanners
// open links too); the POST behind its button consumes it, once.
import { and, eq, gt, isNull } from 'drizzle-orm'
import { links } from '../db/tables.ts'
import { formatDateTime, messages } from '../messages.ts'
import { getAccount, updateAccount, type Account } from './accounts.ts'
import { recordEvent } from './audit.ts'
import { hours, type Actor, type Deps } from './deps.ts'
import { queueMail } from './delivery.ts'
import { contactWords, practiceOf } from './practices.ts'
import { newToken, sha256 } from './secrets.ts'
import { first } from '../db/index.ts'

type Purpose = 'invite' | 'continue'

export const linkPath: Record<Purpose, string> = { invite: '/uitnodiging', continue: '/verder' }

/** Creates a link, voiding every earlier unused link of the same purpose for the account. */
async function issueLink(deps: Deps, accountId: number, purpose: Purpose, ttlHours: number): Promise<{ url: string; expiresAt: Date }> {
  const now = deps.clock.now()
  await deps.db
    .update(links)
    .set({ usedAt: now })
    .where(and(eq(links.accountId, accountId), eq(links.purpose, purpose), isNull(links.usedAt)))
  const token = newToken()
  const expiresAt = new Date(now.getTime() + hours(ttlHours))
  await deps.db.insert(links).values({ accountId, purpose, tokenHash: sha256(token), createdAt: now, expiresAt })
  return { url: new URL(`${linkPath[purpose]}/${token}`, deps.config.publicUrl).href, expiresAt }
}

/**
 * Stap 1: sends the invitation from the practice sender: the installation's MAIL_FROM_PRACTICE address
 * under the account's practice's name (issue 20). A new invitation voids the old one.
 */
export async function sendInvitation(deps: Deps, by: Actor, accountId: number): Promise<{ expiresAt: Date }> {
  const result = await deps.db.transaction(async () => {
    const account = await getAccount(deps, accountId)
    if (!account) throw new Error(`No account ${accountId}`)
    const link = await issueLink(deps, account.id, 'invite', deps.config.limits.inviteLinkTtlHours)
    const practice = await practiceOf(deps, account)
    const message = messages(account.language).mail.invite({
      name: account.name,
      ...contactWords(practice),
      portal: deps.config.portalName,
      address: new URL('/inloggen', deps.config.publicUrl).href,
      username: account.username,
      link: link.url,
      validUntil: formatDateTime(link.expiresAt, account.language),
    })
    await queueMail(deps, { accountId: account.id, kind: 'invite', to: account.email, from: deps.config.senders.practice, fromName: practice.name, ...message })
    await recordEvent(deps, by, { event: 'invite', outcome: 'success', accountId: account.id })
    return { expiresAt: link.expiresAt }
  })
  deps.notify()
  return result
}

/** Looks a link up without changing anything. Unknown, expired, used and voided links all answer null. */
export async function peekLink(deps: Deps, purpose: Purpose, token: string): Promise<Account | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null
  const row = await deps.db
    .select({ accountId: links.accountId })
    .from(links)
    .where(and(eq(links.tokenHash, sha256(token)), eq(links.purpose, purpose), isNull(links.usedAt), gt(links.expiresAt, deps.clock.now())))
    .then(first)
  const account = row ? (await getAccount(deps, row.accountId)) : undefined
  return account && account.deactivatedAt === null ? account : null
}

/**
 * The account a link was made for, whether or not it is still usable (used, expired, voided). Only
 * to tell an already active patient so: the 256-bit token proves the mail was in their hands.
 */
export async function linkOwner(deps: Deps, purpose: Purpose, token: string): Promise<Account | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null
  const row = await deps.db
    .select({ accountId: links.accountId })
    .from(links)
    .where(and(eq(links.tokenHash, sha256(token)), eq(links.purpose, purpose)))
    .then(first)
  const account = row ? (await getAccount(deps, row.accountId)) : undefined
  return account && account.deactivatedAt === null && account.erasedAt === null ? account : null
}

/** Marks the link used in one conditional update: two parallel posts cannot both win. */
async function consumeLink(deps: Deps, purpose: Purpose, token: string): Promise<Account | null> {
  const account = await peekLink(deps, purpose, token)
  if (!account) return null
  const consumed = await deps.db
    .update(links)
    .set({ usedAt: deps.clock.now() })
    .where(and(eq(links.tokenHash, sha256(token)), isNull(links.usedAt)))
    .returning({ id: links.id })
  return consumed.length === 1 ? account : null
}

/** Stap 1's Volgende: the address is verified, and the second mail (from the system sender) goes out. */
export async function confirmInvitation(deps: Deps, by: Actor, token: string): Promise<Account | null> {
  const account = await deps.db.transaction(async () => {
    const account = await consumeLink(deps, 'invite', token)
    if (!account) {
      await recordEvent(deps, by, { event: 'link_rejected', outcome: 'failure', detail: { purpose: 'invite' } })
      return null
    }
    if (account.emailVerifiedAt === null) await updateAccount(deps, account.id, { emailVerifiedAt: deps.clock.now() })
    await recordEvent(deps, by, { event: 'email_verified', outcome: 'success', accountId: account.id })
    const link = await issueLink(deps, account.id, 'continue', deps.config.limits.continueLinkTtlHours)
    const message = messages(account.language).mail.continue({ name: account.name, portal: deps.config.portalName, ...contactWords((await practiceOf(deps, account))), address: new URL('/inloggen', deps.config.publicUrl).href, link: link.url, validUntil: formatDateTime(link.expiresAt, account.language) })
    await queueMail(deps, { accountId: account.id, kind: 'continue', to: account.email, from: deps.config.senders.system, ...message })
    return account
  })
  deps.notify()
  return account
}

/** The second mail's Volgende: the browser that posts it continues the onboarding of this account. */
export async function useContinueLink(deps: Deps, by: Actor, token: string): Promise<Account | null> {
  return await deps.db.transaction(async () => {
    const account = await consumeLink(deps, 'continue', token)
    await recordEvent(deps, by, {
      event: account ? 'link_opened' : 'link_rejected',
      outcome: account ? 'success' : 'failure',
      accountId: account?.id ?? null,
      detail: { purpose: 'continue' },
    })
    return account
  })
}

/** When the current invitation expires, for the practice's overview. */
export async function invitationExpiry(deps: Deps, accountId: number): Promise<Date | null> {
  const row = await deps.db
    .select({ expiresAt: links.expiresAt })
    .from(links)
    .where(and(eq(links.accountId, accountId), eq(links.purpose, 'invite'), isNull(links.usedAt)))
    .then(first)
  return row?.expiresAt ?? null
}
