// buildApp(deps): the plugins, the security hooks and the flows. It never listens; server.ts does,
// and tests call buildApp and use inject.
import formbody from '@fastify/formbody'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { negotiateLanguage } from './messages.ts'
import { root } from './paths.ts'
import type { Deps } from './domain/deps.ts'
import { registerDevOutbox } from './flows/dev/outbox.ts'
import { registerHome } from './flows/home.ts'
import { registerSecurity } from './flows/security/routes.ts'
import { registerConfirmEmail } from './flows/onboarding/confirm-email.ts'
import { registerContinueLink } from './flows/onboarding/continue-link.ts'
import { accountFlow } from './flows/account-flow.ts'
import { registerStatement } from './flows/pages/accessibility.ts'
import { registerPages } from './flows/pages/pages.ts'
import { registerPractice } from './flows/practice/routes.ts'
import { registerSignIn } from './flows/sign-in/routes.ts'
import { registerOidc } from './oidc/routes.ts'
import { clientErrorAnswer } from './web/client-errors.ts'
import { plainErrorPage, registerErrorPages } from './web/errors.ts'
import { registerFlow } from './web/flow.ts'
import { registerCsrf, registerSecurityHeaders, securityHeaders } from './web/security.ts'
import { registerLanguage } from './web/language.ts'
import { registerViews } from './web/render.ts'
import { createLog } from './web/log.ts'
import { registerHealth } from './web/health.ts'
import { registerMetrics } from './web/metrics.ts'
import { registerProxyWarning } from './web/proxy-warning.ts'
import { registerSessionLifetime, registerSessions } from './web/session.ts'

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps
    /** Every route as registered (method, path): the practice-separation test walks them all (test/practices.test.ts). */
    routeTable: { method: string; url: string }[]
  }
}

/** Fastify's schema compilers, resolved from fastify itself (they are its dependencies, not ours). */
const fastifyRequire = createRequire(import.meta.resolve('fastify'))

export interface AppOptions {
  logger?: boolean
  /** Where the log goes (tests); stdout by default. */
  logStream?: { write: (line: string) => void }
  /** The server's logger (web/log.ts), shared with the runtime's operator lines; instead of `logger`. */
  log?: FastifyBaseLogger
  /** How long a request may take to arrive, and how often that is checked (tests shorten both). */
  timeouts?: Timeouts
}

export interface Timeouts {
  /** A request (headers and body) must have arrived whole within this time. */
  requestMs: number
  /** Node checks open requests against requestMs this often: a request is cut within requestMs + checkEveryMs. */
  checkEveryMs: number
  /** A connection with nothing on the wire for this long is closed. */
  idleMs: number
}

/**
 * 30 s for a whole request, checked every second: cut between 30 and 31 s (docs/security.md). Node's
 * own defaults would check every 30 s, and Fastify sets `requestTimeout` only after the server was made,
 * when Node has already fixed `headersTimeout` at 60 s, which is what bounds a request whose headers
 * are complete and whose body trickles in: 60 s plus up to 30 s until the next check, about 88 s.
 */
export const defaultTimeouts: Timeouts = { requestMs: 30_000, checkEveryMs: 1_000, idleMs: 60_000 }

/**
 * The request log: one line a request, written when the answer has gone out, with the method, the URL
 * (link tokens redacted, web/redact-url.ts), the client's address (by TRUST_PROXY's rule), the status and
 * the time taken. Fastify's default writes two (`incoming request` and `request completed`), each a
 * synchronous write to the log file; one carries what both did at about half the cost per request.
 * Errors, 5xx answers and the rest of Fastify's own log lines stay as Fastify writes them.
 */
class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored')
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
  }
}

export async function buildApp(deps: Deps, opts: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = deps
  const timeouts = opts.timeouts ?? defaultTimeouts
  const app = Fastify({
    loggerInstance: opts.log ?? (opts.logger ? createLog(opts.logStream) : undefined),
    logController: new OneLineRequestLog(),
    bodyLimit: 16 * 1024,
    // A request must arrive whole within 30 s, and a silent connection is closed after 60 s: nobody can
    // hold a request open (with a stolen cookie, say) to outlast a sign-out. The proxy in front should
    // be as strict (docs/security.md). Given to Node when the server is made too (see defaultTimeouts):
    // the headers' limit is the request's, and the check runs every second.
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    http: { requestTimeout: timeouts.requestMs, headersTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkEveryMs },
    // What the parser refuses before routing (a request cut at the limit above, headers too large) gets
    // the portal's plain page instead of Fastify's JSON.
    clientErrorHandler: clientErrorAnswer(config),
    // No route has a JSON schema (forms are validated in the handlers), so Ajv and fast-json-stringify's
    // compiler load only if one ever does: Fastify() otherwise requires both, 75-115 ms of every start.
    schemaController: {
      compilersFactory: {
        buildValidator: (external, options) => fastifyRequire('@fastify/ajv-compiler')()(external, options),
        buildSerializer: (external, options) => fastifyRequire('@fastify/fast-json-stringify-compiler')()(external, options),
      },
    },
    // TRUST_PROXY: exactly one reverse proxy, the peer that connects to us. The client is the address
    // that proxy appended to X-Forwarded-For, not the leftmost entry, which the client writes itself
    // (with `true` a script could pick a new address per request and never meet the per-IP limit).
    trustProxy: config.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    // Errors before routing (a malformed URL) get the same Dutch page as every other error.
    frameworkErrors: (err, req, reply) => {
      const status = err.statusCode ?? 400
      void (reply as FastifyReply).headers(securityHeaders(config)).code(status).type('text/html; charset=utf-8').send(plainErrorPage(status, negotiateLanguage(req.headers['accept-language'])))
    },
  })
  app.decorate('deps', deps)
  const routeTable: { method: string; url: string }[] = []
  app.decorate('routeTable', routeTable)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url })
  })

  // HTML forms only: JSON and text bodies get a 415 page instead of reaching a handler.
  app.removeAllContentTypeParsers()
  await app.register(formbody, { bodyLimit: 16 * 1024 })

  // One small stylesheet, cacheable under a content-hashed URL.
  const css = readFileSync(join(root, 'static', 'portal.css'))
  const cssPath = `/static/portal.css?v=${createHash('sha256').update(css).digest('hex').slice(0, 12)}`
  app.get('/static/portal.css', (_req, reply) =>
    reply.header('cache-control', 'public, max-age=31536000, immutable').type('text/css; charset=utf-8').send(css),
  )

  await registerViews(app, config, join(root, 'templates'), cssPath)

  registerSecurityHeaders(app, config)
  // Probes and metrics first: neither needs a session, a form or a page.
  registerHealth(app, deps)
  await registerMetrics(app, deps)
  await registerSessions(app, deps)
  registerLanguage(app, deps)
  registerSessionLifetime(app, deps)
  await registerCsrf(app, deps)
  registerErrorPages(app)
  registerProxyWarning(app, deps)

  registerHome(app, deps)
  registerSecurity(app, deps)
  registerPages(app, deps)
  registerStatement(app, deps)
  await registerPractice(app, deps)
  registerSignIn(app, deps)
  registerConfirmEmail(app, deps)
  registerContinueLink(app, deps)
  registerFlow(app, deps, accountFlow)
  await registerOidc(app, deps)
  if (config.devOutbox) registerDevOutbox(app, deps)
  return app
}
