// Keeps the tables that grow with use bounded: expired sessions, spent or expired codes and links,
// throttle counters that say nothing any more, and ended decoy codes. Run it on a timer (every few
// minutes is plenty); each delete uses an index, so a sweep of an idle portal costs next to nothing.
// The audit log is not swept: it grows by one row per security event (not per page view), and the
// law asks to keep it (NEN 7513, at least five years).
import { and, eq, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm'
import { codes, decoyCodes, links, throttles } from '../db/tables.ts'
import { sweepSessions } from './sessions.ts'
import { oidcArtifacts } from '../db/tables.ts'
import { sweepRetiredKeys } from '../oidc/keys.ts'
import { hours, type Deps } from './deps.ts'
import { counted } from '../db/index.ts'

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

export async function sweepExpired(deps: Deps): Promise<SweepResult> {
  const now = deps.clock.now()
  const before = new Date(now.getTime() - hours(keepSpentHours))
  return await deps.db.transaction(async () => {
    const sessions = await sweepSessions(deps)
    // Codes: used, voided or spent a day ago, or expired a day ago. The send limits look back one hour only.
    const codeRows = (await deps.db
      .delete(codes)
      .where(or(and(isNotNull(codes.usedAt), lt(codes.usedAt, before)), lt(codes.expiresAt, before)))
      .returning(counted)).length
    // Links: used or voided a day ago, or expired a day ago. An unused, expired invitation stays: the
    // practice's overview shows it as expired, and a new invitation voids it (so one per account at most).
    const linkRows = (await deps.db
      .delete(links)
      .where(or(and(isNotNull(links.usedAt), lt(links.usedAt, before)), and(isNull(links.usedAt), ne(links.purpose, 'invite'), lt(links.expiresAt, before))))
      .returning(counted)).length
    // Throttle counters (decision 0011), none locked and none with a wait running: a client's after an
    // hour of quiet (it forgets then anyway), a username's at one client or device and a second factor's
    // at one client after a day, a username's or a second factor's after 30 days, an SMS or app-interaction budget when its
    // hour ended, any counter back at zero. Rows of the old format, which named the typed username in
    // clear, go whatever they held; so does a username-wide count after 30 quiet days, even with a lock
    // or wait from before issue 19.3 (that count neither waits nor locks any more).
    const quietFor = (ms: number) => lt(throttles.lastFailureAt, new Date(now.getTime() - ms))
    const throttleRows = (await deps.db
      .delete(throttles)
      .where(
        or(
          sql`${throttles.key} like 'user:%' or ${throttles.key} like 'ip:%' or ${throttles.key} like 'decoy:%'`,
          and(sql`(${throttles.key} like 'u:%' and ${throttles.key} not like 'u:%:%')`, quietFor(hours(24 * 30))),
          and(
            isNull(throttles.lockedAt),
            or(isNull(throttles.blockedUntil), lt(throttles.blockedUntil, now)),
            or(
              and(sql`${throttles.key} like 'c:%'`, quietFor(hours(1))),
              and(sql`(${throttles.key} like 'u:%:%' or ${throttles.key} like 'f:%:%:c:%')`, quietFor(hours(24))),
              and(sql`(${throttles.key} like 'u:%' or ${throttles.key} like 'f:%')`, quietFor(hours(24 * 30))),
              sql`(${throttles.key} like 'sms:%' or ${throttles.key} like 'oidc:%')`,
              eq(throttles.failures, 0),
            ),
          ),
        ),
      )
      .returning(counted)).length
    // Pretend codes of decoy walks, kept as long as spent real codes are.
    const decoyRows = (await deps.db.delete(decoyCodes).where(lt(decoyCodes.expiresAt, before)).returning(counted)).length
    const oidcRows = (await deps.db.delete(oidcArtifacts).where(lt(oidcArtifacts.expiresAt, now)).returning(counted)).length + (await sweepRetiredKeys(deps))
    return { sessions, codes: codeRows, links: linkRows, throttles: throttleRows + decoyRows, oidc: oidcRows }
  })
}
