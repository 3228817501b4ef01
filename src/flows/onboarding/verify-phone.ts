// Stap 2: Accountverificatie. The masked number, 'Stuur verificatiecode', then the code field with
// 'Verifieer code' and 'Stuur een nieuwe code'. The code is bound to this browser's flow. On the
// forgot-password path the phone is proven again, and a decoy walk looks the same but proves nothing.
import type { FastifyRequest } from 'fastify'
import { findAccountByUsername, maskPhone, type Account } from '../../domain/accounts.ts'
import { cleanCode, hasActiveCode, sendCode, type SendResult } from '../../domain/codes.ts'
import type { Actor, Deps } from '../../domain/deps.ts'
import { decoyCheck, decoyHasCode, decoySend } from '../../domain/decoy.ts'
import { confirmPhone } from '../../domain/onboarding.ts'
import { sendTemporaryPassword } from '../../domain/reset.ts'
import { fill } from '../../messages.ts'
import { defineStep, type Outcome, type StepContext } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { flowNonce, prove, recordSend, typedUsername } from '../../web/session.ts'
import { deviceFor } from '../../web/device-cookie.ts'
import { senderFor } from '../../domain/send-limits.ts'
import { contactCoolingUntil } from '../../domain/cooling-off.ts'
import type { Progress } from '../progress.ts'
import { wayOut } from '../shared/way-out.ts'
import { coolingOff } from '../shared/cooling-off.ts'
import { forgotBackPath } from '../sign-in/forgot.ts'
import { codeError, deliveryNotice, sendError, sentNotice, unsendableNotice } from '../shared/code-messages.ts'
import { t } from '../../web/language.ts'

/** The decoy's pretend code state lives in the database under the typed pair (decision 0011, finding 4). */
const decoyKeyOf = (req: FastifyRequest) => `reset:${req.session.flow?.decoyKey ?? req.session.flow?.decoyDigits ?? ''}`

/**
 * 'Stuur verificatiecode' for a real account: an SMS with a code bound to this browser's flow, counted
 * on this browser's sender (its device cookie for the account, or its client: domain/send-limits.ts).
 */
export async function sendPhoneCode(req: FastifyRequest, deps: Deps, by: Actor, account: Account): Promise<SendResult> {
  return await sendCode(deps, by, account, 'phone', flowNonce(req), { device: deviceFor(req, deps, account.username) })
}

/** What a real account would answer, without an account: a code "sent", and every code wrong. */
async function decoySubmit({ req, deps, by }: StepContext<Progress>, action: string, code: string): Promise<Outcome> {
  const key = decoyKeyOf(req)
  if (action === 'verstuur' || action === 'opnieuw') {
    // The sender as a real account would see it: a device cookie for the typed username, or an address
    // the username's account (when the e-mail address was the wrong one) signed in from.
    const username = typedUsername(req, deps) ?? ''
    const sender = await senderFor(deps, (await findAccountByUsername(deps, username))?.id ?? null, by.ip, deviceFor(req, deps, username))
    const sent = await decoySend(deps, by, key, flowNonce(req), 'phone', true, sender)
    if (sent.status === 'sent') recordSend(req, 'phone', deps.clock.now())
    return sent.status === 'sent' ? { kind: 'advance' } : { kind: 'stay', errors: { code: (await sendError(req, deps, sent)) }, data: { capped: sent.status !== 'cooldown' } }
  }
  return { kind: 'stay', errors: { code: codeError(req, (await decoyCheck(deps, key, flowNonce(req), code))) } }
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
  async view({ req, deps, facts }) {
    const sent = facts.decoy ? (await decoyHasCode(deps, decoyKeyOf(req), flowNonce(req))) : (await hasActiveCode(deps, facts.account.id, 'phone', flowNonce(req)))
    return {
      title: t(req).text.accountVerification,
      maskedPhone: maskPhone(facts.account.phone),
      // A decoy's number is always a Dutch one: it never meets this.
      unsendable: facts.decoy ? null : (await unsendableNotice(req, deps, facts.account.phone)),
      sent,
      intro: sent ? t(req).text.phoneCodeSent : t(req).text.phoneIntro,
      sentNotice: sent ? sentNotice(req, req.session.flow, 'phone', maskPhone(facts.account.phone)) : null,
      delivery: sent && !facts.decoy ? (await deliveryNotice(req, deps, facts.account.id, 'phone-code')) : null,
      codeHint: fill(t(req).text.codeHint, { minutes: deps.config.limits.codeTtlMinutes }),
      // The forgot path, real or decoy alike: a number the patient does not know (a typo in the
      // e-mail address walks a decoy) leads back to the filled-in form.
      notMine: facts.kind === 'reset' ? forgotBackPath : null,
      // "Sent" never stands alone on the forgot path: a deactivated account (or a typo) walks a decoy
      // that sends nothing, so the same page says what to do when no SMS comes (issue 23.9).
      noSms: facts.kind === 'reset' && sent ? t(req).text.phoneNoSmsReset : null,
      wayOut: await wayOut(req, deps, facts),
    }
  },
  // Not behind the password delay (decision 0011): the forgot path must work while strangers make the
  // username wait. Guesses here are bounded per code (5 tries) and per hour (5 SMS, the SMS budgets).
  async submit(ctx) {
    const { req, deps, facts, by } = ctx
    const form = readForm(req, ['actie', 'code'])
    const sending = form.actie === 'verstuur' || form.actie === 'opnieuw'
    if (!sending && cleanCode(form.code) === null) return { kind: 'stay', errors: { code: t(req).error.codeFormat } }
    if (facts.decoy) return await decoySubmit(ctx, form.actie, form.code)
    const nonce = flowNonce(req)
    if (sending) {
      const sent = await sendPhoneCode(req, deps, by, facts.account)
      if (sent.status === 'sent') recordSend(req, 'phone', deps.clock.now())
      return sent.status === 'sent' ? { kind: 'advance' } : { kind: 'stay', errors: { code: (await sendError(req, deps, sent)) }, data: { capped: sent.status !== 'cooldown' } }
    }
    const result = await confirmPhone(deps, by, facts.account, nonce, form.code)
    if (result !== 'ok') return { kind: 'stay', errors: { code: codeError(req, result) } }
    prove(req, 'phone')
    // The forgot-password path: the phone is proven, so the temporary password goes out now, unless
    // staff changed the address or number a short while ago (domain/cooling-off.ts). Only now: a
    // decoy walk never gets this far, so the answer reveals nothing to someone without the phone.
    if (facts.kind === 'reset') {
      const wait = contactCoolingUntil(deps, facts.account)
      if (wait) return await coolingOff(req, deps, by, facts.account, 'reset', wait)
      await sendTemporaryPassword(deps, by, facts.account)
    }
    return { kind: 'advance' }
  },
})
