// "Lukt het niet?" on every code page (issue 23.4): when codes keep failing for a reason the patient
// cannot see (a mistyped password answered in hidden mode, a second-step counter, a code replaced by a
// newer one), the page offers 'Begin opnieuw', the forgot path and whom to call. 'Begin opnieuw' is a
// POST that ends this browser's flow (a new session id, nothing of the walk kept) and returns to
// the Gebruikersnaam page; an app's sign-in waiting in the session is kept.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Deps } from '../../domain/deps.ts'
import { t } from '../../web/language.ts'
import { rotateSession } from '../../web/session.ts'
import type { Progress } from '../progress.ts'
import { whomToCall } from './code-messages.ts'
import { pendingInteraction } from './complete-sign-in.ts'

export const restartPath = '/inloggen/opnieuw'

export interface WayOut {
  /** Hidden mode: a wrong password looks like a right one, so every code fails; say that it may be the password. */
  hint: string | null
  contact: string
}

/** What the code page's "Lukt het niet?" says; the template shows it once the code field has an error. */
export async function wayOut(req: FastifyRequest, deps: Deps, facts: Progress): Promise<WayOut> {
  const { text } = t(req)
  // Hidden mode is the client's state, not the account's: a decoy and a real account in it read the same.
  return { hint: facts.kind === 'sign-in' && facts.hidden ? text.wayOutHidden : null, contact: (await whomToCall(req, deps)) }
}

export function registerRestart(app: FastifyInstance, deps: Deps): void {
  app.post(restartPath, async (req, reply) => {
    // Signed in, and no app asking this patient to sign in again (prompt=login keeps the session until
    // the new sign-in completes): there is no walk to end; the home page.
    if (req.session.accountId !== undefined && req.session.oidcInteraction === undefined) return reply.redirect('/', 303)
    await rotateSession(req, deps.clock.now(), pendingInteraction(req))
    return reply.redirect('/inloggen', 303)
  })
}
