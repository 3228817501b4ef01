// Every guess at a password or code, wherever it is made, is checked against the throttle first
// and counted when wrong: per typed username and per address.
import type { FastifyRequest } from 'fastify'
import type { Actor, Deps } from '../../domain/deps.ts'
import { checkAttempt, countFailure } from '../../domain/throttle.ts'
import { error, fill } from '../../messages.ts'

/** The username this browser's guesses count against: what was typed, or the flow's account. */
export function guessingAs(req: FastifyRequest, accountUsername: string): string {
  return accountUsername || req.session.typedUsername || ''
}

/** A Dutch "try again in ..." when this attempt must wait, or null when it may go ahead. */
export function throttled(deps: Deps, req: FastifyRequest, username: string): string | null {
  const verdict = checkAttempt(deps, username, req.ip)
  if (verdict.ok) return null
  const s = verdict.retryInSeconds
  const when = s < 90 ? `${s} seconden` : `${Math.ceil(s / 60)} minuten`
  return fill(error.throttled, { when })
}

export function failedAttempt(deps: Deps, req: FastifyRequest, by: Actor, username: string): void {
  countFailure(deps, by, username, req.ip)
}
