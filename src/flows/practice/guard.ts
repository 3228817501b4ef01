// The one guard in front of every /praktijk route: anonymous visitors go to the sign-in page; a
// signed-in patient, or a behandelaar on a beheerder's page, gets exactly the 404 of a page that
// does not exist, so the staff area does not even reveal its shape to them. It also derives, once,
// the practice every page acts for (issue 20): the signed-in staff member's. The pages pass it to the
// domain functions, which read and change only that practice's accounts; no page filters by itself.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../domain/accounts.ts'
import type { Actor, Deps } from '../../domain/deps.ts'
import { isStaff, type StaffRole } from '../../domain/staff.ts'
import { HttpError } from '../../web/http-error.ts'
import { actorOf } from '../../web/flow.ts'
import { t } from '../../web/language.ts'
import { endSession, sessionAccount } from '../../web/session.ts'
import { page } from '../../web/render.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a /praktijk route needs; 'behandelaar' when not given. */
    minRole?: StaffRole
  }
  interface FastifyRequest {
    /** The signed-in staff member, set by the /praktijk guard. */
    staff: Account | null
  }
  interface Session {
    /** A one-shot confirmation for the next practice page ("Het account is ontgrendeld."). */
    practiceNotice?: string
  }
}

export function registerStaffGuard(scope: FastifyInstance, deps: Deps): void {
  scope.decorateRequest('staff', null)
  scope.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const id = req.session.accountId
    const account = id === undefined ? undefined : (await sessionAccount(req, deps, id))
    if (!account || account.deactivatedAt !== null) {
      // A session whose account was deactivated (or erased) ends here: left alone, /inloggen would send
      // the still signed-in browser back, round and round.
      if (id !== undefined) await endSession(req)
      return reply.redirect('/inloggen', 303)
    }
    const needs = req.routeOptions.config.minRole ?? 'behandelaar'
    if (!isStaff(account) || (needs === 'beheerder' && account.role !== 'beheerder')) throw new HttpError(404, 'notFound')
    req.staff = account
  })
}

/** The staff member of a guarded request. */
export function staffOf(req: FastifyRequest): Account {
  if (!req.staff) throw new Error('practice route without the staff guard')
  return req.staff
}

/**
 * The practice this request acts for: the signed-in staff member's own. Every domain function a
 * practice page calls to read or change accounts takes it (an id of another practice is then as
 * absent as one that does not exist).
 */
export const practiceIdOf = (req: FastifyRequest): number => staffOf(req).practiceId

/** The audit actor for what this staff member does. */
export const staffBy = (req: FastifyRequest): Actor => actorOf(req, `staff:${staffOf(req).id}`)

/** Reads and clears the one-shot notice. */
export function takeNotice(req: FastifyRequest): string | null {
  const notice = req.session.practiceNotice ?? null
  if (notice !== null) req.session.practiceNotice = undefined
  return notice
}

/** Route ids are small positive integers; anything else is a page that does not exist. */
export function idParam(raw: string): number {
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new HttpError(404, 'notFound')
  return Number(raw)
}

/** What every practice page's layout needs: who is signed in, and which menu items they may see. */
export function navOf(req: FastifyRequest, current: string) {
  const staff = staffOf(req)
  return { nav: { current, name: staff.name, role: staff.role, admin: staff.role === 'beheerder' } }
}

/**
 * Did the staff member's own browser ask for this page from inside the portal (or from the address
 * bar or a bookmark)? A page whose viewing is recorded (an account, a list, a search, the log) is
 * recorded only then: a link on another site must not make a browser write "Account ingezien".
 * Fetch Metadata: 'same-origin' (our own links, redirects from our forms) and 'none' (typed, a
 * bookmark) are the staff member's own doing; 'cross-site' and 'same-site' (a sibling host) are not.
 * Browsers without Fetch Metadata (before 2020-2023) send no header: counted as the staff member's,
 * since the view then really was shown to them; see docs/security.md.
 */
export function ownNavigation(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site']
  return site === undefined || site === 'same-origin' || site === 'none'
}

/** Whom the audit log is read by: a behandelaar sees fewer rows (domain/audit.ts visibleTo). */
export const auditViewerOf = (req: FastifyRequest) => ({ id: staffOf(req).id, role: staffOf(req).role, practiceId: practiceIdOf(req) })

/** The page a link from outside gets instead: nothing shown, nothing recorded, one link to open it. */
export async function openFromOutside(req: FastifyRequest, reply: FastifyReply, current: string) {
  return await page(req, reply, 'practice/open', { title: t(req).text.openFromOutsideTitle, ...navOf(req, current), href: req.url })
}
