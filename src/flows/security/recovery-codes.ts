// Herstelcodes, a task under Beveiliging (issue 23.5, docs/decisions/0016): with the current password,
// ten new single-use recovery codes, shown once on a page made to print; a new set voids the old one.
// Only for the app: an e-mail code is not lost with a phone. And the page after a sign-in with a
// recovery code, which asks for a new app.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../domain/accounts.ts'
import type { Deps } from '../../domain/deps.ts'
import { createRecoveryCodes, recoveryCodesApply, recoveryStatus } from '../../domain/recovery-codes.ts'
import { fill, formatDateTime } from '../../messages.ts'
import { actorOf } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { t } from '../../web/language.ts'
import { page } from '../../web/render.ts'
import { checkCurrentPassword, securityPath, signedInAccount, toSignIn } from './shared.ts'

declare module 'fastify' {
  interface Session {
    /** After a sign-in with a recovery code: where the walk would have gone (home, or an app's /verder). */
    afterRecovery?: string
  }
}

export const recoveryCodesPath = `${securityPath}/herstelcodes`
export const recoveryUsedPath = `${securityPath}/herstelcode-gebruikt`

/** Few codes left: the page after a use suggests a new set. */
const fewLeft = 3

async function show(req: FastifyRequest, reply: FastifyReply, deps: Deps, account: Account, errors: Record<string, string> = {}, status = 200) {
  const { text } = t(req)
  const current = await recoveryStatus(deps, account.id)
  return await page(
    req,
    reply,
    'security/recovery-codes',
    {
      title: t(req).label.recoveryCodes,
      status: current
        ? fill(text.recoveryStatusSome, { left: current.left, total: current.total, when: formatDateTime(current.createdAt, req.lang) })
        : text.recoveryStatusNone,
      exists: current !== null,
      errors,
    },
    status,
  )
}

export function registerRecoveryCodes(app: FastifyInstance, deps: Deps): void {
  app.get(recoveryCodesPath, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    if (!recoveryCodesApply(account)) return reply.redirect(securityPath, 303)
    return await show(req, reply, deps, account)
  })

  app.post(recoveryCodesPath, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    if (!recoveryCodesApply(account)) return reply.redirect(securityPath, 303)
    const { recoveryCurrentPassword } = readForm(req, ['recoveryCurrentPassword'])
    const by = actorOf(req)
    // Like every Beveiliging task: the current password again, counted like a sign-in guess.
    const reauth = await checkCurrentPassword(req, deps, by, account, recoveryCurrentPassword, 'recovery-codes')
    if (!reauth.ok) return await show(req, reply, deps, account, { recoveryCurrentPassword: reauth.message }, reauth.status)
    const codes = await createRecoveryCodes(deps, by, account)
    // Shown once, in the answer to this POST: nothing keeps them. A reload asks again (no-store).
    return await page(req, reply, 'security/recovery-codes-new', { title: t(req).text.recoveryNewTitle, codes, username: account.username, portal: deps.config.portalName })
  })

  app.get(recoveryUsedPath, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    if (req.session.signInMethod !== 'recovery') return reply.redirect('/', 303)
    const left = (await recoveryStatus(deps, account.id))?.left ?? 0
    const { text } = t(req)
    return await page(req, reply, 'security/recovery-used', {
      title: text.recoveryUsedTitle,
      body: fill(text.recoveryUsedBody, { left }),
      fewLeft: left <= fewLeft,
      later: req.session.afterRecovery ?? '/',
    })
  })
}
