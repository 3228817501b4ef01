// How accounts, statuses and pages of results read on the practice's pages. Pure functions from
// domain results to template data, in the reader's language (messages.ts).
import type { FastifyRequest } from 'fastify'
import type { Summary } from '../../domain/patients.ts'
import type { RecoveryStatus } from '../../domain/recovery-codes.ts'
import { lockWords } from './actions.ts'
import { fill, formatDateTime, messages, type Lang } from '../../messages.ts'
import { HttpError } from '../../web/http-error.ts'

/** Twenty accounts keep a page well under the 15 KB budget. */
export const pageSize = 20

/** Query-string fields, each a single string ('' when absent); a repeated field is a 400, like a form. */
export function readQuery<const N extends string>(req: FastifyRequest, names: readonly N[]): Record<N, string> {
  const query = (req.query ?? {}) as Record<string, unknown>
  const out = {} as Record<N, string>
  for (const name of names) {
    const value = query[name]
    if (value === undefined) out[name] = ''
    else if (typeof value === 'string' && value.length <= 200) out[name] = value
    else throw new HttpError(400, 'badRequest')
  }
  return out
}

/** ?pagina=N, 1-based; nonsense reads as the first page. */
export function pageNumber(raw: string): number {
  return /^[1-9]\d{0,4}$/.test(raw) ? Number(raw) : 1
}

/** Links to the previous and next page, keeping the other parameters. */
export function pager(lang: Lang, path: string, params: Record<string, string>, page: number, total: number, size = pageSize) {
  const pages = Math.max(1, Math.ceil(total / size))
  const href = (n: number) => {
    const query = new URLSearchParams(Object.entries({ ...params, pagina: String(n) }).filter(([, v]) => v !== ''))
    return `${path}?${query.toString()}`
  }
  return {
    summary: pages > 1 ? fill(messages(lang).text.pageOf, { page, pages }) : '',
    previous: page > 1 ? href(page - 1) : null,
    next: page < pages ? href(page + 1) : null,
  }
}

export const when = (date: Date | null, otherwise: string, lang: Lang) => (date ? formatDateTime(date, lang) : otherwise)

export function invitationText(s: Summary, lang: Lang): string {
  const { text } = messages(lang)
  if (s.invitationExpiresAt === null) return text.noInvitation
  return s.invitationExpired ? fill(text.expiredOn, { when: formatDateTime(s.invitationExpiresAt, lang) }) : formatDateTime(s.invitationExpiresAt, lang)
}

export function nextStepText(s: Summary, lang: Lang): string {
  const { text } = messages(lang)
  if (s.status === 'invited' && (s.invitationExpired || s.invitationExpiresAt === null)) return text.nextSteps.invitedExpired
  // Issue 23 #2: an account with something to prove again is not "ready for use"; after a practice
  // reset it waits until a date the staff can tell the patient.
  if (s.status === 'active' && s.factorWaitUntil) return fill(text.nextStepFactorWait, { when: formatDateTime(s.factorWaitUntil, lang) })
  if (s.status === 'active' && s.pending.length > 0) return text.nextStepPending
  return text.nextSteps[s.status]
}

/** What the account still has to prove again, with the date a new second step waits for. */
export function pendingTexts(s: Summary, lang: Lang): string[] {
  const { text } = messages(lang)
  return s.pending.map((p) => (p === 'mfa' && s.factorWaitUntil ? fill(text.pendingMfaWait, { when: formatDateTime(s.factorWaitUntil, lang) }) : text.pendingLabels[p]))
}

/** One account as a row of a list. */
export function rowOf(s: Summary, base: string, lang: Lang) {
  const { text } = messages(lang)
  const a = s.account
  return {
    href: `${base}/${a.id}`,
    name: a.name,
    username: a.username,
    email: a.email,
    role: text.roleNames[a.role],
    status: text.statusLabels[s.status],
    statusKey: s.status,
    invitation: invitationText(s, lang),
    lastSignIn: when(a.lastSignInAt, text.never, lang),
    pending: pendingTexts(s, lang),
  }
}

/** Everything the account page shows about the onboarding, fact by fact; whether recovery codes exist, never the codes. */
export function factsOf(s: Summary, lang: Lang, recovery: RecoveryStatus | null) {
  const { text } = messages(lang)
  const a = s.account
  const factor =
    a.mfaEnrolledAt === null
      ? s.factorWaitUntil
        ? fill(text.factorWait, { when: formatDateTime(s.factorWaitUntil, lang) })
        : text.notYet
      : fill(a.mfaMethod === 'email' ? text.factorEmail : text.factorApp, { when: formatDateTime(a.mfaEnrolledAt, lang) })
  return [
    { label: text.colStatus, value: text.statusLabels[s.status] },
    { label: text.colNextStep, value: nextStepText(s, lang) },
    { label: text.colUsername, value: a.username },
    { label: text.colRole, value: text.roleNames[a.role] },
    { label: text.colEmail, value: a.email },
    { label: text.colMobile, value: a.phone },
    { label: text.colLanguage, value: text.languageNames[a.language] },
    { label: text.colCreated, value: formatDateTime(a.createdAt, lang) },
    { label: text.colInvitation, value: invitationText(s, lang) },
    { label: text.colEmailVerified, value: when(a.emailVerifiedAt, text.notYet, lang) },
    { label: text.colPhoneVerified, value: when(a.phoneVerifiedAt, text.notYet, lang) },
    { label: text.colPasswordSet, value: when(a.passwordSetAt, text.notYet, lang) },
    { label: text.colSecondFactor, value: factor },
    {
      label: text.colRecoveryCodes,
      value: recovery ? fill(text.recoveryCodesLeft, { left: recovery.left, total: recovery.total, when: formatDateTime(recovery.createdAt, lang) }) : text.recoveryCodesNone,
    },
    { label: text.colLastSignIn, value: when(a.lastSignInAt, text.never, lang) },
    ...(s.contactWaitUntil ? [{ label: text.colForgotWait, value: fill(text.forgotWait, { when: formatDateTime(s.contactWaitUntil, lang) }) }] : []),
    ...(s.locked ? [{ label: text.colLocked, value: lockWords(s.locks, text.lockedPassword, text.lockedSecondStep, text.lockedBoth)! }] : []),
    ...(a.deactivatedAt ? [{ label: text.colDeactivated, value: formatDateTime(a.deactivatedAt, lang) }] : []),
  ]
}
