// Session rows in SQLite, so sessions survive a restart. @fastify/session keeps the cookie and the
// session object (web/session.ts wires it to these functions); what is stored, and for how long, is ours.
//
// - Rows are keyed by the SHA-256 of the session id: the table alone opens no session.
// - A session that was read from a row is only ever updated, never written anew: once a row is gone
//   (sign-out, "sign out elsewhere", a password change, a practice reset), a request that read the
//   session before that moment cannot bring it back when it saves afterwards.
// - Idle and absolute expiry are decided in web/session.ts from times kept inside the session; the
//   row's expiresAt bounds how long a row can be used and lets the sweeper clean up.
import { eq, lt, sql } from 'drizzle-orm'
import { jsonField } from '../db/dialect.ts'
import { sessions } from '../db/tables.ts'
import { toAccount, type Account, type AccountRow } from './accounts.ts'
import { recordEvent } from './audit.ts'
import { hours, minutes, type Actor, type Deps } from './deps.ts'
import { sha256 } from './secrets.ts'
import { counted } from '../db/index.ts'

/** Set on every stored session: a session that carries it came from a row, and may only update that row. */
export const storedMark = 'stored'

export type SessionData = Record<string, unknown> & { accountId?: number; flow?: { accountId: number | null } }

// The read runs on every request that carries a cookie: plain SQL, without Drizzle's row mapping, and
// with the session's account in the same statement (one read instead of two; docs/benchmarks.md).
const selectSession = (id: string) =>
  sql`select s.data as session_data, s.expires_at as session_expires_at, a.* from sessions s left join accounts a on a.id = s.account_id where s.id = ${id}`

/**
 * The session stored under this id, with the account it belongs to as it is now (signed in, or the
 * account of the flow it walks; none for a decoy walk or a visitor); or null: no row, an expired row
 * (then removed), or a damaged one.
 */
export async function readSession(deps: Deps, sessionId: string): Promise<{ data: SessionData; account: Account | undefined } | null> {
  const id = sha256(sessionId)
  const [row] = await deps.db.rows<Partial<AccountRow> & { session_data: string; session_expires_at: number | Date }>(selectSession(id))
  if (!row) return null
  if (new Date(row.session_expires_at).getTime() <= deps.clock.now().getTime()) {
    await deps.db.delete(sessions).where(eq(sessions.id, id))
    return null
  }
  let data: unknown
  try {
    data = JSON.parse(row.session_data)
  } catch {
    return null
  }
  // A row that is not ours to read (edited by hand, cut short) is no session: the browser gets a new id.
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null
  return { data: data as SessionData, account: row.id == null ? undefined : toAccount(row as AccountRow) }
}

/**
 * Stores a session. A new session (never read from a row) gets its row; one that was read from a row
 * updates that row only, so a revoked session stays revoked. Returns whether a row holds it now.
 */
export async function saveSession(deps: Deps, sessionId: string, data: SessionData): Promise<boolean> {
  const { limits } = deps.config
  const id = sha256(sessionId)
  // A signed-in session lives at most the absolute timeout; anything else (a flow in progress) the flow
  // idle time plus a grace in which the "session expired" notice can still be shown.
  const lifetime = data.accountId === undefined ? minutes(limits.flowIdleMinutes + 15) : hours(limits.sessionAbsoluteHours)
  const values = {
    id,
    data: JSON.stringify({ ...data, [storedMark]: true }),
    // Half-way sign-ins (password proven, second factor due) count as the account's too: a password
    // change or reset must end them as well.
    accountId: data.accountId ?? data.flow?.accountId ?? null,
    expiresAt: new Date(deps.clock.now().getTime() + lifetime),
  }
  if (data[storedMark] === true) {
    const updated = await deps.db.update(sessions).set(values).where(eq(sessions.id, id)).returning({ id: sessions.id })
    return updated.length > 0
  }
  await deps.db.insert(sessions).values(values).onConflictDoUpdate({ target: sessions.id, set: { data: values.data, accountId: values.accountId, expiresAt: values.expiresAt } })
  return true
}

export async function removeSession(deps: Deps, sessionId: string): Promise<void> {
  await deps.db.delete(sessions).where(eq(sessions.id, sha256(sessionId)))
}

/** The account's portal session rows (signed in, or a flow of it in progress); see endAccountSessions. */
export async function destroyAccountSessions(deps: Deps, accountId: number): Promise<number> {
  const rows = (await deps.db.delete(sessions).where(eq(sessions.accountId, accountId)).returning(counted)).length
  // Rows written before account_id was filled for flows name the account only in their data.
  const inFlow = (await deps.db.delete(sessions).where(eq(jsonField(deps.db, sessions.data, 'flow', 'accountId'), accountId)).returning(counted)).length
  return rows + inFlow
}

/** Why an account's sessions end, for the audit log. */
export type EndedBy = 'self' | 'password-change' | 'reset' | 'mfa-reset' | 'deactivate' | 'erase' | 'email-change'

/**
 * Ends every session of an account, wherever it is held (issue 19 #2): the portal's own rows, signed in
 * or half-way through a sign-in, onboarding or reset, and the account's sign-ins at the practice's apps
 * (its OpenID Connect provider sessions, grants, tokens and codes, through deps.appSignIns), whose apps
 * are told by back-channel logout after the caller's transaction. The one way to end an account's
 * sessions: "Uitloggen op alle andere apparaten", a password change or reset, the practice's factor
 * reset, deactivation, erasure, a changed address during onboarding.
 *
 * `keepAppSession`: this browser's provider session (its cookie), which stays with its apps, for the
 * changes after which this browser stays signed in. Returns the number of portal sessions ended.
 */
export async function endAccountSessions(deps: Deps, by: Actor, accountId: number, via: EndedBy, keepAppSession?: string): Promise<number> {
  const ended = await destroyAccountSessions(deps, accountId)
  const apps = await deps.appSignIns.end(accountId, keepAppSession)
  if (apps.sessions > 0 || apps.grants > 0) {
    await recordEvent(deps, by, { event: 'oidc_sign_ins_ended', outcome: 'success', accountId, detail: { via, sessions: apps.sessions, grants: apps.grants } })
  }
  deps.appSignIns.tell(by, accountId, apps.logouts)
  return ended
}

export async function sweepSessions(deps: Deps): Promise<number> {
  return (await deps.db.delete(sessions).where(lt(sessions.expiresAt, deps.clock.now())).returning(counted)).length
}
