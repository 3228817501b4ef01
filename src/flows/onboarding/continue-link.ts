// The second mail's link, from the system sender. It works in any browser: posting its 'Volgende'
// binds this browser, in a fresh session, to the account's onboarding, which continues where the
// account's facts say.
import type { FastifyInstance } from 'fastify'
import { isOnboarded } from '../../domain/accounts.ts'
import { recordEvent } from '../../domain/audit.ts'
import type { Deps } from '../../domain/deps.ts'
import { linkPath, peekLink, useContinueLink } from '../../domain/invitations.ts'
import { text } from '../../messages.ts'
import { actorOf } from '../../web/flow.ts'
import { page } from '../../web/render.ts'
import { rotateSession } from '../../web/session.ts'
import { pendingInteraction } from '../shared/complete-sign-in.ts'
import { linkInvalid } from './link-invalid.ts'

export function registerContinueLink(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { token: string } }>(`${linkPath.continue}/:token`, async (req, reply) => {
    const account = peekLink(deps, 'continue', req.params.token)
    // A finished account signs in with password and second factor; a link never replaces them.
    if (!account || isOnboarded(account)) return linkInvalid(req, reply)
    return page(req, reply, 'onboarding/continue', {
      title: text.continueTitle,
      username: account.username,
      action: `${linkPath.continue}/${req.params.token}`,
    })
  })

  app.post<{ Params: { token: string } }>(`${linkPath.continue}/:token`, async (req, reply) => {
    const peeked = peekLink(deps, 'continue', req.params.token)
    if (!peeked || isOnboarded(peeked)) {
      // Refused like a used or expired invitation is: audited, with the account when the link was real.
      recordEvent(deps, actorOf(req), { event: 'link_rejected', outcome: 'failure', accountId: peeked?.id ?? null, detail: { purpose: 'continue' } })
      return linkInvalid(req, reply)
    }
    const account = useContinueLink(deps, actorOf(req), req.params.token)
    if (!account) return linkInvalid(req, reply)
    const now = deps.clock.now()
    rotateSession(req, now, { ...pendingInteraction(req), flow: { kind: 'onboarding', accountId: account.id, since: now.getTime(), proven: [] } })
    return reply.redirect('/account', 303)
  })
}
