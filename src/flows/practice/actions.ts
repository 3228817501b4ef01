// What the practice can do for an account. Each action is a GET confirmation page (GET never changes
// anything) with one POST button under the same label, and runs a domain function with the staff
// member as actor. One table, so the account page, the confirmation page and the POST agree; its
// words come in the reader's language.
import type { Account } from '../../domain/accounts.ts'
import { contactCoolingUntil, factorCoolingUntil } from '../../domain/cooling-off.ts'
import type { Actor, Deps } from '../../domain/deps.ts'
import {
  activate,
  changeEmail,
  changePhone,
  deactivate,
  erase,
  finishedOnboarding,
  resendInvitation,
  resetSecondFactor,
  unlockAccount,
  type Locks,
  type Refusal,
  type Summary,
} from '../../domain/patients.ts'
import { changeStaffRole, type StaffRole } from '../../domain/staff.ts'
import { errorText, fill, formatDateTime, messages, type Catalogue, type Lang } from '../../messages.ts'

export interface ActionField {
  name: string
  label: string
  type: string
  hint?: string
}

export interface Action {
  /** The path segment: /praktijk/clienten/:id/<slug>. */
  slug: string
  label: (c: Catalogue) => string
  /** Offered on the account page for this account, by this staff member? */
  offered: (s: Summary, self: boolean) => boolean
  explain: (s: Summary, c: Catalogue, lang: Lang) => string
  field?: (c: Catalogue) => ActionField
  /** The notice after success (in the reader's language), or the refusal to show on the confirmation page. */
  run: (deps: Deps, by: Actor, practiceId: number, account: Account, value: string, lang: Lang) => Promise<RunResult>
  /** Where to go after success (the account page unless said otherwise). */
  after?: 'list'
}

type RunResult = { ok: true; notice: string } | { ok: false; message: string }

function done<R extends { ok: true } | Refusal>(result: R, lang: Lang, notice: (r: Extract<R, { ok: true }>, c: Catalogue) => string, smsCountries: readonly string[] = []): RunResult {
  const c = messages(lang)
  return result.ok ? { ok: true, notice: notice(result as Extract<R, { ok: true }>, c) } : { ok: false, message: errorText(lang, (result as Refusal).error, smsCountries) }
}

/** The words for what is locked, or null when nothing is. */
export function lockWords(locks: Locks, password: string, secondStep: string, both: string): string | null {
  if (locks.password && locks.secondStep) return both
  return locks.password ? password : locks.secondStep ? secondStep : null
}

const names = (s: Summary) => ({ name: s.account.name, email: s.account.email, last4: s.account.phone.slice(-4) })

/**
 * Issue 23 #2: a change by staff after the onboarding starts a cooling-off; the confirmation says from
 * when (if done now), the notice after it from when exactly. Nothing is added where no wait follows.
 */
const waitIfNow = (s: Summary, lang: Lang, template: string) =>
  s.waitIfChangedNow ? ` ${fill(template, { ...names(s), when: formatDateTime(s.waitIfChangedNow, lang) })}` : ''
const contactWaitAfter = (deps: Deps, a: Account, c: Catalogue, lang: Lang) => {
  const until = contactCoolingUntil(deps, a)
  return until ? ` ${fill(c.text.doneContactWait, { when: formatDateTime(until, lang) })}` : ''
}

/** Issue 22: a staff member's role, one action each way; the domain refuses the last beheerder and oneself. */
function roleAction(role: StaffRole): Action {
  return {
    slug: role === 'beheerder' ? 'beheerder-maken' : 'behandelaar-maken',
    label: (c) => (role === 'beheerder' ? c.label.makeAdmin : c.label.makeTherapist),
    offered: (s, self) => !self && s.account.role !== 'patient' && s.account.role !== role,
    explain: (s, c) => fill(role === 'beheerder' ? c.text.confirmMakeAdmin : c.text.confirmMakeTherapist, names(s)),
    run: async (deps, by, practiceId, a, _v, lang) => done((await changeStaffRole(deps, by, practiceId, a.id, role)), lang, (_r, c) => fill(c.text.doneRole, { role: c.text.roleNames[role] })),
  }
}

