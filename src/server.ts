// loadConfig(process.env) -> runtime (database, outbox) -> buildApp(deps) -> listen; the signals a
// service manager sends (docs/operations.md).
import { buildApp } from './app.ts'
import { startupProxyNote } from './web/proxy-warning.ts'
import { ConfigError, loadConfig } from './config.ts'
import { createAccount } from './domain/accounts.ts'
import { listPractices, practicesWithoutContact } from './domain/practices.ts'
import { sendInvitation } from './domain/invitations.ts'
import { sweepExpired } from './domain/sweep.ts'
import { createRuntime } from './runtime.ts'
import { seedDemoApp } from './oidc/dev-app.ts'
import { listenProblem, storageProblem } from './start-errors.ts'
import { createLog } from './web/log.ts'
import { startMetricsServer } from './web/metrics.ts'
import type { Server } from 'node:http'

/** How long a SIGTERM may take: requests in flight finish, the dispatcher ends its message, the database closes. */
const shutdownMs = 10_000

/** A configuration mistake: the plain message and exit code 78 (EX_CONFIG), as loadConfig's. */
function refuse(problems: string[]): never {
  console.error(new ConfigError(problems).message)
  process.exit(78)
}

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) refuse(err.problems)
    throw err
  }
  // One JSON log on standard output: requests, and the operator's lines (delivery failures, warnings).
  const log = config.mode !== 'test' ? createLog() : undefined
  let runtime
  try {
    runtime = createRuntime(config, log ? { logger: log } : {})
  } catch (err) {
    const problem = storageProblem(err, config.databasePath)
    if (problem) refuse([problem])
    throw err
  }
  const { deps } = runtime
  // Issue 20: every lock, cap and deactivation message sends the patient to their practice; in production
  // each practice must say how to reach it. A configuration mistake: exit code 78, like loadConfig's.
  const unreachable = config.mode === 'production' ? practicesWithoutContact(deps) : []
  if (unreachable.length > 0) {
    await runtime.close()
    refuse(
      unreachable.map(
        (p) =>
          `Praktijk ${p.slug} (${p.name}) heeft geen contact: cliënten kunnen de praktijk nergens bereiken. Stel PRACTICE_CONTACT in (één praktijk), of: npm run admin -- practice set ${p.slug} --contact "030 123 45 67".`,
      ),
    )
  }
  const app = await buildApp(deps, log ? { log } : {})
  let metricsServer: Server | undefined
  let sweeper: NodeJS.Timeout | undefined

  // The process a service manager signals is this one (npm start execs node): SIGTERM and SIGINT
  // drain and exit; SIGHUP (logrotate's habit) is not a reason to stop, and the log is standard output,
  // so there is nothing to reopen (docs/operations.md).
  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) {
      console.error(`${signal}: nogmaals, direct stoppen.`)
      process.exit(1)
    }
    closing = true
    console.log(`${signal}: afsluiten...`)
    // A connection that outlives the drain is cut; the exit still flushes the log (web/log.ts).
    setTimeout(() => {
      console.error(`${signal}: na ${shutdownMs / 1000} s nog niet gestopt; open verbindingen worden verbroken.`)
      app.server.closeAllConnections()
      process.exit(1)
    }, shutdownMs).unref()
    clearInterval(sweeper)
    if (metricsServer) {
      const server = metricsServer
      await new Promise((resolve) => {
        server.close(resolve)
        server.closeAllConnections()
      })
    }
    // Stops accepting, closes idle keep-alive connections, answers what is in flight, then resolves.
    await app.close()
    // The dispatcher finishes the message in hand; the database closes (its WAL folded back).
    await runtime.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGHUP', () => console.log('SIGHUP: genegeerd; het portaal draait door (de log gaat naar standaarduitvoer, er is niets te heropenen).'))
  // Started by `npm start`, the portal's parent is npm, which passes SIGTERM and SIGINT on but dies of
  // SIGHUP (it has no handler for it) or SIGKILL, and would leave the portal running unseen, holding the
  // port. So the portal follows npm: when its parent is gone it stops as at SIGTERM, within a second.
  if (process.env.npm_lifecycle_event === 'start') {
    const parent = process.ppid
    setInterval(() => {
      if (process.ppid !== parent) void shutdown('npm gestopt')
    }, 1000).unref()
  }

  const listenOrRefuse = async (listen: () => Promise<unknown>, names: { port: string; host: string }, host: string, port: number) => {
    try {
      await listen()
    } catch (err) {
      const problem = listenProblem(err, names, host, port)
      if (!problem) throw err
      await app.close()
      await runtime.close()
      refuse([problem])
    }
  }
  await listenOrRefuse(() => app.listen({ port: config.port, host: config.host }), { port: 'PORT', host: 'HOST' }, config.host, config.port)
  const { metrics } = config
  if (metrics && app.metrics) {
    const registry = app.metrics
    await listenOrRefuse(async () => (metricsServer = await startMetricsServer(registry, metrics)), { port: 'METRICS_PORT', host: 'METRICS_HOST' }, metrics.host, metrics.port)
  }
  runtime.dispatcher.start()
  // Expired sessions, spent codes and links: swept every five minutes, so the tables stay bounded.
  sweeper = setInterval(() => {
    try {
      sweepExpired(deps)
    } catch (err) {
      app.log.error({ err }, 'sweep failed')
    }
  }, 5 * 60_000)
  sweeper.unref()

  // The OpenID Connect provider loads now, after the first pages can be answered (src/oidc/routes.ts);
  // one that cannot start stops the portal, as it did when it loaded before listening.
  app.oidcReady().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
  const base = config.publicUrl.href.replace(/\/$/, '')
  console.log(`${config.portalName} draait op ${base} (${config.mode}).`)
  if (metrics) console.log(`Metrics: http://${metrics.host.includes(':') ? `[${metrics.host}]` : metrics.host}:${metrics.port}/metrics${metrics.token ? ' (met METRICS_TOKEN)' : ''}`)
  if (!config.trustProxy && !['127.0.0.1', '::1', 'localhost'].includes(config.host)) console.warn(startupProxyNote)
  if (config.devOutbox) {
    console.log(`Dev outbox (alle e-mail en sms): ${base}/dev/outbox`)
    // The demo invitation only ever lands in the dev outbox: never through a real mail server.
    if (!config.smtpUrl && !config.smsWebhookUrl) seedDemo(runtime.deps, base)
    // And one app that signs in through the portal (OpenID Connect), on an empty database.
    if (seedDemoApp(runtime.deps)) console.log(`Demo-app (inloggen via het portaal): ${base}/dev/app`)
  }
}

/** On an empty development database: one invited demo patient of its one practice, so a newcomer can walk the flow at once. */
function seedDemo(deps: Parameters<typeof sendInvitation>[0], base: string): void {
  const empty = deps.db.$client.prepare('select count(*) as n from accounts').get() as { n: number }
  const [practice, ...others] = listPractices(deps)
  if (empty.n > 0 || !practice || others.length > 0) return
  const created = createAccount(deps, { actor: 'system' }, practice.id, { name: 'Jan de Vries', email: 'jan@example.org', phone: '+31612341361', username: 'jdevries' })
  if (!created.ok) return
  sendInvitation(deps, { actor: 'system' }, created.account.id)
  console.log(`Demo: cliënt "jdevries" is uitgenodigd. Open ${base}/dev/outbox en klik op de link in de uitnodiging.`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
