// Stap 2: Accountverificatie. The masked number, 'Stuur verificatiecode', then the code field with
// 'Verifieer code' and 'Stuur een nieuwe code'. The code is bound to this browser's flow. On the
// forgot-password path the phone is proven again, and a decoy walk looks the same but proves nothing.
import type { FastifyRequest } from 'fastify'
import { maskPhone, type Account } from '../../domain/accounts.ts'
import { cleanCode, hasActiveCode, sendCode, type CheckResult, type SendResult } from '../../domain/codes.ts'
import { minutes, type Actor, type Deps } from '../../domain/deps.ts'
import { confirmPhone } from '../../domain/onboarding.ts'
import { decoySend, sendTemporaryPassword } from '../../domain/reset.ts'
import { error, fill, text } from '../../messages.ts'
import { defineStep, type Outcome, type StepContext } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { flowNonce, prove } from '../../web/session.ts'
import { contactCoolingUntil } from '../../domain/cooling-off.ts'
import type { Progress } from '../progress.ts'
import { coolingOff } from '../shared/cooling-off.ts'
import { guessRight, guessingAs, throttled } from '../shared/attempts.ts'
import { forgotBackPath } from '../sign-in/forgot.ts'
import { codeError, deliveryNotice, sendError } from '../shared/code-messages.ts'

function decoySent(req: FastifyRequest, deps: Deps): boolean {
  const sentAt = req.session.flow?.decoySentAt
  return sentAt !== undefined && (req.session.flow?.decoyTries ?? 0) < deps.config.limits.codeMaxAttempts
}

/**
 * This browser's code as the session sees it. A real and a decoy walk keep the same bookkeeping, so
 * both write the session (and answer with a Set-Cookie) at the same moments. Only a decoy answers
 * from it, the way codes.ts answers: no code, expired, wrong, spent at the fifth wrong try, then none.
 */
function noteSent(req: FastifyRequest, now: number): void {
  req.session.flow = { ...req.session.flow!, decoySentAt: now, decoyTries: 0 }
}

function noteTry(req: FastifyRequest, deps: Deps, now: number): Exclude<CheckResult, 'ok' | 'malformed'> {
  const flow = req.session.flow!
  const { codeMaxAttempts, codeTtlMinutes } = deps.config.limits
  const tries = flow.decoyTries ?? 0
  if (flow.decoySentAt === undefined || tries >= codeMaxAttempts) return 'none'
  if (now - flow.decoySentAt >= minutes(codeTtlMinutes)) return 'expired'
  req.session.flow = { ...flow, decoyTries: tries + 1 }
  return tries + 1 >= codeMaxAttempts ? 'spent' : 'wrong'
}

/** 'Stuur verificatiecode' for a real account: an SMS with a code bound to this browser's flow. */
export function sendPhoneCode(req: FastifyRequest, deps: Deps, by: Actor, account: Account): SendResult {
  const sent = sendCode(deps, by, account, 'phone', flowNonce(req))
  if (sent.status === 'sent') noteSent(req, deps.clock.now().getTime())
  return sent
}

/** What a real account would answer, without an account: a code "sent", and every code wrong. */
function decoySubmit({ req, deps }: StepContext<Progress>, action: string, code: string): Outcome {
  const flow = req.session.flow!
  const now = deps.clock.now().getTime()
  if (action === 'verstuur' || action === 'opnieuw') {
    const sent = decoySend(deps, flow.decoyKey ?? flow.decoyDigits ?? '')
    if (sent.status !== 'sent') return { kind: 'stay', errors: { code: sendError(sent) } }
    noteSent(req, now)
    return { kind: 'advance' }
  }
  return { kind: 'stay', errors: { code: codeError(cleanCode(code) === null ? 'malformed' : noteTry(req, deps, now)) } }
}

export const verifyPhone = defineStep<Progress>({
  name: 'verify-phone',
  path: '/account/telefoon',
  template: 'shared/code',
  // The phone is proven in this browser's flow, with one exception: a sign-in (password proven) of an
  // account whose verified phone and enrolled factor stand, because that factor is asked next. So a
  // mailbox alone, or a password alone, never enrolls a new factor.
  done: (p) =>
    p.proven.includes('phone') || (p.kind === 'sign-in' && p.account.phoneVerifiedAt !== null && p.account.mfaEnrolledAt !== null),
  view({ req, deps, facts }) {
    const sent = facts.decoy ? decoySent(req, deps) : hasActiveCode(deps, facts.account.id, 'phone', flowNonce(req))
    return {
      title: text.accountVerification,
      maskedPhone: maskPhone(facts.account.phone),
      sent,
      intro: sent ? text.phoneCodeSent : text.phoneIntro,
      delivery: sent && !facts.decoy ? deliveryNotice(deps, facts.account.id, 'phone-code') : null,
      codeHint: fill(text.codeHint, { minutes: deps.config.limits.codeTtlMinutes }),
      // The forgot path, real or decoy alike: a number the patient does not know (a typo in the
      // e-mail address walks a decoy) leads back to the filled-in form.
      notMine: facts.kind === 'reset' ? forgotBackPath : null,
    }
  },
  submit(ctx) {
    const { req, deps, facts, by } = ctx
    const form = readForm(req, ['actie', 'code'])
    const sending = form.actie === 'verstuur' || form.actie === 'opnieuw'
    if (!sending && cleanCode(form.code) === null) return { kind: 'stay', errors: { code: error.codeFormat } }
    const username = guessingAs(req, facts.account.username)
    const wait = sending ? null : throttled(deps, req, by, username)
    if (wait) return { kind: 'stay', errors: { code: wait } }
    if (facts.decoy) {
      return decoySubmit(ctx, form.actie, form.code)
    }
    const nonce = flowNonce(req)
    const now = deps.clock.now().getTime()
    if (sending) {
      const sent = sendPhoneCode(req, deps, by, facts.account)
      return sent.status === 'sent' ? { kind: 'advance' } : { kind: 'stay', errors: { code: sendError(sent) } }
    }
    const result = confirmPhone(deps, by, facts.account, nonce, form.code)
    if (result !== 'malformed') noteTry(req, deps, now)
    if (result !== 'ok') {
      return { kind: 'stay', errors: { code: codeError(result) } }
    }
    guessRight(deps, req, username)
    prove(req, 'phone')
    // The forgot-password path: the phone is proven, so the temporary password goes out now, unless
    // staff changed the address or number a short while ago (domain/cooling-off.ts). Only now: a
    // decoy walk never gets this far, so the answer reveals nothing to someone without the phone.
    if (facts.kind === 'reset') {
      const wait = contactCoolingUntil(deps, facts.account)
      if (wait) return coolingOff(req, deps, by, facts.account, 'reset', wait)
      sendTemporaryPassword(deps, by, facts.account)
    }
    return { kind: 'advance' }
  },
})
