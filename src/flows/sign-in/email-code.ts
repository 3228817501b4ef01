// Stap 6, the second factor by e-mail: 'Stuur verificatiecode', the code from the mail (MFA sender),
// 'Verifieer code'. Codes are bound to this browser's flow and counted like passwords.
import { checkCode, hasActiveCode } from '../../domain/codes.ts'
import { isLocked } from '../../domain/throttle.ts'
import { fill, text } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { flowNonce, prove } from '../../web/session.ts'
import type { Progress } from '../progress.ts'
import { deliveryNotice } from '../shared/code-messages.ts'
import { submitCode } from '../shared/code-step.ts'

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
  submit: (ctx) =>
    submitCode(
      ctx,
      'email-mfa',
      // A lock (100 failures) holds here too: a sign-in already past the password can not finish.
      (nonce, code) => (isLocked(ctx.deps, ctx.facts.account.username) ? 'wrong' : checkCode(ctx.deps, ctx.by, ctx.facts.account.id, 'email-mfa', nonce, code)),
      () => prove(ctx.req, 'mfa'),
    ),
})
