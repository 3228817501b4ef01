// Stap 1: the invitation link. The GET only shows username and e-mail with 'Volgende' (mail
// scanners open links too); the POST verifies the address and sends the second mail.
import type { FastifyInstance } from 'fastify'
import { confirmInvitation, linkPath, peekLink } from '../../domain/invitations.ts'
import type { Deps } from '../../domain/deps.ts'
import { text } from '../../messages.ts'
import { actorOf } from '../../web/flow.ts'
import { page } from '../../web/render.ts'
import { linkInvalid } from './link-invalid.ts'

export function registerConfirmEmail(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { token: string } }>(`${linkPath.invite}/:token`, async (req, reply) => {
    const account = peekLink(deps, 'invite', req.params.token)
    if (!account) return linkInvalid(req, reply)
    return page(req, reply, 'onboarding/confirm-email', {
      title: text.confirmEmailTitle,
      username: account.username,
      email: account.email,
      action: `${linkPath.invite}/${req.params.token}`,
    })
  })

  app.post<{ Params: { token: string } }>(`${linkPath.invite}/:token`, async (req, reply) => {
    const account = confirmInvitation(deps, actorOf(req), req.params.token)
    if (!account) return linkInvalid(req, reply)
    return page(req, reply, 'onboarding/email-verified', { title: text.emailVerifiedTitle })
  })
}
