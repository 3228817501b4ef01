// Every password guess, wherever it is made, goes through here (docs/decisions/0011-throttle.md): per
// (username, client), per username for untrusted clients, per device cookie, and per client across
// usernames. The guess is counted when it starts, before it is checked, in one synchronous step with
// the check: thirty parallel guesses meet the delay like thirty in a row. Second-factor codes have
// their own counters (factorGuess). The answers never say how long to wait.
import type { FastifyRequest } from 'fastify'
import type { Actor, Deps } from '../../domain/deps.ts'
import { beginFactorGuess, beginPasswordGuess, clientOf, passwordRight, type Factor, type Guesser, type Verdict } from '../../domain/throttle.ts'
import { fill } from '../../messages.ts'
import { deviceFor } from '../../web/device-cookie.ts'
import { t } from '../../web/language.ts'
import { practiceWords } from '../../web/practice-shown.ts'

/** Who guesses at `username` from this request: its client and, with a valid device cookie, its device. */
export function guesserOf(req: FastifyRequest, deps: Deps, username: string): Guesser {
  return { username, client: clientOf(req.ip), device: deviceFor(req, deps, username) }
}

/** The answer to a refused guess: never how long; to a locked counter, never that waiting helps. */
export function refusal(req: FastifyRequest, deps: Deps, verdict: Extract<Verdict, { ok: false }>): string {
  const { error } = t(req)
  return verdict.locked ? fill(error.throttledLocked, practiceWords(req, deps)) : error.throttled
}

/**
 * A password guess: the refusal message when it must wait; null when it may go ahead, and then it
 * has been counted as a failure already. Check the input's format before: a typo in the format is not a guess.
 */
export function throttled(deps: Deps, req: FastifyRequest, by: Actor, username: string): string | null {
  const verdict = beginPasswordGuess(deps, by, guesserOf(req, deps, username))
  return verdict.ok ? null : refusal(req, deps, verdict)
}

/** The password was right: the username's consecutive failures reset, the client's count refunded. */
export function guessRight(deps: Deps, req: FastifyRequest, username: string): void {
  passwordRight(deps, guesserOf(req, deps, username))
}

/**
 * A second-factor guess, counted per account (or a decoy's typed username) and factor, on this
 * browser's device cookie when it has one: the refusal message, or null to go ahead.
 */
export function factorGuess(deps: Deps, req: FastifyRequest, by: Actor, username: string, target: number | string, factor: Factor): string | null {
  const verdict = beginFactorGuess(deps, by, target, factor, deviceFor(req, deps, username))
  const { error } = t(req)
  return verdict.ok ? null : verdict.locked ? fill(error.factorLocked, practiceWords(req, deps)) : error.throttled
}
