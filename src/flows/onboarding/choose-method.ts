// Stap 4: Selecteer MFA methode. The app is checked by default; e-mail can be switched off by the
// practice, and staff always use the app. With one option there is nothing to choose: the step does
// not apply, and Stap 5 starts the app's enrollment itself.
import { chooseMethod as choose } from '../../domain/onboarding.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { prove } from '../../web/session.ts'
import { factorCoolingUntil, isCooling } from '../../domain/cooling-off.ts'
import { mailboxProven, type Progress } from '../progress.ts'
import { coolingOffMessage, coolingOffPage } from '../shared/cooling-off.ts'
import { t } from '../../web/language.ts'

/** E-mail codes are offered when the practice allows them, and to patients only (staff use the app). */
const emailAllowed = (enabled: boolean, p: Progress) => enabled && p.account.role === 'patient'

export const chooseMethod = defineStep<Progress>({
  name: 'choose-method',
  path: '/account/methode',
  template: 'onboarding/choose-method',
  applies: (p) => p.methodChoice,
  done: ({ account }) => account.mfaEnrolledAt !== null || account.totpPendingSecretEnc !== null,
  view: async ({ req, deps, facts }) => {
    // Shortly after the practice reset the factor, the page says until when instead of offering a choice.
    const wait = factorCoolingUntil(deps, facts.account)
    return {
      title: t(req).text.accountVerification,
      emailAllowed: emailAllowed(deps.config.emailMfaEnabled, facts),
      coolingOff: wait ? (await coolingOffMessage(req, deps, 'factor', wait)) : null,
    }
  },
  async submit({ req, deps, facts, by }) {
    const { methode } = readForm(req, ['methode'])
    if (methode !== 'app' && methode !== 'email') return { kind: 'stay', errors: { methode: t(req).error.methodRequired } }
    // The domain refuses during the cooling-off after a practice reset (domain/cooling-off.ts).
    const chosen = await choose(deps, by, facts.account, methode)
    if (isCooling(chosen)) return await coolingOffPage(req, deps, 'factor', chosen.until)
    // E-mail counts at once only when this flow proved the mailbox (the link, the temporary password, or
    // a code to a changed address). A sign-in after a practice reset proved password and SMS only: the
    // e-mail code step follows. The app counts only after its code (enroll-app).
    if (methode === 'email' && mailboxProven(facts)) prove(req, 'mfa')
    return { kind: 'advance' }
  },
})
