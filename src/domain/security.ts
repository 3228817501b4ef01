// What a signed-in patient changes on the security page: the password, the second factor (re-enroll
// the app, or switch app <-> e-mail), and what they may read: their recent sign-in attempts.
// A new factor only counts after a code from it; until then the old one stays active.
import { and, desc, eq, inArray, isNull } from 'drizzle-orm'
import { jsonField } from '../db/dialect.ts'
import { auditLog } from '../db/tables.ts'
import { fill, messages, type Lang } from '../messages.ts'
import { getAccount, updateAccount, type Account } from './accounts.ts'
import { recordEvent } from './audit.ts'
import { checkCode, sendCode, type CheckResult, type SendResult } from './codes.ts'
import { factorRefusal, type FactorCooling } from './cooling-off.ts'
import { deleteRecoveryCodes } from './recovery-codes.ts'
import type { Actor, Deps } from './deps.ts'
import { queueMail } from './delivery.ts'
import { contactWords, practiceOf } from './practices.ts'
import { passwordContext, pendingTotpSecret, type PasswordResult } from './onboarding.ts'
import { checkNewPassword, hashPassword, normalizePassword } from './passwords.ts'
import { checkTotp, newTotpSecret, sealSecret } from './totp.ts'

/** Staff always use the app: e-mail codes are the weaker factor. The practice can switch e-mail off. */
export function emailFactorAllowed(deps: Deps, account: Account): boolean {
  return deps.config.emailMfaEnabled && account.role === 'patient'
}

/** The current password was verified by the caller; this checks the new one and stores it. */
export async function changePassword(deps: Deps, by: Actor, account: Account, current: string, next: string, confirmation: string): Promise<PasswordResult> {
  if (normalizePassword(next) === normalizePassword(current)) return { ok: false, field: 'newPassword', key: 'passwordSameAsCurrent' }
  const refused = checkNewPassword(next, (await passwordContext(deps, account)))
  if (refused) {
    await recordEvent(deps, by, { event: 'password_rejected', outcome: 'failure', accountId: account.id, detail: { reason: refused.key, via: 'change' } })
    return { ok: false, field: 'newPassword', ...refused }
  }
  if (normalizePassword(next) !== normalizePassword(confirmation)) return { ok: false, field: 'confirmPassword', key: 'passwordMismatch' }
  const passwordHash = await hashPassword(next, deps.config.limits)
  await deps.db.transaction(async () => {
    await updateAccount(deps, account.id, { passwordHash, passwordSetAt: deps.clock.now() })
    await recordEvent(deps, by, { event: 'password_changed', outcome: 'success', accountId: account.id })
    const message = messages(account.language).mail.passwordChanged({ name: account.name, portal: deps.config.portalName, ...contactWords((await practiceOf(deps, account))) })
    await queueMail(deps, { accountId: account.id, kind: 'password-changed', to: account.email, from: deps.config.senders.system, ...message })
  })
  deps.notify()
  return { ok: true }
}

/**
 * A new secret for the app, pending: sign-in keeps using the active one until a code confirms this.
 * Not during the cooling-off after a practice reset (domain/cooling-off.ts).
 */
export async function startAppChange(deps: Deps, by: Actor, account: Account): Promise<'ok' | FactorCooling> {
  return await deps.db.transaction(async () => {
    const wait = await factorRefusal(deps, by, account, 'start')
    if (wait) return wait
    await updateAccount(deps, account.id, { totpPendingSecretEnc: sealSecret(deps.keys.totp, newTotpSecret()) })
    await recordEvent(deps, by, { event: 'mfa_chosen', outcome: 'info', accountId: account.id, detail: { method: 'app', via: 'security' } })
    return 'ok'
  })
}

/** The code to the patient's address that would make e-mail the factor; not during the cooling-off. */
export async function startEmailChange(deps: Deps, by: Actor, account: Account, nonce: string): Promise<SendResult | FactorCooling> {
  return (await factorRefusal(deps, by, account, 'start')) ?? (await sendCode(deps, by, account, 'email-mfa', nonce))
}

export async function cancelAppChange(deps: Deps, account: Account): Promise<void> {
  await updateAccount(deps, account.id, { totpPendingSecretEnc: null })
}

export type ConfirmResult = 'ok' | 'wrong' | 'gone' | FactorCooling

async function notifyChanged(deps: Deps, account: Account, method: 'app' | 'email'): Promise<void> {
  const { mail, words } = messages(account.language)
  // A new app in place of the old one: the mail says to remove the old entry from the app (issue 23.6).
  const message = method === 'app' && account.mfaMethod === 'app' ? mail.mfaAppReplaced({ name: account.name, portal: deps.config.portalName, ...contactWords((await practiceOf(deps, account))), username: account.username }) : mail.mfaChanged({
    name: account.name,
    portal: deps.config.portalName,
    ...contactWords((await practiceOf(deps, account))),
    method: method === 'app' ? words.mailMethodAppCode : words.mailMethodEmail,
  })
  await queueMail(deps, { accountId: account.id, kind: 'mfa-changed', to: account.email, from: deps.config.senders.system, ...message })
}

