// What a session holds, and the rules around it: a new id at every privilege change, idle and
// absolute expiry decided on the server, and as few writes as possible (a write per GET halves
// page throughput, so `seenAt` is refreshed at most every few seconds).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { randomBytes } from 'node:crypto'
import type { Deps } from '../domain/deps.ts'
import { hours, minutes } from '../domain/deps.ts'

declare module 'fastify' {
  interface Session {
    /** CSRF synchronizer token. */
    csrf?: string
    /** Binds one-time codes to this browser's flow. */
    nonce?: string
    /** Last request, epoch ms (refreshed at most every `touchEveryMs`). */
    seenAt?: number
    /** Sign-in in progress: what was typed on the first page (never whether it exists). */
    typedUsername?: string
    /** The account flow this browser walks, until it ends in a signed-in session. */
    flow?: FlowState
    /** Signed in: the account and when. */
    accountId?: number
    signedInAt?: number
    /** The sign-in before this one, for the home page. */
    previousSignInAt?: number
    /** A one-shot notice for the next page ('loggedOut', 'sessionExpired'). */
    notice?: 'loggedOut' | 'sessionExpired'
  }
}

/**
 * How this browser entered the account flow, and what it proved since. Which steps are due follows
 * from this and from the account's facts (src/flows/account-flow.ts).
 */
export interface FlowState {
  /** 'onboarding': the second mail's link; 'sign-in': the password was right; 'reset': the forgot-password path. */
  kind: 'onboarding' | 'sign-in' | 'reset'
  /** null only on the forgot-password path for an unknown username or a wrong e-mail: a decoy walk. */
  accountId: number | null
  /** When this flow began (epoch ms): factors enrolled after this count as passed for this sign-in. */
  since: number
  /** What this browser proved in this flow: 'phone' (SMS code), 'password' (reset), 'mfa' (second factor). */
  proven: ('phone' | 'password' | 'mfa')[]
  /** The last four digits a decoy walk shows, derived from what was typed so a reload shows the same. */
  decoyDigits?: string
  /** The typed pair's name (an HMAC), under which a decoy walk's send limits are kept (domain/reset.ts). */
  decoyKey?: string
  /** A decoy walk's pretend code: when it was "sent" and how often it was tried. */
  decoySentAt?: number
  decoyTries?: number
}

const touchEveryMs = 10_000

export function prove(req: FastifyRequest, what: FlowState['proven'][number]): void {
  const flow = req.session.flow
  // Reassign, not push: the session notices changes by comparing its serialised form, and a new array is explicit.
  if (flow && !flow.proven.includes(what)) req.session.flow = { ...flow, proven: [...flow.proven, what] }
}

export function flowNonce(req: FastifyRequest): string {
  req.session.nonce ??= randomBytes(16).toString('base64url')
  return req.session.nonce
}

/** A new session id; `keep` carries values over (the rest of the old session is gone, server-side too). */
export async function rotateSession(req: FastifyRequest, now: Date, values: Partial<FastifyRequest['session']> = {}): Promise<void> {
  await req.session.regenerate()
  Object.assign(req.session, values, { seenAt: now.getTime(), nonce: randomBytes(16).toString('base64url') })
}

/** Idle and absolute timeouts, enforced on every request before any handler sees the session. */
export function registerSessionLifetime(app: FastifyInstance, deps: Deps): void {
  const { limits } = deps.config
  app.addHook('preHandler', async (req) => {
    const session = req.session
    if (!session || typeof session.get !== 'function') return
    const now = deps.clock.now().getTime()
    const seenAt = session.seenAt ?? now
    if (session.accountId !== undefined) {
      const idle = now - seenAt > minutes(limits.sessionIdleMinutes)
      const tooOld = now - (session.signedInAt ?? 0) > hours(limits.sessionAbsoluteHours)
      if (idle || tooOld) {
        await rotateSession(req, deps.clock.now(), { notice: 'sessionExpired' })
        return
      }
    } else if ((session.flow !== undefined || session.typedUsername !== undefined) && now - seenAt > minutes(limits.flowIdleMinutes)) {
      await rotateSession(req, deps.clock.now(), { notice: 'sessionExpired' })
      return
    }
    if (session.seenAt !== undefined && now - session.seenAt >= touchEveryMs) session.seenAt = now
  })
}
