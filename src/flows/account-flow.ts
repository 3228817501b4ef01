// The one step list that every way in walks: the second mail's link (onboarding), a correct password
// (sign-in) and the forgot-password path (reset). Which steps apply follows from how this browser
// came in and from the account's facts; the runner answers any other step with the due one.
import type { FastifyRequest } from 'fastify'
import type { Account } from '../domain/accounts.ts'
import type { Deps } from '../domain/deps.ts'
import { emailFactorAllowed } from '../domain/security.ts'
import { signInCompleted } from '../domain/throttle.ts'
import { issueDeviceCookie } from '../web/device-cookie.ts'
import { sessionAccount } from '../web/session.ts'
import type { Flow } from '../web/flow.ts'
import { chooseMethod } from './onboarding/choose-method.ts'
import { enrollApp } from './onboarding/enroll-app.ts'
import { setPassword } from './onboarding/set-password.ts'
import { verifyEmail } from './onboarding/verify-email.ts'
import { verifyPhone } from './onboarding/verify-phone.ts'
import type { Progress } from './progress.ts'
import { guesserOf } from './shared/attempts.ts'
import { completeSignIn } from './shared/complete-sign-in.ts'
import { appCode } from './sign-in/app-code.ts'
import { emailCode } from './sign-in/email-code.ts'
import { resetPassword } from './sign-in/reset-password.ts'
import { recoveryUsedPath } from './security/recovery-codes.ts'
import { adoptLanguage } from '../web/language.ts'

/**
 * The stand-in account of a decoy walk. It is never stored. On the forgot path only the phone step sees
 * it; in a hidden-mode sign-in (decision 0011) only the second-factor step of `method`.
 */
function decoyAccount(digits: string, method: 'app' | 'email' | null = null): Account {
  const since = method ? new Date(0) : null
  return {
    id: 0, username: '', name: '', email: '', phone: `+3160000${digits}`, role: 'patient', createdAt: new Date(0),
    emailVerifiedAt: since, phoneVerifiedAt: since, passwordHash: null, passwordSetAt: since, mfaMethod: method, mfaEnrolledAt: since,
    totpSecretEnc: null, totpPendingSecretEnc: null, totpLastStep: null, lastSignInAt: null, deactivatedAt: null, erasedAt: null,
    staffContactChangedAt: null, staffMfaResetAt: null, language: 'nl', practiceId: 0,
  }
}

export const accountFlow: Flow<Progress> = {
  name: 'account',
  outside: '/inloggen',
  entry: '/account',
  async load(req: FastifyRequest, deps: Deps): Promise<Progress | null> {
    const flow = req.session.flow
    if (!flow) return null
    const { kind, since, proven } = flow
    const hidden = flow.hidden === true
    if (flow.accountId === null) return { kind, since, proven, hidden, decoy: true, methodChoice: deps.config.emailMfaEnabled, account: decoyAccount(flow.decoyDigits ?? '0000', kind === 'sign-in' ? (flow.decoyMethod ?? 'app') : null) }
    const account = await sessionAccount(req, deps, flow.accountId)
    if (!account || account.deactivatedAt !== null) return null
    return { kind, since, proven, hidden, decoy: false, methodChoice: emailFactorAllowed(deps, account), account }
  },
  steps: [verifyEmail, verifyPhone, setPassword, resetPassword, chooseMethod, enrollApp, appCode, emailCode],
  async finish({ req, reply, deps, facts, by }) {
    // Counters are cleared only now, with password and second factor both proven (decision 0011), and
    // this browser keeps a device cookie for the account.
    const hidden = req.session.flow?.hidden === true
    await signInCompleted(deps, facts.account, guesserOf(req, deps, facts.account.username), hidden)
    await issueDeviceCookie(req, reply, deps, facts.account.username)
    // Signed in: the pages follow the account's language, or the account takes the one chosen here.
    await adoptLanguage(req, reply, deps, facts.account, true)
    // A recovery code signs in too, and then asks for a new app before going on (issue 23.5).
    const recovery = facts.proven.includes('recovery')
    const next = await completeSignIn(req, deps, by, facts.account, facts.kind, recovery ? 'recovery' : facts.account.mfaMethod)
    if (!recovery) return next
    req.session.afterRecovery = next
    return recoveryUsedPath
  },
}
