// Which practice a page may name (issue 20, SPEC.md section 9). Being a patient of a therapy practice is
// itself health information: a page must not tell whoever types a username which practice it belongs
// to. So a page names a practice only once this browser has proven the account, at the same moments the
// account's language is applied (docs/decisions/0012): a signed-in session (password and second factor,
// or staff), or the onboarding that began at the link from the account's mailbox. The username and
// password pages, the forgot path, hidden-mode and decoy walks, a sign-in before its second factor,
// the link pages before their POST and the error pages of such a browser all say "uw praktijk".
// docs/decisions/0015-practices.md.
import type { FastifyRequest, Session } from 'fastify'
import type { Deps } from '../domain/deps.ts'
import { contactWords, practiceOfAccountId, type Practice } from '../domain/practices.ts'
import { t } from './language.ts'

/** The account this browser has proven, or null: signed in, or walking the onboarding from its mail. */
export function provenAccountId(session: Session | undefined): number | null {
  if (!session) return null
  if (session.accountId !== undefined) return session.accountId
  const flow = session.flow
  return flow?.kind === 'onboarding' && flow.accountId !== null ? flow.accountId : null
}

/** Per request: the proven account it was looked up for, and its practice (a page and its messages ask more than once). */
const looked = new WeakMap<FastifyRequest, { accountId: number; practice: Practice | null }>()

/** The practice this request's pages may name: the proven account's own, or null. */
export async function shownPractice(req: FastifyRequest, deps: Deps): Promise<Practice | null> {
  const accountId = provenAccountId(req.session)
  if (accountId === null) return null
  const found = looked.get(req)
  if (found?.accountId === accountId) return found.practice
  const practice = (await practiceOfAccountId(deps, accountId)) ?? null
  looked.set(req, { accountId, practice })
  return practice
}

/**
 * The name and contact line for a message that sends the reader to their practice ("neem contact op
 * met {practice}{contact}"): the proven account's practice, or the reader's words for "your practice".
 */
export async function practiceWords(req: FastifyRequest, deps: Deps): Promise<{ practice: string; contact: string }> {
  const practice = await shownPractice(req, deps)
  return practice ? contactWords(practice) : { practice: t(req).text.yourPractice, contact: '' }
}
