// How a code result reads to the patient; shared by every step with an SMS or e-mail code.
import type { FastifyRequest } from 'fastify'
import type { CheckResult, SendResult } from '../../domain/codes.ts'
import type { Deps } from '../../domain/deps.ts'
import { smsAllowed } from '../../domain/accounts.ts'
import { deliveryState } from '../../domain/delivery.ts'
import { countryNames, fill, formatDateTime, plural } from '../../messages.ts'
import type { FlowState } from '../../web/session.ts'
import { t } from '../../web/language.ts'
import { practiceWords } from '../../web/practice-shown.ts'

export function codeError(req: FastifyRequest, result: Exclude<CheckResult, 'ok'>): string {
  const { error } = t(req)
  switch (result) {
    case 'malformed':
      return error.codeFormat
    case 'wrong':
      return error.codeWrong
    case 'superseded':
      return error.codeSuperseded
    case 'expired':
      return error.codeExpired
    case 'spent':
      return error.codeSpent
    case 'none':
      return error.codeNone
  }
}

/** Why no code was sent. At a cap or budget the practice's contact follows (issue 12.4), once the account is proven (issue 20). */
export async function sendError(req: FastifyRequest, deps: Deps, result: Exclude<SendResult, { status: 'sent' }>): Promise<string> {
  const { error, words } = t(req)
  const contact = fill(error.capContact, (await practiceWords(req, deps)))
  switch (result.status) {
    case 'cooldown':
      return fill(error.codeCooldown, { seconds: plural(result.retryInSeconds, words.second, words.seconds) })
    case 'capped':
      return `${fill(error.codeCapped, { minutes: plural(result.retryInMinutes, words.minute, words.minutes) })} ${contact}`
    case 'account':
      return `${fill(error.codeAccountCapped, { minutes: plural(result.retryInMinutes, words.minute, words.minutes) })} ${contact}`
    case 'budget':
      return fill(error.smsBudget, (await practiceWords(req, deps)))
    case 'country':
      return fill(error.smsCountry, (await practiceWords(req, deps)))
  }
}

/** What the page says when the code's message is not (yet) delivered: 'sent' only means queued. */
export async function deliveryNotice(req: FastifyRequest, deps: Deps, accountId: number, kind: 'phone-code' | 'mfa-code'): Promise<string | null> {
  const { text } = t(req)
  const state = await deliveryState(deps, accountId, kind)
  return state === 'retrying' ? text.deliveryRetrying : state === 'failed' ? text.deliveryFailed : null
}

/**
 * Whom to call: the proven account's own practice by name with its contact, or generic words that name
 * no practice ("uw praktijk") before this browser has proven the account (web/practice-shown.ts,
 * decision 0015).
 */
export async function whomToCall(req: FastifyRequest, deps: Deps): Promise<string> {
  return fill(t(req).text.contactPractice, (await practiceWords(req, deps)))
}

/**
 * A number the portal will not text (outside SMS_COUNTRIES: an account made before the practice's
 * form refused such numbers, or the setting narrowed since): the phone step then offers no code field,
 * only what to do (issue 23.1). Null when the number can get an SMS.
 */
export async function unsendableNotice(req: FastifyRequest, deps: Deps, phone: string): Promise<string | null> {
  if (smsAllowed(deps.config.smsCountries, phone)) return null
  const { text } = t(req)
  return `${fill(text.phoneUnsendable, { countries: countryNames(deps.config.smsCountries, req.lang) })} ${(await whomToCall(req, deps))}`
}

/**
 * After 'Stuur verificatiecode' or 'Stuur een nieuwe code' (issue 23.6): that a (new) code went out,
 * when, and to where (`to`: a masked number or address; never more than the last four digits).
 */
export function sentNotice(req: FastifyRequest, flow: FlowState | undefined, purpose: keyof NonNullable<FlowState['sends']>, to: string): string | null {
  const sent = flow?.sends?.[purpose]
  if (!sent) return null
  const { text } = t(req)
  return fill(sent.count > 1 ? text.codeResentTo : text.codeSentTo, { when: formatDateTime(new Date(sent.at), req.lang), to })
}
