// Stap 6, the second factor by e-mail: 'Stuur verificatiecode', the code from the mail (MFA sender),
// 'Verifieer code'. Codes are bound to this browser's flow and counted like passwords.
import { checkCode, hasActiveCode, sendCode } from '../../domain/codes.ts'
import { countSuccess } from '../../domain/throttle.ts'
import { error, fill, text } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { flowNonce, prove } from '../../web/session.ts'
import { enrolledBefore, type Progress } from '../progress.ts'
import { failedAttempt, throttled } from '../shared/attempts.ts'
import { codeError, sendError } from '../shared/code-messages.ts'

export const emailCode = defineStep<Progress>({
  name: 'email-code',
  path: '/inloggen/email-code',
  template: 'shared/code',
  applies: (p) => p.kind !== 'onboarding' && p.account.mfaMethod === 'email' && enrolledBefore(p),
  done: (p) => p.proven.includes('mfa'),
  view({ req, deps, facts }) {
    const sent = hasActiveCode(deps, facts.account.id, 'email-mfa', flowNonce(req))
    return {
      title: text.signInTitle,
      intro: sent ? text.emailCodeSent : text.emailCodeIntro,
      sent,
      codeHint: fill(text.codeHint, { minutes: deps.config.limits.codeTtlMinutes }),
    }
  },
  submit({ req, deps, facts, by }) {
    const form = readForm(req, ['actie', 'code'])
    const nonce = flowNonce(req)
    if (form.actie === 'verstuur' || form.actie === 'opnieuw') {
      const sent = sendCode(deps, by, facts.account, 'email-mfa', nonce)
      return sent.status === 'sent' ? { kind: 'advance' } : { kind: 'stay', errors: { code: sendError(sent) } }
    }
    if (form.code.trim() === '') return { kind: 'stay', errors: { code: error.codeFormat } }
    const username = facts.account.username
    const wait = throttled(deps, req, username)
    if (wait) return { kind: 'stay', errors: { code: wait } }
    const result = checkCode(deps, by, facts.account.id, 'email-mfa', nonce, form.code)
    if (result !== 'ok') {
      if (result !== 'malformed') failedAttempt(deps, req, by, username)
      return { kind: 'stay', errors: { code: codeError(result) } }
    }
    countSuccess(deps, username)
    prove(req, 'mfa')
    return { kind: 'advance' }
  },
})
