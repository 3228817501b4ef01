// How a code result reads to the patient; shared by every step with an SMS or e-mail code.
import type { CheckResult, SendResult } from '../../domain/codes.ts'
import { error, fill } from '../../messages.ts'

export function codeError(result: Exclude<CheckResult, 'ok'>): string {
  switch (result) {
    case 'malformed':
      return error.codeFormat
    case 'wrong':
      return error.codeWrong
    case 'expired':
      return error.codeExpired
    case 'spent':
      return error.codeSpent
    case 'none':
      return error.codeNone
  }
}

export function sendError(result: Exclude<SendResult, { status: 'sent' }>): string {
  return result.status === 'cooldown'
    ? fill(error.codeCooldown, { seconds: result.retryInSeconds })
    : fill(error.codeCapped, { minutes: result.retryInMinutes })
}
