// Stap 6, first page: Gebruikersnaam and Volgende. Nothing is looked up here: the next page is the
// same whether the username exists or not.
import type { FastifyInstance } from 'fastify'
import { normalizeUsername } from '../../domain/accounts.ts'
import type { Deps } from '../../domain/deps.ts'
import { readForm } from '../../web/forms.ts'
import { page } from '../../web/render.ts'
import { sealTyped, typedUsername } from '../../web/session.ts'
import { resumeNotice, resumePath } from '../shared/resume.ts'
import { t } from '../../web/language.ts'
import { signInTitle } from '../shared/complete-sign-in.ts'

/** What a username can look like at all (saying so reveals nothing about which ones exist). */
export const usernameShape = /^[\p{L}\p{N}._@-]{1,64}$/u

export function registerUsername(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: { uitgelogd?: string } }>('/inloggen', async (req, reply) => {
    // Signed in: home, unless an app asked this patient to sign in again (src/oidc/interaction.ts); the
    // session stays theirs until that sign-in completes.
    if (req.session.accountId !== undefined && req.session.oidcInteraction === undefined) return reply.redirect('/', 303)
    const expired = req.session.notice === 'sessionExpired'
    const notice = req.query.uitgelogd ? t(req).text.loggedOut : expired ? t(req).text.sessionExpired : null
    // After how long it ended, and whether a practice form waits (issue 24 #2); said once.
    const expiredAfter = expired ? (req.session.expired?.afterMinutes ?? null) : null
    const draftKept = expired && req.session.draft !== undefined
    if (req.session.notice) req.session.notice = undefined
    if (req.session.expired) req.session.expired = undefined
    return await page(req, reply, 'sign-in/username', {
      title: signInTitle(req), forApp: null,
      notice,
      expired,
      expiredAfter,
      draftKept,
      resume: await resumePath(req, deps),
      resumeNotice: resumeNotice(req),
      values: { username: typedUsername(req, deps) ?? '' },
      shareable: true,
    })
  })

  app.post('/inloggen', async (req, reply) => {
    const { username } = readForm(req, ['username'])
    const typed = normalizeUsername(username)
    if (!usernameShape.test(typed)) {
      const message = typed === '' ? t(req).error.requiredUsername : t(req).error.usernameShape
      return await page(req, reply, 'sign-in/username', { title: signInTitle(req), forApp: null, notice: null, errors: { username: message }, values: { username: typed.slice(0, 64) } }, 422)
    }
    req.session.sealedUsername = sealTyped(deps, typed)
    // From here the flow idle timeout counts (web/session.ts).
    req.session.seenAt = deps.clock.now().getTime()
    req.session.flow = undefined
    return reply.redirect('/inloggen/wachtwoord', 303)
  })
}
