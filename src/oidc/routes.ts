// Mounts the OpenID Connect provider in the portal: oidc-provider (a Koa app) answers /oidc/* and the
// discovery document in a Fastify scope of its own, on the raw request (reply.hijack()), so the
// portal's CSRF guard and page headers do not touch its protocol endpoints. What reaches it is checked
// first (gate.ts: https under an https PUBLIC_URL, a logout request's parameters and budget, the way an
// app sends its secret), and its form bodies are read here under small limits and handed over with the
// request. Its HTML pages (errors, logout) are ours (pages.ts) with the portal's headers. The
// interaction pages are ordinary portal routes (interaction.ts).
//
// The provider (oidc-provider and its Koa stack, provider.ts) is loaded on first need, not before the
// portal answers: it was most of a cold start (docs/benchmarks.md). server.ts asks for it right after
// listening, so it is ready a moment later, and a provider that cannot start stops the portal, as a
// failure at start did before; a request that comes earlier waits for it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingMessage } from 'node:http'
import { PassThrough } from 'node:stream'
import type Provider from 'oidc-provider'
import type { KoaContext } from 'oidc-provider'
import { getAccount } from '../domain/accounts.ts'
import { recordEvent } from '../domain/audit.ts'
import type { Deps } from '../domain/deps.ts'
import { hours, minutes } from '../domain/deps.ts'
import { actorOf } from '../web/flow.ts'
import { switchHref } from '../web/language.ts'
import { removeSession } from '../domain/sessions.ts'
import { subjectOf } from './accounts.ts'
import { registerDevApp } from './dev-app.ts'
import { bodyLimits, clientAuthRefusal, defaultBodyLimit, forBrowsers, logoutRefusal, transportRefusal, type Params, type Refusal } from './gate.ts'
import { registerInteraction } from './interaction.ts'
import { serveAppSignInsWith } from './app-sign-ins.ts'
import { endProviderSession, providerSessionOf } from './portal-logout.ts'
import { errorPage, logoutPage, renderError, type Pages, type Reader } from './pages.ts'
import type { PortalState } from './provider.ts'
import { prefix } from './prefix.ts'
import { securityHeaders } from '../web/security.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Loads the OpenID Connect provider now (server.ts, after listen); rejects if it cannot start. */
    oidcReady: () => Promise<void>
    /**
     * Ends this browser's provider session for the account signing out, and tells its apps (portal-logout.ts).
     * 'other': the session is another account's and stays, with its cookie.
     */
    oidcSignOut: (req: FastifyRequest, accountId: number) => Promise<'ended' | 'none' | 'other'>
  }
}

interface Loaded {
  provider: Provider
  callback: ReturnType<Provider['callback']>
}

