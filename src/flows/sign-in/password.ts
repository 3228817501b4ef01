// Stap 6, second page: Wachtwoord and Volgende, with the forgot-password link. Unknown usernames and
// wrong passwords get the same answer in the same time: a dummy hash is verified when there is no real
// one. Only a right password learns that an account is locked or deactivated (issue 12.3).
import type { FastifyInstance, FastifyRequest, FastifyReply } from 'fastify'
import { findAccountByUsername, normalizeUsername, type Account } from '../../domain/accounts.ts'
import { recordEvent } from '../../domain/audit.ts'
import type { Deps } from '../../domain/deps.ts'
import { dummyHash, verifyPassword } from '../../domain/passwords.ts'
import { hmac } from '../../domain/secrets.ts'
import { beginPasswordGuess, decoyTag, isLocked, passwordRight } from '../../domain/throttle.ts'
import { fill } from '../../messages.ts'
import { accountFlow } from '../account-flow.ts'
import { actorOf, dueStepPath } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { page } from '../../web/render.ts'
import { rotateSession, typedUsername } from '../../web/session.ts'
import { guesserOf, refusal } from '../shared/attempts.ts'
import { practiceWords } from '../../web/practice-shown.ts'
import { pendingInteraction, signInTitle } from '../shared/complete-sign-in.ts'
import { t } from '../../web/language.ts'

export function registerPassword(app: FastifyInstance, deps: Deps): void {
  // Same parameters as real hashes, so a verify against it costs the same; made now, not on the first
  // unknown username.
  void dummyHash(deps.config.limits)

  const show = (req: FastifyRequest, reply: FastifyReply, errors: Record<string, string> = {}, status = 200) =>
    page(req, reply, 'sign-in/password', { title: signInTitle(req), forApp: null, username: typedUsername(req, deps), errors }, status)

  app.get('/inloggen/wachtwoord', async (req, reply) => {
    if (!typedUsername(req, deps)) return reply.redirect('/inloggen', 303)
    return await show(req, reply)
  })

  app.post('/inloggen/wachtwoord', async (req, reply) => {
    const username = typedUsername(req, deps)
    if (!username) return reply.redirect('/inloggen', 303)
    const { sealedUsername } = req.session
    const { password } = readForm(req, ['password'])
    if (password === '') return await show(req, reply, { password: t(req).error.requiredPassword }, 422)
    const by = actorOf(req)
    const guesser = guesserOf(req, deps, username)
    const verdict = await beginPasswordGuess(deps, by, guesser)
    if (!verdict.ok) return await show(req, reply, { password: refusal(req, verdict) }, 429)

    const account = await findAccountByUsername(deps, username)
    const matches = await verifyPassword(account?.passwordHash ?? (await dummyHash(deps.config.limits)), password)
    const known = matches && account !== undefined && account.passwordHash !== null
    const now = deps.clock.now()
    const since = now.getTime()
    if (verdict.hidden) {
      // Hidden mode (decision 0011): this client failed often across usernames. Right or wrong, the
      // answer is a second-factor step; only a right password and a right code sign in.
      const real = known && account.deactivatedAt === null && !(await isLocked(deps, guesser))
      if (!real) await recordEvent(deps, by, { event: 'sign_in_failed', outcome: 'failure', accountId: account?.id ?? null, detail: { factor: 'password', hidden: true } })
      await rotateSession(req, now, {
        ...pendingInteraction(req),
        sealedUsername,
        flow: real
          ? { kind: 'sign-in', accountId: account.id, since, proven: [], hidden: true }
          : { kind: 'sign-in', accountId: null, since, proven: [], hidden: true, decoyMethod: decoyMethodFor(deps, username, account), decoyFor: account?.id ?? decoyTag(deps, username) },
      })
      return reply.redirect((await dueStepPath(accountFlow, req, deps)), 303)
    }
    if (!known || !account) {
      await recordEvent(deps, by, { event: 'sign_in_failed', outcome: 'failure', accountId: account?.id ?? null, detail: { factor: 'password' } })
      return await show(req, reply, { password: t(req).error.signInFailed }, 422)
    }
    // The right password is proven: a deactivated or locked account is told so plainly, and never that
    // waiting helps. A password alone does not prove the account (decision 0012): the page says "uw
    // praktijk", the lock mail in the account's mailbox names it with its contact (issue 20).
    const closed = account.deactivatedAt !== null ? 'deactivated' : (await isLocked(deps, guesser)) ? 'locked' : null
    if (closed) {
      await recordEvent(deps, by, { event: 'sign_in_failed', outcome: 'failure', accountId: account.id, detail: { factor: 'password', reason: closed } })
      const message = fill(closed === 'locked' ? t(req).error.signInLocked : t(req).error.signInDeactivated, (await practiceWords(req, deps)))
      return await page(req, reply, 'sign-in/closed', { title: signInTitle(req), forApp: null, message, forgot: closed === 'locked' }, 403)
    }
    await passwordRight(deps, guesser)
    // Partly signed in is a privilege change: a new session id.
    await rotateSession(req, now, { ...pendingInteraction(req), sealedUsername, flow: { kind: 'sign-in', accountId: account.id, since, proven: [] } })
    // Straight to the due step (one round trip less on a slow phone); /account would answer the same.
    return reply.redirect((await dueStepPath(accountFlow, req, deps)), 303)
  })
}

/**
 * The second factor a hidden-mode decoy shows: the account's own method (a right password would show
 * it too), or for an unknown username one derived from its HMAC, stable and mostly the app, like patients.
 */
function decoyMethodFor(deps: Deps, username: string, account: Account | undefined): 'app' | 'email' {
  if (account?.mfaMethod) return account.mfaMethod
  return parseInt(hmac(deps.keys.decoy, `method:${normalizeUsername(username)}`).slice(0, 2), 16) < 64 ? 'email' : 'app'
}
