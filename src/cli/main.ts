// The operator's CLI: `npm run admin -- <command> [options]`. One table of commands, which is also the
// overview `help` prints. Every command calls the same domain functions as the web, through the same
// runtime, so a patient invited here is indistinguishable from one invited by the practice.
import { ConfigError, loadConfig } from '../config.ts'
import { oidcCommands } from '../oidc/cli.ts'
import { createRuntime, type Runtime } from '../runtime.ts'
import { accountCommands } from './accounts.ts'
import { audit } from './audit.ts'
import { backup } from './backup.ts'
import { parseArgsMessage, UsageError, type Command } from './command.ts'
import { list } from './list.ts'
import { practiceCommands } from './practice.ts'

export const commands: Record<string, Command> = {
  ...practiceCommands,
  ...accountCommands,
  list,
  audit,
  backup,
  ...oidcCommands,
}

/** Each command's overview: its usage lines flush left, what it does indented under them. */
function overview(): string {
  const lines = Object.values(commands).flatMap((c) =>
    c.overview.split('\n').map((line, i) => (i % 2 === 0 ? `  ${line}` : `         ${line}`)),
  )
  return `Gebruik: npm run admin -- <opdracht> [opties]

Opdrachten:
${lines.join('\n')}
  help
         Deze uitleg.

Elke opdracht heeft --help. Bij een fout is de exitcode niet 0.
`
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(overview())
    return name ? 0 : 64
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined
  if (!command) {
    console.error(`Onbekende opdracht: ${name}\n\n${overview()}`)
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
    else if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) console.error(`${parseArgsMessage(err)}\n\n${command.help}`)
    else console.error(err instanceof Error ? err.message : String(err))
    return 1
  } finally {
    await runtime?.close()
  }
}