export async function registerOidc(app: FastifyInstance, deps: Deps): Promise<void> {
  const { config } = deps
  const pages: Pages = { view: (template, data) => app.view(template, data), config }
  const headers = securityHeaders(config)
  const mount = (provider: Provider): Loaded => {
    provider.use(async (ctx: KoaContext, next) => {
      // The portal's headers on every answer of the provider too (HSTS, nosniff, no framing, no referrer);
      // oidc-provider sets its own cache-control where a response may be cached (discovery, JWKS).
      for (const [name, value] of Object.entries(headers)) ctx.set(name, value)
      await next()
      // oidc-provider lists form_post and fragment too; the portal answers in the query only.
      if (ctx.path === '/.well-known/openid-configuration' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
        ;(ctx.body as Record<string, unknown>).response_modes_supported = ['query']
      }
      // A POSTed authorization request asking for another response mode is refused by oidc-provider in
      // the mode it asked for: a page that posts itself by JavaScript. Ours says no instead.
      if (ctx.oidc?.route === 'authorization' && typeof ctx.body === 'string' && ctx.body.includes('<title>Submitting Callback</title>')) {
        await errorPage(pages, ctx, { error: 'unsupported_response_mode', error_description: 'response_mode' })
      }
      // Logout without a provider session: oidc-provider answers with a page that submits itself by
      // JavaScript. Ours asks with a button instead.
      if (ctx.oidc?.route === 'end_session' && ctx.method === 'GET' && ctx.status === 200 && !ctx.oidc.session?.accountId && ctx.oidc.session?.state?.secret) {
        const form = `<form id="op.logoutForm" method="post" action="${prefix}/session/end/confirm"><input type="hidden" name="xsrf" value="${ctx.oidc.session.state.secret}"></form>`
        await logoutPage(pages, ctx, form)
      }
    })
    return { provider, callback: provider.callback() }
  }
  // Loaded once, on first need (see the top of this file).
  let loaded: Loaded | undefined
  let loading: Promise<Loaded> | undefined
  const load = () => (loading ??= import('./provider.ts').then(async ({ createProvider }) => (loaded = mount(await createProvider(deps, pages)))))
  app.decorate('oidcReady', () => load().then(() => undefined))
  const provider = () => load().then((l) => l.provider)
  // The apps are told of sign-ins ended elsewhere (domain/sessions.ts endAccountSessions) by this provider.
  serveAppSignInsWith(deps.appSignIns, provider)
  // The portal's own Uitloggen (flows/home.ts): this browser's sign-ins at the apps end with it.
  app.decorate('oidcSignOut', async (req: FastifyRequest, accountId: number) => {
    const sessionId = providerSessionOf(req, config)
    if (!sessionId) return 'none'
    return await endProviderSession(deps, await provider(), actorOf(req), sessionId, accountId)
  })

  /** The portal account of this browser, by the same idle and absolute limits as web/session.ts. */
  async function portalSubject(req: FastifyRequest): Promise<string | undefined> {
    const session = req.session
    if (!session || session.accountId === undefined) return undefined
    const now = deps.clock.now().getTime()
    const { limits } = config
    if (now - (session.seenAt ?? 0) > minutes(limits.sessionIdleMinutes)) return undefined
    if (now - (session.signedInAt ?? 0) > hours(limits.sessionAbsoluteHours)) return undefined
    const account = await getAccount(deps, session.accountId)
    if (!account || account.deactivatedAt !== null || account.erasedAt !== null) return undefined
    return await subjectOf(deps, account.id)
  }

  // A page answering a POST (the logout's confirmation) has no GET of its own to switch back to.
  const readerOf = (req: FastifyRequest): Reader => ({ lang: req.lang, switchHref: (to) => switchHref(req, to, req.method === 'GET' ? undefined : '/') })

  /** A request refused before oidc-provider reads it (gate.ts): our page for a browser, JSON for an app. */
  async function refuse(req: FastifyRequest, reply: FastifyReply, refusal: Refusal): Promise<FastifyReply> {
    reply.headers(securityHeaders(config)).headers(refusal.headers ?? {}).code(refusal.status)
    if (!forBrowsers(pathOf(req.url))) return reply.send({ error: refusal.error, error_description: refusal.description })
    const html = await renderError(pages, readerOf(req), refusal.message, refusal.error)
    return reply.type('text/html; charset=utf-8').send(html)
  }

  /** `raw`: the request oidc-provider reads (req.raw, or a copy carrying the body Fastify read: withBody). */
  async function toProvider(req: FastifyRequest, reply: FastifyReply, provider: Loaded, raw: IncomingMessage): Promise<void> {
    const query = req.query as Record<string, unknown>
    const reader = readerOf(req)
    // Only response_mode=query: anything else is refused here, before oidc-provider would answer in it.
    if (req.url.startsWith(`${prefix}/auth`) && query.response_mode !== undefined && query.response_mode !== 'query') {
      void renderError(pages, reader, 'errorResponseMode', 'unsupported_response_mode').then((html) => reply.headers(securityHeaders(config)).code(400).type('text/html; charset=utf-8').send(html))
      return
    }
    const accountId = req.session?.accountId
    const portal: PortalState = {
      subject: (await portalSubject(req)),
      ip: req.ip,
      reader,
      // The provider confirmed a logout (its xsrf checked): the portal session of this browser ends too.
      endPortalSession: async () => {
        // The reply is hijacked, so the session plugin writes nothing after this: the row is gone for good.
        if (!req.session?.sessionId) return
        await removeSession(deps, req.session.sessionId)
        if (accountId !== undefined) await recordEvent(deps, actorOf(req), { event: 'logout', outcome: 'success', accountId, detail: { via: 'oidc' } })
      },
    }
    ;(raw as unknown as { portal: PortalState }).portal = portal
    // oidc-provider builds its URLs from the request: make them PUBLIC_URL's, whatever Host or
    // X-Forwarded-Host a client sent, and the scheme the one Fastify decided by TRUST_PROXY's rule.
    const headers = raw.headers
    headers.host = config.publicUrl.host
    delete headers['x-forwarded-host']
    headers['x-forwarded-proto'] = req.protocol
    reply.hijack()
    provider.callback(raw, reply.raw)
  }

  /** The hooks below answer through the provider: the reply is hijacked, and returned so Fastify goes no further. */
  async function handOver(req: FastifyRequest, reply: FastifyReply, raw: IncomingMessage): Promise<FastifyReply> {
    await toProvider(req, reply, loaded ?? (await load()), raw)
    return reply
  }

  await app.register(async (scope) => {
    // Form bodies, the only kind oidc-provider reads, are read here under each endpoint's limit (gate.ts)
    // and checked, then handed to it with the request (withBody). Other types it refuses itself, unread.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null))
    // A body over its limit (413) or otherwise unreadable: an OAuth error in JSON to an app; a browser
    // gets the portal's page.
    scope.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
      const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : undefined
      if (status === undefined || forBrowsers(pathOf(req.url))) throw err
      return reply.headers(securityHeaders(config)).code(status).send({ error: 'invalid_request', error_description: status === 413 ? 'request body too large' : 'request body could not be read' })
    })
    const route = (url: string, bodyLimit: number) =>
      scope.route({
        method: ['GET', 'POST', 'HEAD'],
        url,
        bodyLimit,
        // Handed over before the portal's CSRF guard (a preHandler) would ask the app's token request for
        // a form token it cannot have: without a body at once, with one as soon as it is read.
        onRequest: async (req, reply) => {
          const refusal = transportRefusal(config, req.protocol) ?? (req.method === 'POST' ? null : await logoutRefusal(deps, actorOf(req), pathOf(req.url), queryParams(req)))
          if (refusal) return await refuse(req, reply, refusal)
          if (req.method === 'POST') return
          return await handOver(req, reply, req.raw)
        },
        preValidation: async (req, reply) => {
          const body = Buffer.isBuffer(req.body) ? req.body : undefined
          const form = new URLSearchParams(body?.toString('utf8') ?? '')
          const params: Params = (name) => form.getAll(name)
          const path = pathOf(req.url)
          const refusal = (await logoutRefusal(deps, actorOf(req), path, params)) ?? (await clientAuthRefusal(deps, path, req.headers.authorization, params))
          if (refusal) return await refuse(req, reply, refusal)
          return await handOver(req, reply, body ? withBody(req.raw, body) : req.raw)
        },
        handler: async () => undefined,
      })
    route('/.well-known/openid-configuration', defaultBodyLimit)
    for (const [url, limit] of Object.entries(bodyLimits)) route(url, limit)
    route(`${prefix}/*`, defaultBodyLimit)
  })

  registerInteraction(app, deps, provider)
  if (config.devOutbox) registerDevApp(app, deps)
}

const pathOf = (url: string): string => url.split('?')[0]!

/** The query's values of `name` (Fastify's parser gives a string, or an array when it is repeated). */
function queryParams(req: FastifyRequest): Params {
  const query = req.query as Record<string, unknown>
  return (name) => {
    const value = query[name]
    return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]
  }
}

/**
 * The request as oidc-provider reads it, with the body Fastify already read: the same URL, headers and
 * socket, and a stream that gives the body again (oidc-provider reads bodies from the request stream
 * itself, and would otherwise find it spent).
 */
function withBody(raw: IncomingMessage, body: Buffer): IncomingMessage {
  const stream = new PassThrough()
  stream.end(body)
  const { headers, rawHeaders, method, url, httpVersion, httpVersionMajor, httpVersionMinor, socket } = raw
  return Object.assign(stream, { headers, rawHeaders, method, url, httpVersion, httpVersionMajor, httpVersionMinor, socket, connection: socket, complete: true, aborted: false }) as unknown as IncomingMessage
}
