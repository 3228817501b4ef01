// Issue 11 #10: a staff member (or the operator) can change a patient's e-mail address and mobile
// number and reset the second factor: together, enough to take the account over through the
// forgot-password path. So what staff changed is not usable at once. For a while after such a change
// (STAFF_CHANGE_COOLING_HOURS, 24 h by default) the forgot-password path sends no temporary password
// (after a contact change) and no new factor can be chosen (after a reset), while the notices reach
// the patient's old address and number. A sign-in with the patient's own password and the factor
// they still have is not held up. The waits tell the patient until when, and to call the practice.
import type { Account } from './accounts.ts'
import { hours, type Deps } from './deps.ts'

function until(deps: Deps, changedAt: Date | null): Date | null {
  if (changedAt === null) return null
  const end = new Date(changedAt.getTime() + hours(deps.config.limits.staffChangeCoolingHours))
  return end.getTime() > deps.clock.now().getTime() ? end : null
}

/** Until when the forgot-password path waits after staff changed the e-mail address or mobile number. */
export const contactCoolingUntil = (deps: Deps, account: Account): Date | null => until(deps, account.staffContactChangedAt)

/** Until when no new second factor can be chosen after staff reset it. */
export const factorCoolingUntil = (deps: Deps, account: Account): Date | null => until(deps, account.staffMfaResetAt)
