// Sessions through @fastify/cookie and @fastify/session, over our SQLite rows (domain/sessions.ts),
// and the rules around them: a new id at every privilege change, idle and absolute expiry decided on
// the server, no row for a visitor who only looks.
//
// What the plugins do for us: the cookie (HttpOnly, SameSite=Lax, Path=/, `__Host-` and Secure under
// https, no cookie at all over plain http then), its signature (an HMAC under a key derived from
// SECRET_KEY, so an invented id is refused without a read), a new id for a signed id without a row
// (a planted or expired id never becomes a session), one read per request, and a write only when the
// session changed (`saveUninitialized: false`). What we own: the store, and when to rotate.
import cookie, { Signer, type UnsignResult } from '@fastify/cookie'
import session, { type SessionStore } from '@fastify/session'
import type { FastifyInstance, FastifyRequest, Session } from 'fastify'
import { randomBytes } from 'node:crypto'
import { getAccount, type Account } from '../domain/accounts.ts'
import { encrypt, keysOf, openWithAny } from '../domain/secrets.ts'
import type { Deps } from '../domain/deps.ts'
import { hours, minutes } from '../domain/deps.ts'
import { readSession, removeSession, saveSession, storedMark, type SessionData } from '../domain/sessions.ts'
import { recordSessionExpired } from '../domain/audit.ts'
import { actorOf } from './flow.ts'
import { flowExpired } from './session-lifetime.ts'

