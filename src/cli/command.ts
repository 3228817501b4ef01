// The shape of an operator's command and the small helpers every command shares. A command is one
// entry of the table in src/cli/main.ts; that table is also the overview `help` prints.
import type { Account } from '../domain/accounts.ts'
import { findAccountByUsername } from '../domain/accounts.ts'
import type { Actor, Deps } from '../domain/deps.ts'
import type { Refusal as DomainRefusal } from '../domain/patients.ts'
import { findPracticeBySlug, listPractices, type Practice } from '../domain/practices.ts'
import { errorText, formatDateTime, isLang, messages, type Lang } from '../messages.ts'
import type { Runtime } from '../runtime.ts'
import { parseArgs } from 'node:util'

export interface Command {
  /** The overview's lines for this command: its usage, then what it does. */
  overview: string
  /** `<command> --help`: starts with "Gebruik: npm run admin -- <command>". */
  help: string
  run(runtime: Runtime, args: string[]): Promise<void>
}

/** Wrong use of a command: the message with the command's help under it, exit code 1. */
export class UsageError extends Error {}

/** A failure the operator should read, without the command's help under it, exit code 1. */
export class Failure extends Error {}

export const cli: Actor = { actor: 'cli' }

/** The operator's CLI speaks Dutch, whatever language an account has. */
export const { text, error } = messages('nl')
export const when = (date: Date) => formatDateTime(date, 'nl')

/** --language nl|en: the language of the account's mails, SMS and pages; undefined when not given (the practice's language). */
export function languageOption(raw: string | undefined): Lang | undefined {
  if (raw === undefined) return undefined
  if (!isLang(raw)) throw new UsageError(`Onbekende taal: ${raw}. Kies nl (Nederlands) of en (Engels).`)
  return raw
}

/**
 * --practice SLUG (issue 20): the practice a new account or a list is for. While the installation has
 * one practice it may be left out; once there are more, it is required, and the error names the choices.
 */
export function practiceOption(deps: Deps, raw: string | undefined): Practice {
  const all = listPractices(deps)
  const choices = all.map((p) => `${p.slug} (${p.name})`).join(', ')
  if (raw === undefined) {
    if (all.length === 1) return all[0]!
    throw new UsageError(`Er zijn ${all.length} praktijken: geef --practice met een van: ${choices}.`)
  }
  const found = findPracticeBySlug(deps, raw)
  if (!found) throw new UsageError(`Onbekende praktijk: ${raw}. Kies een van: ${choices}.`)
  return found
}

/** A plain text table: a header and padded columns. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

/** Node's argument errors, in Dutch. */
export function parseArgsMessage(err: Error & { code?: unknown }): string {
  const subject = /'([^']+)'/.exec(err.message)?.[1] ?? ''
  switch (String(err.code)) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Onbekende optie: ${subject}.`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `De optie ${subject} heeft een waarde nodig (of juist geen).`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Onverwacht argument: ${subject}.`
    default:
      return err.message
  }
}

/** A refusal of the domain (a key of the error catalogue), or the CLI's own words. */
export type Refusal = DomainRefusal | { ok: false; message: string }

/**
 * A command about one account: `<command> GEBRUIKERSNAAM` (or --username), with one optional option
 * (`--email`, `--phone`, or the flag `--yes`). The action returns the line to print, or a refusal.
 */
export function accountCommand(
  name: string,
  summary: string,
  what: string,
  act: (deps: Deps, account: Account, value: string) => string | Refusal,
  option?: 'email' | 'phone' | 'yes',
): Command {
  const optionUsage = option === 'yes' ? ' --yes' : option ? ` --${option} ${option === 'email' ? 'E-MAIL' : 'MOBIEL'}` : ''
  return {
    overview: `${name} GEBRUIKERSNAAM${optionUsage}\n${summary}`,
    help: `Gebruik: npm run admin -- ${name} GEBRUIKERSNAAM${optionUsage}\n\n${what}`,
    async run(runtime, args) {
      const options = {
        username: { type: 'string' as const },
        ...(option === 'yes' ? { yes: { type: 'boolean' as const } } : option ? { [option]: { type: 'string' as const } } : {}),
      }
      const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true })
      const username = (values.username as string | undefined) ?? positionals[0]
      if (!username) throw new UsageError('Geef de gebruikersnaam van het account.')
      if (positionals.length > (values.username === undefined ? 1 : 0)) throw new UsageError(`Onverwacht argument: ${positionals.at(-1)}.`)
      const raw = option ? (values as Record<string, string | boolean | undefined>)[option] : undefined
      if (option && option !== 'yes' && (raw === undefined || raw === '')) throw new UsageError(`Ontbrekend: --${option}.`)
      const account = findAccountByUsername(runtime.deps, username)
      if (!account || account.erasedAt !== null) throw new Failure(`Geen account met gebruikersnaam ${username}.`)
      const result = act(runtime.deps, account, raw === true ? 'yes' : typeof raw === 'string' ? raw : '')
      if (typeof result !== 'string') throw new Failure('error' in result ? errorText('nl', result.error, runtime.deps.config.smsCountries) : result.message)
      await runtime.dispatcher.idle()
      console.log(result)
    },
  }
}
