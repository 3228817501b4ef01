// The operator's CLI: `npm run admin -- [--env-file FILE] <command> [options]`. One table of commands,
// which is also the overview `help` prints. Every command calls the same domain functions as the web,
// through the same runtime, so a patient invited here is indistinguishable from one invited by the
// practice. It works on the service's own settings (--env-file, read as systemd reads it), says which
// database it works on, and never makes a new one: an empty database is a sign of the wrong settings.
import { existsSync, readFileSync } from 'node:fs'
import { ConfigError, databasePathOf, loadConfig } from '../config.ts'
import { openDatabase } from '../db/index.ts'
import { keysThatDoNotFit } from '../domain/sealed.ts'
import { oidcCommands } from '../oidc/cli.ts'
import { keysDoNotFit, operatorLanguage } from '../operator.ts'
import { createRuntime, type Runtime } from '../runtime.ts'
import { commit, version } from '../version.ts'
import { accountCommands } from './accounts.ts'
import { audit } from './audit.ts'
import { backup } from './backup.ts'
import { Failure, fill, openReadOnlyOrSay, operatorLanguageNow, parseArgsMessage, textOf, UsageError, useOperatorLanguage, withoutPassword, words, type Command } from './command.ts'
import { parseEnvironmentFile } from './env-file.ts'
import { list } from './list.ts'
import { migrateToPostgres } from './migrate-to-postgres.ts'
import { practiceCommands } from './practice.ts'
import { secretKey } from './secret-key.ts'

export const commands: Record<string, Command> = {
  ...practiceCommands,
  ...accountCommands,
  list,
  audit,
  backup,
  'migrate-to-postgres': migrateToPostgres,
  ...oidcCommands,
  'secret-key': secretKey,
}

/** sysexits EX_CONFIG: the settings are wrong (as the server's start uses it). */
const configExit = 78

/** Each command's overview: its usage lines flush left, what it does indented under them. */
function overview(): string {
  const o = words().cli
  const pairs = [...Object.values(commands).map((c) => textOf(c.overview)), `version\n${o.versionSummary}`, `help\n${o.helpSummary}`]
  const lines = pairs.flatMap((text) => text.split('\n').map((line, i) => (i % 2 === 0 ? `  ${line}` : `         ${line}`)))
  return `${o.usage}\n\n${o.commandsHeading}\n${lines.join('\n')}\n\n${o.globalOptions}\n\n${o.footer}\n`
}

const versionLine = () => fill(words().commands.version.line, { name: 'mijn-therapie-dossier-portal', version, commit: commit ? fill(words().commands.version.commit, { commit }) : '' })

type Env = Record<string, string | undefined>

/**
 * The settings the command works with: the shell's environment, or with --env-file only what the
 * files say (as the service gets them), plus the shell's PATH, HOME and locale (who is typing).
 */
function settingsOf(env: Env, files: string[]): Env {
  if (files.length === 0) return env
  const o = words().cli
  const fromFiles: Env = {}
  for (const file of files) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new ConfigError([fill(o.envFileUnreadable, { path: file, reason: (err as NodeJS.ErrnoException).code ?? String(err) })], operatorLanguageNow())
    }
    const parsed = parseEnvironmentFile(text)
    for (const skip of parsed.skipped) {
      const reason = fill(skip.reason === 'name' ? o.envFileBadName : o.envFileBadValue, { name: skip.name })
      console.error(fill(o.envFileIgnored, { file, line: skip.line, reason }))
    }
    Object.assign(fromFiles, parsed.values)
  }
  const { PATH, HOME, LANG, LC_ALL, LC_MESSAGES } = env
  return { PATH, HOME, LANG, LC_ALL, LC_MESSAGES, ...fromFiles }
}

/** The global options before the command: --env-file FILE (repeatable), --env-file=FILE. */
function globalOptions(argv: string[]): { files: string[]; rest: string[] } {
  const files: string[] = []
  let i = 0
  for (; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--env-file') {
      const file = argv[++i]
      if (file === undefined || file.startsWith('-')) throw new UsageError(words().cli.envFileMissing)
      files.push(file)
    } else if (arg.startsWith('--env-file=')) files.push(arg.slice('--env-file='.length))
    else break
  }
  return { files, rest: argv.slice(i) }
}

