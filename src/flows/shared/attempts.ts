// Every password guess, wherever it is made, goes through here (docs/decisions/0011-throttle.md): per
// (username, client), per username for untrusted clients, per device cookie, and per client across
// usernames. The guess is counted when it starts, before it is checked, in one synchronous step with
// the check: thirty parallel guesses meet the delay like thirty in a row. Second-factor codes have
// their own counters (factorGuess). A delay says when to try again (the counters are per typed
// username, so an unknown one reads the same); a lock says who can lift it.
import type { FastifyRequest } from 'fastify'
import type { Actor, Deps } from '../../domain/deps.ts'
import { beginFactorGuess, beginPasswordGuess, clientOf, passwordRight, type Factor, type Guesser, type Verdict } from '../../domain/throttle.ts'
import { fill, plural } from '../../messages.ts'
import { deviceFor } from '../../web/device-cookie.ts'
import { t } from '../../web/language.ts'
import { practiceWords } from '../../web/practice-shown.ts'

/** Who guesses at `username` from this request: its client and, with a valid device cookie, its device. */
export function guesserOf(req: FastifyRequest, deps: Deps, username: string): Guesser {
  return { username, client: clientOf(req.ip), device: deviceFor(req, deps, username) }
}

/** How long a delay still runs, in plain words: '30 seconden' under a minute, else whole minutes, rounded up. */
export function waitWords(req: FastifyRequest, waitMs: number): string {
  const { words } = t(req)
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  return seconds < 60 ? plural(seconds, words.second, words.seconds) : plural(Math.ceil(seconds / 60), words.minute, words.minutes)
}

/**
 * The answer to a refused guess. A delay says when to try again. A lock says that waiting does not
 * help and who can lift it: before the password is proven in the generic words (no practice named).
 */
export function refusal(req: FastifyRequest, verdict: Extract<Verdict, { ok: false }>): string {
  const { error } = t(req)
  return verdict.locked ? error.throttledLocked : fill(error.throttled, { wait: waitWords(req, verdict.waitMs) })
}

/**
 * A password guess: the refusal message when it must wait; null when it may go ahead, and then it
 * has been counted as a failure already. Check the input's format before: a typo in the format is not a guess.
 */
export async function throttled(deps: Deps, req: FastifyRequest, by: Actor, username: string): Promise<string | null> {
  const verdict = await beginPasswordGuess(deps, by, guesserOf(req, deps, username))
  return verdict.ok ? null : refusal(req, verdict)
}

/** The password was right: the username's consecutive failures reset, the client's count refunded. */
export async function guessRight(deps: Deps, req: FastifyRequest, username: string): Promise<void> {
  await passwordRight(deps, guesserOf(req, deps, username))
}

/**
 * A second-factor guess, counted on this browser's device cookie when it has one, else per account (or
 * a decoy's username tag), factor and client: the refusal message, or null to go ahead. `proven`: the
 * password was shown to be right in this flow (not hidden mode), so a lock may name the practice.
 */
export async function factorGuess(deps: Deps, req: FastifyRequest, by: Actor, username: string, target: number | string, factor: Factor, proven: boolean): Promise<string | null> {
  const verdict = await beginFactorGuess(deps, by, target, factor, { device: deviceFor(req, deps, username), client: clientOf(req.ip) })
  if (verdict.ok) return null
  return verdict.locked ? (await factorLockedMessage(req, deps, proven)) : refusal(req, verdict)
}

/**
 * A locked second factor: once the password was shown to be right, that the factor is locked and that
 * the practice can lift it, else the generic words. The practice is named only once the account is
 * proven (issue 20: a password alone is not; web/practice-shown.ts), "uw praktijk" before.
 */
export async function factorLockedMessage(req: FastifyRequest, deps: Deps, proven: boolean): Promise<string> {
  const { error } = t(req)
  return proven ? fill(error.factorLocked, (await practiceWords(req, deps))) : error.throttledLocked
}
