// Nieuwe app koppelen (or back to the app from e-mail): the new secret as a QR code and as grouped
// text, then the code from the app. Only that code makes the new secret the active one. During the
// cooling-off after a practice reset the page says until when instead (domain/cooling-off.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../domain/accounts.ts'
import { factorCoolingUntil, isCooling } from '../../domain/cooling-off.ts'
import type { Deps } from '../../domain/deps.ts'
import { pendingTotpSecret } from '../../domain/onboarding.ts'
import { confirmAppChange } from '../../domain/security.ts'
import { groupSecret, qrImage, totpUri } from '../../domain/totp.ts'
import { actorOf } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { page } from '../../web/render.ts'
import { guessRight, throttled } from '../shared/attempts.ts'
import { coolingOffMessage } from '../shared/cooling-off.ts'
import { backToSecurity, endChange, pendingChange } from './second-factor.ts'
import { securityPath, signedInAccount, toSignIn } from './shared.ts'
import { t } from '../../web/language.ts'
import { fill } from '../../messages.ts'

const path = `${securityPath}/app`

async function show(req: FastifyRequest, reply: FastifyReply, deps: Deps, account: Account, secret: string, errors: Record<string, string> = {}, status = 200) {
  const uri = totpUri(secret, deps.config.portalName, account.username)
  // Replacing an app (not switching from e-mail): the old entry in the app must go (issue 23.6).
  const removeOld = account.mfaMethod === 'app' ? fill(t(req).text.securityAppRemoveOld, { portal: deps.config.portalName, username: account.username }) : null
  return await page(req, reply, 'security/app', { title: t(req).text.securityAppTitle, qr: await qrImage(uri), uri, secret: groupSecret(secret), removeOld, errors }, status)
}

/** The wait instead of the QR code; the change this browser started ends (its pending secret with it). */
async function showWait(req: FastifyRequest, reply: FastifyReply, deps: Deps, account: Account, until: Date) {
  await endChange(req, deps, account, { kind: 'factorCancelled' })
  delete req.session.securityNotice
  return await page(req, reply, 'security/app', { title: t(req).text.securityAppTitle, coolingOff: (await coolingOffMessage(req, deps, 'security', until)), errors: {} })
}

export function registerSecurityApp(app: FastifyInstance, deps: Deps): void {
  app.get(path, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    if ((await pendingChange(req, deps, account, 'app')) !== 'fresh') return await backToSecurity(reply)
    const wait = factorCoolingUntil(deps, account)
    if (wait) return await showWait(req, reply, deps, account, wait)
    const secret = pendingTotpSecret(deps, account)
    if (!secret) {
      await endChange(req, deps, account, { kind: 'factorCancelled' })
      return await backToSecurity(reply)
    }
    return await show(req, reply, deps, account, secret)
  })

  app.post(path, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    if ((await pendingChange(req, deps, account, 'app')) !== 'fresh') return await backToSecurity(reply)
    const form = readForm(req, ['actie', 'code'])
    if (form.actie === 'annuleren') {
      await endChange(req, deps, account, { kind: 'factorCancelled' })
      return await backToSecurity(reply)
    }
    const secret = pendingTotpSecret(deps, account)
    if (!secret) {
      await endChange(req, deps, account, { kind: 'factorCancelled' })
      return await backToSecurity(reply)
    }
    if (!/^\d{6}$/.test(form.code.replace(/\s/g, ''))) return await show(req, reply, deps, account, secret, { code: t(req).error.codeFormat }, 422)
    const by = actorOf(req)
    const wait = await throttled(deps, req, by, account.username)
    if (wait) return await show(req, reply, deps, account, secret, { code: wait }, 429)

    const result = await confirmAppChange(deps, by, account, form.code)
    if (isCooling(result)) return await showWait(req, reply, deps, account, result.until)
    if (result === 'wrong') {
      return await show(req, reply, deps, account, secret, { code: t(req).error.appCodeWrong }, 422)
    }
    if (result === 'gone') {
      await guessRight(deps, req, account.username)
      await endChange(req, deps, account, { kind: 'factorCancelled' })
      return await backToSecurity(reply)
    }
    await guessRight(deps, req, account.username)
    delete req.session.factorChange
    req.session.securityNotice = { kind: 'factorApp' }
    return await backToSecurity(reply)
  })
}
