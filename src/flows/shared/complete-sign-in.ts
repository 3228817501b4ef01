// The one way into a signed-in session: a fresh session id, the account, the times the idle and
// absolute timeouts count from, and the audit event. Onboarding and sign-in both end here.
import type { FastifyRequest } from 'fastify'
import { updateAccount, type Account } from '../../domain/accounts.ts'
import { recordEvent } from '../../domain/audit.ts'
import type { Actor, Deps } from '../../domain/deps.ts'
import { rotateSession } from '../../web/session.ts'

export async function completeSignIn(req: FastifyRequest, deps: Deps, by: Actor, account: Account, via: 'onboarding' | 'sign-in' | 'reset'): Promise<string> {
  const now = deps.clock.now()
  await rotateSession(req, now, {
    accountId: account.id,
    signedInAt: now.getTime(),
    ...(account.lastSignInAt ? { previousSignInAt: account.lastSignInAt.getTime() } : {}),
  })
  updateAccount(deps, account.id, { lastSignInAt: now })
  recordEvent(deps, by, { event: 'sign_in', outcome: 'success', accountId: account.id, detail: { via, method: account.mfaMethod } })
  return '/'
}
