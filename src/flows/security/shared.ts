// What every form of the security page shares: signed-in only, the current password asked again
// (and counted like a sign-in guess), and a one-shot notice shown after the redirect.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../domain/accounts.ts'
import { recordEvent } from '../../domain/audit.ts'
import type { Actor, Deps } from '../../domain/deps.ts'
import { verifyPassword } from '../../domain/passwords.ts'
import { isLocked } from '../../domain/throttle.ts'
import { rotateSession, sessionAccount } from '../../web/session.ts'
import { guessRight, guesserOf, throttled } from '../shared/attempts.ts'
import { t } from '../../web/language.ts'

export type SecurityNotice =
  | { kind: 'password' | 'factorApp' | 'factorEmail' | 'factorCancelled' | 'factorExpired' | 'language' }
  | { kind: 'sessions'; count: number }

declare module 'fastify' {
  interface Session {
    /** Shown once on the security page after a change (Post/Redirect/Get). */
    securityNotice?: SecurityNotice
    /** A second-factor change this browser started with the current password; it counts after a code. */
    factorChange?: { method: 'app' | 'email'; startedAt: number; sent?: { at: number; count: number } }
  }
}

export const securityPath = '/beveiliging'

/** The signed-in, active account of this session, or undefined: the caller answers 303 /inloggen. */
export async function signedInAccount(req: FastifyRequest, deps: Deps): Promise<Account | undefined> {
  const id = req.session.accountId
  const account = id === undefined ? undefined : (await sessionAccount(req, deps, id))
  return account && account.deactivatedAt === null ? account : undefined
}

export const toSignIn = (reply: FastifyReply) => reply.redirect('/inloggen', 303)

export type Reauth = { ok: true } | { ok: false; message: string; status: 422 | 429 }

/**
 * The current password, asked again for every change. It is a guess like any other: the throttle
 * first, counted against the account's username when wrong, so this page can not be used to guess.
 */
export async function checkCurrentPassword(req: FastifyRequest, deps: Deps, by: Actor, account: Account, typed: string, purpose: string): Promise<Reauth> {
  if (typed === '') return { ok: false, message: t(req).error.requiredCurrentPassword, status: 422 }
  const wait = await throttled(deps, req, by, account.username)
  if (wait) return { ok: false, message: wait, status: 429 }
  const matches = account.passwordHash !== null && (await verifyPassword(account.passwordHash, typed))
  if (matches && !(await isLocked(deps, guesserOf(req, deps, account.username)))) {
    await guessRight(deps, req, account.username)
    return { ok: true }
  }
  await recordEvent(deps, by, { event: 'reauth_failed', outcome: 'failure', accountId: account.id, detail: { purpose } })
  return { ok: false, message: t(req).error.currentPasswordWrong, status: 422 }
}

/**
 * A new session id for this browser, still signed in as before (the sign-in times are kept, so the
 * absolute timeout still counts from the real sign-in). Used after the other sessions were ended.
 */
export async function keepThisSession(req: FastifyRequest, deps: Deps, account: Account, notice: SecurityNotice): Promise<void> {
  const { signedInAt, previousSignInAt } = req.session
  await rotateSession(req, deps.clock.now(), {
    accountId: account.id,
    signedInAt,
    ...(previousSignInAt === undefined ? {} : { previousSignInAt }),
    securityNotice: notice,
  })
}
