// Headers on every response (errors and 404 included) and the CSRF guard on every POST
// (@fastify/csrf-protection for the token, our Origin / Sec-Fetch-Site check before it).
import { keepDraft } from './drafts.ts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import Tokens from '@fastify/csrf'
import csrfProtection from '@fastify/csrf-protection'
import type { Deps } from '../domain/deps.ts'
import { HttpError } from './http-error.ts'

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
 * The CSRF token of this request's forms (@fastify/csrf-protection): made from a secret in an HttpOnly
 * cookie of its own, so a visitor who only looks at a form needs no session row, and bound to the
 * signed-in account, so a sign-in or sign-out voids the forms rendered before it. Empty when no cookie
 * can go out (a Secure cookie over plain http would be dropped: the form could not be sent anyway).
 */
export function csrfToken(req: FastifyRequest, reply: FastifyReply): string {
  const { config } = req.server.deps
  if (config.secure && req.protocol !== 'https') return ''
  return reply.generateCsrf({ userInfo: csrfUserInfo(req) })
}

// Never empty: the library refuses an empty userInfo. A form posted by a signed-in session that has
// just timed out is checked as that account's (web/drafts.ts keeps it only when its token is right).
function csrfUserInfo(req: FastifyRequest): string {
  const expiredPost = req.method === 'POST' && req.session?.notice === 'sessionExpired'
  const id = req.session?.accountId ?? (expiredPost ? req.session.expired?.accountId : undefined)
  return id === undefined ? 'visitor' : `account:${id}`
}

/** The CSRF secret's cookie and the attributes it is set with (sign-out expires it with the same ones). */
export const csrfCookie = (config: Config) => ({
  name: config.secure ? '__Host-mtd_csrf' : 'mtd_csrf',
  attributes: { path: '/', sameSite: 'lax', httpOnly: true, secure: config.secure } as const,
})

export async function registerCsrf(app: FastifyInstance, deps: Deps): Promise<void> {
  const { config, keys } = deps
  const cookie = csrfCookie(config)
  await app.register(csrfProtection, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: cookie.name,
    // Not signed: the token is an HMAC under our key (hmacKey below) of the cookie's secret and the
    // account, so a secret someone plants (a `__Host-` cookie can not even be planted) gives them no
    // token; a cookie signature would add nothing but an HMAC to every form and every POST.
    cookieOpts: { ...cookie.attributes, signed: false },
    // Forms only: a token in a header would be a way in for scripts on other sites to aim at.
    getToken: (req) => {
      const sent = (req.body as Record<string, unknown> | undefined)?._csrf
      return typeof sent === 'string' ? sent : ''
    },
    getUserInfo: csrfUserInfo,
    csrfOpts: { hmacKey: keys.csrf },
    logLevel: 'info',
  })
  registerCsrfGuard(app, deps, olderTokens(deps))
}

/**
 * A form rendered just before SECRET_KEY changed carries a token under the key now in SECRET_KEYS_OLD:
 * it is still accepted (the next form gets a token under the first key). Same library, same options.
 */
function olderTokens(deps: Deps): (req: FastifyRequest) => boolean {
  // (The package's call signature types the simple variant; with userInfo it verifies with three arguments.)
  const checkers = deps.keys.older.map((set) => Tokens({ hmacKey: set.csrf, userInfo: true }) as unknown as { verify(secret: string, token: string, userInfo: string): boolean })
  if (checkers.length === 0) return () => false
  const cookieKey = deps.config.secure ? '__Host-mtd_csrf' : 'mtd_csrf'
  return (req) => {
    const secret = req.cookies[cookieKey]
    const token = (req.body as Record<string, unknown> | undefined)?._csrf
    return typeof secret === 'string' && typeof token === 'string' && checkers.some((c) => c.verify(secret, token, csrfUserInfo(req)))
  }
}

/**
 * Every POST carries the token of this browser's forms, and when the browser says where the request
 * came from (Sec-Fetch-Site, Origin) it must be this site. Requests that say nothing (curl, very old
 * browsers) still need the token: SameSite=Lax alone is not enough.
 */
function registerCsrfGuard(app: FastifyInstance, deps: Deps, underOlderKey: (req: FastifyRequest) => boolean): void {
  const { config } = deps
  app.addHook('preHandler', (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (req.method !== 'POST') return done()
    // The session just timed out (web/session.ts): its form is void, and the sign-in page says why.
    // A practice form from our own page (site and token checked) is kept for the same account's
    // next sign-in (web/drafts.ts, issue 24 #2).
    if (req.session.notice === 'sessionExpired') {
      if (req.session.expired?.accountId !== undefined && siteRefusal(req, config) === null) {
        return app.csrfProtection(req, reply, () => {
          keepDraft(req, deps)
          reply.redirect('/inloggen', 303)
        })
      }
      return reply.redirect('/inloggen', 303)
    }
    const refusal = siteRefusal(req, config)
    if (refusal) return done(refusal)
    if (underOlderKey(req)) return done()
    app.csrfProtection(req, reply, done)
  })
}

/** A POST that the browser says came from another site (a 403), or null when it may go on. */
function siteRefusal(req: FastifyRequest, config: Config): HttpError | null {
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return new HttpError(403, 'forbidden')
  const origin = req.headers.origin
  // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` with their own form posts
  // (Fetch serialises the origin as null under that policy), so null says nothing, like no Origin:
  // a modern browser's Sec-Fetch-Site (checked above) still refuses cross-site posts, and old
  // browsers that send neither still need the token (docs/decisions/0003).
  if (origin !== undefined && origin !== 'null' && origin !== config.publicUrl.origin && origin !== `${req.protocol}://${req.host}`) {
    return new HttpError(403, 'forbidden')
  }
  return null
}
