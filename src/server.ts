// loadConfig(process.env) -> runtime (database, outbox) -> buildApp(deps) -> listen.
import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { createAccount } from './domain/accounts.ts'
import { sendInvitation } from './domain/invitations.ts'
import { sweepExpired } from './domain/sweep.ts'
import { createRuntime } from './runtime.ts'
import { seedDemoApp } from './oidc/dev-app.ts'
import { keysThatDoNotFit } from './domain/sealed.ts'
import { fill } from './messages.ts'
import { keysDoNotFit, operatorMessages } from './operator.ts'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(78)
    }
    throw err
  }
  const runtime = createRuntime(config)
  const { deps } = runtime
  const o = operatorMessages(config.operatorLanguage).server
  // Keys that open none of the data are a configuration mistake: refused before anything is served,
  // instead of a portal where every app-code sign-in fails and every app gets invalid_client.
  const unopened = keysThatDoNotFit(deps)
  if (unopened.length > 0) {
    console.error(keysDoNotFit(config.operatorLanguage, config.databasePath, unopened))
    await runtime.close()
    process.exit(78)
  }
  if (runtime.adopted) console.log(fill(o.adopted, { count: runtime.adopted.rows, from: runtime.adopted.fromId, to: runtime.adopted.toId }))
  if (config.olderSecretKeys.length > 0) console.log(fill(o.olderKeys, { count: config.olderSecretKeys.length }))
  const app = await buildApp(deps, { logger: config.mode !== 'test' })
  runtime.dispatcher.start()
  // Expired sessions, spent codes and links: swept every five minutes, so the tables stay bounded.
  const sweeper = setInterval(() => {
    try {
      sweepExpired(deps)
    } catch (err) {
      app.log.error({ err }, 'sweep failed')
    }
  }, 5 * 60_000)
  sweeper.unref()

  await app.listen({ port: config.port, host: config.host })
  // The OpenID Connect provider loads now, after the first pages can be answered (src/oidc/routes.ts);
  // one that cannot start stops the portal, as it did when it loaded before listening.
  app.oidcReady().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
  const base = config.publicUrl.href.replace(/\/$/, '')
  console.log(fill(o.running, { portal: config.portalName, url: base, mode: config.mode }))
  if (!config.trustProxy && !['127.0.0.1', '::1', 'localhost'].includes(config.host)) console.warn(o.proxyNote)
  if (config.devOutbox) {
    console.log(fill(o.devOutbox, { url: `${base}/dev/outbox` }))
    // The demo invitation only ever lands in the dev outbox: never through a real mail server.
    if (!config.smtpUrl && !config.smsWebhookUrl && seedDemo(runtime.deps)) console.log(fill(o.demoPatient, { url: `${base}/dev/outbox` }))
    // And one app that signs in through the portal (OpenID Connect), on an empty database.
    if (seedDemoApp(runtime.deps)) console.log(fill(o.demoApp, { url: `${base}/dev/app` }))
  }

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    console.log(fill(o.stopping, { signal }))
    clearInterval(sweeper)
    await app.close()
    await runtime.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

/** On an empty development database: one invited demo patient, so a newcomer can walk the flow at once. */
function seedDemo(deps: Parameters<typeof sendInvitation>[0]): boolean {
  const empty = deps.db.$client.prepare('select count(*) as n from accounts').get() as { n: number }
  if (empty.n > 0) return false
  const created = createAccount(deps, { actor: 'system' }, { name: 'Jan de Vries', email: 'jan@example.org', phone: '+31612341361', username: 'jdevries' })
  if (!created.ok) return false
  sendInvitation(deps, { actor: 'system' }, created.account.id)
  return true
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
