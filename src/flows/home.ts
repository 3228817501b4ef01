// The signed-in home page ("Mijn Therapie Dossier") and Uitloggen, a POST that ends the session
// on the server.
import type { FastifyInstance } from 'fastify'
import { recordEvent } from '../domain/audit.ts'
import { recoveryCodesApply, recoveryStatus } from '../domain/recovery-codes.ts'
import type { Deps } from '../domain/deps.ts'
import { contactWords, practiceOf } from '../domain/practices.ts'
import { fill, formatDateTime } from '../messages.ts'
import { providerSessionCookies } from '../oidc/cookies.ts'
import { actorOf } from '../web/flow.ts'
import { page } from '../web/render.ts'
import { csrfCookie } from '../web/security.ts'
import { endSession, sessionAccount, sessionCookie } from '../web/session.ts'
import { t } from '../web/language.ts'

export function registerHome(app: FastifyInstance, deps: Deps): void {
  app.get('/', async (req, reply) => {
    const id = req.session.accountId
    const account = id === undefined ? undefined : (await sessionAccount(req, deps, id))
    if (!account || account.deactivatedAt !== null) {
      // Deactivated (or erased) while signed in: the session ends, or /inloggen would send it back here.
      if (id !== undefined) await endSession(req)
      return reply.redirect('/inloggen', 303)
    }
    // Staff work in the practice's pages; the patient's home is not theirs.
    if (account.role !== 'patient') return reply.redirect('/praktijk', 303)
    // lastSignInAt is already this sign-in; the one before is in the session's snapshot.
    const previous = req.session.previousSignInAt
    return await page(req, reply, 'home', {
      title: t(req).text.homeTitle,
      welcome: fill(t(req).text.homeWelcome, { name: account.name }),
      practice: fill(t(req).text.homePractice, contactWords((await practiceOf(deps, account)))),
      lastSignIn: previous ? fill(t(req).text.homeLastSignIn, { when: formatDateTime(new Date(previous), req.lang) }) : t(req).text.homeFirstSignIn,
      // Once onboarded with the app, until the patient made a set (issue 23.5); the guide's steps stay as they are.
      recoveryTip: recoveryCodesApply(account) && (await recoveryStatus(deps, account.id)) === null,
    })
  })

  app.post('/uitloggen', async (req, reply) => {
    const accountId = req.session.accountId
    if (accountId !== undefined) await recordEvent(deps, actorOf(req), { event: 'logout', outcome: 'success', accountId })
    await endSession(req)
    // The apps this browser signed in to through the portal hear of it (src/oidc/portal-logout.ts).
    // The portal's sign-out stands whatever happens there: a failure is logged, never shown as an error.
    const ended =
      accountId === undefined
        ? 'none'
        : await req.server.oidcSignOut(req, accountId).catch((err: unknown) => {
            req.log.error({ err }, 'ending the app sign-ins failed')
            return 'failed' as const
          })
    // The session's and the CSRF secret's cookies end by name, with the attributes they were set with (a
    // `__Host-` cookie is only replaced by a Secure one). Not every cookie of the site (Clear-Site-Data
    // "cookies" would): the device cookie stays, so strangers' guesses at this username elsewhere do not
    // hold this browser up (decision 0011; it names nobody, docs/security.md), and the language stays.
    // The provider's session cookie too, when this browser has one, unless it names another account's
    // session (someone else signed in to an app at this computer): that session and its cookie stay.
    const provider = ended === 'other' ? [] : providerSessionCookies(deps.config).filter((cookie) => req.cookies[cookie.name] !== undefined)
    for (const cookie of [sessionCookie(deps.config), csrfCookie(deps.config), ...provider]) reply.clearCookie(cookie.name, cookie.attributes)
    reply.header('clear-site-data', '"cache", "storage"')
    return reply.redirect('/inloggen?uitgelogd=1', 303)
  })
}
