// Stap 4: Selecteer MFA methode. The app is checked by default; e-mail can be switched off by the
// practice, and staff always use the app. With one option there is nothing to choose: the step does
// not apply, and Stap 5 starts the app's enrollment itself.
import { chooseMethod as choose } from '../../domain/onboarding.ts'
import { error, text } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { prove } from '../../web/session.ts'
import type { Progress } from '../progress.ts'

export const chooseMethod = defineStep<Progress>({
  name: 'choose-method',
  path: '/account/methode',
  template: 'onboarding/choose-method',
  applies: (p) => p.methodChoice,
  done: ({ account }) => account.mfaEnrolledAt !== null || account.totpPendingSecretEnc !== null,
  view: () => ({ title: text.accountVerification, emailAllowed: true }),
  submit({ req, deps, facts, by }) {
    const { methode } = readForm(req, ['methode'])
    if (methode !== 'app' && methode !== 'email') return { kind: 'stay', errors: { methode: error.methodRequired } }
    choose(deps, by, facts.account, methode)
    // E-mail counts at once: the address was proven in this flow (link or temporary password) or is the
    // verified one. The app counts only after its code (enroll-app).
    if (methode === 'email') prove(req, 'mfa')
    return { kind: 'advance' }
  },
})
