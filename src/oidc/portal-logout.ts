// The portal's own Uitloggen ends the patient's sign-ins at the practice's apps too, as a logout through
// the provider (/oidc/session/end) does: this browser's provider session is destroyed, every app it
// signed in to that registered a back-channel logout URI is told (a signed logout token, by
// oidc-provider's own Client.backchannelLogout), and the tokens of those sign-ins are revoked. Without
// this the apps kept their own sessions until they next asked the provider. (Ending all of an account's
// sessions, on every device, is app-sign-ins.ts.)
import type { FastifyRequest } from 'fastify'
import type Provider from 'oidc-provider'
import type { Config } from '../config.ts'
import type { Actor, Deps } from '../domain/deps.ts'
import { accountOfSubject } from './accounts.ts'
import { tellApp } from './app-sign-ins.ts'
import { providerCookies } from './cookies.ts'

/**
 * This browser's provider session id (its cookie, named by cookies.ts), to end it or to keep it. Only a
 * value of the shape oidc-provider makes is passed on; it is a random secret, so holding it is proof enough.
 */
export function providerSessionOf(req: FastifyRequest, config: Config): string | undefined {
  const id = req.cookies[providerCookies(config).names.session]
  return id && id.length <= 100 ? id : undefined
}

interface ProviderSession {
  accountId?: string
  authorizations?: Record<string, { grantId?: string; persistsLogout?: boolean }>
  sidFor(clientId: string): string
  destroy(): Promise<void>
}

/**
 * Ends the provider session `sessionId` (the value of this browser's provider cookie; it is a random
 * secret id, so knowing it is proof enough) for the account that is signing out, and tells its apps.
 * A session of another account (someone else signed in to the provider at this computer) is left alone.
 */
export async function endProviderSession(deps: Deps, provider: Provider, by: Actor, sessionId: string, accountId: number): Promise<'ended' | 'none' | 'other'> {
  const session = (await provider.Session.find(sessionId)) as unknown as ProviderSession | undefined
  if (!session?.accountId) return 'none'
  if ((await accountOfSubject(deps, session.accountId))?.id !== accountId) return 'other'
  const sub = session.accountId
  for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
    await tellApp(deps, provider, by, accountId, { clientId, sub, sid: session.sidFor(clientId) })
    // As oidc-provider's own logout does: the sign-in's tokens go, unless it was granted offline access.
    const grantId = authorization.grantId
    if (grantId && !authorization.persistsLogout) {
      // One after the other: inside a transaction they share its one connection.
      for (const model of [provider.AccessToken, provider.AuthorizationCode, provider.RefreshToken]) await model.revokeByGrantId(grantId)
      await provider.Grant.adapter.destroy(grantId)
    }
  }
  await session.destroy()
  return 'ended'
}
