// Passwords: argon2id (m=19456 KiB, t=2, p=1 at least), 12 to 256 code points after NFKC, any
// Unicode, no composition rules; refused when common, breached or built from the patient's own
// details or the practice's name, with the reason shown (NIST 800-63B-4 3.1.1.2).
import argon2 from 'argon2'
import type { ZxcvbnFactory } from '@zxcvbn-ts/core'
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import type { Limits } from '../config.ts'
import type { ErrorKey } from '../messages.ts'

export const minLength = 12
export const maxLength = 256
/** Anything over this many bytes is refused before normalising or hashing: no hashing DoS. */
export const maxBytes = 4 * maxLength

export function normalizePassword(raw: string): string {
  return raw.normalize('NFKC')
}

export const codePoints = (value: string) => [...value].length

const load = createRequire(import.meta.url)
let estimator: ZxcvbnFactory | null = null
/**
 * Built on first use, and only then loaded: the dictionaries cost ~10 MB and ~100 ms at start, and
 * only a new password needs them (docs/benchmarks.md: idle memory and cold start).
 */
function strength(): ZxcvbnFactory {
  if (!estimator) {
    const core = load('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core')
    const common = load('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common')
    const dutch = load('@zxcvbn-ts/language-nl-be') as typeof import('@zxcvbn-ts/language-nl-be')
    estimator = new core.ZxcvbnFactory({ dictionary: { ...common.dictionary, ...dutch.dictionary }, graphs: common.adjacencyGraphs })
  }
  return estimator
}

export interface PasswordContext {
  username: string
  name: string
  email: string
  practiceName: string
  portalName: string
}

const squash = (value: string) => value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')

/** The reason a new password is refused, or null when it is fine. */
export function checkNewPassword(password: string, ctx: PasswordContext): { key: ErrorKey; count?: number } | null {
  if (Buffer.byteLength(password) > maxBytes) return { key: 'passwordTooLong' }
  const value = normalizePassword(password)
  const length = codePoints(value)
  if (length < minLength) return { key: 'passwordTooShort', count: length }
  if (length > maxLength) return { key: 'passwordTooLong' }

  const flat = squash(value)
  const contains = (part: string, min: number) => part.length >= min && flat.includes(part)
  if (contains(squash(ctx.username), 3)) return { key: 'passwordContainsUsername' }
  const nameParts = ctx.name.split(/\s+/).map(squash)
  if (contains(squash(ctx.name), 4) || nameParts.some((part) => contains(part, 4))) return { key: 'passwordContainsName' }
  const [local = ''] = ctx.email.split('@')
  if (contains(squash(ctx.email), 4) || contains(squash(local), 4)) return { key: 'passwordContainsEmail' }
  const orgParts = [ctx.practiceName, ctx.portalName].flatMap((n) => [n, ...n.split(/\s+/)]).map(squash)
  if (orgParts.some((part) => contains(part, 5) && !['praktijk'].includes(part))) return { key: 'passwordContainsPractice' }

  // Score 3 means at least 10^8 guesses even for an attacker who knows the common and breached lists.
  if (strength().check(value).score < 3) return { key: 'passwordCommon' }
  return null
}

/**
 * At most one argon2id computation per core at a time. More gives no more sign-ins per second, only
 * more memory (19 MB each) and a thread pool with no thread left for file and DNS work: a burst of
 * sign-ins waits its turn here instead.
 */
const hashSlots = Math.max(1, availableParallelism())
let hashing = 0
const waiting: (() => void)[] = []

async function inHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing < hashSlots) hashing++
  else await new Promise<void>((resolve) => waiting.push(resolve))
  try {
    return await work()
  } finally {
    // Hand the slot straight to the next in line, or give it back.
    const next = waiting.shift()
    if (next) next()
    else hashing--
  }
}

export async function hashPassword(password: string, limits: Limits): Promise<string> {
  return await inHashSlot(() =>
    argon2.hash(normalizePassword(password), { type: argon2.argon2id, memoryCost: limits.argon2MemoryKiB, timeCost: limits.argon2Iterations, parallelism: 1 }),
  )
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (Buffer.byteLength(password) > maxBytes) return false
  try {
    return await inHashSlot(() => argon2.verify(hash, normalizePassword(password)))
  } catch {
    return false
  }
}

const dummies = new Map<string, Promise<string>>()

/**
 * A hash of a random password with these limits' parameters, made once per process: a sign-in for an
 * unknown username verifies against it, so it costs what a real one costs. Started when the sign-in
 * routes are registered (issue 11, finding 16): made on first use, the first unknown username after
 * a restart took a hash and a verify, and could be told apart by its time.
 */
export async function dummyHash(limits: Limits): Promise<string> {
  const key = `${limits.argon2MemoryKiB}:${limits.argon2Iterations}`
  let found = dummies.get(key)
  if (!found) dummies.set(key, (found = hashPassword(randomBytes(16).toString('hex'), limits)))
  return found
}

/** Whether the dummy hash for these limits was started (for the test of the above). */
export const dummyHashStarted = (limits: Limits): boolean => dummies.has(`${limits.argon2MemoryKiB}:${limits.argon2Iterations}`)
