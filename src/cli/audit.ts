// `audit`: the audit log's recent events, filtered; `audit verify`: its hash chain.
import { parseArgs } from 'node:util'
import { findAccountByUsername, getAccount } from '../domain/accounts.ts'
import { listEvents, verifyAuditLog, type AuditEvent, type EventFilter } from '../domain/audit.ts'
import type { Deps } from '../domain/deps.ts'
import { parseDay, startOfDay } from '../flows/practice/dates.ts'
import { Failure, table, UsageError, type Command } from './command.ts'

/** 2026-03-02 or 2-3-2026 (that day in Amsterdam), an ISO time, or a period back from now: 24h, 7d. */
function parseSince(raw: string, now: Date): Date | null {
  const relative = /^(\d{1,5})([hd])$/.exec(raw.trim())
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (relative[2] === 'h' ? 3_600_000 : 86_400_000))
  const day = parseDay(raw)
  if (day) return startOfDay(day.year, day.month, day.day)
  if (/^\d{4}-\d{2}-\d{2}T/.test(raw) && !Number.isNaN(Date.parse(raw))) return new Date(raw)
  return null
}

async function verify(deps: Deps): Promise<void> {
  const check = await verifyAuditLog(deps)
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
  throw new Failure(`Auditlog beschadigd bij regel ${check.id}: ${why}. ${check.rows} regels ervoor kloppen; vanaf regel ${check.id} is het log niet te vertrouwen.`)
}

export const audit: Command = {
  overview: `audit [--username NAAM] [--event NAAM] [--since DATUM] [--limit N] [--json]
Toont recente gebeurtenissen uit het auditlog, nieuwste eerst.
audit verify
Controleert de hashketen van het auditlog; exitcode 1 bij de eerste beschadigde regel.`,
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
    const { deps } = runtime
    if (args[0] === 'verify') {
      if (args.length > 1) throw new UsageError(`Onverwacht argument: ${args[1]}.`)
      return await verify(deps)
    }
    const { values } = parseArgs({
      args,
      options: { username: { type: 'string' }, account: { type: 'string' }, event: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
    })
    const filter: EventFilter = { limit: 50 }
    if (values.username !== undefined) {
      const account = await findAccountByUsername(deps, values.username)
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
    const nameOf = async (id: number | null) => {
      if (id === null) return null
      if (!names.has(id)) names.set(id, (await getAccount(deps, id))?.username ?? `#${id}`)
      return names.get(id)!
    }
    const rows = []
    for (const r of await listEvents(deps, filter)) {
      const staff = /^staff:(\d+)$/.exec(r.actor)
      rows.push({
      at: r.at.toISOString(),
      event: r.event,
      outcome: r.outcome,
      accountId: r.accountId,
      username: await nameOf(r.accountId),
      actor: staff ? `staff:${await nameOf(Number(staff[1]))}` : r.actor,
      ip: r.ip,
      userAgent: r.userAgent,
      detail: r.detail ? (JSON.parse(r.detail) as unknown) : null,
      })
    }
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
}
