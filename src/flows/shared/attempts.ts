// Every guess at a password or code, wherever it is made, goes through here: per typed username and
// per address. The guess is counted when it starts, before the password or code is checked, in one
// synchronous step with the check: thirty parallel guesses meet the delay like thirty in a row.
// A right guess gives its count back.
import type { FastifyRequest } from 'fastify'
import type { Actor, Deps } from '../../domain/deps.ts'
import { beginGuess, guessSucceeded } from '../../domain/throttle.ts'
import { error, fill, plural } from '../../messages.ts'

/** The username this browser's guesses count against: what was typed, or the flow's account. */
export function guessingAs(req: FastifyRequest, accountUsername: string): string {
  return accountUsername || req.session.typedUsername || ''
}

/**
 * A Dutch "try again in ..." when this guess must wait; null when it may go ahead, and then it has
 * been counted as a failure already. Check the input's format before: a typo in the format is not a guess.
 */
export function throttled(deps: Deps, req: FastifyRequest, by: Actor, username: string): string | null {
  const verdict = beginGuess(deps, by, username, req.ip)
  if (verdict.ok) return null
  const s = verdict.retryInSeconds
  const when = s < 90 ? plural(s, 'seconde', 'seconden') : plural(Math.ceil(s / 60), 'minuut', 'minuten')
  return fill(error.throttled, { when })
}

/** The guess was right: the username's consecutive failures are reset, the address's count refunded. */
export function guessRight(deps: Deps, req: FastifyRequest, username: string): void {
  guessSucceeded(deps, username, req.ip)
}
