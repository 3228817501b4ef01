// Six-digit codes by SMS (phone verification) and e-mail (the e-mail second factor, and proving an
// e-mail address the practice changed).
// Stored as an HMAC under a key derived from SECRET_KEY, bound to the flow session that asked for
// them, valid 10 minutes, single use, 5 wrong tries void the code, a new code to the same browser voids
// its old one (another browser's send does not: a stranger can not void the patient's code).
// Sending is rate limited per account and sender (send-limits.ts): a cooldown and a cap per hour (5 SMS,
// 20 e-mail codes) for each sender, a ceiling for the account of which strangers get a share; SMS also by
// the per-client and global budgets and the country allow-list (decision 0011).
import { and, desc, eq, gt, isNull, lt } from 'drizzle-orm'
import { codes } from '../db/tables.ts'
import { messages } from '../messages.ts'
import { smsAllowed, type Account } from './accounts.ts'
import { takeSms } from './budgets.ts'
import { recordEvent } from './audit.ts'
import { minutes, type Actor, type Deps } from './deps.ts'
import { queueMail, queueSms } from './delivery.ts'
import { gsmSafe } from './sms-text.ts'
import { contactWords, practiceOf } from './practices.ts'
import { equalHex, hmac, keysOf, newCode, sha256, type Keys } from './secrets.ts'
import { capFor, senderFor, sendLimit, type Sender } from './send-limits.ts'
import { counted as countedRow, first } from '../db/index.ts'

export { capFor }

export type CodePurpose = 'phone' | 'email-mfa' | 'email-verify'

/**
 * Is `stored` the HMAC of `code` under any configured key? A code sent just before SECRET_KEY changed
 * (under the key now in SECRET_KEYS_OLD) still works for the ten minutes it lives.
 */
function codeMatches(keys: Keys, stored: string, code: string): boolean {
  return keysOf(keys, 'codes').some((key) => equalHex(stored, hmac(key, code)))
}

export type SendResult =
  | { status: 'sent'; expiresAt: Date }
  | { status: 'cooldown'; retryInSeconds: number }
  /** This sender's hourly cap. */
  | { status: 'capped'; retryInMinutes: number }
  /** The account's: its ceiling, or strangers' share of it (send-limits.ts). */
  | { status: 'account'; retryInMinutes: number }
  /** An SMS budget of the client or of the portal is spent this hour (decision 0011). */
  | { status: 'budget' }
  /** The number is outside SMS_COUNTRIES. */
  | { status: 'country' }

/** 'superseded': the code of an earlier message to this browser, voided when a newer one was asked for. */
export type CheckResult = 'ok' | 'malformed' | 'wrong' | 'superseded' | 'expired' | 'spent' | 'none'

/** Accepts "123 456" and "123-456" as typed from an SMS; anything else is not a code. */
export function cleanCode(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, '')
  return /^\d{6}$/.test(digits) ? digits : null
}

export const bind = (nonce: string) => sha256(`code-binding:${nonce}`)

export interface SendOptions {
  /**
   * A hidden-mode decoy of this account (decision 0011): the same limits are met and used, a row that
   * no code can match replaces this browser's active one, as a real send would, and nothing is sent.
   */
  pretend?: boolean
  /** The device id of this browser's valid device cookie for the account (web/device-cookie.ts), if any. */
  device?: string | null
}

/** The account's sends of the last hour for `purpose`, newest first, with their senders. */
async function recentSends(deps: Deps, accountId: number, purpose: CodePurpose, now: Date) {
  return (await deps.db
    .select({ at: codes.createdAt, sender: codes.sender, trusted: codes.trusted })
    .from(codes)
    .where(and(eq(codes.accountId, accountId), eq(codes.purpose, purpose), gt(codes.createdAt, new Date(now.getTime() - minutes(60)))))
    .orderBy(desc(codes.createdAt), desc(codes.id)))
    .map((row) => ({ at: row.at.getTime(), sender: row.sender, trusted: row.trusted }))
}

