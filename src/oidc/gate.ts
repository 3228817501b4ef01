// What is checked before oidc-provider reads a request (issue 19 #4, #7, #8): the transport, the size of
// its body, a logout request's parameters and budget, and the way an app sends its secret. routes.ts
// asks before it hands a request over. A refusal is an answer of its own: a page of ours on the
// endpoints a browser is sent to, an OAuth error in JSON on those the apps call; never a redirect that
// would repeat the request's parameters elsewhere. No Fastify here: routes.ts passes what it read.
import type { Config } from '../config.ts'
import type { Actor, Deps } from '../domain/deps.ts'
import type { Catalogue } from '../messages.ts'
import { getClient, type AuthMethod } from './clients.ts'
import { logoutParamTooLong } from './params.ts'
import { prefix } from './prefix.ts'
import { takeInteraction } from './request-budget.ts'

export interface Refusal {
  status: number
  /** The OAuth error: in the JSON answer to an app, as the code on our page for a browser. */
  error: string
  description: string
  /** The words on our page (browser endpoints). */
  message: keyof Catalogue['oidcText']
  headers?: Record<string, string>
}

/** A request's parameters as routes.ts read them (the query, or the form body): every value of `name`. */
export type Params = (name: string) => string[]

/** Endpoints a browser is sent to (answers are pages); the others are called by apps (answers are JSON). */
export function forBrowsers(path: string): boolean {
  return path === `${prefix}/auth` || path.startsWith(`${prefix}/auth/`) || path === `${prefix}/session/end` || path.startsWith(`${prefix}/session/end/`)
}

/**
 * The form body each endpoint takes, in bytes (oidc-provider's own limit is 56 KB on every endpoint).
 * The longest parameters params.ts allows fill about 5 KB of an authorization or logout request.
 */
export const bodyLimits: Record<string, number> = {
  [`${prefix}/auth`]: 8 * 1024,
  [`${prefix}/session/end`]: 8 * 1024,
  // A code, its verifier, the redirect URI and the app's credentials.
  [`${prefix}/token`]: 8 * 1024,
  [`${prefix}/token/revocation`]: 4 * 1024,
  // An access token in the body instead of the header.
  [`${prefix}/me`]: 4 * 1024,
}
/** The rest: the logout confirmation (its xsrf and a yes); the others take no body. */
export const defaultBodyLimit = 1024

/**
 * Under an https PUBLIC_URL (always in production) the provider answers over https only, by the
 * TRUST_PROXY rule: over plain http its cookies could not be Secure, and its answers would travel in clear.
 */
export function transportRefusal(config: Config, protocol: string): Refusal | null {
  if (!config.secure || protocol === 'https') return null
  return { status: 403, error: 'invalid_request', description: 'https is required', message: 'errorHttps' }
}

/**
 * A logout request (RP-initiated logout) keeps its state in a provider session, made for it when the
 * browser has none: its parameters are capped as the authorization request's are (params.ts), and it
 * counts against the client's budget of interactions (request-budget.ts).
 */
export async function logoutRefusal(deps: Deps, by: Actor, path: string, params: Params): Promise<Refusal | null> {
  if (path !== `${prefix}/session/end`) return null
  const tooLong = logoutParamTooLong(params)
  if (tooLong) return { status: 400, error: 'invalid_request', description: `${tooLong} is too long`, message: 'errorGeneric' }
  const taken = await takeInteraction(deps, by, null)
  if (taken.ok) return null
  const retryAfter = Math.max(1, Math.ceil((taken.until.getTime() - deps.clock.now().getTime()) / 1000))
  return { status: 429, error: 'temporarily_unavailable', description: 'too many requests from this address', message: 'errorTooManyClient', headers: { 'retry-after': String(retryAfter) } }
}

/** The app and the way it sent its secret, read as oidc-provider reads them; undefined when it sent none (or a malformed one, which oidc-provider refuses). */
function presented(authorization: string | undefined, params: Params): { clientId: string; method: AuthMethod } | undefined {
  if (authorization !== undefined) {
    const parts = authorization.split(' ')
    if (parts.length !== 2 || parts[0]!.toLowerCase() !== 'basic') return undefined
    const basic = Buffer.from(parts[1]!, 'base64').toString('utf8')
    const colon = basic.indexOf(':')
    if (colon === -1) return undefined
    try {
      return { clientId: decodeURIComponent(basic.slice(0, colon).replace(/\+/g, '%20')), method: 'client_secret_basic' }
    } catch {
      return undefined
    }
  }
  const [clientId] = params('client_id')
  return clientId !== undefined && params('client_secret').length > 0 ? { clientId, method: 'client_secret_post' } : undefined
}

/**
 * The app sends its secret the way it was registered (`client add --auth-method`), at the endpoints
 * where apps authenticate. oidc-provider 8 takes a secret in the header or in the body from any app
 * registered for either (its token_auth.js offers both methods whenever a secret comes), so a secret
 * that leaked where form bodies are logged would work for an app that only ever sends it in the header.
 * The answer is oidc-provider's own for a wrong secret.
 */
export async function clientAuthRefusal(deps: Deps, path: string, authorization: string | undefined, params: Params): Promise<Refusal | null> {
  if (path !== `${prefix}/token` && path !== `${prefix}/token/revocation`) return null
  const sent = presented(authorization, params)
  const registered = sent && (await getClient(deps, sent.clientId))?.authMethod
  if (!sent || !registered || registered === sent.method) return null
  const issuer = deps.config.publicUrl.href.replace(/\/$/, '')
  return {
    status: 401,
    error: 'invalid_client',
    description: 'client authentication failed',
    message: 'errorGeneric',
    ...(authorization !== undefined ? { headers: { 'www-authenticate': `Basic realm="${issuer}", error="invalid_client", error_description="client authentication failed"` } } : {}),
  }
}
