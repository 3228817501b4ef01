// Stap 6, first page: Gebruikersnaam and Volgende. Nothing is looked up here: the next page is the
// same whether the username exists or not.
import type { FastifyInstance } from 'fastify'
import { normalizeUsername } from '../../domain/accounts.ts'
import type { Deps } from '../../domain/deps.ts'
import { error, text } from '../../messages.ts'
import { readForm } from '../../web/forms.ts'
import { page } from '../../web/render.ts'

export function registerUsername(app: FastifyInstance, _deps: Deps): void {
  app.get<{ Querystring: { uitgelogd?: string } }>('/inloggen', async (req, reply) => {
    if (req.session.accountId !== undefined) return reply.redirect('/', 303)
    const notice = req.query.uitgelogd ? text.loggedOut : req.session.notice === 'sessionExpired' ? text.sessionExpired : null
    if (req.session.notice) req.session.notice = undefined
    return page(req, reply, 'sign-in/username', { title: text.signInTitle, notice, values: { username: req.session.typedUsername ?? '' } })
  })

  app.post('/inloggen', async (req, reply) => {
    const { username } = readForm(req, ['username'])
    const typed = normalizeUsername(username)
    if (typed === '' || typed.length > 64) {
      return page(req, reply, 'sign-in/username', { title: text.signInTitle, notice: null, errors: { username: error.required } }, 422)
    }
    req.session.typedUsername = typed
    req.session.flow = undefined
    return reply.redirect('/inloggen/wachtwoord', 303)
  })
}
