// How `audit export` writes a row (issue 22 item 6): JSON Lines or CSV, every time in one zone with its
// offset (ISO 8601), CSV escaped per RFC 4180 and against formula injection (OWASP "CSV Injection":
// a cell that starts with = + - @, a tab or a carriage return gets a ' in front, and every cell is quoted).
import type { ExportRow } from '../domain/audit.ts'

/** null when `zone` is not an IANA time zone Intl knows. */
export function zoneFormatter(zone: string): ((ms: number) => string) | null {
  if (zone === 'UTC') return (ms) => new Date(ms).toISOString().replace(/Z$/, '+00:00')
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
      timeZoneName: 'longOffset',
    })
  } catch {
    return null
  }
  return (ms) => {
    const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((x) => [x.type, x.value]))
    // longOffset reads "GMT+01:00", or just "GMT" at offset zero.
    const offset = p.timeZoneName === 'GMT' ? '+00:00' : (p.timeZoneName ?? '').replace(/^GMT/, '')
    return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${p.fractionalSecond}${offset}`
  }
}

const fields = ['id', 'time', 'event', 'outcome', 'account_id', 'username', 'actor', 'ip', 'user_agent', 'detail', 'hash'] as const

function values(row: ExportRow, time: (ms: number) => string): (string | number | null)[] {
  return [row.id, time(row.at), row.event, row.outcome, row.accountId, row.username, row.actor, row.ip, row.userAgent, row.detail, row.hash]
}

export function jsonLine(row: ExportRow, time: (ms: number) => string): string {
  const out: Record<string, unknown> = {}
  values(row, time).forEach((value, i) => (out[fields[i]!] = fields[i] === 'detail' && typeof value === 'string' ? JSON.parse(value) : value))
  return `${JSON.stringify(out)}\n`
}

/** One cell: quoted, quotes doubled, and a leading character a spreadsheet would run as a formula defused. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '""'
  const text = String(value)
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return `"${safe.replace(/"/g, '""')}"`
}

export const csvHeader = `${fields.join(',')}\r\n`

export function csvLine(row: ExportRow, time: (ms: number) => string): string {
  return `${values(row, time).map(csvCell).join(',')}\r\n`
}
