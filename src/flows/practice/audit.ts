// 'Auditlog': the security events, newest first, filterable by account, event type and period, and
// paged; the account page shows the same entries for one account. Nothing secret is ever in them.
import type { FastifyInstance } from 'fastify'
import { findAccountByUsernameIn, getAccountIn, type Account } from '../../domain/accounts.ts'
import { countEvents, listEvents, recordEvent, type AuditEvent, type EventFilter } from '../../domain/audit.ts'
import type { Deps } from '../../domain/deps.ts'
import { fill, formatDateTime, messages, type Catalogue, type Lang } from '../../messages.ts'
import { t } from '../../web/language.ts'
import { page } from '../../web/render.ts'
import { parseDay, startOfDay, startOfNextDay } from './dates.ts'
import { auditViewerOf, navOf, openFromOutside, ownNavigation, practiceIdOf, staffBy, staffOf } from './guard.ts'
import { accountHref } from './kinds.ts'
import { pageNumber, pager, readQuery } from './view.ts'

export const auditPath = '/praktijk/auditlog'
/** Fifteen entries keep the page under the 15 KB budget, even with long browser names. */
const auditPageSize = 15

type Row = Awaited<ReturnType<typeof listEvents>>[number]

/** Readable entries: who, what, when, from where. Accounts are looked up once per page, in the viewer's practice only. */
export async function auditEntries(deps: Deps, viewer: Account, rows: Row[], lang: Lang) {
  const { text } = messages(lang)
  const cache = new Map<number, Account | undefined>()
  const account = async (id: number) => {
    if (!cache.has(id)) cache.set(id, (await getAccountIn(deps, viewer.practiceId, id)))
    return cache.get(id)
  }
  const accountView = async (id: number | null) => {
    if (id === null) return { name: text.auditUnknownAccount, href: null }
    const a = await account(id)
    if (!a) return { name: text.auditUnknownAccount, href: null }
    if (a.erasedAt !== null) return { name: fill(text.auditErasedAccount, { id }), href: null }
    return { name: a.username, href: accountHref(viewer, a) }
  }
  const actorText = async (actor: string) => {
    if (actor === 'self') return text.actorSelf
    if (actor === 'cli') return text.actorCli
    const staff = /^staff:(\d+)$/.exec(actor)
    if (staff) return fill(text.actorStaff, { who: (await accountView(Number(staff[1]))).name })
    return text.actorSystem
  }
  // A behandelaar sees a colleague's action on a patient, not the colleague's address or browser.
  const hidden = (row: Row) => viewer.role !== 'beheerder' && row.actor.startsWith('staff:') && row.actor !== `staff:${viewer.id}`
  const entries = []
  // One after another: the account cache fills as it goes.
  for (const row of rows) {
    entries.push({
    when: formatDateTime(row.at, lang),
    event: text.auditEvents[row.event] ?? row.event,
    outcome: text.outcomeLabels[row.outcome],
    failed: row.outcome === 'failure',
    account: await accountView(row.accountId),
    actor: await actorText(row.actor),
    ip: hidden(row) ? '' : row.ip ?? '',
    browser: row.userAgent && !hidden(row) ? row.userAgent.slice(0, 70) : '',
    detail: detailText(row.detail, lang),
    })
  }
  return entries
}