/*
 * mfaEnrolledAt keeps the time of the first enrollment: a change replaces the factor, it does not
 * enroll one. (A sign-in waiting at the second step must pass whichever factor is active when it
 * submits; see flows/sign-in/app-code.ts.)
 */

/** A correct code from the app makes the pending secret the active one, in one update; not during the cooling-off. */
export async function confirmAppChange(deps: Deps, by: Actor, account: Account, typed: string): Promise<ConfirmResult> {
  const early = await factorRefusal(deps, by, account, 'confirm')
  if (early) return early
  const secret = pendingTotpSecret(deps, account)
  if (!secret) return 'gone'
  const step = await checkTotp(secret, typed, deps.clock.now(), null)
  if (step === null) {
    // 'stage' keeps this out of the sign-in list: it is not a sign-in attempt.
    await recordEvent(deps, by, { event: 'mfa_failed', outcome: 'failure', accountId: account.id, detail: { method: 'app', stage: 'change' } })
    return 'wrong'
  }
  const changed = await deps.db.transaction(async (): Promise<ConfirmResult> => {
    const wait = await factorRefusal(deps, by, account, 'confirm')
    if (wait) return wait
    const current = await getAccount(deps, account.id)
    // The pending secret may have been replaced in another tab since the code was checked.
    if (!current || current.totpPendingSecretEnc !== account.totpPendingSecretEnc) return 'gone'
    await updateAccount(deps, account.id, { mfaMethod: 'app', totpSecretEnc: current.totpPendingSecretEnc, totpPendingSecretEnc: null, totpLastStep: step })
    await recordEvent(deps, by, { event: 'mfa_changed', outcome: 'success', accountId: account.id, detail: { from: current.mfaMethod, to: 'app' } })
    await notifyChanged(deps, current, 'app')
    return 'ok'
  })
  if (changed === 'ok') deps.notify()
  return changed
}

/** The e-mail code (purpose 'email-mfa', bound to this browser) switches the factor to e-mail; not during the cooling-off. */
export async function confirmEmailChange(deps: Deps, by: Actor, account: Account, nonce: string, typed: string): Promise<CheckResult | FactorCooling> {
  const wait = await factorRefusal(deps, by, account, 'confirm')
  if (wait) return wait
  const result = await checkCode(deps, by, account.id, 'email-mfa', nonce, typed)
  if (result !== 'ok') return result
  await deps.db.transaction(async () => {
    // The app's secret is no longer a factor: it is removed, not kept around, and so are the recovery
    // codes that stood in for it (they apply to the app only, docs/decisions/0016).
    await updateAccount(deps, account.id, { mfaMethod: 'email', totpSecretEnc: null, totpPendingSecretEnc: null, totpLastStep: null })
    await deleteRecoveryCodes(deps, account.id)
    await recordEvent(deps, by, { event: 'mfa_changed', outcome: 'success', accountId: account.id, detail: { from: account.mfaMethod, to: 'email' } })
    await notifyChanged(deps, account, 'email')
  })
  deps.notify()
  return 'ok'
}

export interface SignInAttempt {
  at: Date
  browser: string
  outcome: 'ok' | 'password' | 'code'
}

/** The last sign-in attempts of an account, newest first: time, a readable browser, the outcome. Nothing secret. */
export async function recentSignIns(deps: Deps, accountId: number, lang: Lang, limit = 10): Promise<SignInAttempt[]> {
  const rows = await deps.db
    .select({ at: auditLog.at, event: auditLog.event, userAgent: auditLog.userAgent })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.accountId, accountId),
        inArray(auditLog.event, ['sign_in', 'sign_in_failed', 'mfa_failed']),
        // A wrong code while enrolling or changing a factor is not a sign-in attempt.
        isNull(jsonField(deps.db, auditLog.detail, 'stage')),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit)
  return rows.map((row) => ({
    at: row.at,
    browser: describeBrowser(row.userAgent, lang),
    outcome: row.event === 'sign_in' ? 'ok' : row.event === 'sign_in_failed' ? 'password' : 'code',
  }))
}

// Order matters: Edge and Opera also say Chrome and Safari, Chrome also says Safari, Android says Linux,
// an iPhone says "like Mac OS X".
const browsers: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChrom(e|ium)\/|\bCriOS\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
  [/^w3m\//i, 'w3m'],
  [/^Lynx\//i, 'Lynx'],
  [/^curl\//i, 'curl'],
]
const systems: [RegExp, string][] = [
  [/\bWindows\b/, 'Windows'],
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
]

/** "Firefox op Windows" from a user agent; no library, no version numbers, nothing identifying. */
export function describeBrowser(userAgent: string | null | undefined, lang: Lang): string {
  const { text } = messages(lang)
  const ua = userAgent ?? ''
  const browser = browsers.find(([pattern]) => pattern.test(ua))?.[1]
  const system = systems.find(([pattern]) => pattern.test(ua))?.[1]
  if (!browser) return text.browserUnknown
  return system ? fill(text.browserOn, { browser, system }) : browser
}
