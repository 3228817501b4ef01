// The submit of a step whose page is 'shared/code': 'Stuur verificatiecode' / 'Stuur een nieuwe code'
// send a code bound to this browser's flow; 'Verifieer code' checks one, through the throttle.
import type { CheckResult, CodePurpose } from '../../domain/codes.ts'
import { cleanCode, sendCode } from '../../domain/codes.ts'
import { error } from '../../messages.ts'
import type { Outcome, StepContext } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { flowNonce } from '../../web/session.ts'
import type { Progress } from '../progress.ts'
import { guessRight, throttled } from './attempts.ts'
import { codeError, sendError } from './code-messages.ts'

export function submitCode(
  { req, deps, facts, by }: StepContext<Progress>,
  purpose: CodePurpose,
  /** Checks the typed code (it was counted as a guess already); on 'ok' the caller's fact is recorded. */
  check: (nonce: string, code: string) => CheckResult,
  onRight?: () => void,
): Outcome {
  const form = readForm(req, ['actie', 'code'])
  const nonce = flowNonce(req)
  if (form.actie === 'verstuur' || form.actie === 'opnieuw') {
    const sent = sendCode(deps, by, facts.account, purpose, nonce)
    return sent.status === 'sent' ? { kind: 'advance' } : { kind: 'stay', errors: { code: sendError(sent) } }
  }
  if (cleanCode(form.code) === null) return { kind: 'stay', errors: { code: error.codeFormat } }
  const username = facts.account.username
  const wait = throttled(deps, req, by, username)
  if (wait) return { kind: 'stay', errors: { code: wait } }
  const result = check(nonce, form.code)
  if (result !== 'ok') return { kind: 'stay', errors: { code: codeError(result) } }
  guessRight(deps, req, username)
  onRight?.()
  return { kind: 'advance' }
}
