// The operator's CLI: `npm run admin -- <command> [options]`. It calls the same domain functions as
// the web, through the same runtime, so a patient invited here is indistinguishable from one
// invited by the practice.
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from './config.ts'
import { createAccount } from './domain/accounts.ts'
import { listOutbox } from './domain/delivery.ts'
import { sendInvitation } from './domain/invitations.ts'
import { formatDateTime } from './messages.ts'
import { createRuntime, type Runtime } from './runtime.ts'

const usage = `Gebruik: npm run admin -- <opdracht> [opties]

Opdrachten:
  invite --name "Jan de Vries" --email jan@example.org --phone +31612341361 [--username jdevries]
         Maakt een cliënt aan, verstuurt de uitnodiging en toont de gebruikersnaam.
  help   Deze uitleg.
`

class UsageError extends Error {}

type Command = (runtime: Runtime, args: string[]) => Promise<void>

const commands: Record<string, { help: string; run: Command }> = {
  invite: {
    help: `Gebruik: npm run admin -- invite --name NAAM --email E-MAIL --phone MOBIEL [--username NAAM]

Maakt een cliënt aan en verstuurt de uitnodiging (Stap 1) via de ingestelde mailserver.
Mobiel nummer als +31612341361 of 06-12341361. Zonder --username wordt er een voorgesteld.`,
    async run(runtime, args) {
      const { values } = parseArgs({
        args,
        options: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' }, username: { type: 'string' } },
        strict: true,
      })
      const missing = (['name', 'email', 'phone'] as const).filter((k) => !values[k])
      if (missing.length > 0) throw new UsageError(`Ontbrekend: ${missing.map((k) => `--${k}`).join(', ')}.`)
      const { deps } = runtime
      const created = createAccount(deps, { actor: 'cli' }, { name: values.name!, email: values.email!, phone: values.phone!, username: values.username })
      if (!created.ok) throw new UsageError(Object.values(created.errors).join('\n'))
      const { expiresAt } = sendInvitation(deps, { actor: 'cli' }, created.account.id)
      await runtime.dispatcher.idle()
      const [message] = listOutbox(deps, { limit: 1 })
      console.log(created.account.username)
      console.error(`Uitnodiging voor ${created.account.name} <${created.account.email}>, geldig tot ${formatDateTime(expiresAt)}.`)
      if (message?.status !== 'sent') {
        console.error(`Let op: de e-mail is nog niet bezorgd (${message?.lastError ?? 'onbekende fout'}). De server probeert het opnieuw.`)
      } else if (deps.config.devOutbox && !deps.config.smtpUrl) {
        console.error(`Geen SMTP_URL ingesteld: de e-mail staat in de dev outbox (${new URL('/dev/outbox', deps.config.publicUrl).href}).`)
      }
    },
  },
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage)
    return name ? 0 : 64
  }
  const command = commands[name]
  if (!command) {
    console.error(`Onbekende opdracht: ${name}\n\n${usage}`)
    return 64
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.help)
    return 0
  }
  let runtime: Runtime | undefined
  try {
    runtime = createRuntime(loadConfig(process.env))
    await command.run(runtime, args)
    return 0
  } catch (err) {
    if (err instanceof ConfigError) console.error(err.message)
    else if (err instanceof UsageError) console.error(`${err.message}\n\n${command.help}`)
    else if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) console.error(`${err.message}\n\n${command.help}`)
    else console.error(err instanceof Error ? err.message : String(err))
    return 1
  } finally {
    await runtime?.close()
  }
}

process.exitCode = await main(process.argv.slice(2))
