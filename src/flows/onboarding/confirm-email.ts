// Stap 1: the invitation link. The GET only shows username and e-mail with 'Volgende' (mail
// scanners open links too); the POST verifies the address and sends the second mail.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isOnboarded } from '../../domain/accounts.ts'
import { recordEvent } from '../../domain/audit.ts'
import { confirmInvitation, linkOwner, linkPath, peekLink } from '../../domain/invitations.ts'
import type { Deps } from '../../domain/deps.ts'
import { sha256 } from '../../domain/secrets.ts'
import { actorOf } from '../../web/flow.ts'
import { page } from '../../web/render.ts'
import { alreadyActive, linkInvalid } from './link-invalid.ts'
import { adoptLanguage, t } from '../../web/language.ts'

declare module 'fastify' {
  interface Session {
    /** The invitation this browser just used (a hash of its token): its GET shows the "verified" page again. */
    confirmedInvite?: string
  }
}

/** Names a used invitation in the session without keeping its token (the links table keeps another hash). */
const verifiedMark = (token: string) => sha256(`confirmed-invite:${token}`)

const verified = (req: FastifyRequest, reply: FastifyReply) => page(req, reply, 'onboarding/email-verified', { title: t(req).text.emailVerifiedTitle })

export function registerConfirmEmail(app: FastifyInstance, deps: Deps): void {
  /** An old invitation of a patient who finished the onboarding (the forgot path, say) says so. */
  const active = async (token: string) => {
    const owner = await linkOwner(deps, 'invite', token)
    return owner !== null && isOnboarded(owner) ? owner : null
  }

  app.get<{ Params: { token: string } }>(`${linkPath.invite}/:token`, async (req, reply) => {
    if ((await active(req.params.token))) return await alreadyActive(req, reply, deps)
    const account = await peekLink(deps, 'invite', req.params.token)
    // This browser used the link a moment ago: the same "verified" page again (the language switch
    // returns here, issue 23.7), not "no longer valid".
    if (!account && req.session.confirmedInvite === verifiedMark(req.params.token)) return await verified(req, reply)
    if (!account) return await linkInvalid(req, reply, deps)
    // The link came in the account's language; a choice made in this browser wins (saved on Volgende).
    await adoptLanguage(req, reply, deps, account, false)
    return await page(req, reply, 'onboarding/confirm-email', {
      title: t(req).text.confirmEmailTitle,
      username: account.username,
      email: account.email,
      action: `${linkPath.invite}/${req.params.token}`,
    })
  })

  app.post<{ Params: { token: string } }>(`${linkPath.invite}/:token`, async (req, reply) => {
    const owner = await active(req.params.token)
    if (owner) {
      // Nothing is verified and no second mail goes out: the account needs neither.
      await recordEvent(deps, actorOf(req), { event: 'link_rejected', outcome: 'failure', accountId: owner.id, detail: { purpose: 'invite', reason: 'active' } })
      return await alreadyActive(req, reply, deps)
    }
    // Before the second mail goes out, so it is in the language this browser reads. (A link that is
    // no good is refused, and audited, by confirmInvitation.)
    const invited = await peekLink(deps, 'invite', req.params.token)
    if (invited) await adoptLanguage(req, reply, deps, invited, true)
    const account = await confirmInvitation(deps, actorOf(req), req.params.token)
    if (!account) return await linkInvalid(req, reply, deps)
    req.session.confirmedInvite = verifiedMark(req.params.token)
    return await verified(req, reply)
  })
}
