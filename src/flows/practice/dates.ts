// Days as a Dutch practice means them: "2-3-2026" or "2026-03-02" is that day in Amsterdam, from
// midnight to midnight, whatever the server's time zone.

// Made on first use, like formatDateTime in messages.ts: the first DateTimeFormat loads ICU's data.
let amsterdam: Intl.DateTimeFormat | null = null
const parts = () =>
  (amsterdam ??= new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Amsterdam',
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }))

/** How far Amsterdam's clock is ahead of UTC at this instant, in ms. */
function offsetMs(utcMs: number): number {
  const p = Object.fromEntries(parts().formatToParts(new Date(utcMs)).map((x) => [x.type, Number(x.value)]))
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(utcMs / 1000) * 1000
}

/** Midnight in Amsterdam at the start of the given day. */
export function startOfDay(year: number, month: number, day: number): Date {
  const utcMidnight = Date.UTC(year, month - 1, day)
  return new Date(utcMidnight - offsetMs(utcMidnight))
}

/** Reads 2026-03-02, 2-3-2026 or 2/3/2026; null for anything else or a day that does not exist. */
export function parseDay(raw: string): { year: number; month: number; day: number } | null {
  const value = raw.trim()
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value)
  const dutch = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(value)
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : dutch ? [dutch[3], dutch[2], dutch[1]] : []
  if (year === undefined) return null
  const y = Number(year)
  const m = Number(month)
  const d = Number(day)
  const check = new Date(Date.UTC(y, m - 1, d))
  if (y < 2000 || y > 2999 || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null
  return { year: y, month: m, day: d }
}

/** The start of the day after: "tot en met" a day. */
export function startOfNextDay(day: { year: number; month: number; day: number }): Date {
  const next = new Date(Date.UTC(day.year, day.month - 1, day.day + 1))
  return startOfDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate())
}
