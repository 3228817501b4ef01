// The submit of a step whose page is 'shared/code': 'Stuur verificatiecode' / 'Stuur een nieuwe code'
// send a code bound to this browser's flow; 'Verifieer code' checks one. A code is bounded by its own
// limits (5 tries, a cap per hour); an e-mail second-factor code also by the factor's counter (`guard`).
import type { CheckResult, CodePurpose, SendResult } from '../../domain/codes.ts'
import { cleanCode, sendCode } from '../../domain/codes.ts'
import type { Outcome, StepContext } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { t } from '../../web/language.ts'
import { flowNonce, recordSend } from '../../web/session.ts'
import { deviceFor } from '../../web/device-cookie.ts'
import type { Progress } from '../progress.ts'
import { codeError, sendError } from './code-messages.ts'

export interface CodeStepOptions {
  /** Before a code is checked: a refusal message, or null to go ahead (the guess is counted then). */
  guard?: () => Promise<string | null>
  /** Sends the code (default: codes.ts's sendCode for the flow's account). */
  send?: (nonce: string) => Promise<SendResult>
  /** After a wrong code. */
  onWrong?: (result: Exclude<CheckResult, 'ok'>) => Promise<void>
}

export async function submitCode(
  { req, deps, facts, by }: StepContext<Progress>,
  purpose: CodePurpose,
  /** Checks the typed code; on 'ok' the caller's fact is recorded. */
  check: (nonce: string, code: string) => Promise<CheckResult>,
  onRight?: () => void,
  options: CodeStepOptions = {},
): Promise<Outcome> {
  const form = readForm(req, ['actie', 'code'])
  const nonce = flowNonce(req)
  if (form.actie === 'verstuur' || form.actie === 'opnieuw') {
    const sent = options.send ? (await options.send(nonce)) : (await sendCode(deps, by, facts.account, purpose, nonce, { device: deviceFor(req, deps, facts.account.username) }))
    if (sent.status === 'sent') recordSend(req, purpose, deps.clock.now())
    return sent.status === 'sent' ? { kind: 'advance' } : { kind: 'stay', errors: { code: (await sendError(req, deps, sent)) }, data: { capped: sent.status !== 'cooldown' } }
  }
  if (cleanCode(form.code) === null) return { kind: 'stay', errors: { code: t(req).error.codeFormat } }
  const refused = (await options.guard?.()) ?? null
  if (refused) return { kind: 'stay', errors: { code: refused } }
  const result = await check(nonce, form.code)
  if (result !== 'ok') {
    await options.onWrong?.(result)
    return { kind: 'stay', errors: { code: codeError(req, result) } }
  }
  onRight?.()
  return { kind: 'advance' }
}
