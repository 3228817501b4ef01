// Stap 6, the second factor by e-mail: 'Stuur verificatiecode', the code from the mail (MFA sender),
// 'Verifieer code'. Codes are bound to this browser's flow; wrong ones count per account and factor
// (decision 0011). A hidden-mode decoy looks the same, sends nothing and accepts no code.
import type { FastifyRequest } from 'fastify'
import { normalizeUsername } from '../../domain/accounts.ts'
import { checkCode, hasActiveCode, sendCode } from '../../domain/codes.ts'
import { senderFor } from '../../domain/send-limits.ts'
import { decoyCheck, decoyHasCode, decoySend } from '../../domain/decoy.ts'
import type { Deps } from '../../domain/deps.ts'
import { hmac } from '../../domain/secrets.ts'
import { decoyTag, factorWrong, isFactorLocked, isLocked } from '../../domain/throttle.ts'
import { fill } from '../../messages.ts'
import { deviceFor } from '../../web/device-cookie.ts'
import { defineStep } from '../../web/flow.ts'
import { flowNonce, prove, typedUsername } from '../../web/session.ts'
import type { Progress } from '../progress.ts'
import { wayOut } from '../shared/way-out.ts'
import { factorGuess, factorLockedMessage } from '../shared/attempts.ts'
import { practiceWords } from '../../web/practice-shown.ts'
import { deliveryNotice, sentNotice } from '../shared/code-messages.ts'
import { maskEmail } from '../onboarding/verify-email.ts'
import { submitCode } from '../shared/code-step.ts'
import { t } from '../../web/language.ts'
import { signInTitle } from '../shared/complete-sign-in.ts'

/** Whose codes this page shows: the account, a decoy of a real account (its id), or of an unknown username. */
function targetOf(req: FastifyRequest, deps: Deps, facts: Progress): number | string {
  return facts.decoy ? (req.session.flow?.decoyFor ?? decoyTag(deps, typedUsername(req, deps) ?? '')) : facts.account.id
}
/** A hidden-mode decoy of an unknown username keeps its pretend codes under the username's HMAC, never in clear. */
const decoyKeyOf = (deps: Deps, target: string) => `sign-in:${hmac(deps.keys.decoy, `decoy:${normalizeUsername(target)}`).slice(0, 32)}`
const usernameOf = (req: FastifyRequest, deps: Deps, facts: Progress) => (facts.decoy ? (typedUsername(req, deps) ?? '') : facts.account.username)

async function sent(req: FastifyRequest, deps: Deps, facts: Progress): Promise<boolean> {
  const target = targetOf(req, deps, facts)
  return typeof target === 'number' ? (await hasActiveCode(deps, target, 'email-mfa', flowNonce(req))) : (await decoyHasCode(deps, decoyKeyOf(deps, target), flowNonce(req)))
}

export const emailCode = defineStep<Progress>({
  name: 'email-code',
  path: '/inloggen/email-code',
  template: 'shared/code',
  // Whatever the way in, a signed-in session needs the second factor proven in this flow.
  applies: (p) => p.account.mfaMethod === 'email',
  done: (p) => p.proven.includes('mfa'),
  async view({ req, deps, facts }) {
    const isSent = await sent(req, deps, facts)
    const target = targetOf(req, deps, facts)
    return {
      title: signInTitle(req), forApp: null,
      intro: isSent ? t(req).text.emailCodeSent : t(req).text.emailCodeIntro,
      delivery: isSent && typeof target === 'number' ? (await deliveryNotice(req, deps, target, 'mfa-code')) : null,
      // The masked address once the password is proven; in hidden mode (a decoy reads the same) only "your address".
      sentNotice: isSent ? sentNotice(req, req.session.flow, 'email-mfa', !facts.decoy && !facts.hidden ? maskEmail(facts.account.email) : t(req).text.yourEmailAddress) : null,
      sent: isSent,
      codeHint: fill(t(req).text.codeHint, { minutes: deps.config.limits.codeTtlMinutes }),
      wayOut: await wayOut(req, deps, facts),
    }
  },
  async submit(ctx) {
    const { req, deps, facts, by } = ctx
    const target = targetOf(req, deps, facts)
    const username = usernameOf(req, deps, facts)
    const device = deviceFor(req, deps, username)
    return await submitCode(
      ctx,
      'email-mfa',
      async (nonce, code) => {
        if (typeof target === 'string') return await decoyCheck(deps, decoyKeyOf(deps, target), nonce, code)
        const result = await checkCode(deps, by, target, 'email-mfa', nonce, code)
        // A decoy's own (pretend) code never matches; the guard is for the impossible.
        return facts.decoy && result === 'ok' ? 'wrong' : result
      },
      () => prove(req, 'mfa'),
      {
        // A lock (100 failures of this browser's password or of this factor) holds here too, told
        // plainly; it names the practice only where the password was shown to be right (not hidden mode).
        guard: async () => {
          const proven = !facts.decoy && req.session.flow?.hidden !== true
          if ((await isLocked(deps, { username, device }))) return fill(t(req).error.signInLocked, (await practiceWords(req, deps)))
          if (typeof target === 'number' && (await isFactorLocked(deps, target, 'email', device))) return await factorLockedMessage(req, deps, proven)
          return await factorGuess(deps, req, by, username, target, 'email', proven)
        },
        send: async (nonce) =>
          facts.decoy
            ? typeof target === 'number'
              ? (await sendCode(deps, by, { ...facts.account, id: target }, 'email-mfa', nonce, { pretend: true, device }))
              : (await decoySend(deps, by, decoyKeyOf(deps, target), nonce, 'email-mfa', false, (await senderFor(deps, null, by.ip, device))))
            : (await sendCode(deps, by, facts.account, 'email-mfa', nonce, { device })),
        onWrong: async (result) => {
          if (!facts.decoy && (result === 'wrong' || result === 'spent')) await factorWrong(deps, by, facts.account, 'email', device)
        },
      },
    )
  },
})
