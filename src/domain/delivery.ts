// The outbox: every mail and SMS is a row written in the same transaction as the code or link it
// carries, then delivered by the dispatcher with retry and backoff. A crash between commit and send
// loses nothing: the row is still pending at the next start.
import { and, asc, desc, eq, gt, lte, ne } from 'drizzle-orm'
import { createRequire } from 'node:module'
import type { Transporter } from 'nodemailer'
import addressparser from 'nodemailer/lib/addressparser'
import { outbox } from '../db/tables.ts'
import type { Deps, OperatorLog } from './deps.ts'
import { encrypt, keysOf, openWithAny, type Keys } from './secrets.ts'
import { counted, first } from '../db/index.ts'

/** A queued body, sealed under SECRET_KEY or a key of SECRET_KEYS_OLD; throws Unopenable under neither. */
const openBody = (keys: Keys, sealed: string) => openWithAny(keysOf(keys, 'outbox'), sealed).text

export interface QueuedMail {
  accountId: number | null
  kind: string
  to: string
  /** One of the configured senders, as configured (`"Name" <address>` or a bare address). */
  from: string
  /** Sent under this display name instead of the configured one, at the sender's address (a practice's name, issue 20). */
  fromName?: string
  subject: string
  text: string
}

/** A sender as nodemailer takes it: its address object quotes or encodes the name as the header needs. */
export type Sender = string | { name: string; address: string }

/** The address of a configured sender, parsed by nodemailer's own parser. */
export function senderAddress(configured: string): string {
  const [first] = addressparser(configured, { flatten: true })
  return first && 'address' in first && first.address ? first.address : configured
}

export interface QueuedSms {
  accountId: number | null
  kind: string
  to: string
  text: string
}

/** Call inside the transaction that creates what the message carries. */
export async function queueMail(deps: Deps, message: QueuedMail): Promise<void> {
  await deps.db
    .insert(outbox)
    .values({
      channel: 'mail',
      accountId: message.accountId,
      kind: message.kind,
      recipient: message.to,
      // With a display name of its own, only the address of the configured sender is kept: the name is
      // never written into a header string by hand (the dispatcher hands nodemailer an address object).
      sender: message.fromName === undefined ? message.from : senderAddress(message.from),
      senderName: message.fromName ?? null,
      subject: message.subject,
      bodyEnc: encrypt(deps.keys.outbox, message.text),
      createdAt: deps.clock.now(),
      nextAttemptAt: deps.clock.now(),
    })
}

export async function queueSms(deps: Deps, message: QueuedSms): Promise<void> {
  await deps.db
    .insert(outbox)
    .values({
      channel: 'sms',
      accountId: message.accountId,
      kind: message.kind,
      recipient: message.to,
      bodyEnc: encrypt(deps.keys.outbox, message.text),
      createdAt: deps.clock.now(),
      nextAttemptAt: deps.clock.now(),
    })
}

export interface OutboxMessage {
  id: number
  channel: 'mail' | 'sms'
  kind: string
  to: string
  from: string | null
  /** The display name the mail is sent under when it is not part of `from` (issue 20). */
  fromName: string | null
  subject: string | null
  text: string
  status: 'pending' | 'sent' | 'failed'
  createdAt: Date
  attempts: number
  lastError: string | null
}

/** Newest first; what the dev outbox and the tests read. */
/** For the dev outbox and tests: a body no configured key opens shows empty, never as an error page. */
function readable(keys: Keys, sealed: string): string {
  try {
    return openBody(keys, sealed)
  } catch {
    return ''
  }
}

export async function listOutbox(deps: Deps, opts: { limit?: number } = {}): Promise<OutboxMessage[]> {
  const rows = await deps.db.select().from(outbox).orderBy(desc(outbox.id)).limit(opts.limit ?? 200)
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    kind: row.kind,
    to: row.recipient,
    from: row.sender,
    fromName: row.senderName,
    subject: row.subject,
    text: row.bodyEnc ? readable(deps.keys, row.bodyEnc) : '',
    status: row.status,
    createdAt: row.createdAt,
    attempts: row.attempts,
    lastError: row.lastError,
  }))
}

export type DeliveryState = 'queued' | 'sent' | 'retrying' | 'failed'

/**
 * How the newest message of a kind to an account is doing, so a page can tell the truth: queued is
 * not delivered, and after failed attempts the patient is told and offered a new one.
 */
