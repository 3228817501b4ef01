// Stap 6: sign-in. (Start page only; the password and second-factor steps follow.)
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../domain/deps.ts'
import { text } from '../../messages.ts'
import { page } from '../../web/render.ts'

export function registerSignIn(app: FastifyInstance, _deps: Deps): void {
  app.get<{ Querystring: { uitgelogd?: string } }>('/inloggen', async (req, reply) => {
    const notice = req.query.uitgelogd ? text.loggedOut : req.session.notice === 'sessionExpired' ? text.sessionExpired : null
    if (req.session.notice) req.session.notice = undefined
    return page(req, reply, 'sign-in/username', { title: text.signInTitle, notice })
  })
}
