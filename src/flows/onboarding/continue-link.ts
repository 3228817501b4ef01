// The second mail's link, from the system sender: it opens Stap 2 (Accountverificatie) directly, as
// the guide shows. The GET only shows the masked number and 'Stuur verificatiecode' (mail scanners
// open links too). The POST of that button uses the link, binds this browser (a fresh session) to
// the account's onboarding and sends the SMS, in one go; the flow continues where the facts say.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { isOnboarded, maskPhone } from '../../domain/accounts.ts'
import { recordEvent } from '../../domain/audit.ts'
import type { Deps } from '../../domain/deps.ts'
import { linkOwner, linkPath, peekLink, useContinueLink } from '../../domain/invitations.ts'
import { fill } from '../../messages.ts'
import { actorOf, dueStepPath } from '../../web/flow.ts'
import { page } from '../../web/render.ts'
import { recordSend, rotateSession } from '../../web/session.ts'
import { accountFlow } from '../account-flow.ts'
import { sendError, unsendableNotice } from '../shared/code-messages.ts'
import { alreadyActive, linkInvalid } from './link-invalid.ts'
import { sendPhoneCode, verifyPhone } from './verify-phone.ts'
import { pendingInteraction } from '../shared/complete-sign-in.ts'
import { adoptLanguage, t } from '../../web/language.ts'

export function registerContinueLink(app: FastifyInstance, deps: Deps): void {
  const codeHint = (req: FastifyRequest) => fill(t(req).text.codeHint, { minutes: deps.config.limits.codeTtlMinutes })

  app.get<{ Params: { token: string } }>(`${linkPath.continue}/:token`, async (req, reply) => {
    // A finished account signs in with password and second factor; a link never replaces them.
    const owner = await linkOwner(deps, 'continue', req.params.token)
    if (owner && isOnboarded(owner)) return await alreadyActive(req, reply, deps)
    const account = await peekLink(deps, 'continue', req.params.token)
    if (!account) return await linkInvalid(req, reply, deps)
    await adoptLanguage(req, reply, deps, account, false)
    // Before its POST a link proves nothing to this browser (a mail scanner opens it too): no practice named.
    const unsendable = await unsendableNotice(req, deps, account.phone)
    return await page(req, reply, 'shared/code', { title: t(req).text.accountVerification, intro: t(req).text.phoneIntro, maskedPhone: maskPhone(account.phone), unsendable, sent: false, codeHint: codeHint(req) })
  })

  app.post<{ Params: { token: string } }>(`${linkPath.continue}/:token`, async (req, reply) => {
    const by = actorOf(req)
    const owner = await linkOwner(deps, 'continue', req.params.token)
    if (owner && isOnboarded(owner)) {
      // Refused like a used or expired link is, and audited with the account.
      await recordEvent(deps, by, { event: 'link_rejected', outcome: 'failure', accountId: owner.id, detail: { purpose: 'continue', reason: 'active' } })
      return await alreadyActive(req, reply, deps)
    }
    // Before the SMS goes out, so it is in the language this browser reads. (A link that is no good
    // is refused, and audited, by useContinueLink.)
    const linked = await peekLink(deps, 'continue', req.params.token)
    if (linked) await adoptLanguage(req, reply, deps, linked, true)
    // A number the portal will not text: the link stays unused, the page says what to do instead.
    const unsendable = linked && (await unsendableNotice(req, deps, linked.phone))
    if (linked && unsendable) {
      return await page(req, reply, 'shared/code', { title: t(req).text.accountVerification, intro: t(req).text.phoneIntro, maskedPhone: maskPhone(linked.phone), unsendable, sent: false, codeHint: codeHint(req) }, 422)
    }
    const account = await useContinueLink(deps, by, req.params.token)
    if (!account) return await linkInvalid(req, reply, deps)
    const now = deps.clock.now()
    await rotateSession(req, now, { ...pendingInteraction(req), flow: { kind: 'onboarding', accountId: account.id, since: now.getTime(), proven: [] } })
    const sent = await sendPhoneCode(req, deps, by, account)
    if (sent.status === 'sent') recordSend(req, 'phone', now)
    // The link is used and this browser is bound either way: a refused send (cooldown, the hourly
    // cap) shows on the phone step with 'Stuur verificatiecode' to try again.
    if (sent.status !== 'sent') {
      return await page(req, reply, 'shared/code', { title: t(req).text.accountVerification, intro: t(req).text.phoneIntro, maskedPhone: maskPhone(account.phone), sent: false, codeHint: codeHint(req), action: verifyPhone.path, errors: { code: (await sendError(req, deps, sent)) } }, 429)
    }
    return reply.redirect((await dueStepPath(accountFlow, req, deps)), 303)
  })
}
