// Server-side sessions in SQLite (web/session-store.ts), and the rules around them: a new id at every
// privilege change, idle and absolute expiry decided on the server, and as few writes as possible.
//
// The cookie holds `<id>.<mac>`: a random 256-bit id and its HMAC under a key derived from SECRET_KEY,
// so only ids this server made are accepted (strict mode: a planted, self-made id never becomes a
// session). A session is read once per request and written only when its JSON changed; a visitor
// who only looks at a form gets a cookie but no row (the CSRF token is derived from the id, see
// web/security.ts). This replaced @fastify/session, which signed and hashed each session several
// times per request and wrote it twice at every rotation (docs/decisions/0007).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { randomBytes } from 'node:crypto'
import type { Deps } from '../domain/deps.ts'
import { hours, minutes } from '../domain/deps.ts'
import type { Keys } from '../domain/secrets.ts'
import { equalText, mac, sha256 } from '../domain/secrets.ts'
import { createSessionStore } from './session-store.ts'

declare module 'fastify' {
  interface Session {
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
  interface FastifyRequest {
    /** This browser's session: plain data, saved after the handler when it changed. */
    session: Session
    /** Bookkeeping of the session layer; null before the session is read (errors in onRequest). */
    sessionState: SessionState | null
  }
}

interface SessionState {
  /** The current id (never stored: the table holds its SHA-256). */
  id: string
  /** The JSON last read or written under `id`; null when `id` has no row. */
  stored: string | null
  /** Whether the browser already holds `id` in its cookie. */
  held: boolean
  /** A page handed out a CSRF token for `id`: the browser must get the cookie even without a row. */
  tokenIssued: boolean
  /** Ids this request retired (rotation, sign-out): their rows go when the response is sent. */
  retired: string[]
  /** Signed out: clear the cookie unless a new session needs one. */
  cleared: boolean
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
  /** The typed pair's name (an HMAC), under which a decoy walk's pretend codes are kept (domain/decoy.ts). */
  decoyKey?: string
  /** Hidden mode (decision 0008): the password's rightness was not shown; counts are given back at sign-in. */
  hidden?: boolean
  /** A hidden-mode decoy sign-in: the method its second-factor step shows, and whose counter it moves. */
  decoyMethod?: 'app' | 'email'
  decoyFor?: number | string
}

const touchEveryMs = 10_000
const idLength = 43 // 32 random bytes, base64url

export function prove(req: FastifyRequest, what: FlowState['proven'][number]): void {
  const flow = req.session.flow
  if (flow && !flow.proven.includes(what)) req.session.flow = { ...flow, proven: [...flow.proven, what] }
}

export function flowNonce(req: FastifyRequest): string {
  req.session.nonce ??= randomBytes(16).toString('base64url')
  return req.session.nonce
}

/**
 * What is derived from a session id: the key of its row (SHA-256) and its CSRF token (an HMAC).
 * Both are pure functions of the id, remembered for the ids seen lately so that a request computes
 * neither again (together about a tenth of a page's CPU). What decides whether a session exists is
 * still the row.
 */
interface Derived {
  key: string
  csrf?: string
}
const derivedByKeys = new WeakMap<Keys, Map<string, Derived>>()
const derivedLimit = 10_000

function derived(keys: Keys, id: string): Derived {
  let known = derivedByKeys.get(keys)
  if (!known) derivedByKeys.set(keys, (known = new Map()))
  let found = known.get(id)
  if (!found) {
    if (known.size >= derivedLimit) known.clear()
    found = { key: sha256(id) }
    known.set(id, found)
  }
  return found
}

/**
 * The session's CSRF token (HMAC of the id under its own key; see web/security.ts), or null before
 * the session is read. `issue`: it goes into a page, so the browser must get the cookie too.
 */
export function sessionCsrf(req: FastifyRequest, issue: boolean): string | null {
  const state = req.sessionState
  if (!state) return null
  if (issue) state.tokenIssued = true
  const keys = req.server.deps.keys
  const found = derived(keys, state.id)
  return (found.csrf ??= mac(keys.csrf, state.id))
}

/** A new session id holding only `values`: the old session is gone, its row too once the response is sent. */
export function rotateSession(req: FastifyRequest, now: Date, values: Partial<FastifyRequest['session']> = {}): void {
  const state = req.sessionState
  if (!state) throw new Error('rotateSession before the session was read')
  if (state.held || state.stored !== null) state.retired.push(state.id)
  Object.assign(state, { id: newId(), stored: null, held: false, tokenIssued: false })
  req.session = { ...values, seenAt: now.getTime(), nonce: randomBytes(16).toString('base64url') }
}

/** Signs out: the session and its row end, and the browser is told to drop the cookie. */
export function endSession(req: FastifyRequest): void {
  const state = req.sessionState
  if (!state) return
  if (state.held || state.stored !== null) state.retired.push(state.id)
  Object.assign(state, { id: newId(), stored: null, held: false, tokenIssued: false, cleared: true })
  req.session = {}
}

function newId(): string {
  return randomBytes(32).toString('base64url')
}

/** The value of cookie `name` in a Cookie header, or undefined. */
function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** Reads the session before any hook or handler needs it, and saves it when the response goes out. */
export function registerSessions(app: FastifyInstance, deps: Deps): void {
  const { config, keys } = deps
  const store = createSessionStore(deps)
  const name = config.secure ? '__Host-mtd_session' : 'mtd_session'
  const attributes = `Path=/; HttpOnly; SameSite=Lax${config.secure ? '; Secure' : ''}`
  const clearCookie = `${name}=; Max-Age=0; ${attributes}`
  const retiredKeys = (state: SessionState) => state.retired.map((id) => derived(keys, id).key)

  const wellFormed = (value: string | undefined): value is string => value !== undefined && value.length === idLength * 2 + 1 && value[idLength] === '.'
  const signed = (value: string, id: string) => equalText(value.slice(idLength + 1), mac(keys.cookie, id))

  app.decorateRequest('session', null as unknown as FastifyRequest['session'])
  app.decorateRequest('sessionState', null)
  app.addHook('onRequest', (req, _reply, done) => {
    // The stylesheet is the same for everyone: no session to read.
    if (req.url.startsWith('/static/')) return done()
    const value = readCookie(req.headers.cookie, name)
    let id = wellFormed(value) ? value.slice(0, idLength) : null
    let stored = id === null ? null : store.read(derived(keys, id).key)
    let session: FastifyRequest['session'] = {}
    try {
      if (stored !== null) session = JSON.parse(stored)
    } catch {
      // A row that is not ours to read (edited by hand, cut short): no session, and a new id below.
      stored = null
      id = null
    }
    // A stored row proves the id is ours (rows are only written for ids we made); without one, the
    // MAC must (a visitor who only looked at a form), or the id is replaced.
    if (id !== null && stored === null && !signed(value!, id)) id = null
    req.sessionState = { id: id ?? newId(), stored, held: id !== null, tokenIssued: false, retired: [], cleared: false }
    req.session = session
    done()
  })

  app.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) => {
    const state = req.sessionState
    if (!state) return done(null, payload)
    try {
      const json = JSON.stringify(req.session)
      const empty = json === '{}'
      if (json !== state.stored && !(empty && state.stored === null)) {
        const session = req.session
        // Half-way sign-ins (password proven, second factor due) count as the account's too: a password
        // change or reset must end them as well.
        const owner = session.accountId ?? session.flow?.accountId ?? null
        store.write(derived(keys, state.id).key, json, owner, session.accountId !== undefined, retiredKeys(state))
        state.stored = json
      } else if (state.retired.length > 0) {
        store.remove(retiredKeys(state))
      }
      state.retired = []
      // A Secure cookie over plain http would be dropped by the browser: behind a proxy that does not
      // say the request came over https, no cookie goes out at all (and so no sign-in works).
      if (config.secure && req.protocol !== 'https') return done(null, payload)
      if (!state.held && (state.stored !== null || state.tokenIssued)) {
        reply.header('set-cookie', `${name}=${state.id}.${mac(keys.cookie, state.id)}; ${attributes}`)
        state.held = true
      } else if (state.cleared && !state.held) {
        reply.header('set-cookie', clearCookie)
      }
      done(null, payload)
    } catch (err) {
      done(err as Error)
    }
  })
}

/** Idle and absolute timeouts, enforced on every request before any handler sees the session. */
export function registerSessionLifetime(app: FastifyInstance, deps: Deps): void {
  const { limits } = deps.config
  app.addHook('preHandler', (req, _reply, done) => {
    const session = req.session
    if (!req.sessionState) return done()
    const now = deps.clock.now().getTime()
    const seenAt = session.seenAt ?? now
    if (session.accountId !== undefined) {
      const idle = now - seenAt > minutes(limits.sessionIdleMinutes)
      const tooOld = now - (session.signedInAt ?? 0) > hours(limits.sessionAbsoluteHours)
      if (idle || tooOld) {
        rotateSession(req, deps.clock.now(), { notice: 'sessionExpired' })
        return done()
      }
    } else if ((session.flow !== undefined || session.typedUsername !== undefined) && now - seenAt > minutes(limits.flowIdleMinutes)) {
      rotateSession(req, deps.clock.now(), { notice: 'sessionExpired' })
      return done()
    }
    if (session.seenAt !== undefined && now - session.seenAt >= touchEveryMs) session.seenAt = now
    done()
  })
}
