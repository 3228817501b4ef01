// Headers on every response (errors and 404 included) and the CSRF guard on every POST.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { equalText } from '../domain/secrets.ts'
import { HttpError } from './errors.ts'
import { sessionCsrf } from './session.ts'

export const contentSecurityPolicy =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

export function securityHeaders(config: Config): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Old browsers that predate frame-ancestors.
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    // Every flow and signed-in page; the stylesheet route overrides this with a cacheable value.
    'cache-control': 'no-store',
  }
  if (config.secure) headers['strict-transport-security'] = 'max-age=63072000; includeSubDomains'
  return headers
}

const allowedMethods = new Set(['GET', 'HEAD', 'POST'])

/** The headers on every response, and only GET, HEAD and POST: TRACE, PUT, PROPFIND... get a 405 page. */
export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const headers = securityHeaders(config)
  // Callback hooks, not async ones: they run on every request, and a promise per hook shows in the profile.
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(headers)
    if (allowedMethods.has(req.method)) return done()
    reply.header('allow', 'GET, HEAD, POST')
    done(new HttpError(405, 'methodNotAllowed'))
  })
}

/**
 * The session's synchronizer token: an HMAC of the session id, so it needs no storage (a visitor who
 * only opens the sign-in form writes no row) and changes whenever the id does. Only someone who holds
 * the session cookie, or the page, can know it.
 */
export function csrfToken(req: FastifyRequest): string {
  return sessionCsrf(req, true) ?? ''
}

/**
 * Every POST carries the session's token, and when the browser says where the request came from
 * (Sec-Fetch-Site, Origin) it must be this site. Requests that say nothing (curl, very old browsers)
 * still need the token: SameSite=Lax alone is not enough.
 */
export function registerCsrfGuard(app: FastifyInstance, config: Config): void {
  app.addHook('preHandler', (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (req.method !== 'POST') return done()
    // The session just timed out (web/session.ts): its form is void, and the sign-in page says why.
    if (req.sessionState && req.session.notice === 'sessionExpired') return reply.redirect('/inloggen', 303)
    const refusal = csrfRefusal(req, config)
    done(refusal ?? undefined)
  })
}

/** Why this POST is refused (a 403), or null when it may go on. */
function csrfRefusal(req: FastifyRequest, config: Config): HttpError | null {
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return new HttpError(403, 'forbidden')
  const origin = req.headers.origin
  // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` with their own form posts
  // (Fetch serialises the origin as null under that policy), so null says nothing, like no Origin:
  // a modern browser's Sec-Fetch-Site (checked above) still refuses cross-site posts, and old
  // browsers that send neither still need the session's token (docs/decisions/0003).
  if (origin !== undefined && origin !== 'null' && origin !== config.publicUrl.origin && origin !== `${req.protocol}://${req.host}`) {
    return new HttpError(403, 'forbidden')
  }
  const body = req.body as Record<string, unknown> | undefined
  const sent = body?._csrf
  const expected = sessionCsrf(req, false)
  // equalText compares bytes: a token with a non-ASCII character must not throw (that was a 500).
  if (typeof sent !== 'string' || expected === null || !equalText(sent, expected)) return new HttpError(403, 'forbidden')
  return null
}
