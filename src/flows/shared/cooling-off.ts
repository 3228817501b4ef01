// The answer of the account flow while a change by staff is cooling off (domain/cooling-off.ts):
// the page says until when, and how to reach the practice; the flow ends, so the patient starts afresh.
import type { FastifyRequest } from 'fastify'
import type { Account } from '../../domain/accounts.ts'
import { recordEvent } from '../../domain/audit.ts'
import type { Actor, Deps } from '../../domain/deps.ts'
import { fill, formatDateTime } from '../../messages.ts'
import { t } from '../../web/language.ts'
import type { Outcome } from '../../web/flow.ts'
import { practiceWords } from '../../web/practice-shown.ts'

/** 'reset': the forgot path after a contact change; 'factor': a new factor in the flow; 'security': a new factor on Beveiliging. */
export type CoolingWhat = 'reset' | 'factor' | 'security'

export async function coolingOffMessage(req: FastifyRequest, deps: Deps, what: CoolingWhat, until: Date): Promise<string> {
  const { text } = t(req)
  const template = { reset: text.coolingOffReset, factor: text.coolingOffFactor, security: text.securityCoolingOff }[what]
  return fill(template, { when: formatDateTime(until, req.lang), ...(await practiceWords(req, deps)) })
}

/** The flow ends and the page says until when; the refusal was audited where it was decided (the domain). */
export async function coolingOffPage(req: FastifyRequest, deps: Deps, what: 'reset' | 'factor', until: Date): Promise<Outcome> {
  req.session.flow = undefined
  return { kind: 'page', template: 'shared/cooling-off', data: { title: t(req).text.coolingOffTitle, message: (await coolingOffMessage(req, deps, what, until)) } }
}

/** The forgot path after a contact change by staff: audited here, then the page. */
export async function coolingOff(req: FastifyRequest, deps: Deps, by: Actor, account: Account, what: 'reset', until: Date): Promise<Outcome> {
  await recordEvent(deps, by, { event: 'cooling_off', outcome: 'failure', accountId: account.id, detail: { refused: what, until: until.toISOString() } })
  return await coolingOffPage(req, deps, what, until)
}
