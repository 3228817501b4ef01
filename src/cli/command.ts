// The shape of an operator's command and the small helpers every command shares. A command is one
// entry of the table in src/cli/main.ts; that table is also the overview `help` prints. Every word is
// in the operator's language (src/operator.ts), which runCli sets once from the environment.
import type { Account } from '../domain/accounts.ts'
import { findAccountByUsername } from '../domain/accounts.ts'
import type { Actor, Deps } from '../domain/deps.ts'
import type { Refusal as DomainRefusal } from '../domain/patients.ts'
import type { Db } from '../db/index.ts'
import { NotADatabase, openReadOnly, type ReadOnlyDatabase } from '../db/read-only.ts'
import { findPracticeBySlug, listPractices, type Practice } from '../domain/practices.ts'
import { errorText, fill, formatDateTime, isLang, messages, type Catalogue, type Lang } from '../messages.ts'
import { operatorMessages, type OperatorCatalogue } from '../operator.ts'
import type { Runtime } from '../runtime.ts'
import { parseArgs } from 'node:util'

/** A text of a command: a string, or read from the operator's catalogue. */
export type Text = string | ((o: OperatorCatalogue) => string)

/** What a read-only command gets: the database file opened for reading only (src/db/read-only.ts). */
export interface ReadSource {
  path: string
  db: Db
  now: () => Date
}

export interface Command {
  /** The overview's lines for this command: its usage, then what it does (pairs of lines). */
  overview: Text
  /** `<command> --help`: starts with "Gebruik: npm run admin -- <command>" (or "Usage:"). */
  help: Text
  /** Runs with the full runtime: the database opened and migrated, the keys checked, the outbox. */
  run?(runtime: Runtime, args: string[]): Promise<void>
  /**
   * Or only reads: given the arguments, the database file to open read-only (`--database FILE`, or
   * undefined for DATABASE_PATH) and what to do with it; no migration, no keys, nothing written.
   */
  read?(args: string[]): { database?: string; run(source: ReadSource): Promise<void> }
  /**
   * Or opens what it works on itself, from the settings (migrate-to-postgres: an SQLite file to read,
   * a PostgreSQL database to fill); answers the exit code.
   */
  own?(settings: Record<string, string | undefined>, args: string[]): Promise<number>
  /** Whether the keys must fit the data before it runs (default: yes). Diagnosing a key does not need that. */
  checksKeys?(args: string[]): boolean
}

/** Wrong use of a command: the message with the command's help under it, exit code 1. */
export class UsageError extends Error {}

/** A failure the operator should read, without the command's help under it, exit code 1. */
export class Failure extends Error {}

export const cli: Actor = { actor: 'cli' }

let current: Lang = 'nl'

/** Set once by runCli, from OPERATOR_LANGUAGE or the locale (src/operator.ts). */
export function useOperatorLanguage(lang: Lang): void {
  current = lang
}

export const operatorLanguageNow = (): Lang => current

/** The operator's words. */
export const words = (): OperatorCatalogue => operatorMessages(current)

/** The portal's catalogue in the operator's language: status labels, role and language names, the domain's refusals. */
export const catalogue = (): Catalogue => messages(current)

/** A domain refusal in the operator's language, with its blanks filled (the countries SMS goes to). */
export const refusal = (deps: Deps, key: keyof Catalogue['error']): string => errorText(current, key, deps.config.smsCountries)

export const textOf = (text: Text): string => (typeof text === 'string' ? text : text(words()))

export const when = (date: Date) => formatDateTime(date, current)

export { fill }

/** --language nl|en: the language of the account's mails, SMS and pages; undefined when not given (the practice's language). */
export function languageOption(raw: string | undefined): Lang | undefined {
  if (raw === undefined) return undefined
  if (!isLang(raw)) throw new UsageError(fill(words().cli.unknownLanguage, { value: raw }))
  return raw
}

/**
 * --practice SLUG (issue 20): the practice a new account or a list is for. While the installation has
 * one practice it may be left out; once there are more, it is required, and the error names the choices.
 */
