// The two kinds of account the practice manages, and where their pages live. Patients are for every
// staff member; staff accounts only for a beheerder. One set of pages serves both.
import type { Account } from '../../domain/accounts.ts'
import type { Scope } from '../../domain/patients.ts'
import { isStaff, type StaffRole } from '../../domain/staff.ts'
import type { Catalogue } from '../../messages.ts'

export interface Kind {
  scope: Exclude<Scope, 'all'>
  /** The list. */
  listPath: string
  /** Account pages: `${base}/:id`, and `${base}/nieuw`. */
  base: string
  minRole: StaffRole
  matches: (account: Account) => boolean
  /** The words of its pages, in the reader's language. */
  words: (c: Catalogue) => { title: string; intro: string; empty: string; newLabel: string; newIntro: string }
}

export const patientsKind: Kind = {
  scope: 'patients',
  listPath: '/praktijk',
  base: '/praktijk/clienten',
  minRole: 'behandelaar',
  matches: (a) => a.role === 'patient',
  words: ({ label, text }) => ({
    title: label.patients,
    intro: text.patientsIntro,
    empty: text.patientsEmpty,
    newLabel: label.newPatient,
    newIntro: text.newPatientIntro,
  }),
}

export const staffKind: Kind = {
  scope: 'staff',
  listPath: '/praktijk/medewerkers',
  base: '/praktijk/medewerkers',
  minRole: 'beheerder',
  matches: isStaff,
  words: ({ label, text }) => ({
    title: label.staff,
    intro: '',
    empty: text.staffEmpty,
    newLabel: label.newStaff,
    newIntro: text.newStaffIntro,
  }),
}

/** The page of any account, for links from the audit log; null when this viewer may not open it. */
export function accountHref(viewer: Account, account: Account): string | null {
  if (account.erasedAt !== null) return null
  if (patientsKind.matches(account)) return `${patientsKind.base}/${account.id}`
  return viewer.role === 'beheerder' ? `${staffKind.base}/${account.id}` : null
}
