// `audit`: the audit log's recent events, filtered; `audit verify`: its hash chain; `audit export`: a
// period of it for keeping. All three only read (src/db/read-only.ts): on the live database or a backup.
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import { findAccountByUsername, getAccount } from '../domain/accounts.ts'
import { eventsBetween, listEvents, verifyAuditLog, type AuditEvent, type EventFilter } from '../domain/audit.ts'
import { parseDay, startOfDay } from '../flows/practice/dates.ts'
import { csvHeader, csvLine, jsonLine, zoneFormatter } from './audit-export.ts'
import { Failure, fill, table, UsageError, when, words, type Command, type ReadSource } from './command.ts'

/** 2026-03-02 or 2-3-2026 (that day in Amsterdam), an ISO time, or a period back from now: 24h, 7d. */
function parseMoment(raw: string, now: Date): Date | null {
  const relative = /^(\d{1,5})([hd])$/.exec(raw.trim())
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (relative[2] === 'h' ? 3_600_000 : 86_400_000))
  const day = parseDay(raw)
  if (day) return startOfDay(day.year, day.month, day.day)
  if (/^\d{4}-\d{2}-\d{2}T/.test(raw) && !Number.isNaN(Date.parse(raw))) return new Date(raw)
  return null
}

async function verify(source: ReadSource): Promise<void> {
  const o = words().commands.audit
  const check = await verifyAuditLog(source)
  if (check.ok) {
    console.log(fill(o.verified, { rows: check.rows, upTo: check.lastId === null ? '' : fill(o.upTo, { id: check.lastId }) }))
    console.log(fill(o.lastHash, { hash: check.head }))
    for (const a of check.adoptions) console.log(fill(o.adoption, { at: when(a.at), from: a.fromId, to: a.toId, count: a.rows }))
    if (check.pending) console.log(fill(o.pending, { from: check.pending.fromId, to: check.pending.toId, count: check.pending.rows }))
    return
  }
  if (check.reason === 'no-chain') throw new Failure(o.noChain)
  const why = { hash: o.whyHash, 'missing-hash': o.whyMissingHash, 'tail-removed': o.whyTailRemoved }[check.reason]
  throw new Failure(fill(o.broken, { id: check.id, why, rows: check.rows }))
}

/** Writes the period to stdout row by row, waiting whenever the pipe is full: memory stays flat. */
async function exportPeriod(source: ReadSource, values: { since?: string; until?: string; format?: string; zone?: string }): Promise<void> {
  const o = words().commands.audit
  if (values.since === undefined) throw new UsageError(o.sinceRequired)
  const now = source.now()
  const since = parseMoment(values.since, now)
  if (!since) throw new UsageError(fill(o.badSince, { value: values.since }))
  const until = values.until === undefined ? now : parseMoment(values.until, now)
  if (!until) throw new UsageError(fill(o.badUntil, { value: values.until! }))
  if (until.getTime() <= since.getTime()) throw new UsageError(o.untilBeforeSince)
  const format = values.format ?? 'jsonl'
  if (format !== 'jsonl' && format !== 'csv') throw new UsageError(fill(o.badFormat, { value: format }))
  const zone = values.zone ?? 'UTC'
  const time = zoneFormatter(zone)
  if (!time) throw new UsageError(fill(o.badZone, { value: zone }))
  const out = process.stdout
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain')
  }
  if (format === 'csv') await write(csvHeader)
  let count = 0
  for await (const row of eventsBetween(source, since, until)) {
    await write(format === 'csv' ? csvLine(row, time) : jsonLine(row, time))
    count++
  }
  console.error(fill(o.exported, { count, from: time(since.getTime()), until: time(until.getTime()), zone }))
}

async function listRecent(source: ReadSource, args: string[]): Promise<void> {
  const o = words().commands.audit
  const { values } = parseArgs({
    args,
    options: { username: { type: 'string' }, account: { type: 'string' }, event: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
  })
  const filter: EventFilter = { limit: 50 }
  if (values.username !== undefined) {
    const account = await findAccountByUsername(source, values.username)
    if (!account) throw new Failure(fill(words().cli.noAccount, { username: values.username }))
    filter.accountId = account.id
  }
  if (values.account !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(values.account)) throw new UsageError(fill(o.badAccount, { value: values.account }))
    filter.accountId = Number(values.account)
  }
  if (values.event !== undefined) {
    if (!/^[a-z_]{1,40}$/.test(values.event)) throw new UsageError(fill(o.badEvent, { value: values.event }))
    filter.event = values.event as AuditEvent
  }
  if (values.since !== undefined) {
    const since = parseMoment(values.since, source.now())
    if (!since) throw new UsageError(fill(o.badSince, { value: values.since }))
    filter.since = since
  }
  if (values.limit !== undefined) {
    if (!/^[1-9]\d{0,4}$/.test(values.limit)) throw new UsageError(fill(o.badLimit, { value: values.limit }))
    filter.limit = Number(values.limit)
  }
  const names = new Map<number, string>()
  const nameOf = async (id: number | null) => {
    if (id === null) return null
    if (!names.has(id)) names.set(id, (await getAccount(source, id))?.username ?? `#${id}`)
    return names.get(id)!
  }
  const rows = []
  for (const r of await listEvents(source, filter)) {
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
    console.log(o.none)
    return
  }
  console.log(
    table(
      o.columns,
      rows.map((r) => [r.at, r.event, r.outcome, r.username ?? '-', r.actor, r.ip ?? '-', r.detail ? JSON.stringify(r.detail) : '']),
    ),
  )
}

export const audit: Command = {
  overview: (o) => o.commands.audit.overview,
  help: (o) => o.commands.audit.help,
  read(args) {
    const [sub, ...rest] = args
    if (sub === 'verify') {
      const { values } = parseArgs({ args: rest, options: { database: { type: 'string' } }, strict: true })
      return { database: values.database, run: async (source) => verify(source) }
    }
    if (sub === 'export') {
      const { values } = parseArgs({
        args: rest,
        options: { since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string' }, zone: { type: 'string' }, database: { type: 'string' } },
        strict: true,
      })
      return { database: values.database, run: (source) => exportPeriod(source, values) }
    }
    // `audit [filters] [--database FILE]`: the list; the filters are checked by listRecent.
    const database = args.indexOf('--database')
    if (database >= 0 && (args[database + 1] ?? '').startsWith('-')) throw new UsageError(fill(words().cli.optionValue, { subject: '--database' }))
    if (database >= 0 && args[database + 1] === undefined) throw new UsageError(fill(words().cli.optionValue, { subject: '--database' }))
    const filters = database >= 0 ? [...args.slice(0, database), ...args.slice(database + 2)] : args
    return { database: database >= 0 ? args[database + 1] : undefined, run: async (source) => listRecent(source, filters) }
  },
}
