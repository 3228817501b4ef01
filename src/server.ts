// loadConfig(process.env) -> runtime (database, outbox) -> buildApp(deps) -> listen.
import { buildApp } from './app.ts'
import { startupProxyNote } from './web/proxy-warning.ts'
import { ConfigError, loadConfig } from './config.ts'
import { createAccount } from './domain/accounts.ts'
import { listPractices, practicesWithoutContact } from './domain/practices.ts'
import { sendInvitation } from './domain/invitations.ts'
import { sweepExpired } from './domain/sweep.ts'
import { createRuntime } from './runtime.ts'
import { seedDemoApp } from './oidc/dev-app.ts'

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
  // Issue 20: every lock, cap and deactivation message sends the patient to their practice; in production
  // each practice must say how to reach it. A configuration mistake: exit code 78, like loadConfig's.
  const unreachable = config.mode === 'production' ? practicesWithoutContact(deps) : []
  if (unreachable.length > 0) {
    console.error(
      `Configuratie onjuist:\n${unreachable
        .map((p) => `  - Praktijk ${p.slug} (${p.name}) heeft geen contact: cliënten kunnen de praktijk nergens bereiken. Stel PRACTICE_CONTACT in (één praktijk), of: npm run admin -- practice set ${p.slug} --contact "030 123 45 67".`)
        .join('\n')}`,
    )
    await runtime.close()
    process.exit(78)
  }
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
  console.log(`${config.portalName} draait op ${base} (${config.mode}).`)
  if (!config.trustProxy && !['127.0.0.1', '::1', 'localhost'].includes(config.host)) console.warn(startupProxyNote)
  if (config.devOutbox) {
    console.log(`Dev outbox (alle e-mail en sms): ${base}/dev/outbox`)
    // The demo invitation only ever lands in the dev outbox: never through a real mail server.
    if (!config.smtpUrl && !config.smsWebhookUrl) seedDemo(runtime.deps, base)
    // And one app that signs in through the portal (OpenID Connect), on an empty database.
    if (seedDemoApp(runtime.deps)) console.log(`Demo-app (inloggen via het portaal): ${base}/dev/app`)
  }

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    console.log(`${signal}: afsluiten...`)
    clearInterval(sweeper)
    await app.close()
    await runtime.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
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
