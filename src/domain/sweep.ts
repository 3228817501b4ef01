// Keeps the tables that grow with use bounded: expired sessions, spent or expired codes and links,
// and per-address guessing counters that have been forgotten anyway. Run it on a timer (every few
// minutes is plenty); each delete uses an index, so a sweep of an idle portal costs next to nothing.
// The audit log is not swept: it grows by one row per security event (not per page view), and the
// law asks to keep it (NEN 7513, at least five years).
import { and, eq, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm'
import { codes, links, throttles } from '../db/schema.ts'
import { sweepSessions } from '../web/session-store.ts'
import { oidcArtifacts } from '../db/schema.ts'
import { sweepRetiredKeys } from '../oidc/keys.ts'
import { hours, type Deps } from './deps.ts'

export interface SweepResult {
  sessions: number
  codes: number
  links: number
  throttles: number
  /** OpenID Connect: expired codes, tokens, sessions, interactions and grants; retired signing keys. */
  oidc: number
}

/** A day of grace: a patient who asks "my code did not work" can still be helped from the rows. */
const keepSpentHours = 24

export function sweepExpired(deps: Deps): SweepResult {
  const now = deps.clock.now()
  const before = new Date(now.getTime() - hours(keepSpentHours))
  return deps.db.transaction(() => {
    const sessions = sweepSessions(deps)
    // Codes: used, voided or spent a day ago, or expired a day ago. The send limits look back one hour only.
    const codeRows = deps.db
      .delete(codes)
      .where(or(and(isNotNull(codes.usedAt), lt(codes.usedAt, before)), lt(codes.expiresAt, before)))
      .run().changes
    // Links: used or voided a day ago, or expired a day ago. An unused, expired invitation stays: the
    // practice's overview shows it as expired, and a new invitation voids it (so one per account at most).
    const linkRows = deps.db
      .delete(links)
      .where(or(and(isNotNull(links.usedAt), lt(links.usedAt, before)), and(isNull(links.usedAt), ne(links.purpose, 'invite'), lt(links.expiresAt, before))))
      .run().changes
    // Per-address counters forget after an hour of quiet (throttle.ts), and a counter back at zero
    // (every right guess resets or refunds it) says nothing a missing row would not, once no wait is
    // running. Other per-username counters stay: consecutive failures count until a success.
    const throttleRows = deps.db
      .delete(throttles)
      .where(
        and(
          isNull(throttles.lockedAt),
          or(isNull(throttles.blockedUntil), lt(throttles.blockedUntil, now)),
          or(
            and(sql`${throttles.key} like 'ip:%'`, lt(throttles.lastFailureAt, new Date(now.getTime() - hours(1)))),
            // A decoy walk's send window (domain/reset.ts) that has ended says nothing any more.
            sql`${throttles.key} like 'decoy:%'`,
            eq(throttles.failures, 0),
          ),
        ),
      )
      .run().changes
    const oidcRows = deps.db.delete(oidcArtifacts).where(lt(oidcArtifacts.expiresAt, now)).run().changes + sweepRetiredKeys(deps)
    return { sessions, codes: codeRows, links: linkRows, throttles: throttleRows, oidc: oidcRows }
  })
}
