// Mounts the OpenID Connect provider in the portal: oidc-provider (a Koa app) answers /oidc/* and the
// discovery document in a Fastify scope of its own, on the raw request (reply.hijack()), so none of
// our body parsing, CSRF guard or page headers touch its protocol endpoints; its HTML pages (errors,
// logout) are ours (pages.ts) with the portal's headers. The interaction pages are ordinary portal
// routes (interaction.ts).
//
// The provider (oidc-provider and its Koa stack, provider.ts) is loaded on first need, not before the
// portal answers: it was most of a cold start (docs/benchmarks.md). server.ts asks for it right after
// listening, so it is ready a moment later, and a provider that cannot start stops the portal, as a
// failure at start did before; a request that comes earlier waits for it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
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
import { registerInteraction } from './interaction.ts'
import { endProviderSession, providerSessionCookie } from './portal-logout.ts'
import { errorPage, logoutPage, renderError, type Pages, type Reader } from './pages.ts'
import type { PortalState } from './provider.ts'
import { prefix } from './prefix.ts'
import { securityHeaders } from '../web/security.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Loads the OpenID Connect provider now (server.ts, after listen); rejects if it cannot start. */
    oidcReady: () => Promise<void>
    /** Ends this browser's provider session for the account signing out, and tells its apps (portal-logout.ts). */
    oidcSignOut: (req: FastifyRequest, accountId: number) => Promise<void>
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
  const load = () => (loading ??= import('./provider.ts').then(({ createProvider }) => (loaded = mount(createProvider(deps, pages)))))
  app.decorate('oidcReady', () => load().then(() => undefined))
  const provider = () => load().then((l) => l.provider)
  // The portal's own Uitloggen (flows/home.ts): this browser's sign-ins at the apps end with it.
  app.decorate('oidcSignOut', async (req: FastifyRequest, accountId: number) => {
    const sessionId = req.cookies[providerSessionCookie]
    if (!sessionId || sessionId.length > 100) return
    await endProviderSession(deps, await provider(), actorOf(req), sessionId, accountId)
  })

  /** The portal account of this browser, by the same idle and absolute limits as web/session.ts. */
  function portalSubject(req: FastifyRequest): string | undefined {
    const session = req.session
    if (!session || session.accountId === undefined) return undefined
    const now = deps.clock.now().getTime()
    const { limits } = config
    if (now - (session.seenAt ?? 0) > minutes(limits.sessionIdleMinutes)) return undefined
    if (now - (session.signedInAt ?? 0) > hours(limits.sessionAbsoluteHours)) return undefined
    const account = getAccount(deps, session.accountId)
    if (!account || account.deactivatedAt !== null || account.erasedAt !== null) return undefined
    return subjectOf(deps, account.id)
  }

  function toProvider(req: FastifyRequest, reply: FastifyReply, provider: Loaded): void {
    const query = req.query as Record<string, unknown>
    // A page answering a POST (the logout's confirmation) has no GET of its own to switch back to.
    const reader: Reader = { lang: req.lang, switchHref: (to) => switchHref(req, to, req.method === 'GET' ? undefined : '/') }
    // Only response_mode=query: anything else is refused here, before oidc-provider would answer in it.
    if (req.url.startsWith(`${prefix}/auth`) && query.response_mode !== undefined && query.response_mode !== 'query') {
      void renderError(pages, reader, 'errorResponseMode', 'unsupported_response_mode').then((html) => reply.headers(securityHeaders(config)).code(400).type('text/html; charset=utf-8').send(html))
      return
    }
    const accountId = req.session?.accountId
    const portal: PortalState = {
      subject: portalSubject(req),
      ip: req.ip,
      reader,
      // The provider confirmed a logout (its xsrf checked): the portal session of this browser ends too.
      endPortalSession: () => {
        // The reply is hijacked, so the session plugin writes nothing after this: the row is gone for good.
        if (!req.session?.sessionId) return
        removeSession(deps, req.session.sessionId)
        if (accountId !== undefined) recordEvent(deps, actorOf(req), { event: 'logout', outcome: 'success', accountId, detail: { via: 'oidc' } })
      },
    }
    ;(req.raw as unknown as { portal: PortalState }).portal = portal
    // oidc-provider builds its URLs from the request: make them PUBLIC_URL's, whatever Host or
    // X-Forwarded-Host a client sent, and the scheme the one Fastify decided by TRUST_PROXY's rule.
    const raw = req.raw.headers
    raw.host = config.publicUrl.host
    delete raw['x-forwarded-host']
    raw['x-forwarded-proto'] = req.protocol
    reply.hijack()
    provider.callback(req.raw, reply.raw)
  }

  await app.register(async (scope) => {
    // oidc-provider reads the bodies itself.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null))
    const route = (url: string) =>
      scope.route({
        method: ['GET', 'POST', 'HEAD'],
        url,
        // Handed over in onRequest, before the portal's CSRF guard (a preHandler) would ask the app's
        // token request for a form token it cannot have.
        onRequest: (req, reply, done) => {
          if (loaded) return toProvider(req, reply, loaded)
          load().then((l) => toProvider(req, reply, l), done)
        },
        handler: async () => undefined,
      })
    route('/.well-known/openid-configuration')
    route(`${prefix}/*`)
  })

  registerInteraction(app, deps, provider)
  if (config.devOutbox) registerDevApp(app, deps)
}
