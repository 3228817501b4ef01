// Stap 2: Accountverificatie. The masked number, 'Stuur verificatiecode', then the code field with
// 'Verifieer code' and 'Stuur een nieuwe code'. The code is bound to this browser's flow. On the
// forgot-password path the phone is proven again, and a decoy walk looks the same but proves nothing.
import type { FastifyRequest } from 'fastify'
import { maskPhone } from '../../domain/accounts.ts'
import { hasActiveCode, sendCode } from '../../domain/codes.ts'
import { confirmPhone } from '../../domain/onboarding.ts'
import { sendTemporaryPassword } from '../../domain/reset.ts'
import { error, fill, text } from '../../messages.ts'
import { defineStep, type Outcome, type StepContext } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { flowNonce, prove } from '../../web/session.ts'
import type { Progress } from '../progress.ts'
import { failedAttempt, guessingAs, throttled } from '../shared/attempts.ts'
import { codeError, sendError } from '../shared/code-messages.ts'

function decoySent(req: FastifyRequest): boolean {
  const sentAt = req.session.flow?.decoySentAt
  return sentAt !== undefined && (req.session.flow?.decoyTries ?? 0) < 5
}

/** What a real account would answer, without an account: a code "sent", and every code wrong. */
function decoySubmit({ req, deps }: StepContext<Progress>, action: string): Outcome {
  const flow = req.session.flow!
  const now = deps.clock.now().getTime()
  if (action === 'verstuur' || action === 'opnieuw') {
    const wait = flow.decoySentAt === undefined ? 0 : flow.decoySentAt + deps.config.limits.codeResendCooldownSeconds * 1000 - now
    if (wait > 0) return { kind: 'stay', errors: { code: fill(error.codeCooldown, { seconds: Math.ceil(wait / 1000) }) } }
    req.session.flow = { ...flow, decoySentAt: now, decoyTries: 0 }
    return { kind: 'advance' }
  }
  if (flow.decoySentAt === undefined) return { kind: 'stay', errors: { code: error.codeNone } }
  const tries = (flow.decoyTries ?? 0) + 1
  req.session.flow = { ...flow, decoyTries: tries }
  return { kind: 'stay', errors: { code: tries >= deps.config.limits.codeMaxAttempts ? error.codeSpent : error.codeWrong } }
}

export const verifyPhone = defineStep<Progress>({
  name: 'verify-phone',
  path: '/account/telefoon',
  template: 'shared/code',
  // After a password, a verified phone stands. A mailed link or the forgot path proves the mailbox only,
  // so the phone is proven again in this browser: a mailbox alone never completes an account.
  done: (p) => (p.kind === 'sign-in' ? p.account.phoneVerifiedAt !== null : p.proven.includes('phone')),
  view({ req, deps, facts }) {
    const sent = facts.decoy ? decoySent(req) : hasActiveCode(deps, facts.account.id, 'phone', flowNonce(req))
    return {
      title: text.accountVerification,
      maskedPhone: maskPhone(facts.account.phone),
      sent,
      intro: sent ? text.phoneCodeSent : text.phoneIntro,
      codeHint: fill(text.codeHint, { minutes: deps.config.limits.codeTtlMinutes }),
    }
  },
  submit(ctx) {
    const { req, deps, facts, by } = ctx
    const form = readForm(req, ['actie', 'code'])
    const sending = form.actie === 'verstuur' || form.actie === 'opnieuw'
    if (!sending && form.code.trim() === '') return { kind: 'stay', errors: { code: error.codeFormat } }
    const username = guessingAs(req, facts.account.username)
    const wait = sending ? null : throttled(deps, req, username)
    if (wait) return { kind: 'stay', errors: { code: wait } }
    if (facts.decoy) {
      const outcome = decoySubmit(ctx, form.actie)
      if (!sending) failedAttempt(deps, req, by, username)
      return outcome
    }
    const nonce = flowNonce(req)
    if (sending) {
      const sent = sendCode(deps, by, facts.account, 'phone', nonce)
      return sent.status === 'sent' ? { kind: 'advance' } : { kind: 'stay', errors: { code: sendError(sent) } }
    }
    const result = confirmPhone(deps, by, facts.account, nonce, form.code)
    if (result !== 'ok') {
      if (result !== 'malformed') failedAttempt(deps, req, by, username)
      return { kind: 'stay', errors: { code: codeError(result) } }
    }
    prove(req, 'phone')
    // The forgot-password path: the phone is proven, so the temporary password goes out now.
    if (facts.kind === 'reset') sendTemporaryPassword(deps, by, facts.account)
    return { kind: 'advance' }
  },
})
