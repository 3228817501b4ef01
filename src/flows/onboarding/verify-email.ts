// A changed e-mail address, proven at the next sign-in: when the practice changed the address after
// the onboarding, 'Stuur verificatiecode' mails a code to the new address and 'Verifieer code'
// proves it. Codes are bound to this browser's flow and counted like passwords.
import { cleanCode, hasActiveCode, sendCode } from '../../domain/codes.ts'
import { confirmChangedEmail } from '../../domain/patients.ts'
import { error, fill, text } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { flowNonce } from '../../web/session.ts'
import type { Progress } from '../progress.ts'
import { guessRight, throttled } from '../shared/attempts.ts'
import { codeError, sendError } from '../shared/code-messages.ts'

/** j***@example.org: enough to recognise the address, not enough to learn it from a stolen password. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  return at < 1 ? '***' : `${email[0]}***${email.slice(at)}`
}

export const verifyEmail = defineStep<Progress>({
  name: 'verify-email',
  path: '/account/e-mail',
  template: 'shared/code',
  applies: (p) => p.kind === 'sign-in' && !p.decoy,
  done: (p) => p.account.emailVerifiedAt !== null,
  view({ req, deps, facts }) {
    const sent = hasActiveCode(deps, facts.account.id, 'email-verify', flowNonce(req))
    const email = maskEmail(facts.account.email)
    return {
      title: text.confirmEmailTitle,
      intro: fill(sent ? text.verifyEmailSent : text.verifyEmailIntro, { email }),
      sent,
      codeHint: fill(text.codeHint, { minutes: deps.config.limits.codeTtlMinutes }),
    }
  },
  submit({ req, deps, facts, by }) {
    const form = readForm(req, ['actie', 'code'])
    const nonce = flowNonce(req)
    if (form.actie === 'verstuur' || form.actie === 'opnieuw') {
      const sent = sendCode(deps, by, facts.account, 'email-verify', nonce)
      return sent.status === 'sent' ? { kind: 'advance' } : { kind: 'stay', errors: { code: sendError(sent) } }
    }
    if (cleanCode(form.code) === null) return { kind: 'stay', errors: { code: error.codeFormat } }
    const username = facts.account.username
    const wait = throttled(deps, req, by, username)
    if (wait) return { kind: 'stay', errors: { code: wait } }
    const result = confirmChangedEmail(deps, by, facts.account, nonce, form.code)
    if (result !== 'ok') {
      return { kind: 'stay', errors: { code: codeError(result) } }
    }
    guessRight(deps, req, username)
    return { kind: 'advance' }
  },
})
