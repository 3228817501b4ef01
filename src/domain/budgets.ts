// SMS send budgets beside the per-account cap (issue 11 finding 8, decision 0011): per client (an IPv4
// address or an IPv6 /64), per practice (issue 20) and for the whole portal, per hour. A client that
// knows many username/e-mail pairs can not send 5 SMS an hour to each, nor spend those patients' own
// caps; an incident at one practice can not spend the others' budget. Reaching a budget is audited and
// logged as a warning once per hour and budget, not per request.
import { eq } from 'drizzle-orm'
import { throttles } from '../db/tables.ts'
import { recordEvent } from './audit.ts'
import { hours, type Actor, type Deps } from './deps.ts'
import { fill } from '../messages.ts'
import { operatorMessages } from '../operator.ts'
import { getPractice } from './practices.ts'
import { hmac } from './secrets.ts'
import { clientOf, takeOverCounters } from './throttle.ts'
import { first } from '../db/index.ts'

const clientBudgetKey = (key: Buffer, client: string) => `sms:c:${hmac(key, `client:${client}`).slice(0, 32)}`

export type Budget = 'ok' | 'client' | 'practice' | 'global'

/**
 * Takes one SMS from every budget, or none when one is spent. `practiceId`: the practice of the account
 * the SMS goes to; null for a decoy (no account), which meets the client's and the portal's budgets
 * only and spends the client's alone. The rows are counters in `throttles`: failures = sends in the
 * window, blockedUntil = the window's end, refused = refusals in it.
 */
export async function takeSms(deps: Deps, by: Actor, practiceId: number | null): Promise<Budget> {
  const { smsPerClientPerHour, smsPerHour, smsPerPracticePerHour } = deps.config.limits
  const decoy = practiceId === null
  const client = by.ip ? clientOf(by.ip) : 'none'
  // After a key change the hour's count, named under the older key, goes on (domain/throttle.ts).
  await takeOverCounters(deps, (key) => [clientBudgetKey(key, client)])
  const budgets = [
    { key: clientBudgetKey(deps.keys.throttle, client), limit: smsPerClientPerHour, name: 'client' as const, count: true },
    ...(decoy ? [] : [{ key: `sms:p:${practiceId}`, limit: smsPerPracticePerHour, name: 'practice' as const, count: true }]),
    // A decoy sends nothing, so it spends no money: it meets the global budget but does not use it up.
    { key: 'sms:all', limit: smsPerHour, name: 'global' as const, count: !decoy },
  ]
  const now = deps.clock.now()
  return await deps.db.transaction(async (): Promise<Budget> => {
    // One after the other: a transaction is one connection (node-postgres queues, and will refuse, parallel queries on it).
    const rows = []
    for (const b of budgets) {
      const row = await deps.db.select().from(throttles).where(eq(throttles.key, b.key)).then(first)
      rows.push({ ...b, row: row?.blockedUntil && row.blockedUntil.getTime() > now.getTime() ? row : undefined })
    }
    const spent = rows.find((b) => (b.row?.failures ?? 0) >= b.limit)
    if (spent) {
      await deps.db.update(throttles).set({ refused: (spent.row!.refused ?? 0) + 1 }).where(eq(throttles.key, spent.key))
      if (spent.row!.refused === 0) {
        const practice = spent.name === 'practice' ? ((await getPractice(deps, practiceId!))?.slug ?? String(practiceId)) : null
        await recordEvent(deps, by, { event: 'sms_budget_reached', outcome: 'failure', detail: { budget: spent.name, limit: spent.limit, ...(practice ? { practice } : {}) } })
        const o = operatorMessages(deps.config.operatorLanguage).server
        const who = spent.name === 'global' ? o.smsBudgetPortal : practice ? fill(o.smsBudgetPractice, { practice }) : fill(o.smsBudgetClient, { client })
        deps.warn?.(fill(o.smsBudget, { who, limit: spent.limit }))
      }
      return spent.name
    }
    for (const b of rows) {
      if (!b.count) continue
      const values = b.row
        ? { failures: b.row.failures + 1, lastFailureAt: now, blockedUntil: b.row.blockedUntil, refused: b.row.refused }
        : { failures: 1, lastFailureAt: now, blockedUntil: new Date(now.getTime() + hours(1)), refused: 0 }
      await deps.db.insert(throttles).values({ key: b.key, ...values }).onConflictDoUpdate({ target: throttles.key, set: values })
    }
    return 'ok'
  })
}
