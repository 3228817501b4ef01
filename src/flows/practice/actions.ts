// What the practice can do for an account. Each action is a GET confirmation page (GET never changes
// anything) with one POST button under the same label, and runs a domain function with the staff
// member as actor. One table, so the account page, the confirmation page and the POST agree.
import type { Account } from '../../domain/accounts.ts'
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
  type Summary,
} from '../../domain/patients.ts'
import { fill, formatDateTime, label, text } from '../../messages.ts'

export interface ActionField {
  name: string
  label: string
  type: string
  hint?: string
}

export interface Action {
  /** The path segment: /praktijk/clienten/:id/<slug>. */
  slug: string
  label: string
  /** Offered on the account page for this account, by this staff member? */
  offered: (s: Summary, self: boolean) => boolean
  explain: (s: Summary) => string
  field?: ActionField
  /** The notice after success, or the refusal to show on the confirmation page. */
  run: (deps: Deps, by: Actor, account: Account, value: string) => RunResult
  /** Where to go after success (the account page unless said otherwise). */
  after?: 'list'
}

type RunResult = { ok: true; notice: string } | { ok: false; message: string }

function done<R extends { ok: true } | { ok: false; message: string }>(result: R, notice: (r: Extract<R, { ok: true }>) => string): RunResult {
  return result.ok ? { ok: true, notice: notice(result as Extract<R, { ok: true }>) } : { ok: false, message: (result as { message: string }).message }
}

const names = (s: Summary) => ({ name: s.account.name, email: s.account.email, last4: s.account.phone.slice(-4) })

export const actions: Action[] = [
  {
    slug: 'uitnodiging',
    label: label.resendInvite,
    offered: (s) => !finishedOnboarding(s.account) && s.account.deactivatedAt === null,
    explain: (s) => fill(text.confirmResend, names(s)),
    run: (deps, by, a) => done(resendInvitation(deps, by, a.id), (r) => fill(text.doneResent, { until: formatDateTime(r.expiresAt!) })),
  },
  {
    slug: 'e-mail',
    label: label.changeEmail,
    offered: () => true,
    explain: (s) => fill(finishedOnboarding(s.account) ? text.confirmEmailActive : text.confirmEmailOnboarding, names(s)),
    field: { name: 'email', label: label.newEmail, type: 'email' },
    run: (deps, by, a, value) => done(changeEmail(deps, by, a.id, value), () => (finishedOnboarding(a) ? text.doneEmail : text.doneEmailInvited)),
  },
  {
    slug: 'telefoon',
    label: label.changePhone,
    offered: () => true,
    explain: (s) => fill(text.confirmPhone, names(s)),
    field: { name: 'phone', label: label.newMobile, type: 'tel', hint: text.mobileHint },
    run: (deps, by, a, value) => done(changePhone(deps, by, a.id, value), () => text.donePhone),
  },
  {
    slug: 'tweede-factor',
    label: label.resetMfa,
    offered: (s, self) => !self && (s.account.mfaEnrolledAt !== null || s.account.totpPendingSecretEnc !== null),
    explain: (s) => fill(text.confirmResetMfa, names(s)),
    run: (deps, by, a) => done(resetSecondFactor(deps, by, a.id), () => text.doneResetMfa),
  },
  {
    slug: 'ontgrendelen',
    label: label.unlock,
    offered: () => true,
    explain: (s) => fill(s.locked ? text.confirmUnlockLocked : text.confirmUnlockFree, names(s)),
    run: (deps, by, a) => done(unlockAccount(deps, by, a.id), () => text.doneUnlock),
  },
  {
    slug: 'deactiveren',
    label: label.deactivate,
    offered: (s, self) => !self && s.account.deactivatedAt === null,
    explain: (s) => fill(text.confirmDeactivate, names(s)),
    run: (deps, by, a) => done(deactivate(deps, by, a.id), () => text.doneDeactivate),
  },
  {
    slug: 'activeren',
    label: label.activate,
    offered: (s) => s.account.deactivatedAt !== null,
    explain: (s) => fill(text.confirmActivate, names(s)),
    run: (deps, by, a) => done(activate(deps, by, a.id), () => text.doneActivate),
  },
  {
    slug: 'verwijderen',
    label: label.erase,
    offered: (_s, self) => !self,
    explain: (s) => fill(text.confirmErase, names(s)),
    run: (deps, by, a) => done(erase(deps, by, a.id), () => text.doneErase),
    after: 'list',
  },
]

export const actionBySlug = new Map(actions.map((a) => [a.slug, a]))
