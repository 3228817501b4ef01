// Stap 4: Selecteer MFA methode. The app is checked by default; e-mail can be switched off by the practice.
import type { Account } from '../../domain/accounts.ts'
import { chooseMethod as choose } from '../../domain/onboarding.ts'
import { error, text } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'

export const chooseMethod = defineStep<Account>({
  name: 'choose-method',
  path: '/aanmelden/methode',
  template: 'onboarding/choose-method',
  done: (account) => account.mfaEnrolledAt !== null || account.totpPendingSecretEnc !== null,
  view: ({ deps }) => ({ title: text.accountVerification, emailAllowed: deps.config.emailMfaEnabled }),
  submit({ req, deps, facts, by }) {
    const { methode } = readForm(req, ['methode'])
    if (methode !== 'app' && methode !== 'email') return { kind: 'stay', errors: { methode: error.methodRequired } }
    if (methode === 'email' && !deps.config.emailMfaEnabled) return { kind: 'stay', errors: { methode: error.methodUnavailable } }
    choose(deps, by, facts, methode)
    return { kind: 'advance' }
  },
})
