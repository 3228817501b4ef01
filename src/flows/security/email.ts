// Overstappen op e-mail: the code sent to the patient's address, bound to this browser. Only that
// code makes e-mail the second factor; until then the app stays. During the cooling-off after a
// practice reset the page says until when instead (domain/cooling-off.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../domain/accounts.ts'
import { cleanCode } from '../../domain/codes.ts'
import { factorCoolingUntil, isCooling } from '../../domain/cooling-off.ts'
import type { Deps } from '../../domain/deps.ts'
import { confirmEmailChange, emailFactorAllowed, startEmailChange } from '../../domain/security.ts'
import { fill, formatDateTime } from '../../messages.ts'
import { maskEmail } from '../onboarding/verify-email.ts'
import { actorOf } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { page } from '../../web/render.ts'
import { flowNonce } from '../../web/session.ts'
import { guessRight, throttled } from '../shared/attempts.ts'
import { codeError, sendError } from '../shared/code-messages.ts'
import { coolingOffMessage } from '../shared/cooling-off.ts'
import { backToSecurity, endChange, pendingChange } from './second-factor.ts'
import { securityPath, signedInAccount, toSignIn } from './shared.ts'
import { t } from '../../web/language.ts'

const path = `${securityPath}/email`

async function show(req: FastifyRequest, reply: FastifyReply, deps: Deps, account: Account, errors: Record<string, string> = {}, status = 200) {
  const codeHint = fill(t(req).text.codeHint, { minutes: deps.config.limits.codeTtlMinutes })
  // When and where the last code went (issue 23.6): signed in, the masked address may be shown.
  const sent = req.session.factorChange?.sent
  const notice = sent ? fill(sent.count > 1 ? t(req).text.codeResentTo : t(req).text.codeSentTo, { when: formatDateTime(new Date(sent.at), req.lang), to: maskEmail(account.email) }) : null
  return await page(req, reply, 'security/email', { title: t(req).text.securityEmailTitle, codeHint, sentNotice: notice, errors }, status)
}

/** The wait instead of the code form; the change this browser started ends. */
async function showWait(req: FastifyRequest, reply: FastifyReply, deps: Deps, account: Account, until: Date) {
  await endChange(req, deps, account, { kind: 'factorCancelled' })
  delete req.session.securityNotice
  return await page(req, reply, 'security/email', { title: t(req).text.securityEmailTitle, coolingOff: (await coolingOffMessage(req, deps, 'security', until)), errors: {} })
}

export function registerSecurityEmail(app: FastifyInstance, deps: Deps): void {
  app.get(path, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    if ((await pendingChange(req, deps, account, 'email')) !== 'fresh') return await backToSecurity(reply)
    const wait = factorCoolingUntil(deps, account)
    if (wait) return await showWait(req, reply, deps, account, wait)
    return await show(req, reply, deps, account)
  })

  app.post(path, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    if ((await pendingChange(req, deps, account, 'email')) !== 'fresh') return await backToSecurity(reply)
    const form = readForm(req, ['actie', 'code'])
    // Staff may not use e-mail, and the practice may have switched it off since the change began.
    if (form.actie === 'annuleren' || !emailFactorAllowed(deps, account)) {
      await endChange(req, deps, account, { kind: 'factorCancelled' })
      return await backToSecurity(reply)
    }
    const by = actorOf(req)
    const nonce = flowNonce(req)
    if (form.actie === 'opnieuw') {
      const sent = await startEmailChange(deps, by, account, nonce)
      if (isCooling(sent)) return await showWait(req, reply, deps, account, sent.until)
      if (sent.status !== 'sent') return await show(req, reply, deps, account, { code: (await sendError(req, deps, sent)) }, 429)
      const change = req.session.factorChange!
      req.session.factorChange = { ...change, sent: { at: deps.clock.now().getTime(), count: (change.sent?.count ?? 1) + 1 } }
      return reply.redirect(path, 303)
    }
    if (cleanCode(form.code) === null) return await show(req, reply, deps, account, { code: t(req).error.codeFormat }, 422)
    const wait = await throttled(deps, req, by, account.username)
    if (wait) return await show(req, reply, deps, account, { code: wait }, 429)
    const result = await confirmEmailChange(deps, by, account, nonce, form.code)
    if (isCooling(result)) return await showWait(req, reply, deps, account, result.until)
    if (result !== 'ok') {
      return await show(req, reply, deps, account, { code: codeError(req, result) }, 422)
    }
    await guessRight(deps, req, account.username)
    delete req.session.factorChange
    req.session.securityNotice = { kind: 'factorEmail' }
    return await backToSecurity(reply)
  })
}
