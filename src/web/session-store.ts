// @fastify/session's store, in SQLite: sessions survive a restart. Rows are keyed by the SHA-256 of
// the session id, so the table alone opens no session. Expiry (idle and absolute) is decided in
// web/session.ts from times kept inside the session; the row's expiresAt only lets the sweeper clean up.
import type { Session } from 'fastify'
import type { SessionStore } from '@fastify/session'
import { eq, lt, sql } from 'drizzle-orm'
import { sessions } from '../db/schema.ts'
import type { Deps } from '../domain/deps.ts'
import { hours, minutes } from '../domain/deps.ts'
import { sha256 } from '../domain/secrets.ts'

type Callback = (err?: unknown) => void

export function createSessionStore(deps: Deps): SessionStore {
  const { db, clock, config } = deps
  // A signed-in session lives at most the absolute timeout; anything else (a form's CSRF token, a flow in
  // progress) the flow idle time plus a grace in which the "session expired" notice can still be shown.
  // So the table holds the last few hours of sign-ins, not every first visit of the day.
  const signedInLifetime = hours(config.limits.sessionAbsoluteHours)
  const anonymousLifetime = minutes(config.limits.flowIdleMinutes + 15)
  // Prepared once: every request reads a session and many write one (an unprepared upsert costs ~10x).
  const select = db.select({ data: sessions.data, expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.id, sql.placeholder('id'))).prepare()
  const upsert = db
    .insert(sessions)
    .values({ id: sql.placeholder('id'), data: sql.placeholder('data'), accountId: sql.placeholder('accountId'), expiresAt: sql.placeholder('expiresAt') })
    .onConflictDoUpdate({ target: sessions.id, set: { data: sql`excluded.data`, accountId: sql`excluded.account_id`, expiresAt: sql`excluded.expires_at` } })
    .prepare()
  const remove = db.delete(sessions).where(eq(sessions.id, sql.placeholder('id'))).prepare()
  return {
    get(sid: string, callback: (err: unknown, session?: Session | null) => void) {
      try {
        const row = select.get({ id: sha256(sid) })
        if (!row || row.expiresAt.getTime() <= clock.now().getTime()) return callback(null, null)
        callback(null, JSON.parse(row.data))
      } catch (err) {
        callback(err)
      }
    },
    set(sid: string, session: Session, callback: Callback) {
      try {
        const id = sha256(sid)
        const data = JSON.stringify(session)
        // Half-way sign-ins (password proven, second factor due) count as the account's too: a password
        // change or reset must end them as well.
        const accountId = session.accountId ?? session.flow?.accountId ?? null
        const expiresAt = new Date(clock.now().getTime() + (session.accountId === undefined ? anonymousLifetime : signedInLifetime))
        upsert.run({ id, data, accountId, expiresAt })
        callback()
      } catch (err) {
        callback(err)
      }
    },
    destroy(sid: string, callback: Callback) {
      try {
        remove.run({ id: sha256(sid) })
        callback()
      } catch (err) {
        callback(err)
      }
    },
  }
}

/** Ends every session of an account (after a reset, a deactivation, "sign out everywhere"). */
export function destroyAccountSessions(deps: Deps, accountId: number): number {
  return deps.db.delete(sessions).where(eq(sessions.accountId, accountId)).run().changes
}

export function sweepSessions(deps: Deps): number {
  return deps.db.delete(sessions).where(lt(sessions.expiresAt, deps.clock.now())).run().changes
}
