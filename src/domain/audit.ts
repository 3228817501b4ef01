import { and, desc, eq } from 'drizzle-orm'
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
  | 'reset_started'
  | 'temporary_password_sent'
  | 'sessions_ended'

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

export function recordEvent(deps: Deps, by: Actor, entry: AuditEntry): void {
  deps.db
    .insert(auditLog)
    .values({
      at: deps.clock.now(),
      event: entry.event,
      outcome: entry.outcome,
      accountId: entry.accountId ?? null,
      actor: clean(by.actor, 64) ?? 'system',
      ip: clean(by.ip, 64),
      userAgent: clean(by.userAgent, 300),
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    })
    .run()
}

export function listEvents(deps: Deps, filter: { accountId?: number; event?: AuditEvent; limit?: number } = {}) {
  const where = and(
    filter.accountId === undefined ? undefined : eq(auditLog.accountId, filter.accountId),
    filter.event === undefined ? undefined : eq(auditLog.event, filter.event),
  )
  return deps.db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(filter.limit ?? 100).all()
}
