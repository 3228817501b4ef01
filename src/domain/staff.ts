// Practice staff: a beheerder manages staff and patients, a behandelaar manages patients. Staff are
// accounts like patients, onboarded through the same invitation flow, but always with the app as
// second factor (flows/onboarding/choose-method.ts). The first beheerder comes from the CLI.
import { and, count, eq, isNull, ne } from 'drizzle-orm'
import { accounts } from '../db/tables.ts'
import type { ErrorKey } from '../messages.ts'
import { createAccount, getAccountIn, updateAccount, validateNewAccount, type Account, type FieldErrors, type NewAccount, type Role } from './accounts.ts'
import { recordEvent } from './audit.ts'
import type { Actor, Deps } from './deps.ts'
import type { Refusal } from './patients.ts'
import { sendInvitation } from './invitations.ts'
import { first } from '../db/index.ts'

export type StaffRole = Exclude<Role, 'patient'>

export const staffRoles: readonly StaffRole[] = ['beheerder', 'behandelaar']

export const isStaffRole = (role: string): role is StaffRole => (staffRoles as readonly string[]).includes(role)

export const isStaff = (account: Account) => isStaffRole(account.role)

/** What a role may reach: every staff member the patients, only a beheerder the staff. */
export function mayManage(actor: Account, subject: Pick<Account, 'role'>): boolean {
  if (subject.role === 'patient') return isStaff(actor)
  return actor.role === 'beheerder'
}

/** The actor of a staff member's actions in the audit log. */
export function staffActor(staffId: number, extra: Omit<Actor, 'actor'> = {}): Actor {
  return { ...extra, actor: `staff:${staffId}` }
}

export type StaffErrors = FieldErrors & { role?: ErrorKey }

export type CreateStaffResult = { ok: true; account: Account; expiresAt: Date } | { ok: false; errors: StaffErrors }

/** Creates a staff account of the practice and sends its invitation. Every problem with the input is reported at once. */
export async function createStaff(deps: Deps, by: Actor, practiceId: number, input: Omit<NewAccount, 'role'> & { role: string }): Promise<CreateStaffResult> {
  if (!isStaffRole(input.role)) {
    const { errors } = validateNewAccount({ ...input, role: 'behandelaar' }, deps.config.smsCountries)
    return { ok: false, errors: { ...errors, role: 'roleRequired' } }
  }
  const created = await createAccount(deps, by, practiceId, { ...input, role: input.role })
  if (!created.ok) return created
  const { expiresAt } = await sendInvitation(deps, by, created.account.id)
  return { ok: true, account: created.account, expiresAt }
}

/** Is this action by the account itself? Staff do not deactivate, remove or reset themselves. */
export const isSelf = (by: Actor, account: Account) => by.actor === `staff:${account.id}`

/** The last beheerder of a practice who can still sign in keeps its keys: never deactivated or removed. */
export async function lastAdmin(deps: Deps, account: Account): Promise<boolean> {
  if (account.role !== 'beheerder' || account.deactivatedAt !== null) return false
  const others = await deps.db
    .select({ n: count() })
    .from(accounts)
    .where(and(eq(accounts.practiceId, account.practiceId), eq(accounts.role, 'beheerder'), isNull(accounts.deactivatedAt), isNull(accounts.erasedAt), ne(accounts.id, account.id)))
    .then(first)
  return (others?.n ?? 0) === 0
}

export type RoleChange = { ok: true; account: Account; changed: boolean } | Refusal

/**
 * Makes a staff member beheerder or behandelaar (issue 22 item 6). Never a patient, never one's own
 * role (another beheerder does that), and never the last active beheerder down to behandelaar: the
 * practice would have nobody left to manage staff. The check and the change are one write
 * transaction, so two beheerders demoting each other at once leave one. Applies at once: the practice
 * pages read the role on every request. Audited with the role before and after. Only within the practice
 * the change is made for (issue 20): another practice's account is as unknown as none.
 */
export async function changeStaffRole(deps: Deps, by: Actor, practiceId: number, accountId: number, role: string): Promise<RoleChange> {
  const refuse = (error: ErrorKey): Refusal => ({ ok: false, error })
  if (!isStaffRole(role)) return refuse('roleRequired')
  return await deps.db.transaction(
    async (): Promise<RoleChange> => {
      const account = await getAccountIn(deps, practiceId, accountId)
      if (!account) return refuse('accountUnknown')
      if (account.erasedAt !== null) return refuse('accountErased')
      if (!isStaff(account)) return refuse('notStaff')
      if (isSelf(by, account)) return refuse('notYourself')
      if (account.role === role) return { ok: true, account, changed: false }
      if ((await lastAdmin(deps, account))) return refuse('lastAdmin')
      await updateAccount(deps, account.id, { role })
      await recordEvent(deps, by, { event: 'role_changed', outcome: 'success', accountId: account.id, detail: { role, previous: account.role } })
      return { ok: true, account: { ...account, role }, changed: true }
    },
  )
}
