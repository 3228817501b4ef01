// Wachtwoord wijzigen, a page of its own under Beveiliging: Huidig wachtwoord, Nieuw wachtwoord, Bevestiging
// wachtwoord. The onboarding policy applies; afterwards every other session of the account ends (with
// its sign-ins at the apps), this browser gets a new session id, and a notice mail goes out.
import type { FastifyInstance } from 'fastify'
import { recordEvent } from '../../domain/audit.ts'
import type { Deps } from '../../domain/deps.ts'
import { changePassword } from '../../domain/security.ts'
import { fill } from '../../messages.ts'
import { actorOf } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { endAccountSessions } from '../../domain/sessions.ts'
import { providerSessionOf } from '../../oidc/portal-logout.ts'
import { showTaskPage } from './page.ts'
import { checkCurrentPassword, keepThisSession, securityPath, signedInAccount, toSignIn } from './shared.ts'
import { t } from '../../web/language.ts'

export function registerSecurityPassword(app: FastifyInstance, deps: Deps): void {
  app.get(`${securityPath}/wachtwoord`, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    return await showTaskPage(req, reply, deps, account, 'password')
  })

  app.post(`${securityPath}/wachtwoord`, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    const form = readForm(req, ['currentPassword', 'newPassword', 'confirmPassword'])
    const by = actorOf(req)
    const reauth = await checkCurrentPassword(req, deps, by, account, form.currentPassword, 'password')
    if (!reauth.ok) return await showTaskPage(req, reply, deps, account, 'password', { errors: { currentPassword: reauth.message }, status: reauth.status })

    const result = await changePassword(deps, by, account, form.currentPassword, form.newPassword, form.confirmPassword)
    if (!result.ok) {
      return await showTaskPage(req, reply, deps, account, 'password', { errors: { [result.field]: fill(t(req).error[result.key], { count: result.count ?? 0 }) }, status: 422 })
    }
    // Whoever knew the old password is signed out everywhere, at the apps too; this browser stays,
    // under a new id, with its own app sign-ins.
    const ended = await endAccountSessions(deps, by, account.id, 'password-change', providerSessionOf(req, deps.config))
    // The count includes this browser's own row, which was loaded for this very request.
    await recordEvent(deps, by, { event: 'sessions_ended', outcome: 'success', accountId: account.id, detail: { count: Math.max(0, ended - 1), via: 'password-change' } })
    await keepThisSession(req, deps, account, { kind: 'password' })
    return reply.redirect(securityPath, 303)
  })
}
