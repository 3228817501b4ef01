// The one way into a signed-in session: a fresh session id, the account, the times the idle and
// absolute timeouts count from, and the audit event. Onboarding and sign-in both end here.
//
// An app's sign-in (OpenID Connect, src/oidc/) waiting in this browser: the session holds its
// interaction uid through every new session id of the walk (pendingInteraction), and the walk ends
// at /interaction/:uid/verder instead of the home page.
import type { FastifyRequest, Session } from 'fastify'
import { setLastSignIn, type Account } from '../../domain/accounts.ts'
import { recordEvent } from '../../domain/audit.ts'
import type { Actor, Deps } from '../../domain/deps.ts'
import { fill } from '../../messages.ts'
import { draftPath } from '../../web/drafts.ts'
import { t } from '../../web/language.ts'
import { rotateSession } from '../../web/session.ts'

declare module 'fastify' {
  interface Session {
    /** An app's sign-in waits for this walk to end (src/oidc/interaction.ts). */
    oidcInteraction?: string
    /** That app's name from its registration: the walk's pages name it ("Inloggen bij Dossier", issue 23.7). */
    oidcApp?: string
    /** This session's sign-in was made for that interaction: it counts as fresh for prompt=login and max_age. */
    oidcFreshFor?: string
    /** The second step of this sign-in, for the id_token's amr: a recovery code is not the app (docs/oidc.md). */
    signInMethod?: SignInMethod
  }
}

type Kept = Pick<Session, 'oidcInteraction' | 'oidcApp' | 'uiLocale' | 'accountId' | 'signedInAt' | 'previousSignInAt' | 'signInMethod' | 'draft'>

/**
 * What a new session id must keep from the old session: a pending app sign-in, its name (the walk's
 * pages name the app, issue 23.7), the language the app asked for, and, when the app asked a signed-in
 * patient to sign in again (prompt=login, max_age), that patient's sign-in: it stays until this walk
 * ends in completeSignIn (issue 19 #5).
 */
export function pendingInteraction(req: FastifyRequest): Kept {
  const { oidcInteraction, oidcApp, uiLocale, accountId, signedInAt, previousSignInAt, signInMethod, draft } = req.session
  // A practice form kept over an expiry (web/drafts.ts) waits for the sign-in that ends this walk.
  if (!oidcInteraction) return draft ? { draft } : {}
  const kept: Kept = { oidcInteraction, oidcApp, uiLocale, accountId, signedInAt, previousSignInAt, signInMethod }
  return Object.fromEntries(Object.entries(kept).filter(([, value]) => value !== undefined)) as Kept
}

/** "Inloggen", or while an app's sign-in is walked "Inloggen bij Dossier" (the app's registered name). */
export function signInTitle(req: FastifyRequest): string {
  const { text } = t(req)
  const app = req.session?.oidcInteraction ? req.session.oidcApp : undefined
  return app ? fill(text.signInTitleApp, { app }) : text.signInTitle
}

export type SignInMethod = 'app' | 'email' | 'recovery'

/** `method`: how the second step was passed, when not the account's method (a recovery code). */
export async function completeSignIn(req: FastifyRequest, deps: Deps, by: Actor, account: Account, via: 'onboarding' | 'sign-in' | 'reset', method: SignInMethod | null = account.mfaMethod): Promise<string> {
  const now = deps.clock.now()
  const pending = req.session.oidcInteraction
  // The same account's kept form (web/drafts.ts): signed in again, it continues there.
  const draftAt = pending ? null : draftPath(req, deps, account.id)
  const draft = draftAt ? req.session.draft : undefined
  await rotateSession(req, now, {
    ...(draft ? { draft } : {}),
    accountId: account.id,
    signedInAt: now.getTime(),
    ...(account.lastSignInAt ? { previousSignInAt: account.lastSignInAt.getTime() } : {}),
    ...(method ? { signInMethod: method } : {}),
    ...(pending ? { oidcFreshFor: pending } : {}),
  })
  await setLastSignIn(deps, account.id, now)
  await recordEvent(deps, by, { event: 'sign_in', outcome: 'success', accountId: account.id, detail: { via, method } })
  return pending ? `/interaction/${encodeURIComponent(pending)}/verder` : (draftAt ?? '/')
}