export const actions: Action[] = [
  {
    slug: 'uitnodiging',
    label: (c) => c.label.resendInvite,
    offered: (s) => !finishedOnboarding(s.account) && s.account.deactivatedAt === null,
    explain: (s, c) => fill(c.text.confirmResend, names(s)),
    run: async (deps, by, practiceId, a, _v, lang) =>
      done((await resendInvitation(deps, by, practiceId, a.id)), lang, (r, c) => fill(c.text.doneResent, { until: formatDateTime(r.expiresAt!, lang) })),
  },
  {
    slug: 'e-mail',
    label: (c) => c.label.changeEmail,
    offered: () => true,
    explain: (s, c, lang) =>
      fill(finishedOnboarding(s.account) ? c.text.confirmEmailActive : c.text.confirmEmailOnboarding, names(s)) + waitIfNow(s, lang, c.text.confirmContactWait),
    field: (c) => ({ name: 'email', label: c.label.newEmail, type: 'email' }),
    run: async (deps, by, practiceId, a, value, lang) =>
      done((await changeEmail(deps, by, practiceId, a.id, value)), lang, (r, c) => (finishedOnboarding(a) ? c.text.doneEmail + contactWaitAfter(deps, r.account, c, lang) : c.text.doneEmailInvited)),
  },
  {
    slug: 'telefoon',
    label: (c) => c.label.changePhone,
    offered: () => true,
    explain: (s, c, lang) => fill(c.text.confirmPhone, names(s)) + waitIfNow(s, lang, c.text.confirmContactWait),
    field: (c) => ({ name: 'phone', label: c.label.newMobile, type: 'tel', hint: c.text.mobileHint }),
    run: async (deps, by, practiceId, a, value, lang) => done((await changePhone(deps, by, practiceId, a.id, value)), lang, (r, c) => c.text.donePhone + contactWaitAfter(deps, r.account, c, lang), deps.config.smsCountries),
  },
  {
    slug: 'tweede-factor',
    label: (c) => c.label.resetMfa,
    offered: (s, self) => !self && (s.account.mfaEnrolledAt !== null || s.account.totpPendingSecretEnc !== null),
    // "The next time they sign in" is not true during the cooling-off: the pages say from when.
    explain: (s, c, lang) =>
      s.waitIfChangedNow ? fill(c.text.confirmResetMfaWait, { ...names(s), when: formatDateTime(s.waitIfChangedNow, lang) }) : fill(c.text.confirmResetMfa, names(s)),
    run: async (deps, by, practiceId, a, _v, lang) =>
      done((await resetSecondFactor(deps, by, practiceId, a.id)), lang, (r, c) => {
        const until = factorCoolingUntil(deps, r.account)
        return until ? fill(c.text.doneResetMfaWait, { name: a.name, when: formatDateTime(until, lang) }) : c.text.doneResetMfa
      }),
  },
  {
    slug: 'ontgrendelen',
    label: (c) => c.label.unlock,
    offered: () => true,
    // Names what is unlocked: signing in with the password, the second step, or both (issue 23.9).
    explain: (s, c) => fill(lockWords(s.locks, c.text.confirmUnlockPassword, c.text.confirmUnlockSecondStep, c.text.confirmUnlockBoth) ?? c.text.confirmUnlockFree, names(s)),
    run: async (deps, by, practiceId, a, _v, lang) =>
      done((await unlockAccount(deps, by, practiceId, a.id)), lang, (r, c) => lockWords(r.was!, c.text.doneUnlockPassword, c.text.doneUnlockSecondStep, c.text.doneUnlockBoth) ?? c.text.doneUnlock),
  },
  {
    slug: 'deactiveren',
    label: (c) => c.label.deactivate,
    offered: (s, self) => !self && s.account.deactivatedAt === null,
    explain: (s, c) => fill(c.text.confirmDeactivate, names(s)),
    run: async (deps, by, practiceId, a, _v, lang) => done((await deactivate(deps, by, practiceId, a.id)), lang, (_r, c) => c.text.doneDeactivate),
  },
  {
    slug: 'activeren',
    label: (c) => c.label.activate,
    offered: (s) => s.account.deactivatedAt !== null,
    explain: (s, c) => fill(c.text.confirmActivate, names(s)),
    run: async (deps, by, practiceId, a, _v, lang) => done((await activate(deps, by, practiceId, a.id)), lang, (_r, c) => c.text.doneActivate),
  },
  {
    slug: 'verwijderen',
    label: (c) => c.label.erase,
    offered: (_s, self) => !self,
    explain: (s, c) => fill(c.text.confirmErase, names(s)),
    run: async (deps, by, practiceId, a, _v, lang) => done((await erase(deps, by, practiceId, a.id)), lang, (_r, c) => c.text.doneErase),
    after: 'list',
  },
  roleAction('beheerder'),
  roleAction('behandelaar'),
]

export const actionBySlug = new Map(actions.map((a) => [a.slug, a]))