export async function deliveryState(deps: Deps, accountId: number, kind: string): Promise<DeliveryState | null> {
  const row = await deps.db
    .select({ status: outbox.status, attempts: outbox.attempts })
    .from(outbox)
    .where(and(eq(outbox.accountId, accountId), eq(outbox.kind, kind)))
    .orderBy(desc(outbox.id))
    .limit(1)
    .then(first)
  if (!row) return null
  if (row.status === 'sent' || row.status === 'failed') return row.status
  return row.attempts > 0 ? 'retrying' : 'queued'
}

export interface Undelivered {
  kind: string
  to: string
  createdAt: Date
  attempts: number
  status: 'pending' | 'failed'
  lastError: string | null
}

/** Messages to an account that failed at least once and are not delivered: the practice's view. */
export async function undelivered(deps: Deps, accountId: number, limit = 10): Promise<Undelivered[]> {
  return (await deps.db
    .select({ kind: outbox.kind, to: outbox.recipient, createdAt: outbox.createdAt, attempts: outbox.attempts, status: outbox.status, lastError: outbox.lastError })
    .from(outbox)
    .where(and(eq(outbox.accountId, accountId), gt(outbox.attempts, 0), ne(outbox.status, 'sent')))
    .orderBy(desc(outbox.id))
    .limit(limit)) as Undelivered[]
}

export interface Transports {
  /** Resolves when the message was accepted; throws otherwise. */
  mail(message: { to: string; from: Sender; subject: string; text: string }): Promise<void>
  sms(message: { to: string; text: string }): Promise<void>
}

/** SMTP when configured; otherwise the message stays readable in the dev outbox and counts as sent. */
export function createTransports(config: Deps['config']): Transports {
  // Made on the first mail, not at start: nodemailer is ~3 MB and 70-100 ms to load (docs/benchmarks.md:
  // idle memory, cold start), and a server that sends no mail in its first seconds should not wait for it.
  let smtp: Transporter | null = null
  const smtpTransport = (url: string) =>
    (smtp ??= (createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer')).createTransport({
      url,
      // Short timeouts: a hanging mail server must not hold a delivery (and its lease) for minutes.
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    }))
  return {
    async mail(message) {
      if (!config.smtpUrl) return
      await smtpTransport(config.smtpUrl).sendMail({ ...message, disableUrlAccess: true, disableFileAccess: true })
    },
    async sms(message) {
      if (!config.smsWebhookUrl) return
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (config.smsWebhookToken) headers.authorization = `Bearer ${config.smsWebhookToken}`
      const response = await fetch(config.smsWebhookUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ to: message.to, text: message.text }),
        signal: AbortSignal.timeout(10_000),
      })
      await response.body?.cancel()
      if (!response.ok) throw new GatewayError(response.status)
    },
  }
}

/** The SMS gateway answered, but not with a 2xx: only its status is kept (its body might echo the text). */
export class GatewayError extends Error {
  constructor(readonly status: number) {
    super(`SMS gateway answered HTTP ${status}`)
  }
}

/** Why a delivery failed, for the operator's log and the row's last_error. Never the body or a code. */
export interface FailureCause {
  /** The system's or the library's code: ECONNREFUSED, ETIMEDOUT, EAUTH, EENVELOPE... */
  code?: string
  /** The SMTP command the server refused, and its reply code and text. */
  smtpCommand?: string
  smtpCode?: number
  smtpReply?: string
  /** The SMS gateway's HTTP status. */
  httpStatus?: number
  message: string
}

const short = (text: string) => text.replace(/[\r\n]+/g, ' ').slice(0, 300)

export function failureCause(err: unknown): FailureCause {
  if (err instanceof GatewayError) return { httpStatus: err.status, message: err.message }
  if (!(err instanceof Error)) return { message: 'unknown error' }
  const e = err as Error & { code?: unknown; originalCode?: unknown; command?: unknown; responseCode?: unknown; response?: unknown; cause?: unknown }
  // fetch wraps the socket's error (`fetch failed`, cause ECONNREFUSED); a timeout is a TimeoutError.
  const inner = e.cause instanceof Error ? (e.cause as Error & { code?: unknown }) : undefined
  const code = [e.originalCode, inner?.code, e.code].find((c): c is string => typeof c === 'string') ?? (e.name === 'TimeoutError' ? 'ETIMEDOUT' : undefined)
  const cause: FailureCause = { message: short(inner ? `${e.message}: ${inner.message}` : e.message) }
  if (code) cause.code = code
  if (typeof e.responseCode === 'number') cause.smtpCode = e.responseCode
  if (typeof e.response === 'string') cause.smtpReply = short(e.response)
  if (typeof e.command === 'string' && e.command !== 'CONN') cause.smtpCommand = e.command
  return cause
}

