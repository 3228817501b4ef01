// When a session that is not signed in (a sign-in, onboarding or reset in progress) ends. Pure, so the
// rule is tested on its own; web/session.ts applies it on every request.
import type { Session } from 'fastify'
import type { Limits } from '../config.ts'
import { minutes } from '../domain/deps.ts'

/**
 * A flow ends after `flowIdleMinutes` without a request, and `flowAbsoluteMinutes` after it began
 * however busy it is: a half-signed-in session (password proven, second factor due) can not be kept
 * alive by a request every few minutes.
 */
export function flowExpired(session: Partial<Omit<Session, 'cookie'>>, now: number, limits: Pick<Limits, 'flowIdleMinutes' | 'flowAbsoluteMinutes'>): boolean {
  if (session.accountId !== undefined) return false
  if (session.flow === undefined && session.sealedUsername === undefined) return false
  const idle = now - (session.seenAt ?? now) > minutes(limits.flowIdleMinutes)
  const tooOld = session.flow !== undefined && now - session.flow.since > minutes(limits.flowAbsoluteMinutes)
  return idle || tooOld
}
