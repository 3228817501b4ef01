// A changed e-mail address, proven at the next sign-in: when the practice changed the address after
// the onboarding, 'Stuur verificatiecode' mails a code to the new address and 'Verifieer code'
// proves it. Codes are bound to this browser's flow and counted like passwords.
import { hasActiveCode } from '../../domain/codes.ts'
import { confirmChangedEmail } from '../../domain/patients.ts'
import { fill } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { flowNonce } from '../../web/session.ts'
import type { Progress } from '../progress.ts'
import { wayOut } from '../shared/way-out.ts'
import { submitCode } from '../shared/code-step.ts'
import { sentNotice } from '../shared/code-messages.ts'
import { t } from '../../web/language.ts'

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
  async view({ req, deps, facts }) {
    const sent = await hasActiveCode(deps, facts.account.id, 'email-verify', flowNonce(req))
    const email = maskEmail(facts.account.email)
    return {
      title: t(req).text.confirmEmailTitle,
      intro: fill(sent ? t(req).text.verifyEmailSent : t(req).text.verifyEmailIntro, { email }),
      sentNotice: sent ? sentNotice(req, req.session.flow, 'email-verify', email) : null,
      sent,
      codeHint: fill(t(req).text.codeHint, { minutes: deps.config.limits.codeTtlMinutes }),
      wayOut: await wayOut(req, deps, facts),
    }
  },
  submit: (ctx) => submitCode(ctx, 'email-verify', (nonce, code) => confirmChangedEmail(ctx.deps, ctx.by, ctx.facts.account, nonce, code)),
})
