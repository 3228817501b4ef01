// What the domain tells whoever watches it (today: the Prometheus metrics, src/web/metrics.ts), without
// knowing who that is: the domain imports no metrics library. Listeners run synchronously and must be
// cheap; one that throws is ignored, so watching can never break a sign-in.
import type { AuditEntry } from './audit.ts'

export type DomainEvent =
  /** Every audit event, as recorded (sign-ins, failures, lockouts...). */
  | { type: 'audit'; entry: AuditEntry }
  /** A guess refused by a throttle's delay or lock: every refusal, not only the audited first of a wait. */
  | { type: 'throttle_refused'; guess: 'password' | 'second_factor'; locked: boolean }
  /** A mail or SMS delivery attempt failed (final: no retries left). */
  | { type: 'delivery_failed'; channel: 'mail' | 'sms'; final: boolean }

export interface Events {
  emit(event: DomainEvent): void
  /** Returns a function that removes the listener. */
  on(listener: (event: DomainEvent) => void): () => void
}

export function createEvents(): Events {
  const listeners = new Set<(event: DomainEvent) => void>()
  return {
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event)
        } catch {
          // A watcher's failure is not the patient's problem.
        }
      }
    },
    on(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
