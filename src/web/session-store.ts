// Sessions in SQLite: they survive a restart. Rows are keyed by the SHA-256 of the session id, so the
// table alone opens no session. Expiry (idle and absolute) is decided in web/session.ts from times kept
// inside the session; the row's expiresAt bounds how long a row can be used and lets the sweeper clean up.
import { eq, lt, sql } from 'drizzle-orm'
import { sessions } from '../db/schema.ts'
import type { Deps } from '../domain/deps.ts'
import { hours, minutes } from '../domain/deps.ts'

/** Rows are found by `key`: the SHA-256 of the session id (web/session.ts computes it). */
export interface SessionStore {
  /** The stored JSON of a session, or null when there is none (or it has expired: then it is removed). */
  read(key: string): string | null
  /** Writes `json` under `key` and removes the rows of `retired` keys, in one transaction. */
  write(key: string, json: string, owner: number | null, signedIn: boolean, retired: readonly string[]): void
  remove(keys: readonly string[]): void
}

export function createSessionStore(deps: Deps): SessionStore {
  const { db, clock, config } = deps
  // A signed-in session lives at most the absolute timeout; anything else (a flow in progress) the flow
  // idle time plus a grace in which the "session expired" notice can still be shown. So the table holds
  // the last few hours of sign-ins, not every visit of the day.
  const signedInLifetime = hours(config.limits.sessionAbsoluteHours)
  const anonymousLifetime = minutes(config.limits.flowIdleMinutes + 15)
  // Prepared once: every request reads a session and many write one (an unprepared upsert costs ~10x).
  // The read runs on every request: a plain better-sqlite3 statement, without Drizzle's row mapping
  // (about half the cost of the read on the flow page's profile).
  const select = db.$client.prepare<[string], { data: string; expiresAt: number }>('select data, expires_at as expiresAt from sessions where id = ?')
  const upsert = db
    .insert(sessions)
    .values({ id: sql.placeholder('id'), data: sql.placeholder('data'), accountId: sql.placeholder('accountId'), expiresAt: sql.placeholder('expiresAt') })
    .onConflictDoUpdate({ target: sessions.id, set: { data: sql`excluded.data`, accountId: sql`excluded.account_id`, expiresAt: sql`excluded.expires_at` } })
    .prepare()
  const deleteOne = db.delete(sessions).where(eq(sessions.id, sql.placeholder('id'))).prepare()
  const removeAll = (keys: readonly string[]) => {
    for (const key of keys) deleteOne.run({ id: key })
  }
  const write = db.$client.transaction((key: string, json: string, owner: number | null, signedIn: boolean, retired: readonly string[]) => {
    removeAll(retired)
    const expiresAt = new Date(clock.now().getTime() + (signedIn ? signedInLifetime : anonymousLifetime))
    upsert.run({ id: key, data: json, accountId: owner, expiresAt })
  })
  return {
    read(key) {
      const row = select.get(key)
      if (!row) return null
      if (row.expiresAt <= clock.now().getTime()) {
        deleteOne.run({ id: key })
        return null
      }
      return row.data
    },
    write: (key, json, owner, signedIn, retired) => write(key, json, owner, signedIn, retired),
    remove: removeAll,
  }
}

/** Ends every session of an account (after a reset, a deactivation, "sign out everywhere"). */
export function destroyAccountSessions(deps: Deps, accountId: number): number {
  return deps.db.delete(sessions).where(eq(sessions.accountId, accountId)).run().changes
}

export function sweepSessions(deps: Deps): number {
  return deps.db.delete(sessions).where(lt(sessions.expiresAt, deps.clock.now())).run().changes
}