export async function runCli(argv: string[], env: Env = process.env): Promise<number> {
  useOperatorLanguage(operatorLanguage(env))
  let settings: Env
  let name: string | undefined
  let args: string[]
  try {
    const global = globalOptions(argv)
    settings = settingsOf(env, global.files)
    ;[name, ...args] = global.rest
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    return err instanceof ConfigError ? configExit : 64
  }
  useOperatorLanguage(operatorLanguage(settings))
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(overview())
    return name ? 0 : 64
  }
  if (name === 'version' || name === '--version') {
    console.log(versionLine())
    return 0
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined
  if (!command) {
    console.error(`${fill(words().cli.unknownCommand, { name })}\n\n${overview()}`)
    return 64
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(textOf(command.help))
    return 0
  }
  if (args.some((a) => a === '--env-file' || a.startsWith('--env-file='))) {
    console.error(fill(words().cli.envFileFirst, { name }))
    return 64
  }
  let runtime: Runtime | undefined
  try {
    if (command.own) return await command.own(settings, args)
    if (command.read) return await readOnly(command.read(args), settings)
    // Before loadConfig: in development it would make a key file beside a database that is not there.
    const url = settings.DATABASE_URL?.trim()
    const path = url ? withoutPassword(url) : databasePathOf(settings)
    console.error(fill(words().cli.database, { path }))
    if (!url && !existsSync(path)) {
      console.error(fill(words().cli.noDatabase, { path }))
      return configExit
    }
    const config = loadConfig(settings)
    runtime = (await createRuntime(config))
    const { adopted } = runtime
    if (adopted) console.error(fill(words().server.adopted, { count: adopted.rows, from: adopted.fromId, to: adopted.toId }))
    // The same check as the server's start: a CLI with the wrong key would seal new data under it.
    const unopened = command.checksKeys?.(args) === false ? [] : (await keysThatDoNotFit(runtime.deps))
    if (unopened.length > 0) {
      console.error(keysDoNotFit(config.operatorLanguage, path, unopened))
      return configExit
    }
    await command.run!(runtime, args)
    return 0
  } catch (err) {
    return failed(err, command)
  } finally {
    await runtime?.close()
  }
}

/** A command that only reads: the file opened read-only, no configuration beyond where it is. */
async function readOnly(plan: ReturnType<NonNullable<Command['read']>>, settings: Env): Promise<number> {
  const url = settings.DATABASE_URL?.trim()
  if (url && plan.database === undefined) {
    // PostgreSQL: the portal's own database, through its role (the commands only read).
    const where = withoutPassword(url)
    console.error(fill(words().commands.audit.readOnly, { path: where }))
    const db = await openDatabase({ databasePath: '', databaseUrl: url })
    try {
      await plan.run({ path: where, db, now: () => new Date() })
      return 0
    } finally {
      await db.close()
    }
  }
  const path = plan.database ?? databasePathOf(settings)
  console.error(fill(words().commands.audit.readOnly, { path }))
  if (!existsSync(path)) {
    console.error(plan.database ? fill(words().cli.databaseUnreadable, { path, reason: 'ENOENT' }) : fill(words().cli.noDatabase, { path }))
    return configExit
  }
  const opened = openReadOnlyOrSay(path)
  if (!opened) return configExit
  try {
    await plan.run({ path, db: opened.db, now: () => new Date() })
    return 0
  } finally {
    opened.close()
  }
}

function failed(err: unknown, command: Command): number {
  if (err instanceof ConfigError) {
    console.error(err.message)
    return configExit
  }
  if (err instanceof UsageError) console.error(`${err.message}\n\n${textOf(command.help)}`)
  else if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) console.error(`${parseArgsMessage(err)}\n\n${textOf(command.help)}`)
  else if (err instanceof Failure) console.error(err.message)
  else console.error(err instanceof Error ? err.message : String(err))
  return 1
}
