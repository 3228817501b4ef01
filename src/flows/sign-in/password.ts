// Stap 6, second page: Wachtwoord and Volgende, with the forgot-password link. Unknown usernames,
// wrong passwords, locked and deactivated accounts get the same answer in the same time: a dummy
// hash is verified when there is no real one.
import type { FastifyInstance, FastifyRequest, FastifyReply } from 'fastify'
import { randomBytes } from 'node:crypto'
import { findAccountByUsername } from '../../domain/accounts.ts'
import { recordEvent } from '../../domain/audit.ts'
import type { Deps } from '../../domain/deps.ts'
import { hashPassword, verifyPassword } from '../../domain/passwords.ts'
import { isLocked } from '../../domain/throttle.ts'
import { error, text } from '../../messages.ts'
import { accountFlow } from '../account-flow.ts'
import { actorOf, dueStepPath } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { page } from '../../web/render.ts'
import { rotateSession } from '../../web/session.ts'
import { pendingInteraction } from '../shared/complete-sign-in.ts'
import { guessRight, throttled } from '../shared/attempts.ts'

export function registerPassword(app: FastifyInstance, deps: Deps): void {
  // Same parameters as real hashes, so a verify against it costs the same.
  let dummy: Promise<string> | null = null
  const dummyHash = () => (dummy ??= hashPassword(randomBytes(16).toString('hex'), deps.config.limits))

  const show = (req: FastifyRequest, reply: FastifyReply, errors: Record<string, string> = {}, status = 200) =>
    page(req, reply, 'sign-in/password', { title: text.signInTitle, username: req.session.typedUsername, errors }, status)

  app.get('/inloggen/wachtwoord', async (req, reply) => {
    if (!req.session.typedUsername) return reply.redirect('/inloggen', 303)
    return show(req, reply)
  })

  app.post('/inloggen/wachtwoord', async (req, reply) => {
    const username = req.session.typedUsername
    if (!username) return reply.redirect('/inloggen', 303)
    const { password } = readForm(req, ['password'])
    if (password === '') return show(req, reply, { password: error.required }, 422)
    const by = actorOf(req)
    const wait = throttled(deps, req, by, username)
    if (wait) return show(req, reply, { password: wait }, 429)

    const account = findAccountByUsername(deps, username)
    const matches = await verifyPassword(account?.passwordHash ?? (await dummyHash()), password)
    const allowed = matches && account !== undefined && account.passwordHash !== null && account.deactivatedAt === null && !isLocked(deps, username)
    if (!allowed || !account) {
      recordEvent(deps, by, { event: 'sign_in_failed', outcome: 'failure', accountId: account?.id ?? null, detail: { factor: 'password' } })
      return show(req, reply, { password: error.signInFailed }, 422)
    }
    guessRight(deps, req, username)
    const now = deps.clock.now()
    // Partly signed in is a privilege change: a new session id.
    rotateSession(req, now, { ...pendingInteraction(req), typedUsername: username, flow: { kind: 'sign-in', accountId: account.id, since: now.getTime(), proven: [] } })
    // Straight to the due step (one round trip less on a slow phone); /account would answer the same.
    return reply.redirect(dueStepPath(accountFlow, req, deps), 303)
  })
}