/** The stored JSON detail in words: "Waarvoor: inlogcode per e-mail; Reden: verkeerde code". */
export function detailText(detail: string | null, lang: Lang): string {
  const { auditDetail } = messages(lang)
  if (!detail) return ''
  let parsed: unknown
  try {
    parsed = JSON.parse(detail)
  } catch {
    return ''
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return ''
  return Object.entries(parsed as Record<string, unknown>)
    .map(([key, value]) => `${auditDetail.keys[key] ?? key}: ${detailValue(auditDetail, key, value)}`)
    .join('; ')
}

function detailValue(auditDetail: Catalogue['auditDetail'], key: string, value: unknown): string {
  if (value === null || value === undefined) return auditDetail.none
  if (typeof value === 'boolean') return value ? auditDetail.yes : auditDetail.no
  const stored = String(value)
  return auditDetail.values[key]?.[stored] ?? stored
}

/** The event types to filter on, by their name in the reader's language; sorted once per language. */
const eventOptionsByLang = new Map<Lang, { value: string; label: string }[]>()
function eventOptions(lang: Lang) {
  let options = eventOptionsByLang.get(lang)
  if (!options) {
    const { text, locale } = messages(lang)
    options = Object.entries(text.auditEvents)
      .map(([value, name]) => ({ value, label: name }))
      .sort((a, b) => a.label.localeCompare(b.label, locale))
    eventOptionsByLang.set(lang, options)
  }
  return options
}

export function registerAudit(scope: FastifyInstance, deps: Deps): void {
  scope.get('/auditlog', async (req, reply) => {
    const query = readQuery(req, ['account', 'gebeurtenis', 'van', 'tot', 'pagina'])
    if (!ownNavigation(req)) return await openFromOutside(req, reply, auditPath)
    const viewer = staffOf(req)
    const { label, text, error } = t(req)
    const errors: Record<string, string> = {}
    const filter: EventFilter = { viewer: auditViewerOf(req) }
    const username = query.account.trim()
    if (username !== '') {
      // Another practice's username is as unknown as one that does not exist (issue 20).
      const found = await findAccountByUsernameIn(deps, practiceIdOf(req), username)
      // A behandelaar reads no colleague's entries, so a colleague's username is as unknown as any.
      const mayRead = found !== undefined && (viewer.role === 'beheerder' || found.role === 'patient' || found.id === viewer.id)
      if (found && mayRead) filter.accountId = found.id
      else errors.account = error.usernameUnknown
    }
    if (query.gebeurtenis !== '') {
      if (query.gebeurtenis in text.auditEvents) filter.event = query.gebeurtenis as AuditEvent
      else errors.gebeurtenis = error.eventUnknown
    }
    if (query.van.trim() !== '') {
      const day = parseDay(query.van)
      if (day) filter.since = startOfDay(day.year, day.month, day.day)
      else errors.van = error.dateInvalid
    }
    if (query.tot.trim() !== '') {
      const day = parseDay(query.tot)
      if (day) filter.until = startOfNextDay(day)
      else errors.tot = error.dateInvalid
    }
    const hasErrors = Object.keys(errors).length > 0
    const current = pageNumber(query.pagina)
    const total = hasErrors ? 0 : (await countEvents(deps, filter))
    const rows = hasErrors ? [] : (await listEvents(deps, { ...filter, limit: auditPageSize, offset: (current - 1) * auditPageSize }))
    const params = { account: username, gebeurtenis: query.gebeurtenis, van: query.van.trim(), tot: query.tot.trim() }
    // Reading the log is an access too; recorded after the read, so the page does not show itself.
    if (!hasErrors) {
      await recordEvent(deps, staffBy(req), {
        event: 'audit_viewed',
        outcome: 'info',
        accountId: filter.accountId ?? null,
        detail: { event: params.gebeurtenis || null, van: params.van || null, tot: params.tot || null, page: current, results: total },
      })
    }
    return await page(
      req,
      reply,
      'practice/audit',
      {
        title: label.auditLog,
        ...navOf(req, auditPath),
        values: params,
        errors,
        eventOptions: [{ value: '', label: label.allEvents }, ...eventOptions(req.lang)],
        entries: await auditEntries(deps, staffOf(req), rows, req.lang),
        entryLevel: 2,
        count: total > 0 ? fill(text.listCount, { count: total }) : '',
        pager: pager(req.lang, auditPath, params, current, total, auditPageSize),
      },
      hasErrors ? 422 : 200,
    )
  })
}
