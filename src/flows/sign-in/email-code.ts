// Stap 6, the second factor by e-mail: 'Stuur verificatiecode', the code from the mail (MFA sender),
// 'Verifieer code'. Codes are bound to this browser's flow and counted like passwords.
import { checkCode, cleanCode, hasActiveCode, sendCode } from '../../domain/codes.ts'
import { isLocked } from '../../domain/throttle.ts'
import { error, fill, text } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { flowNonce, prove } from '../../web/session.ts'
import type { Progress } from '../progress.ts'
import { guessRight, throttled } from '../shared/attempts.ts'
import { codeError, deliveryNotice, sendError } from '../shared/code-messages.ts'

export const emailCode = defineStep<Progress>({
  name: 'email-code',
  path: '/inloggen/email-code',
  template: 'shared/code',
  // Whatever the way in, a signed-in session needs the second factor proven in this flow.
  applies: (p) => p.account.mfaMethod === 'email',
  done: (p) => p.proven.includes('mfa'),
  view({ req, deps, facts }) {
    const sent = hasActiveCode(deps, facts.account.id, 'email-mfa', flowNonce(req))
    return {
      title: text.signInTitle,
      intro: sent ? text.emailCodeSent : text.emailCodeIntro,
      delivery: sent ? deliveryNotice(deps, facts.account.id, 'mfa-code') : null,
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
    if (cleanCode(form.code) === null) return { kind: 'stay', errors: { code: error.codeFormat } }
    const username = facts.account.username
    const wait = throttled(deps, req, by, username)
    if (wait) return { kind: 'stay', errors: { code: wait } }
    // A lock (100 failures) holds here too: a sign-in already past the password can not finish.
    const result = isLocked(deps, username) ? 'wrong' : checkCode(deps, by, facts.account.id, 'email-mfa', nonce, form.code)
    if (result !== 'ok') {
      return { kind: 'stay', errors: { code: codeError(result) } }
    }
    guessRight(deps, req, username)
    prove(req, 'mfa')
    return { kind: 'advance' }
  },
})