export async function practiceOption(deps: Deps, raw: string | undefined): Promise<Practice> {
  const all = await listPractices(deps)
  const choices = all.map((p) => `${p.slug} (${p.name})`).join(', ')
  const o = words().cli
  if (raw === undefined) {
    if (all.length === 1) return all[0]!
    throw new UsageError(fill(o.practiceRequired, { count: all.length, choices }))
  }
  const found = await findPracticeBySlug(deps, raw)
  if (!found) throw new UsageError(fill(o.unknownPractice, { value: raw, choices }))
  return found
}

/** A plain text table: a header (columns separated by |, as the catalogue writes them) and padded columns. */
export function table(header: string | string[], rows: string[][]): string {
  const names = typeof header === 'string' ? header.split('|') : header
  const widths = names.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(names), ...rows.map(line)].join('\n')
}

/** Node's argument errors, in the operator's words. */
export function parseArgsMessage(err: Error & { code?: unknown }): string {
  const subject = /'([^']+)'/.exec(err.message)?.[1] ?? ''
  const o = words().cli
  switch (String(err.code)) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return fill(o.unknownOption, { subject })
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return fill(o.optionValue, { subject })
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return fill(o.unexpectedArgument, { subject })
    default:
      return err.message
  }
}

/** A refusal of the domain (a key of the error catalogue), or the CLI's own words. */
export type Refusal = DomainRefusal | { ok: false; message: string }

type AccountOption = 'email' | 'phone' | 'yes' | 'role'

/**
 * A command about one account: `<command> GEBRUIKERSNAAM` (or --username), with one optional option
 * (`--email`, `--phone`, `--role`, or the flag `--yes`). The action returns the line to print, or a refusal.
 */
export function accountCommand(
  name: string,
  summary: Text,
  what: Text,
  act: (deps: Deps, account: Account, value: string) => Promise<string | Refusal>,
  option?: AccountOption,
): Command {
  const usage = (o: OperatorCatalogue) => {
    const value = option === 'email' ? o.cli.argEmail : option === 'phone' ? o.cli.argPhone : 'beheerder|behandelaar'
    return `${name} ${o.cli.argUsername}${option === 'yes' ? ' --yes' : option ? ` --${option} ${value}` : ''}`
  }
  return {
    overview: (o) => `${usage(o)}\n${textOf(summary)}`,
    help: (o) => `${o.cli.usage.split(' -- ')[0]} -- ${usage(o)}\n\n${textOf(what)}`,
    async run(runtime, args) {
      const options = {
        username: { type: 'string' as const },
        ...(option === 'yes' ? { yes: { type: 'boolean' as const } } : option ? { [option]: { type: 'string' as const } } : {}),
      }
      const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true })
      const o = words().cli
      const username = (values.username as string | undefined) ?? positionals[0]
      if (!username) throw new UsageError(o.giveUsername)
      if (positionals.length > (values.username === undefined ? 1 : 0)) throw new UsageError(fill(o.unexpectedArgument, { subject: positionals.at(-1)! }))
      const raw = option ? (values as Record<string, string | boolean | undefined>)[option] : undefined
      if (option && option !== 'yes' && (raw === undefined || raw === '')) throw new UsageError(fill(o.missing, { options: `--${option}` }))
      const account = await findAccountByUsername(runtime.deps, username)
      if (!account || account.erasedAt !== null) throw new Failure(fill(o.noAccount, { username }))
      const result = await act(runtime.deps, account, raw === true ? 'yes' : typeof raw === 'string' ? raw : '')
      if (typeof result !== 'string') throw new Failure('error' in result ? refusal(runtime.deps, result.error) : result.message)
      await runtime.dispatcher.idle()
      console.log(result)
    },
  }
}

/** DATABASE_URL as the operator may see it on a terminal: without its password. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.href
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@')
  }
}

/** The SQLite file at `path`, read-only (db/read-only.ts); null once stderr says why it cannot be read. */
export function openReadOnlyOrSay(path: string): ReadOnlyDatabase | null {
  try {
    return openReadOnly(path)
  } catch (err) {
    const reason = err instanceof NotADatabase ? 'not an SQLite database' : ((err as NodeJS.ErrnoException).code ?? (err as Error).message)
    console.error(fill(words().cli.databaseUnreadable, { path, reason }))
    return null
  }
}
