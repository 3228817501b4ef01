// The operator's CLI: `npm run admin -- <command> [options]`. It calls the same domain functions as
// the web, through the same runtime, so a patient invited here is indistinguishable from one
// invited by the practice.
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from './config.ts'
import { createAccount, findAccountByUsername, getAccount, type Account } from './domain/accounts.ts'
import { listEvents, verifyAuditLog, type AuditEvent, type EventFilter } from './domain/audit.ts'
import { listOutbox } from './domain/delivery.ts'
import type { Actor, Deps } from './domain/deps.ts'
import { sendInvitation } from './domain/invitations.ts'
import { activate, changeEmail, changePhone, deactivate, erase, listAccounts, resendInvitation, resetSecondFactor, unlockAccount, type Refusal as DomainRefusal } from './domain/patients.ts'
import { backupDatabase } from './domain/backup.ts'
import { createStaff } from './domain/staff.ts'
import { parseDay, startOfDay } from './flows/practice/dates.ts'
import { formatDateTime, isLang, messages, type Lang } from './messages.ts'
import { createRuntime, type Runtime } from './runtime.ts'
import { oidcCommands, oidcUsage } from './oidc/cli.ts'

const usage = `Gebruik: npm run admin -- <opdracht> [opties]

Opdrachten:
  invite --name "Jan de Vries" --email jan@example.org --phone +31612341361 [--username jdevries] [--language nl|en]
         Maakt een cliënt aan, verstuurt de uitnodiging en toont de gebruikersnaam.
  create-staff --name NAAM --email E-MAIL --phone MOBIEL --role beheerder|behandelaar [--username NAAM] [--language nl|en]
         Maakt een medewerker aan en verstuurt de uitnodiging.
  resend GEBRUIKERSNAAM        Verstuurt een nieuwe uitnodiging; de oude link vervalt.
  reset-mfa GEBRUIKERSNAAM     Reset de tweede factor; sms-verificatie en opnieuw instellen bij de volgende keer inloggen.
  unlock GEBRUIKERSNAAM        Ontgrendelt het account na te veel mislukte pogingen.
  deactivate GEBRUIKERSNAAM    Deactiveert het account en beëindigt de sessies direct.
  activate GEBRUIKERSNAAM      Activeert een gedeactiveerd account weer.
  change-email GEBRUIKERSNAAM --email E-MAIL    Wijzigt het e-mailadres.
  change-phone GEBRUIKERSNAAM --phone MOBIEL    Wijzigt het mobiele nummer.
  erase GEBRUIKERSNAAM --yes   Verwijdert de persoonsgegevens; het auditlog houdt alleen het accountnummer.
  list [--search TEKST] [--role patient|staff|behandelaar|beheerder] [--json]
         Toont de accounts met hun status.
  audit [--username NAAM] [--event NAAM] [--since DATUM] [--limit N] [--json]
         Toont recente gebeurtenissen uit het auditlog, nieuwste eerst.
  audit verify                  Controleert de hashketen van het auditlog; exitcode 1 bij de eerste beschadigde regel.
  backup BESTAND                Maakt een consistente back-up van de database terwijl het portaal draait.
${oidcUsage}  help   Deze uitleg.

Elke opdracht heeft --help. Bij een fout is de exitcode niet 0.
`

class UsageError extends Error {}

/** The operator's CLI speaks Dutch, whatever language an account has. */
const { text, error } = messages('nl')
const when = (date: Date) => formatDateTime(date, 'nl')

/** --language nl|en: the language of the account's mails, SMS and pages; Dutch when not given. */
function languageOption(raw: string | undefined): Lang {
  if (raw === undefined) return 'nl'
  if (!isLang(raw)) throw new UsageError(`Onbekende taal: ${raw}. Kies nl (Nederlands) of en (Engels).`)
  return raw
}

/** A failure the operator should read, without the command's help under it. */
class Failure extends Error {}

const cli: Actor = { actor: 'cli' }

/** A refusal of the domain (a key of the error catalogue), or the CLI's own words. */
type Refusal = DomainRefusal | { ok: false; message: string }

/**
 * A command about one account: `<command> GEBRUIKERSNAAM` (or --username), with one optional option
 * (`--email`, `--phone`, or the flag `--yes`). The action returns the line to print, or a refusal.
 */
