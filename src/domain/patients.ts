// What the practice sees of an account and does for it. The status is derived from the account's
// facts, never stored; every action is audited with the staff member (or 'cli') as actor, and the
// same functions serve the pages under /praktijk and the operator's CLI.
import { and, asc, count, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import { accounts, codes, links, outbox } from '../db/tables.ts'
import { formatDateTime, formatShortDateTime, messages, type ErrorKey } from '../messages.ts'
import { endAccountSessions } from './sessions.ts'
import { createAccount, erasedUsername, getAccount, getAccountIn, isOnboarded, updateAccount, validateNewAccount, type Account, type NewAccount } from './accounts.ts'
import { recordEvent } from './audit.ts'
import { deleteRecoveryCodes } from './recovery-codes.ts'
import { checkCode, type CheckResult } from './codes.ts'
import { contactCoolingUntil, coolingEndsFrom, factorCoolingUntil } from './cooling-off.ts'
import type { Actor, Deps } from './deps.ts'
import { queueMail, queueSms } from './delivery.ts'
import { invitationExpiry, sendInvitation } from './invitations.ts'
import { contactWords, practiceOf } from './practices.ts'
import { gsmSafe } from './sms-text.ts'
import { isSelf, lastAdmin } from './staff.ts'
import { clearFactorCounters, isPasswordLocked, isSecondStepLocked, unlock } from './throttle.ts'
import { first } from '../db/index.ts'

export type Status = 'invited' | 'email-verified' | 'phone-verified' | 'password-set' | 'active' | 'locked' | 'deactivated' | 'erased'

/** What an active account still has to prove again after a change by the practice. */
export type Pending = 'email' | 'phone' | 'mfa'

/** What is locked: signing in with the password (untrusted clients), the second step, or both. */
export interface Locks {
  password: boolean
  secondStep: boolean
}

export interface Summary {
  account: Account
  status: Status
  locked: boolean
  locks: Locks
  /** The open invitation's expiry (possibly past), or null when there is none. */
  invitationExpiresAt: Date | null
  invitationExpired: boolean
  pending: Pending[]
  /** Issue 23 #2: until when a new second factor waits after a practice reset (domain/cooling-off.ts). */
  factorWaitUntil: Date | null
  /** Until when the forgot-password path waits after a contact change by staff. */
  contactWaitUntil: Date | null
  /** From when a change by staff made now could be used (for the confirmation pages); null: at once. */
  waitIfChangedNow: Date | null
}

/** Has this account ever been through the whole onboarding? A later change by the practice does not undo that. */
export function finishedOnboarding(account: Account): boolean {
  return isOnboarded(account) || account.lastSignInAt !== null
}

/** The status ladder: the furthest onboarding fact, unless the account is locked, deactivated or erased. */
export function statusOf(account: Account, locked: boolean): Status {
  if (account.erasedAt !== null) return 'erased'
  if (account.deactivatedAt !== null) return 'deactivated'
  if (locked) return 'locked'
  if (finishedOnboarding(account)) return 'active'
  if (account.passwordSetAt !== null) return 'password-set'
  if (account.phoneVerifiedAt !== null) return 'phone-verified'
  if (account.emailVerifiedAt !== null) return 'email-verified'
  return 'invited'
}

async function locksOf(deps: Deps, account: Account): Promise<Locks> {
  if (account.erasedAt !== null) return { password: false, secondStep: false }
  return { password: (await isPasswordLocked(deps, account.username)), secondStep: (await isSecondStepLocked(deps, account.id)) }
}

export async function summarize(deps: Deps, account: Account): Promise<Summary> {
  const locks = await locksOf(deps, account)
  const locked = locks.password || locks.secondStep
  const invitationExpiresAt = account.erasedAt === null ? (await invitationExpiry(deps, account.id)) : null
  const pending: Pending[] = []
  if (finishedOnboarding(account) && account.erasedAt === null) {
    if (account.emailVerifiedAt === null) pending.push('email')
    if (account.phoneVerifiedAt === null) pending.push('phone')
    if (account.mfaEnrolledAt === null) pending.push('mfa')
  }
  const live = account.erasedAt === null
  return {
    account,
    status: statusOf(account, locked),
    locked,
    locks,
    invitationExpiresAt,
    invitationExpired: invitationExpiresAt !== null && invitationExpiresAt.getTime() <= deps.clock.now().getTime(),
    pending,
    factorWaitUntil: live ? factorCoolingUntil(deps, account) : null,
    contactWaitUntil: live ? contactCoolingUntil(deps, account) : null,
    waitIfChangedNow: live ? coolingEndsFrom(deps, finishedOnboarding(account)) : null,
  }
}

export type Scope = 'patients' | 'staff' | 'all'

export interface ListOptions {
  scope?: Scope
  /** Part of the name, username or e-mail address. */
  search?: string
  limit?: number
  offset?: number
}

function listWhere(practiceId: number, opts: ListOptions): SQL | undefined {
  const scope = opts.scope ?? 'patients'
  const term = (opts.search ?? '').normalize('NFKC').trim().toLowerCase().slice(0, 100)
  // LIKE with its wildcards escaped: a search for "a_b" finds "a_b", not "axb".
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const matches = (column: AnySQLiteColumn) => sql`lower(${column}) like ${pattern} escape '\\'`
  return and(
    // Issue 20: staff see, search and count only their own practice's accounts.
    eq(accounts.practiceId, practiceId),
    isNull(accounts.erasedAt),
    scope === 'patients' ? eq(accounts.role, 'patient') : scope === 'staff' ? inArray(accounts.role, ['behandelaar', 'beheerder']) : undefined,
    term === '' ? undefined : or(matches(accounts.name), matches(accounts.username), matches(accounts.email)),
  )
}

/** The practice's accounts by name, with their status; erased accounts are gone from every list. */
export async function listAccounts(deps: Deps, practiceId: number, opts: ListOptions = {}): Promise<{ rows: Summary[]; total: number }> {
  const where = listWhere(practiceId, opts)
  const total = (await deps.db.select({ n: count() }).from(accounts).where(where).then(first))?.n ?? 0
  const rows = await deps.db
    .select()
    .from(accounts)
    .where(where)
    .orderBy(sql`lower(${accounts.name})`, asc(accounts.id))
    .limit(opts.limit ?? 50)
    .offset(opts.offset ?? 0)
  return { rows: await Promise.all(rows.map((a) => summarize(deps, a))), total }
}

/** A refusal names its reason as a key of the error catalogue: the page or the CLI words it in its language. */
export type Refusal = { ok: false; error: ErrorKey }

export type ActionResult = { ok: true; account: Account } | Refusal

const refuse = (error: ErrorKey): Refusal => ({ ok: false, error })

/**
 * The account an action is for, in the practice the action is taken for (issue 20): another
 * practice's account is as unknown as one that does not exist. Erased accounts take no more actions.
 */
async function target(deps: Deps, practiceId: number, accountId: number): Promise<Account | Refusal> {
  const account = await getAccountIn(deps, practiceId, accountId)
  if (!account) return refuse('accountUnknown')
  if (account.erasedAt !== null) return refuse('accountErased')
  return account
}

async function notice(deps: Deps, account: Account, kind: string, to: string, message: { subject: string; text: string }): Promise<void> {
  await queueMail(deps, { accountId: account.id, kind, to, from: deps.config.senders.system, ...message })
}

async function smsNotice(deps: Deps, account: Account, kind: string, to: string, text: string): Promise<void> {
  await queueSms(deps, { accountId: account.id, kind, to, text })
}

const names = async (deps: Deps, account: Account) => ({ name: account.name, portal: deps.config.portalName, ...contactWords((await practiceOf(deps, account))) })

/** The practice as an SMS names it: in GSM-7, the contact bare, so the text stays one segment (domain/sms-text.ts). */
async function smsNames(deps: Deps, account: Account, until?: Date | null) {
  const practice = await practiceOf(deps, account)
  return { practice: gsmSafe(practice.name), contact: gsmSafe(practice.contact), ...(until ? { when: formatShortDateTime(until, account.language) } : {}) }
}

/** The end of a cooling-off as the account's mails and SMS say it (issue 23 #2); nothing when there is no wait. */
const waitFor = (account: Account, until: Date | null) => (until ? { when: formatDateTime(until, account.language) } : {})

/** Nieuwe cliënt: the account in the practice, and its invitation, in one go. */
export async function invitePatient(deps: Deps, by: Actor, practiceId: number, input: Omit<NewAccount, 'role'>) {
  const created = await createAccount(deps, by, practiceId, { ...input, role: 'patient' })
  if (!created.ok) return created
  const { expiresAt } = await sendInvitation(deps, by, created.account.id)
  return { ...created, expiresAt }
}

/** A new invitation voids the old link. Once the onboarding is finished, the forgot-password path is the way back in. */
export async function resendInvitation(deps: Deps, by: Actor, practiceId: number, accountId: number): Promise<ActionResult & { expiresAt?: Date }> {
  const account = await target(deps, practiceId, accountId)
  if ('ok' in account) return account
  if (account.deactivatedAt !== null) return refuse('accountDeactivated')
  if (finishedOnboarding(account)) return refuse('resendOnboarded')
  const { expiresAt } = await sendInvitation(deps, by, account.id)
  return { ok: true, account, expiresAt }
}

/** One field checked exactly as createAccount checks it (a number the portal will not text included). */
function validField(deps: Deps, field: 'email' | 'phone', raw: string): { value: string } | { error: ErrorKey } {
  const sample = { name: 'x', email: 'x@example.org', phone: '+31612345678', [field]: raw }
  const { value, errors } = validateNewAccount(sample, field === 'phone' ? deps.config.smsCountries : undefined)
  return value ? { value: value[field] } : { error: errors[field] ?? 'required' }
}

/**
 * Before the onboarding is finished, the new address gets a new invitation (the old links went to
 * the old address and are void). After it, the patient proves the new address with an e-mail code
 * at the next sign-in; both addresses are told.
 */
export async function changeEmail(deps: Deps, by: Actor, practiceId: number, accountId: number, raw: string): Promise<ActionResult> {
  const account = await target(deps, practiceId, accountId)
  if ('ok' in account) return account
  const checked = validField(deps, 'email', raw)
  if ('error' in checked) return refuse(checked.error)
  const email = checked.value
  if (email.toLowerCase() === account.email.toLowerCase()) return refuse('sameEmail')
  const now = deps.clock.now()
  const finished = finishedOnboarding(account)
  // The mails say from when the forgot-password path works again.
  const wait = waitFor(account, coolingEndsFrom(deps, finished, now))
  await deps.db.transaction(async () => {
    // After the onboarding, a change by staff starts the cooling-off (domain/cooling-off.ts).
    await updateAccount(deps, account.id, { email, emailVerifiedAt: null, ...(finished ? { staffContactChangedAt: now } : {}) })
    // Whatever was mailed to the old address stops working: links, temporary passwords, e-mail codes.
    await deps.db.update(links).set({ usedAt: now }).where(and(eq(links.accountId, account.id), isNull(links.usedAt)))
    await deps.db
      .update(codes)
      .set({ usedAt: now })
      .where(and(eq(codes.accountId, account.id), inArray(codes.purpose, ['email-mfa', 'email-verify']), isNull(codes.usedAt)))
    await recordEvent(deps, by, { event: 'email_changed', outcome: 'success', accountId: account.id, detail: { phase: finished ? 'active' : 'onboarding' } })
    // An onboarding in progress rests on the old mailbox: it starts again from the new invitation.
    if (!finished) await endAccountSessions(deps, by, account.id, 'email-change')
    if (finished) {
      await notice(deps, account, 'email-changed', account.email, messages(account.language).mail.emailChangedOld({ ...(await names(deps, account)), ...wait }))
      await notice(deps, account, 'email-changed', email, messages(account.language).mail.emailChangedNew({ ...(await names(deps, account)), ...wait }))
      // The number is the patient's too: a takeover needs both, so each change is told on the other.
      await smsNotice(deps, account, 'email-changed', account.phone, messages(account.language).sms.emailChanged((await smsNames(deps, account))))
    }
  })
  if (finished) deps.notify()
  else if (account.deactivatedAt === null) await sendInvitation(deps, by, account.id)
  return { ok: true, account: (await getAccount(deps, account.id))! }
}

/** The patient proves the new number by SMS at the next step or sign-in (verifyPhone is due again). */
export async function changePhone(deps: Deps, by: Actor, practiceId: number, accountId: number, raw: string): Promise<ActionResult> {
  const account = await target(deps, practiceId, accountId)
  if ('ok' in account) return account
  const checked = validField(deps, 'phone', raw)
  if ('error' in checked) return refuse(checked.error)
  const phone = checked.value
  if (phone === account.phone) return refuse('samePhone')
  const now = deps.clock.now()
  const finished = finishedOnboarding(account)
  const wait = waitFor(account, coolingEndsFrom(deps, finished, now))
  await deps.db.transaction(async () => {
    await updateAccount(deps, account.id, { phone, phoneVerifiedAt: null, ...(finished ? { staffContactChangedAt: now } : {}) })
    await deps.db.update(codes).set({ usedAt: now }).where(and(eq(codes.accountId, account.id), eq(codes.purpose, 'phone'), isNull(codes.usedAt)))
    await recordEvent(deps, by, { event: 'phone_changed', outcome: 'success', accountId: account.id })
    await notice(deps, account, 'phone-changed', account.email, messages(account.language).mail.phoneChanged({ ...(await names(deps, account)), last4: phone.slice(-4), ...wait }))
    // The old number first: if this is not the patient's wish, the phone they hold hears of it.
    if (finished) {
      await smsNotice(deps, account, 'phone-changed', account.phone, messages(account.language).sms.phoneChangedOld({ ...(await smsNames(deps, account)), last4: phone.slice(-4) }))
      await smsNotice(deps, account, 'phone-changed', phone, messages(account.language).sms.phoneChangedNew((await smsNames(deps, account))))
    }
  })
  deps.notify()
  return { ok: true, account: (await getAccount(deps, account.id))! }
}

/**
 * Tweede factor resetten: the app secret and the method are gone and the phone must be proven
 * again, so the next sign-in asks password, SMS code and a new enrollment. Open sessions end.
 */
export async function resetSecondFactor(deps: Deps, by: Actor, practiceId: number, accountId: number): Promise<ActionResult> {
  const account = await target(deps, practiceId, accountId)
  if ('ok' in account) return account
  if (isSelf(by, account)) return refuse('notYourself')
  if (account.mfaEnrolledAt === null && account.totpPendingSecretEnc === null) return refuse('noSecondFactor')
  const now = deps.clock.now()
  const finished = finishedOnboarding(account)
  // The mail and the SMS say from when a new factor can be set up, not "the next time you sign in".
  const wait = waitFor(account, coolingEndsFrom(deps, finished, now))
  await deps.db.transaction(async () => {
    await updateAccount(deps, account.id, {
      ...(finished ? { staffMfaResetAt: now } : {}),
      mfaMethod: null,
      mfaEnrolledAt: null,
      totpSecretEnc: null,
      totpPendingSecretEnc: null,
      totpLastStep: null,
      phoneVerifiedAt: null,
    })
    await deps.db.update(codes).set({ usedAt: now }).where(and(eq(codes.accountId, account.id), isNull(codes.usedAt)))
    // The recovery codes stood in for the app that is gone: a reset removes the whole second step.
    await deleteRecoveryCodes(deps, account.id)
    // A new factor starts with clean second-factor counters (decision 0011).
    await clearFactorCounters(deps, account.id)
    await endAccountSessions(deps, by, account.id, 'mfa-reset')
    await recordEvent(deps, by, { event: 'mfa_reset', outcome: 'success', accountId: account.id, detail: { method: account.mfaMethod } })
    await notice(deps, account, 'mfa-reset', account.email, messages(account.language).mail.mfaReset({ ...(await names(deps, account)), ...wait }))
    if (finished) await smsNotice(deps, account, 'mfa-reset', account.phone, messages(account.language).sms.mfaReset((await smsNames(deps, account, coolingEndsFrom(deps, finished, now)))))
  })
  deps.notify()
  return { ok: true, account: (await getAccount(deps, account.id))! }
}

/** Lifts the lock and any delay after failed attempts; says which locks there were (issue 23.9). */
export async function unlockAccount(deps: Deps, by: Actor, practiceId: number, accountId: number): Promise<ActionResult & { wasLocked?: boolean; was?: Locks }> {
  const account = await target(deps, practiceId, accountId)
  if ('ok' in account) return account
  const was = await locksOf(deps, account)
  const wasLocked = was.password || was.secondStep
  // Every counter of the username (at every client and device) and the second-factor locks.
  await unlock(deps, account.username, account.id)
  await recordEvent(deps, by, { event: 'account_unlocked', outcome: 'success', accountId: account.id, detail: { wasLocked } })
  return { ok: true, account, wasLocked, was }
}

/** Deactivating ends every session of the account at once; sign-in then fails like a wrong password. */
export async function deactivate(deps: Deps, by: Actor, practiceId: number, accountId: number): Promise<ActionResult & { sessionsEnded?: number }> {
  const account = await target(deps, practiceId, accountId)
  if ('ok' in account) return account
  if (isSelf(by, account)) return refuse('notYourself')
  if ((await lastAdmin(deps, account))) return refuse('lastAdmin')
  const sessionsEnded = await deps.db.transaction(async () => {
    if (account.deactivatedAt === null) await updateAccount(deps, account.id, { deactivatedAt: deps.clock.now() })
    // Every session and every app sign-in: a token from before stays dead after a later activation.
    const ended = await endAccountSessions(deps, by, account.id, 'deactivate')
    await recordEvent(deps, by, { event: 'account_deactivated', outcome: 'success', accountId: account.id, detail: { sessionsEnded: ended } })
    return ended
  })
  return { ok: true, account: (await getAccount(deps, account.id))!, sessionsEnded }
}

export async function activate(deps: Deps, by: Actor, practiceId: number, accountId: number): Promise<ActionResult> {
  const account = await target(deps, practiceId, accountId)
  if ('ok' in account) return account
  if (account.deactivatedAt !== null) {
    await updateAccount(deps, account.id, { deactivatedAt: null })
    await recordEvent(deps, by, { event: 'account_activated', outcome: 'success', accountId: account.id })
  }
  return { ok: true, account: (await getAccount(deps, account.id))! }
}

/**
 * Removal: the personal data is replaced, and the account's sessions, codes, links and messages are
 * deleted. The row stays, holding only its id, so the audit log keeps a pseudonymous record.
 */
export async function erase(deps: Deps, by: Actor, practiceId: number, accountId: number): Promise<ActionResult> {
  const account = await target(deps, practiceId, accountId)
  if ('ok' in account) return account
  if (isSelf(by, account)) return refuse('notYourself')
  if ((await lastAdmin(deps, account))) return refuse('lastAdmin')
  const now = deps.clock.now()
  await deps.db.transaction(async () => {
    await endAccountSessions(deps, by, account.id, 'erase')
    await deps.db.delete(codes).where(eq(codes.accountId, account.id))
    await deps.db.delete(links).where(eq(links.accountId, account.id))
    await deps.db.delete(outbox).where(eq(outbox.accountId, account.id))
    await deleteRecoveryCodes(deps, account.id)
    // The failure counters are keyed by the username and the account: they go too.
    await unlock(deps, account.username, account.id)
    await updateAccount(deps, account.id, {
      username: erasedUsername(account.id),
      name: 'Verwijderd',
      email: '',
      phone: '',
      emailVerifiedAt: null,
      phoneVerifiedAt: null,
      passwordHash: null,
      passwordSetAt: null,
      mfaMethod: null,
      mfaEnrolledAt: null,
      totpSecretEnc: null,
      totpPendingSecretEnc: null,
      totpLastStep: null,
      lastSignInAt: null,
      deactivatedAt: account.deactivatedAt ?? now,
      erasedAt: now,
    })
    await recordEvent(deps, by, { event: 'account_erased', outcome: 'success', accountId: account.id, detail: { role: account.role } })
  })
  return { ok: true, account: (await getAccount(deps, account.id))! }
}

/** The code that proves an e-mail address the practice changed after the onboarding. */
export async function confirmChangedEmail(deps: Deps, by: Actor, account: Account, nonce: string, typed: string): Promise<CheckResult> {
  const result = await checkCode(deps, by, account.id, 'email-verify', nonce, typed)
  if (result === 'ok') {
    await updateAccount(deps, account.id, { emailVerifiedAt: deps.clock.now() })
    await recordEvent(deps, by, { event: 'email_verified', outcome: 'success', accountId: account.id, detail: { via: 'code' } })
  }
  return result
}
