// "Bent u uw wachtwoord vergeten of logt u voor de eerste keer in?": E-mailadres (and the username,
// when it was not typed on the sign-in page) and Volgende. A match and a mismatch lead to the same
// next page; a mismatch walks a decoy that never sends anything.
import type { FastifyInstance } from 'fastify'
import { normalizeUsername } from '../../domain/accounts.ts'
import type { Deps } from '../../domain/deps.ts'
import { decoyDigits, decoyKey, startReset } from '../../domain/reset.ts'
import { actorOf } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { page } from '../../web/render.ts'
import { openTyped, rotateSession, sealTyped, typedUsername } from '../../web/session.ts'
import { pendingInteraction } from '../shared/complete-sign-in.ts'
import { usernameShape } from './username.ts'
import { t } from '../../web/language.ts'

declare module 'fastify' {
  interface Session {
    /**
     * The e-mail address typed on this page, sealed like the username (web/session.ts), to fill the
     * form in again when the patient comes back.
     */
    sealedEmail?: string
  }
}

/** "Herkent u dit nummer niet, of krijgt u geen sms?" on the phone step comes back here. */
export const forgotBackPath = '/wachtwoord-vergeten?terug=1'

export function registerForgot(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: { terug?: string } }>('/wachtwoord-vergeten', async (req, reply) => {
    const back = req.query.terug !== undefined
    return await page(req, reply, 'sign-in/forgot', {
      title: t(req).text.forgotTitle,
      // No practice named: the page is before any proof (issue 20).
      back: back ? t(req).text.forgotBack : null,
      values: { username: typedUsername(req, deps) ?? '', email: back ? (openTyped(deps, req.session.sealedEmail) ?? '') : '' },
    })
  })

  app.post('/wachtwoord-vergeten', async (req, reply) => {
    const form = readForm(req, ['username', 'email'])
    const username = normalizeUsername(form.username || typedUsername(req, deps) || '')
    const email = form.email.trim()
    const errors: Record<string, string> = {}
    if (!usernameShape.test(username)) errors.username = username === '' ? t(req).error.requiredUsername : t(req).error.usernameShape
    if (email === '' || email.length > 254) errors.email = t(req).error.requiredEmail
    if (Object.keys(errors).length > 0) {
      return await page(req, reply, 'sign-in/forgot', { title: t(req).text.forgotTitle, errors, values: { username, email } }, 422)
    }
    const account = await startReset(deps, actorOf(req), username, email)
    const now = deps.clock.now()
    await rotateSession(req, now, {
      ...pendingInteraction(req),
      sealedUsername: sealTyped(deps, username),
      sealedEmail: sealTyped(deps, email),
      flow: account
        ? { kind: 'reset', accountId: account.id, since: now.getTime(), proven: [] }
        : { kind: 'reset', accountId: null, since: now.getTime(), proven: [], decoyDigits: decoyDigits(deps, username, email.toLowerCase()), decoyKey: decoyKey(deps, username, email.toLowerCase()) },
    })
    return reply.redirect('/account', 303)
  })
}
