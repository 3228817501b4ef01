// Uitloggen op alle andere apparaten: with the current password, every other session of the account
// ends, with its sign-ins at the practice's apps; this browser stays signed in under a new session id,
// keeps its own app sign-ins, and is told how many ended.
import type { FastifyInstance } from 'fastify'
import { recordEvent } from '../../domain/audit.ts'
import type { Deps } from '../../domain/deps.ts'
import { actorOf } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { endAccountSessions } from '../../domain/sessions.ts'
import { providerSessionOf } from '../../oidc/portal-logout.ts'
import { showTaskPage } from './page.ts'
import { checkCurrentPassword, keepThisSession, securityPath, signedInAccount, toSignIn } from './shared.ts'

export function registerOtherDevices(app: FastifyInstance, deps: Deps): void {
  app.get(`${securityPath}/andere-apparaten`, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    return await showTaskPage(req, reply, deps, account, 'other-devices')
  })

  app.post(`${securityPath}/andere-apparaten`, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    const { sessionsCurrentPassword } = readForm(req, ['sessionsCurrentPassword'])
    const by = actorOf(req)
    const reauth = await checkCurrentPassword(req, deps, by, account, sessionsCurrentPassword, 'other-devices')
    if (!reauth.ok) return await showTaskPage(req, reply, deps, account, 'other-devices', { errors: { sessionsCurrentPassword: reauth.message }, status: reauth.status })
    // The count includes this browser's own row, which was loaded for this very request.
    const count = Math.max(0, (await endAccountSessions(deps, by, account.id, 'self', providerSessionOf(req, deps.config))) - 1)
    await recordEvent(deps, by, { event: 'sessions_ended', outcome: 'success', accountId: account.id, detail: { count, via: 'self' } })
    await keepThisSession(req, deps, account, { kind: 'sessions', count })
    return reply.redirect(securityPath, 303)
  })
}