/** One line for the outbox row (the practice's and the dev outbox's view). */
function summary(cause: FailureCause): string {
  if (cause.httpStatus !== undefined) return `HTTP ${cause.httpStatus}`
  if (cause.smtpCode !== undefined) return short(`SMTP ${cause.smtpCode}${cause.smtpCommand ? ` (${cause.smtpCommand})` : ''}: ${cause.smtpReply ?? cause.message}`)
  return short(cause.code && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message)
}

const maxAttempts = 12
/** Longer than any SMTP or webhook call may take (both time out well before). */
const leaseMs = 120_000
/** 5 s, 10 s, 20 s ... capped at 10 minutes: about an hour of retries in all. */
const backoffMs = (attempts: number) => Math.min(5_000 * 2 ** (attempts - 1), 600_000)

export interface Dispatcher {
  /** Deliver what is due now; runs are serialised, a kick during a run schedules one more. */
  kick(): void
  /** Resolves when no run is in progress (tests and graceful shutdown wait on this). */
  idle(): Promise<void>
  start(pollMs?: number): void
  stop(): Promise<void>
}

export function createDispatcher(deps: Omit<Deps, 'notify' | 'appSignIns'>, transports: Transports, log: OperatorLog): Dispatcher {
  let running: Promise<void> | null = null
  let again = false
  let timer: NodeJS.Timeout | null = null

  async function deliverDue(): Promise<void> {
    for (;;) {
      const now = deps.clock.now()
      const row = await deps.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)))
        .orderBy(asc(outbox.id))
        .limit(1)
        .then(first)
      if (!row) return
      // Claim the row with a lease: another dispatcher (a second instance, or this one after a restart)
      // sees it as not due until the lease runs out, so a message is sent by one dispatcher at a time.
      const claimed = await deps.db
        .update(outbox)
        .set({ nextAttemptAt: new Date(now.getTime() + leaseMs) })
        .where(and(eq(outbox.id, row.id), eq(outbox.status, 'pending'), eq(outbox.nextAttemptAt, row.nextAttemptAt)))
        .returning(counted)
      if (claimed.length !== 1) continue
      try {
        // Inside the try: a body no configured key opens fails like a refused delivery, and is retried
        // (the right key may be set again in SECRET_KEYS_OLD) until it is given up.
        const text = row.bodyEnc ? openBody(deps.keys, row.bodyEnc) : ''
        if (row.channel === 'mail') {
          const sender = row.sender ?? deps.config.senders.system
          const from: Sender = row.senderName === null ? sender : { name: row.senderName, address: sender }
          await transports.mail({ to: row.recipient, from, subject: row.subject ?? '', text })
        } else {
          await transports.sms({ to: row.recipient, text })
        }
        // Outside development the body (a code, a link) has no further use: erase it.
        await deps.db
          .update(outbox)
          .set({ status: 'sent', sentAt: deps.clock.now(), attempts: row.attempts + 1, lastError: null, ...(deps.config.devOutbox ? {} : { bodyEnc: null }) })
          .where(eq(outbox.id, row.id))
      } catch (err) {
        const attempts = row.attempts + 1
        const cause = failureCause(err)
        const failed = attempts >= maxAttempts
        await deps.db
          .update(outbox)
          .set({
            attempts,
            lastError: summary(cause),
            status: failed ? 'failed' : 'pending',
            nextAttemptAt: new Date(deps.clock.now().getTime() + backoffMs(attempts)),
          })
          .where(eq(outbox.id, row.id))
        // One JSON line: which message (by id and kind, never its recipient's text), and why.
        const fields = { channel: row.channel, outboxId: row.id, kind: row.kind, attempt: attempts, final: failed, ...(failed ? {} : { retryInSeconds: backoffMs(attempts) / 1000 }), cause }
        if (failed) log.error(fields, 'delivery failed, no retries left')
        else log.warn(fields, 'delivery failed, will retry')
        deps.events?.emit({ type: 'delivery_failed', channel: row.channel, final: failed })
      }
    }
  }

  // Inside a transaction (a code queued with its row), delivery starts once it has committed.
  function kick(): void {
    deps.db.afterCommit(run)
  }
  function run(): void {
    if (running) {
      again = true
      return
    }
    running = deps.db
      .detached(() => deliverDue())
      .catch((err) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'dispatcher error'))
      .finally(() => {
        running = null
        if (again) {
          again = false
          run()
        }
      })
  }

  return {
    kick,
    async idle() {
      while (running) await running
    },
    start(pollMs = 5_000) {
      timer = setInterval(kick, pollMs)
      timer.unref()
      kick()
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = null
      while (running) await running
    },
  }
}
