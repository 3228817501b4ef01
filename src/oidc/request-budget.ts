// How many interactions one client and one app may start per hour (issue 19 #4). An interaction is what
// oidc-provider stores when an app's request needs the patient (a sign-in, a consent) until that ends;
// anyone who knows an app's public client id and redirect URI can ask for one. Per client (an IPv4
// address or an IPv6 /64, the clientOf rule of domain/throttle.ts), so one address can not fill the
// disk; per app, so many addresses together still store a bounded amount. A logout question without a
// sign-in (a provider session kept for it) counts against the client's budget too.
//
// Counted in `throttles` as the SMS budgets are (domain/budgets.ts): failures = interactions started in
// the window, blockedUntil = the window's end, refused = refusals in it; the first refusal of each window
// is audited and logged, the rest only counted. The database holds them, so several portal processes
// share them (and a PostgreSQL hosting will). domain/sweep.ts removes a counter once its hour is over.
import { eq } from 'drizzle-orm'
import { throttles } from '../db/tables.ts'
import { recordEvent } from '../domain/audit.ts'
import { hours, type Actor, type Deps } from '../domain/deps.ts'
import { hmac } from '../domain/secrets.ts'
import { clientOf, takeOverCounters } from '../domain/throttle.ts'
import { fill } from '../messages.ts'
import { operatorMessages } from '../operator.ts'
import { first } from '../db/index.ts'

const clientBudgetKey = (key: Buffer, client: string) => `oidc:c:${hmac(key, `client:${client}`).slice(0, 32)}`

export type InteractionBudget = { ok: true } | { ok: false; budget: 'client' | 'app'; until: Date }

/**
 * Takes one interaction from this client's budget and (when `clientId`, an app that exists) from the
 * app's, or none when either is spent.
 */
export async function takeInteraction(deps: Deps, by: Actor, clientId: string | null): Promise<InteractionBudget> {
  const { oidcInteractionsPerClientPerHour, oidcInteractionsPerAppPerHour } = deps.config.limits
  const client = by.ip ? clientOf(by.ip) : 'none'
  // After a key change the hour's count, named under the older key, goes on (domain/throttle.ts).
  await takeOverCounters(deps, (key) => [clientBudgetKey(key, client)])
  const budgets = [
    { key: clientBudgetKey(deps.keys.throttle, client), limit: oidcInteractionsPerClientPerHour, name: 'client' as const },
    ...(clientId ? [{ key: `oidc:a:${clientId}`, limit: oidcInteractionsPerAppPerHour, name: 'app' as const }] : []),
  ]
  const now = deps.clock.now()
  return await deps.db.transaction(async (): Promise<InteractionBudget> => {
    // One after the other: a transaction is one connection (node-postgres queues, and will refuse, parallel queries on it).
    const rows = []
    for (const b of budgets) {
      const row = await deps.db.select().from(throttles).where(eq(throttles.key, b.key)).then(first)
      rows.push({ ...b, row: row?.blockedUntil && row.blockedUntil.getTime() > now.getTime() ? row : undefined })
    }
    const spent = rows.find((b) => (b.row?.failures ?? 0) >= b.limit)
    if (spent?.row) {
      await deps.db.update(throttles).set({ refused: spent.row.refused + 1 }).where(eq(throttles.key, spent.key))
      if (spent.row.refused === 0) {
        await recordEvent(deps, by, { event: 'oidc_request_budget_reached', outcome: 'failure', detail: { budget: spent.name, limit: spent.limit, ...(spent.name === 'app' ? { clientId } : {}) } })
        const o = operatorMessages(deps.config.operatorLanguage).server
        deps.warn?.(fill(o.oidcBudget, { who: spent.name === 'app' ? fill(o.oidcBudgetApp, { id: clientId ?? '' }) : fill(o.smsBudgetClient, { client }), limit: spent.limit }))
      }
      return { ok: false, budget: spent.name, until: spent.row.blockedUntil! }
    }
    for (const b of rows) {
      const values = b.row
        ? { failures: b.row.failures + 1, lastFailureAt: now, blockedUntil: b.row.blockedUntil, refused: b.row.refused }
        : { failures: 1, lastFailureAt: now, blockedUntil: new Date(now.getTime() + hours(1)), refused: 0 }
      await deps.db.insert(throttles).values({ key: b.key, ...values }).onConflictDoUpdate({ target: throttles.key, set: values })
    }
    return { ok: true }
  })
}
