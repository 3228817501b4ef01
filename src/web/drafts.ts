// Issue 24 #2 (WCAG 2.2.1): a practice form sent after its session timed out is not lost. What staff
// typed on Nieuwe cliënt or Nieuwe medewerker (a name, an address, a number, a username: never a
// password or a code; those forms are not kept) is sealed into the new session for the same account
// only, and the form shows it again once that account has signed in, within the flow's lifetime.
import type { FastifyRequest } from 'fastify'
import type { Deps } from '../domain/deps.ts'
import { minutes } from '../domain/deps.ts'
import { openTyped, sealTyped } from './session.ts'

/** The forms whose sent values are kept over an expiry, and the fields kept from them. */
const keptForms = /^\/praktijk\/(clienten|medewerkers)\/nieuw$/
const keptFields = ['name', 'email', 'phone', 'username', 'role', 'language'] as const
export type Draft = Partial<Record<(typeof keptFields)[number], string>>

/**
 * Called for a POST whose session just expired, after the site and CSRF checks passed (web/security.ts):
 * keeps the form's values when it is one of the kept forms and the expired session was signed in.
 */
export function keepDraft(req: FastifyRequest, deps: Deps): boolean {
  const accountId = req.session.expired?.accountId
  const path = req.url.split('?')[0]!
  if (accountId === undefined || !keptForms.test(path) || typeof req.body !== 'object' || req.body === null) return false
  const body = req.body as Record<string, unknown>
  const draft: Draft = {}
  for (const field of keptFields) if (typeof body[field] === 'string') draft[field] = (body[field] as string).slice(0, 200)
  req.session.draft = { accountId, path, sealed: sealTyped(deps, JSON.stringify(draft)), at: deps.clock.now().getTime() }
  return true
}

/** Where a sign-in of `accountId` continues when a draft of its own waits; null otherwise. */
export function draftPath(req: FastifyRequest, deps: Deps, accountId: number): string | null {
  const draft = req.session.draft
  if (!draft || draft.accountId !== accountId || deps.clock.now().getTime() - draft.at > minutes(deps.config.limits.flowAbsoluteMinutes)) return null
  return draft.path
}

/** The kept values for this form of the signed-in account, taken out of the session (shown once). */
export function takeDraft(req: FastifyRequest, deps: Deps): Draft | null {
  const draft = req.session.draft
  if (!draft) return null
  req.session.draft = undefined
  if (draft.accountId !== req.session.accountId || draft.path !== req.url.split('?')[0] || deps.clock.now().getTime() - draft.at > minutes(deps.config.limits.flowAbsoluteMinutes)) return null
  const opened = openTyped(deps, draft.sealed)
  if (opened === undefined) return null
  try {
    return JSON.parse(opened) as Draft
  } catch {
    return null
  }
}
