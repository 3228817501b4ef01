// Tweede stap wijzigen: with the current password, start a change (a new app, or the other method).
// The change itself happens on its own page, after a code from the new factor (app.ts, email.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../domain/accounts.ts'
import { isCooling } from '../../domain/cooling-off.ts'
import { minutes, type Deps } from '../../domain/deps.ts'
import { cancelAppChange, startAppChange, startEmailChange } from '../../domain/security.ts'
import { actorOf } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { flowNonce } from '../../web/session.ts'
import { sendError } from '../shared/code-messages.ts'
import { factorOptions, showTaskPage } from './page.ts'
import { checkCurrentPassword, securityPath, signedInAccount, toSignIn, type SecurityNotice } from './shared.ts'
import { t } from '../../web/language.ts'

/** The password was given at the start; the code must follow within this window (the sudo window). */
const changeWindowMinutes = 15

/**
 * The change this browser started, if it is still fresh. A stale one is dropped (and its pending app
 * secret with it); the answer is then a redirect to the security page with a notice.
 */
export async function pendingChange(req: FastifyRequest, deps: Deps, account: Account, method: 'app' | 'email'): Promise<'fresh' | 'none' | 'expired'> {
  const change = req.session.factorChange
  if (!change || change.method !== method) return 'none'
  if (deps.clock.now().getTime() - change.startedAt <= minutes(changeWindowMinutes)) return 'fresh'
  await endChange(req, deps, account, { kind: 'factorExpired' })
  return 'expired'
}

/** Ends the change this browser started; the old factor stays as it was. */
export async function endChange(req: FastifyRequest, deps: Deps, account: Account, notice: SecurityNotice): Promise<void> {
  if (req.session.factorChange?.method === 'app') await cancelAppChange(deps, account)
  delete req.session.factorChange
  req.session.securityNotice = notice
}

export const backToSecurity = (reply: FastifyReply) => reply.redirect(securityPath, 303)

export function registerSecondFactor(app: FastifyInstance, deps: Deps): void {
  app.get(`${securityPath}/tweede-stap`, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    return await showTaskPage(req, reply, deps, account, 'second-factor')
  })

  app.post(`${securityPath}/tweede-stap`, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    const form = readForm(req, ['factor', 'factorCurrentPassword'])
    const allowed = factorOptions(req, deps, account).map((o) => o.value)
    const factor = allowed.find((value) => value === form.factor)
    if (!factor) {
      const message = form.factor === 'app' || form.factor === 'email' ? t(req).error.methodUnavailable : t(req).error.choiceRequired
      return await showTaskPage(req, reply, deps, account, 'second-factor', { errors: { factor: message }, status: 422 })
    }
    const by = actorOf(req)
    const reauth = await checkCurrentPassword(req, deps, by, account, form.factorCurrentPassword, 'second-factor')
    if (!reauth.ok) return await showTaskPage(req, reply, deps, account, 'second-factor', { errors: { factorCurrentPassword: reauth.message }, status: reauth.status })

    const startedAt = deps.clock.now().getTime()
    // During the cooling-off after a practice reset the domain starts nothing (domain/cooling-off.ts).
    const waiting = (until: Date) => showTaskPage(req, reply, deps, account, 'second-factor', { coolingUntil: until, status: 403 })
    if (factor === 'app') {
      const started = await startAppChange(deps, by, account)
      if (isCooling(started)) return await waiting(started.until)
      req.session.factorChange = { method: 'app', startedAt }
      return reply.redirect(`${securityPath}/app`, 303)
    }
    const sent = await startEmailChange(deps, by, account, flowNonce(req))
    if (isCooling(sent)) return await waiting(sent.until)
    if (sent.status !== 'sent') return await showTaskPage(req, reply, deps, account, 'second-factor', { errors: { factor: (await sendError(req, deps, sent)) }, status: 429 })
    req.session.factorChange = { method: 'email', startedAt, sent: { at: startedAt, count: 1 } }
    return reply.redirect(`${securityPath}/email`, 303)
  })
}
