// Stap 2: Accountverificatie. The masked number, 'Stuur verificatiecode', then the code field with
// 'Verifieer code' and 'Stuur een nieuwe code'. The code is bound to this browser's flow.
import { maskPhone, type Account } from '../../domain/accounts.ts'
import { hasActiveCode, sendCode } from '../../domain/codes.ts'
import { confirmPhone } from '../../domain/onboarding.ts'
import { error, fill, text } from '../../messages.ts'
import { defineStep, type StepContext } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { flowNonce } from '../../web/session.ts'
import { codeError, sendError } from '../shared/code-messages.ts'

function view({ req, deps, facts }: StepContext<Account>) {
  const sent = hasActiveCode(deps, facts.id, 'phone', flowNonce(req))
  return {
    title: text.accountVerification,
    maskedPhone: maskPhone(facts.phone),
    sent,
    intro: sent ? text.phoneCodeSent : text.phoneIntro,
    codeHint: fill(text.codeHint, { minutes: deps.config.limits.codeTtlMinutes }),
  }
}

export const verifyPhone = defineStep<Account>({
  name: 'verify-phone',
  path: '/aanmelden/telefoon',
  template: 'onboarding/verify-phone',
  done: (account) => account.phoneVerifiedAt !== null,
  view,
  submit({ req, deps, facts, by }) {
    const form = readForm(req, ['actie', 'code'])
    const nonce = flowNonce(req)
    if (form.actie === 'verstuur' || form.actie === 'opnieuw') {
      const sent = sendCode(deps, by, facts, 'phone', nonce)
      if (sent.status !== 'sent') return { kind: 'stay', errors: { code: sendError(sent) } }
      return { kind: 'advance' }
    }
    if (form.code.trim() === '') return { kind: 'stay', errors: { code: error.codeFormat } }
    const result = confirmPhone(deps, by, facts, nonce, form.code)
    if (result === 'ok') return { kind: 'advance' }
    return { kind: 'stay', errors: { code: codeError(result) } }
  },
})
