// The facts onboarding records on the account, one function per fact. The flow derives the due
// step from these facts; nothing here knows about pages.
import { messages } from '../messages.ts'
import { getAccount, updateAccount, type Account } from './accounts.ts'
import { recordEvent } from './audit.ts'
import { checkCode, type CheckResult } from './codes.ts'
import { factorRefusal, type FactorCooling } from './cooling-off.ts'
import type { Actor, Deps } from './deps.ts'
import { queueMail } from './delivery.ts'
import { contactWords, practiceOf } from './practices.ts'
import { checkNewPassword, hashPassword, type PasswordContext } from './passwords.ts'
import { Unopenable } from './secrets.ts'
import { checkTotp, newTotpSecret, openSecret, sealSecret } from './totp.ts'
import type { ErrorKey } from '../messages.ts'

export async function passwordContext(deps: Deps, account: Account): Promise<PasswordContext> {
  return { username: account.username, name: account.name, email: account.email, practiceName: (await practiceOf(deps, account)).name, portalName: deps.config.portalName }
}

/** Stap 2: the SMS code proves the phone. */
export async function confirmPhone(deps: Deps, by: Actor, account: Account, nonce: string, typed: string): Promise<CheckResult> {
  const result = await checkCode(deps, by, account.id, 'phone', nonce, typed)
  if (result === 'ok') {
    await updateAccount(deps, account.id, { phoneVerifiedAt: deps.clock.now() })
    await recordEvent(deps, by, { event: 'phone_verified', outcome: 'success', accountId: account.id })
  }
  return result
}

export type PasswordResult = { ok: true } | { ok: false; field: 'newPassword' | 'confirmPassword'; key: ErrorKey; count?: number }

/** Stap 3: checks the policy, then hashes. Refusals are audited with their reason, never the password. */
export async function setNewPassword(deps: Deps, by: Actor, account: Account, password: string, confirmation: string): Promise<PasswordResult> {
  const refused = checkNewPassword(password, (await passwordContext(deps, account)))
  if (refused) {
    await recordEvent(deps, by, { event: 'password_rejected', outcome: 'failure', accountId: account.id, detail: { reason: refused.key } })
    return { ok: false, field: 'newPassword', ...refused }
  }
  if (password.normalize('NFKC') !== confirmation.normalize('NFKC')) return { ok: false, field: 'confirmPassword', key: 'passwordMismatch' }
  const passwordHash = await hashPassword(password, deps.config.limits)
  await updateAccount(deps, account.id, { passwordHash, passwordSetAt: deps.clock.now() })
  await recordEvent(deps, by, { event: 'password_set', outcome: 'success', accountId: account.id })
  return { ok: true }
}

async function notifyEnrolled(deps: Deps, account: Account, method: 'app' | 'email'): Promise<void> {
  const { mail, words } = messages(account.language)
  const message = mail.mfaEnrolled({ name: account.name, portal: deps.config.portalName, ...contactWords((await practiceOf(deps, account))), method: method === 'app' ? words.mailMethodApp : words.mailMethodEmail })
  await queueMail(deps, { accountId: account.id, kind: 'mfa-enrolled', to: account.email, from: deps.config.senders.system, ...message })
}

/**
 * Stap 4. E-mail counts at once (the address was verified in Stap 1); the app only after a correct code.
 * Shortly after the practice reset the factor, neither starts (domain/cooling-off.ts).
 */
export async function chooseMethod(deps: Deps, by: Actor, account: Account, method: 'app' | 'email'): Promise<'ok' | FactorCooling> {
  const refused = await deps.db.transaction(async () => {
    const wait = await factorRefusal(deps, by, account, 'start')
    if (wait) return wait
    if (method === 'email') {
      await updateAccount(deps, account.id, { mfaMethod: 'email', mfaEnrolledAt: deps.clock.now(), totpPendingSecretEnc: null })
      await recordEvent(deps, by, { event: 'mfa_enrolled', outcome: 'success', accountId: account.id, detail: { method } })
      await notifyEnrolled(deps, account, 'email')
    } else {
      await updateAccount(deps, account.id, { totpPendingSecretEnc: sealSecret(deps.keys.totp, newTotpSecret()) })
      await recordEvent(deps, by, { event: 'mfa_chosen', outcome: 'info', accountId: account.id, detail: { method } })
    }
    return null
  })
  if (refused) return refused
  deps.notify()
  return 'ok'
}

/**
 * The secret waiting for its first code, or null. One sealed under a key no longer configured is as
 * good as none: nothing was enrolled with it yet, so the step starts a new one (a new QR code).
 */
export function pendingTotpSecret(deps: Deps, account: Account): string | null {
  if (!account.totpPendingSecretEnc) return null
  try {
    return openSecret(deps.keys, account.totpPendingSecretEnc)
  } catch (err) {
    if (err instanceof Unopenable) return null
    throw err
  }
}

/**
 * Stap 5: a correct code from the app makes the pending secret the active one, in one update. During the
 * cooling-off after a practice reset nothing is confirmed, whatever the code (checked before and again
 * in the update's transaction: a reset may come while the code is checked).
 */
export async function confirmAppEnrollment(deps: Deps, by: Actor, account: Account, typed: string): Promise<'ok' | 'wrong' | FactorCooling> {
  const early = await factorRefusal(deps, by, account, 'confirm')
  if (early) return early
  const secret = pendingTotpSecret(deps, account)
  if (!secret) return 'wrong'
  const step = await checkTotp(secret, typed, deps.clock.now(), null)
  if (step === null) {
    await recordEvent(deps, by, { event: 'mfa_failed', outcome: 'failure', accountId: account.id, detail: { method: 'app', stage: 'enroll' } })
    return 'wrong'
  }
  const enrolled = await deps.db.transaction(async (): Promise<'ok' | 'wrong' | FactorCooling> => {
    const wait = await factorRefusal(deps, by, account, 'confirm')
    if (wait) return wait
    const current = await getAccount(deps, account.id)
    // The pending secret may have been replaced in another tab since the code was checked.
    if (current?.totpPendingSecretEnc !== account.totpPendingSecretEnc) return 'wrong'
    await updateAccount(deps, account.id, {
      mfaMethod: 'app',
      totpSecretEnc: account.totpPendingSecretEnc,
      totpPendingSecretEnc: null,
      totpLastStep: step,
      mfaEnrolledAt: deps.clock.now(),
    })
    await recordEvent(deps, by, { event: 'mfa_enrolled', outcome: 'success', accountId: account.id, detail: { method: 'app' } })
    await notifyEnrolled(deps, account, 'app')
    return 'ok'
  })
  if (enrolled === 'ok') deps.notify()
  return enrolled
}

/** "Andere methode kiezen": drops the pending secret so the method page is due again. */
export async function abandonAppEnrollment(deps: Deps, account: Account): Promise<void> {
  if (account.mfaEnrolledAt === null) await updateAccount(deps, account.id, { totpPendingSecretEnc: null })
}
