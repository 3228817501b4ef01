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

/** An app (OpenID Connect client) to tell by back-channel logout that a sign-in at the portal ended. */
export interface AppLogout {
  clientId: string
  /** The account's `sub` towards the apps, and the provider session's `sid` for this app. */
  sub: string
  sid: string
  /** The provider session's row (its key in the adapter's table): told only once that row is really gone. */
  session: string
}

export interface AppSignInsEnded {
  /** Provider sessions and grants (with their tokens and codes) removed. */
  sessions: number
  grants: number
  logouts: AppLogout[]
}

/**
 * The account's sign-ins at the practice's apps (OpenID Connect): a port, filled by src/oidc/app-sign-ins.ts
 * (src/runtime.ts), so the domain never loads oidc-provider. domain/sessions.ts endAccountSessions uses it.
 */
export interface AppSignIns {
  /**
   * Inside the caller's transaction: removes the account's provider sessions, grants,
   * tokens, codes and finished-but-unredeemed app sign-ins from the database, all of them but those of
   * the provider session `keep` (this browser's, by its cookie). Returns what the apps must be told.
   */
  end(accountId: number, keep?: string): Promise<AppSignInsEnded>
  /** Back-channel logout to those apps, once the caller's transaction has committed (db.afterCommit); never throws, audited. */
  tell(by: Actor, accountId: number, logouts: AppLogout[]): void
  /** Resolves when every telling started so far has finished (the CLI before it exits; tests). */
  idle(): Promise<void>
}

export interface Deps {
  config: Config
  db: Db
  clock: Clock
  keys: Keys
  notify: Notify
  appSignIns: AppSignIns
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
