// /healthz and /readyz for the proxy, the service manager and monitoring. JSON, `Cache-Control: no-store`
// (the portal's headers, web/security.ts), no session, no CSRF cookie: nothing here touches either, and
// a probe sends no cookie. Not in the request log (a probe every few seconds would be most of it): a
// change of readiness is logged once instead, naming the failing checks.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Deps } from '../domain/deps.ts'
import { checkDatabase, outboxState } from '../domain/health.ts'
import { versionInfo } from '../version.ts'

export interface Readiness {
  ready: boolean
  /** package.json's version, as the operator installed it (src/version.ts, as `admin --version` says it). */
  version: string
  /** The git commit the bundle was built from, or null when not known (the TypeScript run directly). */
  commit: string | null
  /** Each check: 'ok', or why not. */
  checks: { database: string; oidc: string; outbox: string }
}

const json = (reply: FastifyReply) => reply.type('application/json; charset=utf-8')

/** A probe's answer, given from the first onRequest hook: before the session, language and CSRF hooks. */
type Probe = (reply: FastifyReply) => void | Promise<void>

export function registerHealth(app: FastifyInstance, deps: Deps): void {
  const version = versionInfo()
  // Alive: the event loop answers. Nothing else is asked, so a slow database never gets the process
  // restarted by a liveness probe.
  const healthz: Probe = (reply) => void json(reply).send({ status: 'ok' })
  let wasReady: boolean | undefined
  const readyz: Probe = async (reply) => {
    await readinessOf(app, deps, version).then(
      (readiness) => {
        if (readiness.ready !== wasReady) {
          const failing = Object.entries(readiness.checks).filter(([, v]) => v !== 'ok')
          if (!readiness.ready) app.log.warn({ checks: readiness.checks }, `not ready: ${failing.map(([k]) => k).join(', ')}`)
          else if (wasReady === false) app.log.warn({ checks: readiness.checks }, 'ready again')
          wasReady = readiness.ready
        }
        void json(reply)
          .code(readiness.ready ? 200 : 503)
          .send({ status: readiness.ready ? 'ready' : 'not ready', version: readiness.version, commit: readiness.commit, checks: readiness.checks })
      },
      (err: unknown) => void reply.send(err),
    )
  }
  // Info lines (the request log) off for these two routes; warnings and errors still go out.
  for (const [url, probe] of [['/healthz', healthz], ['/readyz', readyz]] as const) {
    app.get(url, { logLevel: 'warn', config: { probe } }, (_req, reply) => probe(reply))
  }
  // Answered here, in the first onRequest hook (registered before the session's): a probe that carries a
  // session cookie (a monitor sharing a browser's jar) must not touch, rotate or end that session.
  app.addHook('onRequest', (req, reply, done) => {
    const probe = (req.routeOptions.config as { probe?: Probe } | undefined)?.probe
    if (probe) void probe(reply)
    else done()
  })
}

export async function readinessOf(app: FastifyInstance, deps: Deps, { version, commit }: { version: string; commit: string | null }): Promise<Readiness> {
  const database = await checkDatabase(deps)
  const checks = { database: database.ok ? 'ok' : database.reason, oidc: 'ok', outbox: 'ok' }
  // The OpenID Connect provider: server.ts loads it right after listening; a probe before that waits for it.
  await app.oidcReady().catch((err: unknown) => {
    checks.oidc = `failed to load: ${err instanceof Error ? err.message : String(err)}`
  })
  if (database.ok) {
    const { oldestDueSeconds } = await outboxState(deps)
    const limit = deps.config.readyOutboxDueMinutes * 60
    if (oldestDueSeconds > limit) checks.outbox = `stuck: a message has been due for ${Math.round(oldestDueSeconds)} s (limit ${limit} s)`
  } else {
    checks.outbox = 'unknown (no database)'
  }
  return { ready: Object.values(checks).every((v) => v === 'ok'), version, commit, checks }
}
