// How a code result reads to the patient; shared by every step with an SMS or e-mail code.
import type { CheckResult, SendResult } from '../../domain/codes.ts'
import type { Deps } from '../../domain/deps.ts'
import { deliveryState } from '../../domain/delivery.ts'
import { error, fill, plural, text } from '../../messages.ts'
import { practiceOf } from './attempts.ts'

export function codeError(result: Exclude<CheckResult, 'ok'>): string {
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

/** Why no code was sent. At a cap or budget the practice's contact follows (issue 12.4). */
export function sendError(deps: Deps, result: Exclude<SendResult, { status: 'sent' }>): string {
  const contact = fill(error.capContact, practiceOf(deps))
  switch (result.status) {
    case 'cooldown':
      return fill(error.codeCooldown, { seconds: plural(result.retryInSeconds, 'seconde', 'seconden') })
    case 'capped':
      return `${fill(error.codeCapped, { minutes: plural(result.retryInMinutes, 'minuut', 'minuten') })} ${contact}`
    case 'budget':
      return fill(error.smsBudget, practiceOf(deps))
    case 'country':
      return fill(error.smsCountry, practiceOf(deps))
  }
}

/** What the page says when the code's message is not (yet) delivered: 'sent' only means queued. */
export function deliveryNotice(deps: Deps, accountId: number, kind: 'phone-code' | 'mfa-code'): string | null {
  const state = deliveryState(deps, accountId, kind)
  return state === 'retrying' ? text.deliveryRetrying : state === 'failed' ? text.deliveryFailed : null
}
