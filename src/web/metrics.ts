// Prometheus metrics (prom-client), on a listener of their own (METRICS_PORT, loopback by default,
// METRICS_TOKEN as a bearer token), never on the public site. Each process counts its own requests and
// events and exposes them itself (Prometheus adds the processes up); the outbox gauges are read from the
// database at each scrape, so every process reports the same shared queue (take the max, not the sum).
// The domain knows nothing of this: it emits events (domain/events.ts), counted here.
import type { FastifyInstance } from 'fastify'
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { Registry } from 'prom-client'
import type { MetricsConfig } from '../config.ts'
import type { Deps } from '../domain/deps.ts'
import type { DomainEvent } from '../domain/events.ts'
import { outboxState } from '../domain/health.ts'
import { version } from '../version.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The metrics of this app, when METRICS_PORT is set (served by startMetricsServer). */
    metrics: Registry | null
  }
}

const methods = new Set(['GET', 'HEAD', 'POST'])

export async function registerMetrics(app: FastifyInstance, deps: Deps): Promise<void> {
  if (!deps.config.metrics) {
    app.decorate('metrics', null)
    return
  }
  // Loaded only when metrics are asked for: a start without them does not pay for the library.
  // (A CommonJS package: the bundle's chunk has it as the default export only, tsx has both.)
  const loaded = (await import('prom-client')) as typeof import('prom-client') & { default?: typeof import('prom-client') }
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = loaded.default ?? loaded
  const registry = new Registry()
  const registers = [registry]
  collectDefaultMetrics({ register: registry })

  new Gauge({ name: 'portal_build_info', help: 'The portal version this process runs (always 1).', labelNames: ['version'], registers }).set({ version }, 1)

  // Route: the pattern (`/uitnodiging/:token`), never the URL, which carries link tokens.
  const requests = new Histogram({
    name: 'portal_http_request_duration_seconds',
    help: 'Requests by method, route pattern and status, with their duration.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  })
  // A callback hook: it runs on every request (the OpenID Connect provider's hijacked answers too).
  app.addHook('onResponse', (req, reply, done) => {
    requests.observe({ method: methods.has(req.method) ? req.method : 'other', route: req.routeOptions.url ?? 'unmatched', status: reply.statusCode }, reply.elapsedTime / 1000)
    done()
  })

  const signIns = new Counter({ name: 'portal_sign_ins_total', help: 'Completed sign-ins, by second factor.', labelNames: ['method'], registers })
  const signInFailures = new Counter({
    name: 'portal_sign_in_failures_total',
    help: 'Failed sign-in steps, by kind: password, app_code, email_code.',
    labelNames: ['kind'],
    registers,
  })
  const refusals = new Counter({
    name: 'portal_throttle_refusals_total',
    help: 'Guesses refused by a throttle (a delay or a lock), by what was guessed: password or second_factor.',
    labelNames: ['guess', 'locked'],
    registers,
  })
  const lockouts = new Counter({ name: 'portal_lockouts_total', help: 'Accounts locked after too many failures.', registers })
  const deliveryFailures = new Counter({
    name: 'portal_delivery_failures_total',
    help: 'Failed mail and SMS delivery attempts, by channel and whether retries ran out.',
    labelNames: ['channel', 'final'],
    registers,
  })
  const auditEvents = new Counter({ name: 'portal_audit_events_total', help: 'Every audit event, by event and outcome.', labelNames: ['event', 'outcome'], registers })

  for (const label of ['password', 'app_code', 'email_code']) signInFailures.inc({ kind: label }, 0)
  for (const channel of ['mail', 'sms']) for (const final of ['true', 'false']) deliveryFailures.inc({ channel, final }, 0)

  const count = (event: DomainEvent) => {
    if (event.type === 'throttle_refused') refusals.inc({ guess: event.guess, locked: String(event.locked) })
    else if (event.type === 'delivery_failed') deliveryFailures.inc({ channel: event.channel, final: String(event.final) })
    else {
      const { entry } = event
      auditEvents.inc({ event: entry.event, outcome: entry.outcome })
      const failure = failureKind(entry.event, entry.detail)
      if (entry.event === 'sign_in' && entry.outcome === 'success') signIns.inc({ method: String(entry.detail?.method ?? 'unknown') })
      else if (failure) signInFailures.inc({ kind: failure })
      else if (entry.event === 'lockout') lockouts.inc()
    }
  }
  const off = deps.events?.on(count)
  app.addHook('onClose', (_app, done) => {
    off?.()
    done()
  })

  // The outbox, read from the database when scraped.
  const outbox = () => outboxState(deps)
  new Gauge({ name: 'portal_outbox_pending', help: 'Mails and SMS waiting to be sent (due or waiting for a retry).', registers, async collect() { this.set((await outbox()).pending) } })
  new Gauge({ name: 'portal_outbox_oldest_pending_seconds', help: 'Age of the oldest message waiting to be sent.', registers, async collect() { this.set((await outbox()).oldestPendingSeconds) } })
  new Gauge({ name: 'portal_outbox_oldest_due_seconds', help: 'How long the most overdue message has been due (grows only when no dispatcher works).', registers, async collect() { this.set((await outbox()).oldestDueSeconds) } })

  app.decorate('metrics', registry)
}

/** Which failed sign-in step an audit event is, if any (a wrong code while enrolling or changing is not a sign-in). */
function failureKind(event: string, detail: Record<string, unknown> | undefined): string | null {
  if (event === 'sign_in_failed') return 'password'
  if (event === 'mfa_failed' && detail?.stage === undefined) return 'app_code'
  if (event === 'code_failed' && detail?.purpose === 'email-mfa') return 'email_code'
  return null
}

const digest = (text: string) => createHash('sha256').update(text).digest()

/**
 * GET /metrics on its own port: with METRICS_TOKEN, only for `Authorization: Bearer <token>`. Plain
 * node:http, not the portal's Fastify app: none of the portal's routes, sessions or pages are here.
 */
export async function startMetricsServer(registry: Registry, config: MetricsConfig): Promise<Server> {
  const expected = config.token === null ? null : digest(`Bearer ${config.token}`)
  const server = createServer((req, res) => {
    res.setHeader('cache-control', 'no-store')
    if (req.url !== '/metrics') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n')
    // Compared as SHA-256 digests: equal length, constant time.
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      return void res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' }).end('unauthorized\n')
    }
    void registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    )
  })
  // A scraper that holds a connection open must not keep the portal from stopping.
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return server
}