function accountCommand(
  name: string,
  what: string,
  act: (deps: Deps, account: Account, value: string) => string | Refusal,
  option?: 'email' | 'phone' | 'yes',
): { help: string; run: Command } {
  const optionUsage = option === 'yes' ? ' --yes' : option ? ` --${option} ${option === 'email' ? 'E-MAIL' : 'MOBIEL'}` : ''
  return {
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
      if (typeof result !== 'string') throw new Failure('error' in result ? error[result.error] : result.message)
      await runtime.dispatcher.idle()
      console.log(result)
    },
  }
}

/** A plain text table: a header and padded columns. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

/** 2026-03-02 or 2-3-2026 (that day in Amsterdam), an ISO time, or a period back from now: 24h, 7d. */
function parseSince(raw: string, now: Date): Date | null {
  const relative = /^(\d{1,5})([hd])$/.exec(raw.trim())
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (relative[2] === 'h' ? 3_600_000 : 86_400_000))
  const day = parseDay(raw)
  if (day) return startOfDay(day.year, day.month, day.day)
  if (/^\d{4}-\d{2}-\d{2}T/.test(raw) && !Number.isNaN(Date.parse(raw))) return new Date(raw)
  return null
}

/** Node's argument errors, in Dutch. */
function parseArgsMessage(err: Error & { code?: unknown }): string {
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

type Command = (runtime: Runtime, args: string[]) => Promise<void>

const commands: Record<string, { help: string; run: Command }> = {
  invite: {
    help: `Gebruik: npm run admin -- invite --name NAAM --email E-MAIL --phone MOBIEL [--username NAAM] [--language nl|en]

Maakt een cliënt aan en verstuurt de uitnodiging (Stap 1) via de ingestelde mailserver.
Mobiel nummer als +31612341361 of 06-12341361. Zonder --username wordt er een voorgesteld.
--language: de taal van de e-mails, sms-berichten en pagina's van het account, nl (Nederlands,
standaard) of en (Engels).`,
    async run(runtime, args) {
      const { values } = parseArgs({
        args,
        options: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' }, username: { type: 'string' }, language: { type: 'string' } },
        strict: true,
      })
      const missing = (['name', 'email', 'phone'] as const).filter((k) => !values[k])
      if (missing.length > 0) throw new UsageError(`Ontbrekend: ${missing.map((k) => `--${k}`).join(', ')}.`)
      const language = languageOption(values.language)
      const { deps } = runtime
      const created = createAccount(deps, { actor: 'cli' }, { name: values.name!, email: values.email!, phone: values.phone!, username: values.username, language })
      if (!created.ok) throw new UsageError(Object.values(created.errors).map((key) => error[key]).join('\n'))
      const { expiresAt } = sendInvitation(deps, { actor: 'cli' }, created.account.id)
      await runtime.dispatcher.idle()
      const [message] = listOutbox(deps, { limit: 1 })
      console.log(created.account.username)
      console.error(`Uitnodiging voor ${created.account.name} <${created.account.email}>${language === 'nl' ? '' : ` (${text.languageNames[language]})`}, geldig tot ${when(expiresAt)}.`)
      if (message?.status !== 'sent') {
        console.error(`Let op: de e-mail is nog niet bezorgd (${message?.lastError ?? 'onbekende fout'}). De server probeert het opnieuw.`)
      } else if (deps.config.devOutbox && !deps.config.smtpUrl) {
        console.error(`Geen SMTP_URL ingesteld: de e-mail staat in de dev outbox (${new URL('/dev/outbox', deps.config.publicUrl).href}).`)
      }
    },
  },
  'create-staff': {
    help: `Gebruik: npm run admin -- create-staff --name NAAM --email E-MAIL --phone MOBIEL --role beheerder|behandelaar [--username NAAM] [--language nl|en]

Maakt een medewerker aan en verstuurt de uitnodiging. Medewerkers doorlopen dezelfde aanmelding als
cliënten en gebruiken altijd een authenticatie app. Een beheerder beheert medewerkers en cliënten, een
behandelaar beheert cliënten. De eerste beheerder maakt u zo aan.
--language: de taal van de e-mails, sms-berichten en pagina's van het account, nl (Nederlands,
standaard) of en (Engels).`,
    async run(runtime, args) {
      const { values } = parseArgs({
        args,
        options: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' }, role: { type: 'string' }, username: { type: 'string' }, language: { type: 'string' } },
        strict: true,
      })
      const missing = (['name', 'email', 'phone', 'role'] as const).filter((k) => !values[k])
      if (missing.length > 0) throw new UsageError(`Ontbrekend: ${missing.map((k) => `--${k}`).join(', ')}.`)
      const language = languageOption(values.language)
      const { deps } = runtime
      const created = createStaff(deps, cli, { name: values.name!, email: values.email!, phone: values.phone!, role: values.role!, username: values.username, language })
      if (!created.ok) throw new UsageError(Object.values(created.errors).map((key) => error[key]).join('\n'))
      await runtime.dispatcher.idle()
      console.log(created.account.username)
      console.error(`Uitnodiging voor ${created.account.name} <${created.account.email}> (${created.account.role}${language === 'nl' ? '' : `, ${text.languageNames[language]}`}), geldig tot ${when(created.expiresAt)}.`)
    },
  },
  resend: accountCommand(
    'resend',
    'Verstuurt een nieuwe uitnodiging naar het e-mailadres van het account. De vorige link werkt daarna niet meer.\nNiet mogelijk voor een account dat de aanmelding al heeft afgerond.',
    (deps, account) => {
      const result = resendInvitation(deps, cli, account.id)
      return result.ok ? `Nieuwe uitnodiging verstuurd naar ${account.email}, geldig tot ${when(result.expiresAt!)}.` : result
    },
  ),
  'reset-mfa': accountCommand(
    'reset-mfa',
    'Reset de tweede factor: bij de volgende keer inloggen verifieert het account het telefoonnummer per sms en stelt\nde tweede factor opnieuw in. Open sessies worden beëindigd; het account krijgt een e-mail.',
    (deps, account) => {
      const result = resetSecondFactor(deps, cli, account.id)
      return result.ok ? `De tweede factor van ${account.username} is gereset.` : result
    },
  ),
  unlock: accountCommand('unlock', 'Ontgrendelt het account na te veel mislukte pogingen, en wist een eventuele wachttijd.', (deps, account) => {
    const result = unlockAccount(deps, cli, account.id)
    if (!result.ok) return result
    return result.wasLocked ? `${account.username} is ontgrendeld.` : `${account.username} was niet vergrendeld; een eventuele wachttijd is gewist.`
  }),
  deactivate: accountCommand('deactivate', 'Deactiveert het account: inloggen kan niet meer, open sessies eindigen direct.', (deps, account) => {
    const result = deactivate(deps, cli, account.id)
    return result.ok ? `${account.username} is gedeactiveerd (${result.sessionsEnded} sessie(s) beëindigd).` : result
  }),
  activate: accountCommand('activate', 'Activeert een gedeactiveerd account weer.', (deps, account) => {
    const result = activate(deps, cli, account.id)
    return result.ok ? `${account.username} is actief.` : result
  }),
  'change-email': accountCommand(
    'change-email',
    'Wijzigt het e-mailadres (--email). Voor het einde van de aanmelding gaat er een nieuwe uitnodiging naar het nieuwe\nadres; daarna bevestigt het account het nieuwe adres met een code bij de volgende keer inloggen.',
    (deps, account, value) => {
      const result = changeEmail(deps, cli, account.id, value)
      return result.ok ? `Het e-mailadres van ${account.username} is gewijzigd.` : result
    },
    'email',
  ),
  'change-phone': accountCommand(
    'change-phone',
    'Wijzigt het mobiele nummer (--phone). Het account verifieert het nieuwe nummer per sms bij de volgende stap of keer inloggen.',
    (deps, account, value) => {
      const result = changePhone(deps, cli, account.id, value)
      return result.ok ? `Het mobiele nummer van ${account.username} is gewijzigd.` : result
    },
    'phone',
  ),
  erase: accountCommand(
    'erase',
    'Verwijdert het account: naam, gebruikersnaam, e-mailadres en mobiel nummer worden gewist, net als sessies, codes,\nlinks en berichten. Het auditlog houdt alleen het accountnummer. Kan niet ongedaan worden gemaakt: geef --yes mee.',
    (deps, account, value) => {
      if (value !== 'yes') return { ok: false, message: 'Verwijderen kan niet ongedaan worden gemaakt. Geef --yes mee om te bevestigen.' }
      const result = erase(deps, cli, account.id)
      return result.ok ? `Account #${account.id} is verwijderd.` : result
    },
    'yes',
  ),
  list: {
    help: `Gebruik: npm run admin -- list [--search TEKST] [--role patient|staff|behandelaar|beheerder] [--json]

Toont de accounts (verwijderde niet) met hun status: uitgenodigd, e-mail geverifieerd, telefoon geverifieerd,
wachtwoord ingesteld, actief, vergrendeld of gedeactiveerd; met de uitnodiging en de laatste keer inloggen.
--json geeft hetzelfde als JSON.`,
    async run(runtime, args) {
      const { values } = parseArgs({ args, options: { search: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean' } }, strict: true })
      const role = values.role ?? 'all'
      if (!['all', 'patient', 'staff', 'behandelaar', 'beheerder'].includes(role)) throw new UsageError(`Onbekende rol: ${role}.`)
      const scope = role === 'patient' ? 'patients' : role === 'all' ? 'all' : 'staff'
      const { rows } = listAccounts(runtime.deps, { scope, search: values.search ?? '', limit: 1_000_000 })
      const shown = rows.filter((s) => role !== 'behandelaar' && role !== 'beheerder' ? true : s.account.role === role)
      const out = shown.map((s) => ({
        id: s.account.id,
        username: s.account.username,
        name: s.account.name,
        email: s.account.email,
        phone: s.account.phone,
        role: s.account.role,
        status: text.statusLabels[s.status],
        locked: s.locked,
        invitationExpiresAt: s.invitationExpiresAt?.toISOString() ?? null,
        invitationExpired: s.invitationExpired,
        lastSignInAt: s.account.lastSignInAt?.toISOString() ?? null,
        createdAt: s.account.createdAt.toISOString(),
        pending: s.pending,
      }))
      if (values.json) {
        console.log(JSON.stringify(out, null, 2))
        return
      }
      if (out.length === 0) {
        console.log('Geen accounts gevonden.')
        return
      }
      console.log(
        table(
          ['GEBRUIKERSNAAM', 'NAAM', 'ROL', 'STATUS', 'UITNODIGING GELDIG TOT', 'LAATST INGELOGD'],
          shown.map((s) => [
            s.account.username,
            s.account.name,
            s.account.role,
            text.statusLabels[s.status],
            s.invitationExpiresAt ? `${when(s.invitationExpiresAt)}${s.invitationExpired ? ' (verlopen)' : ''}` : '-',
            s.account.lastSignInAt ? when(s.account.lastSignInAt) : '-',
          ]),
        ),
      )
    },
  },
  backup: {
    help: `Gebruik: npm run admin -- backup BESTAND

Maakt een consistente kopie van de database, ook terwijl het portaal draait, en controleert die.
Een bestaand bestand wordt nooit overschreven. De kopie bevat geen SECRET_KEY: bewaar die apart.
Terugzetten: stop het portaal, zet de kopie op de plaats van DATABASE_PATH (verwijder daar eventuele
-wal en -shm bestanden) en start het portaal met dezelfde SECRET_KEY (zie docs/security.md).`,
    async run(runtime, args) {
      const { positionals } = parseArgs({ args, allowPositionals: true, strict: true })
      if (positionals.length !== 1) throw new UsageError('Geef één bestandsnaam: npm run admin -- backup BESTAND.')
      const result = await backupDatabase(runtime.deps, positionals[0]!)
      if (!result.ok) {
        if (result.reason === 'check-failed') throw new UsageError(`De kopie is niet in orde (${result.detail}); probeer het opnieuw.`)
        throw new UsageError(result.reason === 'exists' ? 'Dat bestand bestaat al; kies een nieuwe naam.' : 'Dat is de database zelf; kies een ander bestand.')
      }
      console.log(result.file)
      console.error(`Back-up gemaakt (${Math.ceil(result.bytes / 1024)} KB). Bewaar SECRET_KEY apart van deze back-up.`)
    },
  },
  audit: {
    help: `Gebruik: npm run admin -- audit [--username NAAM] [--account ID] [--event NAAM] [--since DATUM] [--limit N] [--json]

Toont gebeurtenissen uit het auditlog, nieuwste eerst (standaard de laatste 50).
  --username  alleen dit account        --account  alleen dit accountnummer (ook van een verwijderd account)
  --event     bijvoorbeeld sign_in, sign_in_failed, invite, lockout, mfa_reset
  --since     vanaf een datum (2026-03-02 of 2-3-2026, Amsterdamse tijd), een tijdstip (2026-03-02T09:00:00Z)
              of een periode terug (24h, 7d)

Gebruik: npm run admin -- audit verify

Controleert of het auditlog nog is zoals het geschreven werd: elke regel draagt een SHA-256 over de
vorige regel en haar eigen inhoud. Toont de eerste regel die niet klopt (gewijzigd, ertussen gezet of
met een verwijderde regel ervoor) en eindigt dan met exitcode 1. Klopt alles, dan toont het de laatste
hash: noteer die buiten de server (bij de back-up), dan valt ook een herschreven keten op.`,
    async run(runtime, args) {
      if (args[0] === 'verify') {
        if (args.length > 1) throw new UsageError(`Onverwacht argument: ${args[1]}.`)
        const check = verifyAuditLog(runtime.deps)
        if (check.ok) {
          console.log(`Auditlog in orde: ${check.rows} regels gecontroleerd${check.lastId === null ? '' : ` (tot en met regel ${check.lastId})`}.`)
          console.log(`Laatste hash: ${check.head}`)
          return
        }
        const why = {
          hash: 'de inhoud of de regel ervoor is veranderd, of de regel is ertussen gezet',
          'missing-hash': 'de regel heeft geen hash: buiten het portaal toegevoegd',
          'tail-removed': 'regels aan het eind zijn verwijderd',
        }[check.reason]
        throw new Failure(
          `Auditlog beschadigd bij regel ${check.id}: ${why}. ${check.rows} regels ervoor kloppen; vanaf regel ${check.id} is het log niet te vertrouwen.`,
        )
      }
      const { values } = parseArgs({
        args,
        options: { username: { type: 'string' }, account: { type: 'string' }, event: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
        strict: true,
      })
      const { deps } = runtime
      const filter: EventFilter = { limit: 50 }
      if (values.username !== undefined) {
        const account = findAccountByUsername(deps, values.username)
        if (!account) throw new Failure(`Geen account met gebruikersnaam ${values.username}.`)
        filter.accountId = account.id
      }
      if (values.account !== undefined) {
        if (!/^[1-9]\d{0,8}$/.test(values.account)) throw new UsageError(`--account moet een accountnummer zijn (nu ${values.account}).`)
        filter.accountId = Number(values.account)
      }
      if (values.event !== undefined) {
        if (!/^[a-z_]{1,40}$/.test(values.event)) throw new UsageError(`Onbekende gebeurtenis: ${values.event}.`)
        filter.event = values.event as AuditEvent
      }
      if (values.since !== undefined) {
        const since = parseSince(values.since, deps.clock.now())
        if (!since) throw new UsageError(`--since begrijp ik niet: ${values.since}. Gebruik bijvoorbeeld 2026-03-02, 2-3-2026, 24h of 7d.`)
        filter.since = since
      }
      if (values.limit !== undefined) {
        if (!/^[1-9]\d{0,4}$/.test(values.limit)) throw new UsageError(`--limit moet een getal van 1 tot en met 99999 zijn (nu ${values.limit}).`)
        filter.limit = Number(values.limit)
      }
      const names = new Map<number, string>()
      const nameOf = (id: number | null) => {
        if (id === null) return null
        if (!names.has(id)) names.set(id, getAccount(deps, id)?.username ?? `#${id}`)
        return names.get(id)!
      }
      const rows = listEvents(deps, filter).map((r) => ({
        at: r.at.toISOString(),
        event: r.event,
        outcome: r.outcome,
        accountId: r.accountId,
        username: nameOf(r.accountId),
        actor: r.actor.replace(/^staff:(\d+)$/, (_m, id: string) => `staff:${nameOf(Number(id))}`),
        ip: r.ip,
        userAgent: r.userAgent,
        detail: r.detail ? (JSON.parse(r.detail) as unknown) : null,
      }))
      if (values.json) {
        console.log(JSON.stringify(rows, null, 2))
        return
      }
      if (rows.length === 0) {
        console.log('Geen gebeurtenissen gevonden.')
        return
      }
      console.log(
        table(
          ['TIJD (UTC)', 'GEBEURTENIS', 'UITKOMST', 'ACCOUNT', 'DOOR', 'IP', 'DETAILS'],
          rows.map((r) => [r.at, r.event, r.outcome, r.username ?? '-', r.actor, r.ip ?? '-', r.detail ? JSON.stringify(r.detail) : '']),
        ),
      )
    },
  },
  ...oidcCommands,
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
    else if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) console.error(`${parseArgsMessage(err)}\n\n${command.help}`)
    else console.error(err instanceof Error ? err.message : String(err))
    return 1
  } finally {
    await runtime?.close()
  }
}

process.exitCode = await main(process.argv.slice(2))