export async function sendCode(deps: Deps, by: Actor, account: Account, purpose: CodePurpose, nonce: string, options: SendOptions = {}): Promise<SendResult> {
  const { limits } = deps.config
  const pretend = options.pretend === true
  const now = deps.clock.now()
  const sender: Sender = await senderFor(deps, account.id, by.ip, options.device ?? null)
  const result = await deps.db.transaction(async (): Promise<SendResult> => {
    const limited = sendLimit(deps, purpose, (await recentSends(deps, account.id, purpose, now)), sender, now.getTime())
    if (limited) return limited
    if (purpose === 'phone') {
      if (!smsAllowed(deps.config.smsCountries, account.phone)) return { status: 'country' }
      if ((await takeSms(deps, by, account.practiceId)) !== 'ok') return { status: 'budget' }
    }
    // A new code voids this browser's old one; another browser's code stays (it is bound to that browser).
    await deps.db
      .update(codes)
      .set({ usedAt: now })
      .where(and(eq(codes.accountId, account.id), eq(codes.purpose, purpose), eq(codes.bindingHash, bind(nonce)), isNull(codes.usedAt)))
    const code = newCode()
    const expiresAt = new Date(now.getTime() + minutes(limits.codeTtlMinutes))
    await deps.db
      .insert(codes)
      // A pretend code's hash is not hex: equalHex never matches it.
      .values({ accountId: account.id, purpose, codeHash: pretend ? 'pretend' : hmac(deps.keys.codes, code), bindingHash: bind(nonce), createdAt: now, expiresAt, sender: sender.tag, trusted: sender.trusted })
    if (pretend) return { status: 'sent', expiresAt }
    const portal = deps.config.portalName
    if (purpose === 'phone') {
      await queueSms(deps, { accountId: account.id, kind: 'phone-code', to: account.phone, text: messages(account.language).mail.smsCode({ code, portal: gsmSafe(portal), minutes: limits.codeTtlMinutes }) })
    } else if (purpose === 'email-verify') {
      const message = messages(account.language).mail.emailVerifyCode({ name: account.name, code, portal, minutes: limits.codeTtlMinutes })
      await queueMail(deps, { accountId: account.id, kind: 'email-verify-code', to: account.email, from: deps.config.senders.system, ...message })
    } else {
      const message = messages(account.language).mail.emailCode({ name: account.name, code, portal, ...contactWords((await practiceOf(deps, account))), minutes: limits.codeTtlMinutes })
      await queueMail(deps, { accountId: account.id, kind: 'mfa-code', to: account.email, from: deps.config.senders.mfa, ...message })
    }
    return { status: 'sent', expiresAt }
  })
  await recordEvent(deps, by, {
    event: result.status === 'sent' ? 'code_sent' : 'code_refused',
    outcome: result.status === 'sent' ? 'success' : 'failure',
    accountId: account.id,
    detail: { purpose, reason: result.status, ...(pretend ? { decoy: true } : {}) },
  })
  if (result.status === 'sent' && !pretend) deps.notify()
  return result
}

/** Is there a live code for this account and flow session (the page then shows the code field)? */
export async function hasActiveCode(deps: Deps, accountId: number, purpose: CodePurpose, nonce: string): Promise<boolean> {
  return (await activeCode(deps, accountId, purpose, nonce)) !== undefined
}

/** This browser's code: the newest unused one bound to its flow (a code asked for in another browser is not this flow's). */
async function activeCode(deps: Deps, accountId: number, purpose: CodePurpose, nonce: string) {
  return await deps.db
    .select()
    .from(codes)
    .where(and(eq(codes.accountId, accountId), eq(codes.purpose, purpose), eq(codes.bindingHash, bind(nonce)), isNull(codes.usedAt)))
    .orderBy(desc(codes.id))
    .limit(1)
    .then(first)
}

/** Is `code` the code of an unexpired earlier code row of this browser, voided by row `newerId`? */
async function supersededBy(deps: Deps, newerId: number, accountId: number, purpose: CodePurpose, nonce: string, code: string, now: Date): Promise<boolean> {
  const earlier = await deps.db
    .select({ codeHash: codes.codeHash })
    .from(codes)
    .where(and(eq(codes.accountId, accountId), eq(codes.purpose, purpose), eq(codes.bindingHash, bind(nonce)), lt(codes.id, newerId), gt(codes.expiresAt, now)))
  return earlier.some((row) => codeMatches(deps.keys, row.codeHash, code))
}

export async function checkCode(deps: Deps, by: Actor, accountId: number, purpose: CodePurpose, nonce: string, typed: string): Promise<CheckResult> {
  const code = cleanCode(typed)
  if (!code) return 'malformed'
  const now = deps.clock.now()
  const result = await deps.db.transaction(async (): Promise<CheckResult> => {
    const row = await activeCode(deps, accountId, purpose, nonce)
    if (!row) return 'none'
    if (row.expiresAt.getTime() <= now.getTime()) return 'expired'
    // Count the attempt before comparing: parallel guesses are capped too.
    const counted = await deps.db
      .update(codes)
      .set({ attempts: row.attempts + 1 })
      .where(and(eq(codes.id, row.id), eq(codes.attempts, row.attempts), isNull(codes.usedAt)))
      .returning(countedRow)
    if (counted.length !== 1) return 'spent'
    if (codeMatches(deps.keys, row.codeHash, code)) {
      await deps.db.update(codes).set({ usedAt: now }).where(eq(codes.id, row.id))
      return 'ok'
    }
    if (row.attempts + 1 >= deps.config.limits.codeMaxAttempts) {
      await deps.db.update(codes).set({ usedAt: now }).where(eq(codes.id, row.id))
      return 'spent'
    }
    // Still a wrong guess (counted above), but the patient typed the code of an earlier message to
    // this browser: say so, instead of "wrong", so they look for the newest message.
    return (await supersededBy(deps, row.id, accountId, purpose, nonce, code, now)) ? 'superseded' : 'wrong'
  })
  if (result !== 'ok' && result !== 'malformed') {
    await recordEvent(deps, by, { event: 'code_failed', outcome: 'failure', accountId, detail: { purpose, reason: result } })
  }
  return result
}
