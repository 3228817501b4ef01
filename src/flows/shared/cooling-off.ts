// The answer of the account flow while a change by staff is cooling off (domain/cooling-off.ts):
// the page says until when, and to call the practice; the flow ends, so the patient starts afresh.
import type { FastifyRequest } from 'fastify'
import type { Account } from '../../domain/accounts.ts'
import { recordEvent } from '../../domain/audit.ts'
import type { Actor, Deps } from '../../domain/deps.ts'
import { fill, formatDateTime } from '../../messages.ts'
import { t } from '../../web/language.ts'
import type { Outcome } from '../../web/flow.ts'
import { practiceWords } from '../../web/practice-shown.ts'

export function coolingOffMessage(req: FastifyRequest, deps: Deps, what: 'reset' | 'factor', until: Date): string {
  const { text } = t(req)
  return fill(what === 'reset' ? text.coolingOffReset : text.coolingOffFactor, { when: formatDateTime(until, req.lang), ...practiceWords(req, deps) })
}

export function coolingOff(req: FastifyRequest, deps: Deps, by: Actor, account: Account, what: 'reset' | 'factor', until: Date): Outcome {
  recordEvent(deps, by, { event: 'cooling_off', outcome: 'failure', accountId: account.id, detail: { refused: what, until: until.toISOString() } })
  req.session.flow = undefined
  return { kind: 'page', template: 'shared/cooling-off', data: { title: t(req).text.coolingOffTitle, message: coolingOffMessage(req, deps, what, until) } }
}
