// loadConfig(process.env) -> runtime (database, outbox) -> buildApp(deps) -> listen; the signals a
// service manager sends (docs/operations.md).
import { buildApp } from './app.ts'
import { accounts } from './db/tables.ts'
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
import { keysThatDoNotFit } from './domain/sealed.ts'
import { fill, type Lang } from './messages.ts'
import { keysDoNotFit, operatorLanguage, operatorMessages } from './operator.ts'

/** How long a SIGTERM may take: requests in flight finish, the dispatcher ends its message, the database closes. */
const shutdownMs = 10_000

/** A configuration mistake: the plain message and exit code 78 (EX_CONFIG), as loadConfig's. */
function refuse(problems: string[], lang: Lang): never {
  console.error(new ConfigError(problems, lang).message)
  process.exit(78)
}

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) refuse(err.problems, operatorLanguage(process.env))
    throw err
  }
  const lang = config.operatorLanguage
  const o = operatorMessages(lang).server
  // One JSON log on standard output: requests, and the operator's lines (delivery failures, warnings).
  const log = config.mode !== 'test' ? createLog() : undefined
  let runtime
  try {
    runtime = (await createRuntime(config, log ? { logger: log } : {}))
  } catch (err) {
    const problem = storageProblem(err, config.databasePath, lang)
    if (problem) refuse([problem], lang)
    throw err
  }
  const { deps } = runtime
  // Keys that open none of the data are a configuration mistake: refused before anything is served,
  // instead of a portal where every app-code sign-in fails and every app gets invalid_client.
  const unopened = await keysThatDoNotFit(deps)
  if (unopened.length > 0) {
    console.error(keysDoNotFit(lang, config.databasePath, unopened))
    await runtime.close()
    process.exit(78)
  }
  if (runtime.adopted) console.log(fill(o.adopted, { count: runtime.adopted.rows, from: runtime.adopted.fromId, to: runtime.adopted.toId }))
  if (config.olderSecretKeys.length > 0) console.log(fill(o.olderKeys, { count: config.olderSecretKeys.length }))
  // Issue 20: every lock, cap and deactivation message sends the patient to their practice; in production
  // each practice must say how to reach it. A configuration mistake: exit code 78, like loadConfig's.
  const unreachable = config.mode === 'production' ? (await practicesWithoutContact(deps)) : []
  if (unreachable.length > 0) {
    await runtime.close()
    refuse(
      unreachable.map((p) => fill(operatorMessages(lang).startErrors.practiceWithoutContact, { slug: p.slug, name: p.name })),
      lang,
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
      console.error(fill(o.stopAgain, { signal }))
      process.exit(1)
    }
    closing = true
    console.log(fill(o.stopping, { signal }))
    // A connection that outlives the drain is cut; the exit still flushes the log (web/log.ts).
    setTimeout(() => {
      console.error(fill(o.stopTimeout, { signal, seconds: shutdownMs / 1000 }))
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
  process.on('SIGHUP', () => console.log(o.sighup))
  // Started by `npm start`, the portal's parent is npm, which passes SIGTERM and SIGINT on but dies of
  // SIGHUP (it has no handler for it) or SIGKILL, and would leave the portal running unseen, holding the
  // port. So the portal follows npm: when its parent is gone it stops as at SIGTERM, within a second.
  if (process.env.npm_lifecycle_event === 'start') {
    const parent = process.ppid
    setInterval(() => {
      if (process.ppid !== parent) void shutdown(o.npmGone)
    }, 1000).unref()
  }

  const listenOrRefuse = async (listen: () => Promise<unknown>, names: { port: string; host: string }, host: string, port: number) => {
    try {
      await listen()
    } catch (err) {
      const problem = listenProblem(err, names, host, port, lang)
      if (!problem) throw err
      await app.close()
      await runtime.close()
      refuse([problem], lang)
    }
  }
  await listenOrRefuse(() => app.listen({ port: config.port, host: config.host }), { port: 'PORT', host: 'HOST' }, config.host, config.port)
  const { metrics } = config
  if (metrics && app.metrics) {
    const registry = app.metrics
    await listenOrRefuse(async () => (metricsServer = await startMetricsServer(registry, metrics)), { port: 'METRICS_PORT', host: 'METRICS_HOST' }, metrics.host, metrics.port)
  }
  runtime.dispatcher.start()
  // Expired sessions, spent codes and links: swept every five minutes, so the tables stay bounded. On
  // PostgreSQL one process at a time sweeps (an advisory lock); the others skip that round.
  sweeper = setInterval(() => {
    deps.db.exclusive('sweep', () => sweepExpired(deps)).catch((err: unknown) => app.log.error({ err }, 'sweep failed'))
  }, 5 * 60_000)
  sweeper.unref()

  // The OpenID Connect provider loads now, after the first pages can be answered (src/oidc/routes.ts);
  // one that cannot start stops the portal, as it did when it loaded before listening.
  await app.oidcReady().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
  const base = config.publicUrl.href.replace(/\/$/, '')
  console.log(fill(o.running, { portal: config.portalName, url: base, mode: config.mode }))
  if (metrics) {
    const url = `http://${metrics.host.includes(':') ? `[${metrics.host}]` : metrics.host}:${metrics.port}/metrics`
    console.log(fill(o.metrics, { url, token: metrics.token ? o.metricsToken : '' }))
  }
  if (!config.trustProxy && !['127.0.0.1', '::1', 'localhost'].includes(config.host)) console.warn(o.proxyNote)
  if (config.devOutbox) {
    console.log(fill(o.devOutbox, { url: `${base}/dev/outbox` }))
    // The demo invitation only ever lands in the dev outbox: never through a real mail server.
    if (!config.smtpUrl && !config.smsWebhookUrl && (await seedDemo(runtime.deps))) console.log(fill(o.demoPatient, { url: `${base}/dev/outbox` }))
    // And one app that signs in through the portal (OpenID Connect), on an empty database.
    if ((await seedDemoApp(runtime.deps))) console.log(fill(o.demoApp, { url: `${base}/dev/app` }))
  }
}

/** On an empty development database: one invited demo patient of its one practice, so a newcomer can walk the flow at once. */
async function seedDemo(deps: Parameters<typeof sendInvitation>[0]): Promise<boolean> {
  const someone = await deps.db.select({ id: accounts.id }).from(accounts).limit(1)
  const [practice, ...others] = await listPractices(deps)
  if (someone.length > 0 || !practice || others.length > 0) return false
  const created = await createAccount(deps, { actor: 'system' }, practice.id, { name: 'Jan de Vries', email: 'jan@example.org', phone: '+31612341361', username: 'jdevries' })
  if (!created.ok) return false
  await sendInvitation(deps, { actor: 'system' }, created.account.id)
  return true
}

await main().catch((err) => {
  console.error(err)
  process.exit(1)
})
