import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import type { Events } from './events.ts'
import type { Keys } from './secrets.ts'

/** Time is a dependency: tests move a fake clock instead of sleeping. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** Who caused an event, for the audit log. */
export interface Actor {
  /** 'self' (the patient), 'system', 'cli', or 'staff:<id>'. */
  actor: string
  ip?: string | null
  userAgent?: string | null
}

/** Called after a transaction queued mail or SMS, so delivery starts at once instead of at the next poll. */
export type Notify = () => void

export interface Deps {
  config: Config
  db: Db
  clock: Clock
  keys: Keys
  notify: Notify
  /** Operator warnings (a budget reached); the server's log, console.error by default. */
  warn?: (message: string) => void
  /** What the domain tells its watchers (metrics); absent where nobody watches. */
  events?: Events
}

/**
 * The operator's structured log (pino's shape: fields, then the message): one JSON line each in the
 * server's log. Fields never carry a secret, a message body or a code.
 */
export interface OperatorLog {
  warn(fields: Record<string, unknown>, message: string): void
  error(fields: Record<string, unknown>, message: string): void
}

export const minutes = (n: number) => n * 60_000
export const hours = (n: number) => n * 3_600_000
