// Issue 11 #10: a staff member (or the operator) can change a patient's e-mail address and mobile
// number and reset the second factor: together, enough to take the account over through the
// forgot-password path. So what staff changed is not usable at once. For a while after such a change
// (STAFF_CHANGE_COOLING_HOURS, 24 h by default) the forgot-password path sends no temporary password
// (after a contact change) and no new factor can be started or confirmed (after a reset), while the
// notices reach the patient's old address and number. A sign-in with the patient's own password and
// the factor they still have is not held up. The waits tell the patient until when, and to call the practice.
//
// Issue 19 #1: the factor wait is kept by the domain functions that start or confirm a factor
// (onboarding.ts, security.ts), each through factorRefusal below, so no page or path, present or
// future, links a factor during it; the pages only say so.
import { getAccount, type Account } from './accounts.ts'
import { recordEvent } from './audit.ts'
import { hours, type Actor, type Deps } from './deps.ts'

function until(deps: Deps, changedAt: Date | null): Date | null {
  if (changedAt === null) return null
  const end = new Date(changedAt.getTime() + hours(deps.config.limits.staffChangeCoolingHours))
  return end.getTime() > deps.clock.now().getTime() ? end : null
}

/** Until when the forgot-password path waits after staff changed the e-mail address or mobile number. */
export const contactCoolingUntil = (deps: Deps, account: Account): Date | null => until(deps, account.staffContactChangedAt)

/**
 * Until when no new second factor can be started or confirmed after staff reset it. A factor enrolled
 * since the reset (after its wait) is the patient's own: changing it is not held up, even when the
 * operator lengthens STAFF_CHANGE_COOLING_HOURS later.
 */
export function factorCoolingUntil(deps: Deps, account: Account): Date | null {
  const reset = account.staffMfaResetAt
  if (reset !== null && account.mfaEnrolledAt !== null && account.mfaEnrolledAt.getTime() >= reset.getTime()) return null
  return until(deps, reset)
}

/**
 * From when a change staff make now can be used: for the practice's pages, mails, SMS and the CLI, which
 * announce the wait before or as it starts (issue 23 #2). Null when no wait follows: an account that has
 * not finished its onboarding (a typo in the address is no takeover), or a cooling-off of 0 hours.
 */
export function coolingEndsFrom(deps: Deps, finished: boolean, from: Date = deps.clock.now()): Date | null {
  if (!finished || deps.config.limits.staffChangeCoolingHours === 0) return null
  return new Date(from.getTime() + hours(deps.config.limits.staffChangeCoolingHours))
}

/** The answer of a factor function during the wait: nothing was started or linked. */
export interface FactorCooling {
  kind: 'cooling'
  until: Date
}

export const isCooling = (result: unknown): result is FactorCooling =>
  typeof result === 'object' && result !== null && (result as { kind?: unknown }).kind === 'cooling'

/**
 * Every function that starts or confirms a second factor asks this first, with the account as the
 * database has it now (a reset may have come after the page was loaded). During the wait the refusal is
 * audited and returned; the caller changes nothing.
 */
export async function factorRefusal(deps: Deps, by: Actor, account: Account, stage: 'start' | 'confirm'): Promise<FactorCooling | null> {
  const current = (await getAccount(deps, account.id)) ?? account
  const wait = factorCoolingUntil(deps, current)
  if (!wait) return null
  await recordEvent(deps, by, { event: 'cooling_off', outcome: 'failure', accountId: account.id, detail: { refused: 'factor', stage, until: wait.toISOString() } })
  return { kind: 'cooling', until: wait }
}