declare module 'fastify' {
  interface Session {
    /** Binds one-time codes to this browser's flow. */
    nonce?: string
    /** Last request, epoch ms (refreshed at most every `touchEveryMs`). */
    seenAt?: number
    /**
     * Sign-in in progress: what was typed on the first page (never whether it exists), sealed: a
     * password typed there by mistake never rests in the row in clear (typedUsername below).
     */
    sealedUsername?: string
    /** The account flow this browser walks, until it ends in a signed-in session. */
    flow?: FlowState
    /** Signed in: the account and when. */
    accountId?: number
    signedInAt?: number
    /** The sign-in before this one, for the home page. */
    previousSignInAt?: number
    /** A one-shot notice for the next page ('loggedOut', 'sessionExpired'). */
    notice?: 'loggedOut' | 'sessionExpired'
    /**
     * How the last session ended (issue 24 #2): after how many minutes, and whose signed-in session it
     * was (a staff form sent after it may be kept for that account: `draft`).
     */
    expired?: { afterMinutes: number; accountId?: number }
    /** The typed username was carried over one expiry already: the next one drops it. */
    usernameCarried?: true
    /**
     * A practice form sent after its session ended, sealed like a typed username, kept for the same
     * account's next sign-in (web/drafts.ts). Never a password or a code: those forms are not kept.
     */
    draft?: { accountId: number; path: string; sealed: string; at: number }
    /** Set by the store on sessions read from a row (domain/sessions.ts). */
    [storedMark]?: true
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
  /**
   * What this browser proved in this flow: 'phone' (SMS code), 'password' (reset), 'mfa' (second factor);
   * 'recovery' beside 'mfa' when that was a recovery code (domain/recovery-codes.ts).
   */
  proven: ('phone' | 'password' | 'mfa' | 'recovery')[]
  /** The last four digits a decoy walk shows, derived from what was typed so a reload shows the same. */
  decoyDigits?: string
  /** The typed pair's name (an HMAC), under which a decoy walk's pretend codes are kept (domain/decoy.ts). */
  decoyKey?: string
  /** Hidden mode (decision 0011): the password's rightness was not shown; counts are given back at sign-in. */
  hidden?: boolean
  /**
   * A hidden-mode decoy sign-in: the method its second-factor step shows, and whose counters it moves
   * (the account's id, or for an unknown username its HMAC: throttle.ts's decoyTag, never the typed text).
   */
  decoyMethod?: 'app' | 'email'
  decoyFor?: number | string
  /**
   * The codes sent to this browser in this flow, per purpose: when the last went out and how many
   * (issue 23.6: 'Stuur een nieuwe code' says that a new one went, when and where). Kept alike for a
   * decoy and a real account: the page reads the same.
   */
  sends?: Partial<Record<'phone' | 'email-mfa' | 'email-verify', { at: number; count: number }>>
}

/**
 * What a visitor typed, sealed for the session row (AES-256-GCM under a key of its own): the username
 * field is where a password is typed by mistake, and the row lives for up to 15 minutes after the last
 * request (issue 19.9). Only this browser's requests open it again, to fill in the form or name the counters.
 */
export const sealTyped = (deps: Deps, value: string): string => encrypt(deps.keys.typed, value)

/**
 * The sealed value opened, under SECRET_KEY or a key of SECRET_KEYS_OLD (a sign-in begun just before a
 * key change goes on); undefined when there is none or it opens under no configured key.
 */
export function openTyped(deps: Deps, sealed: string | undefined): string | undefined {
  if (sealed === undefined) return undefined
  try {
    return openWithAny(keysOf(deps.keys, 'typed'), sealed).text
  } catch {
    return undefined
  }
}

/** The username typed on the sign-in (or forgot-password) page of this browser's flow. */
export const typedUsername = (req: FastifyRequest, deps: Deps): string | undefined => openTyped(deps, req.session.sealedUsername)

/** The values a session carries, without the plugin's own (cookie, id, methods). */
type Values = Partial<Omit<Session, 'cookie'>>

const touchEveryMs = 10_000

export function prove(req: FastifyRequest, what: FlowState['proven'][number]): void {
  const flow = req.session.flow
  if (flow && !flow.proven.includes(what)) req.session.flow = { ...flow, proven: [...flow.proven, what] }
}

/** A code of `purpose` went out to this browser's flow now. */
export function recordSend(req: FastifyRequest, purpose: keyof NonNullable<FlowState['sends']>, now: Date): void {
  const flow = req.session.flow
  if (!flow) return
  const count = (flow.sends?.[purpose]?.count ?? 0) + 1
  req.session.flow = { ...flow, sends: { ...flow.sends, [purpose]: { at: now.getTime(), count } } }
}

export function flowNonce(req: FastifyRequest): string {
  req.session.nonce ??= randomBytes(16).toString('base64url')
  return req.session.nonce
}

/**
 * A new session id holding only `values`: the old session's row is gone at once. The new session is
 * written once, when the response goes out (the store skips the plugin's empty write in regenerate).
 */
export async function rotateSession(req: FastifyRequest, now: Date, values: Values = {}): Promise<void> {
  await req.session.regenerate()
  Object.assign(req.session, values, { seenAt: now.getTime(), nonce: randomBytes(16).toString('base64url') })
}

/** The session's cookie and the attributes it is set with (sign-out expires it with the same ones). */
export const sessionCookie = (config: Deps['config']) => ({
  name: config.secure ? '__Host-mtd_session' : 'mtd_session',
  attributes: { httpOnly: true, sameSite: 'lax', secure: config.secure, path: '/' } as const,
})

/** Signs out: the row ends now, and the plugin clears the cookie (the new, empty session is never saved). */
export async function endSession(req: FastifyRequest): Promise<void> {
  await req.session.regenerate()
}

/** The session's own values, as the store keeps them (the plugin's cookie settings are not ours to keep). */
function valuesOf(sessionObject: Session): SessionData {
  const data: SessionData = {}
  for (const [key, value] of Object.entries(sessionObject)) if (key !== 'cookie') data[key] = value
  return data
}

/** A GET's account as it was read with the session, until `sessionAccount` takes it. */
const readWithSession = new WeakMap<FastifyRequest, Account>()

/**
 * The account `id` for this request's session: on a GET or HEAD the row read with the session a
 * moment ago, once; otherwise read now. A POST reads it again: its body arrives after the session was
 * read, and what it does must see the account as it is then.
 */
export async function sessionAccount(req: FastifyRequest, deps: Deps, id: number): Promise<Account | undefined> {
  const read = readWithSession.get(req)
  if (read !== undefined) {
    readWithSession.delete(req)
    if (read.id === id) return read
  }
  return await getAccount(deps, id)
}

/**
 * @fastify/session's store interface over domain/sessions.ts. `read` hears of the account each row was
 * read with (the plugin's interface has no place for it).
 */
function sqliteStore(deps: Deps, read: (sessionId: string, account: Account | undefined) => void): SessionStore {
  return {
    get(sessionId, callback) {
      read(sessionId, undefined)
      readSession(deps, sessionId).then(
        (found) => {
          read(sessionId, found?.account)
          callback(null, (found?.data ?? null) as Session | null)
        },
        (err: unknown) => callback(err),
      )
    },
    set(sessionId, sessionObject, callback) {
      const data = valuesOf(sessionObject)
      // regenerate() writes the new, still empty session at once; nothing to keep yet (the response writes it).
      if (Object.keys(data).length === 0) return callback()
      saveSession(deps, sessionId, data).then(() => callback(), (err: unknown) => callback(err))
    },
    destroy(sessionId, callback) {
      removeSession(deps, sessionId).then(() => callback(), (err: unknown) => callback(err))
    },
  }
}

/**
 * @fastify/cookie's signer for the session cookie, remembering the last id it found valid: for every
 * request with a session, @fastify/session checks the cookie's signature (unsign) and then, building
 * its Session object from the row, signs the same id again to know the cookie's value. The HMAC of the
 * same id under the same key is the same string, so that second HMAC is answered from the first.
 * Any other id (a new one, after a rotation) is signed as usual.
 *
 * Several secrets (SECRET_KEY's first, then SECRET_KEYS_OLD's): the first signs, any verifies. A cookie
 * valid under an older one only is remembered as `renewed` until the hook below takes it and has the
 * cookie signed again under the first.
 */
export function sessionSigner(secrets: string | string[]): {
  sign: (value: string) => string
  unsign: (input: string) => UnsignResult
  takeRenewed: () => string | undefined
} {
  const signer = new Signer(secrets)
  let last: { value: string; signed: string } | undefined
  let renewed: string | undefined
  return {
    sign: (value) => (last !== undefined && last.value === value ? last.signed : signer.sign(value)),
    unsign: (input) => {
      const result = signer.unsign(input)
      // Valid means `input` is exactly value + '.' + its signature (compared byte for byte).
      if (result.valid && result.value !== null) {
        if (result.renew) renewed = result.value
        else last = { value: result.value, signed: input }
      }
      return result
    },
    takeRenewed: () => {
      const value = renewed
      renewed = undefined
      return value
    },
  }
}

export async function registerSessions(app: FastifyInstance, deps: Deps): Promise<void> {
  const { config, keys } = deps
  const cookieOf = sessionCookie(config)
  // The cookie plugin signs nothing itself: the session cookie is signed by the session plugin's
  // signer below, and the CSRF cookie needs no signature (web/security.ts).
  await app.register(cookie)
  // The account a session row was read with (domain/sessions.ts reads both in one statement), from the
  // store's read to the hook below that gives it to its request. Both run in one turn of the event
  // loop, and the hook checks the session id, so no other request's account can be taken.
  let justRead: { sessionId: string; account: Account | undefined } | undefined
  const signer = sessionSigner(keysOf(keys, 'cookie').map((key) => key.toString('base64url')))
  await app.register(session, {
    secret: signer,
    cookieName: cookieOf.name,
    store: sqliteStore(deps, (sessionId, account) => {
      justRead = { sessionId, account }
    }),
    // 256 random bits.
    idGenerator: () => randomBytes(32).toString('base64url'),
    // A visitor who only looks at a form writes no row and gets no session cookie.
    saveUninitialized: false,
    // The cookie has no expiry (a browser session); the server decides when a session ends.
    rolling: false,
    cookie: { ...cookieOf.attributes },
  })
  // Right after the plugin's own hook, in the same turn: the account read with this session's row.
  app.addHook('onRequest', (req, _reply, done) => {
    const read = justRead
    justRead = undefined
    if (read?.account && (req.method === 'GET' || req.method === 'HEAD') && read.sessionId === req.session.sessionId) readWithSession.set(req, read.account)
    // A cookie signed under an older key (SECRET_KEYS_OLD) is accepted and signed again under the
    // first: saving marks the session saved, so the plugin sends the cookie with its new signature
    // (it would otherwise clear a cookie whose value differs from the one it signs now).
    const renewed = signer.takeRenewed()
    if (renewed !== undefined && renewed === req.session.sessionId) {
      req.session.save().then(() => done(), done)
      return
    }
    done()
  })
}

/** Idle and absolute timeouts, enforced on every request before any handler sees the session. */
export function registerSessionLifetime(app: FastifyInstance, deps: Deps): void {
  const { limits } = deps.config
  // A callback hook, not an async one: it runs on every request, and only an expired session needs to wait.
  app.addHook('preHandler', (req, _reply, done) => {
    const session = req.session
    const now = deps.clock.now().getTime()
    const seenAt = session.seenAt ?? now
    if (session.accountId !== undefined) {
      const idle = now - seenAt > minutes(limits.sessionIdleMinutes)
      const tooOld = now - (session.signedInAt ?? 0) > hours(limits.sessionAbsoluteHours)
      if (idle || tooOld) {
        const expired = { afterMinutes: idle ? limits.sessionIdleMinutes : limits.sessionAbsoluteHours * 60, accountId: session.accountId }
        recordSessionExpired(deps, actorOf(req, 'system'), session.accountId, idle ? 'idle' : 'absolute')
          .then(() => rotateSession(req, deps.clock.now(), { notice: 'sessionExpired', expired }))
          .then(() => done(), done)
        return
      }
    } else if (flowExpired(session, now, limits)) {
      // The sign-in page says after how long, and keeps the typed username once (never a password or
      // code): signing in again leads back to the due step, whose progress lives on the account.
      const tooOld = session.flow !== undefined && now - session.flow.since > minutes(limits.flowAbsoluteMinutes)
      const carry = session.sealedUsername !== undefined && !session.usernameCarried ? { sealedUsername: session.sealedUsername, usernameCarried: true as const } : {}
      const kept = session.draft ? { draft: session.draft } : {}
      void rotateSession(req, deps.clock.now(), { notice: 'sessionExpired', expired: { afterMinutes: tooOld ? limits.flowAbsoluteMinutes : limits.flowIdleMinutes }, ...carry, ...kept }).then(() => done(), done)
      return
    }
    if (session.seenAt !== undefined && now - session.seenAt >= touchEveryMs) session.seenAt = now
    done()
  })
}
