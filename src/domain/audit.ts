import { and, count, desc, eq, gte, lt, sql } from 'drizzle-orm'
import { preparedFor } from '../db/prepared.ts'
import { auditLog } from '../db/schema.ts'
import type { Actor, Deps } from './deps.ts'

export type AuditEvent =
  | 'invite'
  | 'link_opened'
  | 'link_rejected'
  | 'email_verified'
  | 'code_sent'
  | 'code_refused'
  | 'code_failed'
  | 'phone_verified'
  | 'password_set'
  | 'password_rejected'
  | 'mfa_chosen'
  | 'mfa_enrolled'
  | 'mfa_failed'
  | 'sign_in'
  | 'sign_in_failed'
  | 'lockout'
  | 'logout'
  | 'session_expired'
  | 'account_created'
  /** A staff member opened an account's page (NEN 7513: who looked at whose record). */
  | 'record_viewed'
  | 'reset_started'
  | 'temporary_password_sent'
  | 'sessions_ended'
  | 'email_changed'
  | 'phone_changed'
  | 'mfa_reset'
  | 'account_unlocked'
  | 'account_deactivated'
  | 'account_activated'
  | 'account_erased'
  | 'password_changed'
  | 'mfa_changed'
  | 'reauth_failed'
  // OpenID Connect (src/oidc/): the practice's apps and every sign-in at one of them.
  | 'oidc_client_added'
  | 'oidc_client_removed'
  | 'oidc_client_secret_rotated'
  | 'oidc_keys_rotated'
  | 'oidc_authorization'
  | 'oidc_consent'

export interface AuditEntry {
  event: AuditEvent
  outcome: 'success' | 'failure' | 'info'
  accountId?: number | null
  /** Non-secret facts only (a purpose, a reason, a method); stored as JSON, which escapes CR/LF. */
  detail?: Record<string, string | number | boolean | null>
}

/** Control characters would let a crafted user agent forge log lines in an export; they are escaped. */
function clean(value: string | null | undefined, max: number): string | null {
  if (value == null) return null
  return value.slice(0, max).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** Prepared once per database: every sign-in writes an event (src/db/prepared.ts). */
const insertEvent = preparedFor((db) =>
  db
    .insert(auditLog)
    .values({
      at: sql.placeholder('at'),
      event: sql.placeholder('event'),
      outcome: sql.placeholder('outcome'),
      accountId: sql.placeholder('accountId'),
      actor: sql.placeholder('actor'),
      ip: sql.placeholder('ip'),
      userAgent: sql.placeholder('userAgent'),
      detail: sql.placeholder('detail'),
    })
    .prepare(),
)

export function recordEvent(deps: Deps, by: Actor, entry: AuditEntry): void {
  insertEvent(deps.db).run({
    at: deps.clock.now(),
    event: entry.event,
    outcome: entry.outcome,
    accountId: entry.accountId ?? null,
    actor: clean(by.actor, 64) ?? 'system',
    ip: clean(by.ip, 64),
    userAgent: clean(by.userAgent, 300),
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  })
}

export interface EventFilter {
  accountId?: number
  event?: AuditEvent
  /** From this moment on (inclusive). */
  since?: Date
  /** Before this moment (exclusive). */
  until?: Date
  limit?: number
  offset?: number
}

function whereOf(filter: EventFilter) {
  return and(
    filter.accountId === undefined ? undefined : eq(auditLog.accountId, filter.accountId),
    filter.event === undefined ? undefined : eq(auditLog.event, filter.event),
    filter.since === undefined ? undefined : gte(auditLog.at, filter.since),
    filter.until === undefined ? undefined : lt(auditLog.at, filter.until),
  )
}

/** Newest first. */
export function listEvents(deps: Deps, filter: EventFilter = {}) {
  return deps.db
    .select()
    .from(auditLog)
    .where(whereOf(filter))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .all()
}

export function countEvents(deps: Deps, filter: EventFilter = {}): number {
  return deps.db.select({ n: count() }).from(auditLog).where(whereOf(filter)).get()?.n ?? 0
}
