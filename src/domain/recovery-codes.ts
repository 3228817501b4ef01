// Recovery codes (issue 23.5, docs/decisions/0016): ten single-use codes for a patient whose second
// step is the authenticator app, to sign in when the phone is lost. Made on Beveiliging (with the
// current password), shown once, stored as an HMAC; a new set voids the old one. A code is a guess at
// the second step like an app code: it counts on the account's app counter (decision 0011) before it
// is checked. Using one signs in, mails a notice and asks for a new app.
import { and, count, eq, isNull, min } from 'drizzle-orm'
import { recoveryCodes } from '../db/tables.ts'
import { messages } from '../messages.ts'
import type { Account } from './accounts.ts'
import { recordEvent } from './audit.ts'
import type { Actor, Deps } from './deps.ts'
import { queueMail } from './delivery.ts'
import { contactWords, practiceOf } from './practices.ts'
import { hmac } from './secrets.ts'
import { randomInt } from 'node:crypto'
import { counted, first } from '../db/index.ts'

/** How many codes a set holds. */
export const recoveryCodeCount = 10

/**
 * Crockford's base32: no I, L, O or U, so nothing reads as another character when copied from paper.
 * 16 characters carry 80 random bits (NIST 800-63B asks at least 64 of a look-up secret).
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const codeLength = 16

/** Do recovery codes apply to this account? Only to the app: an e-mail code can not be lost with a phone. */
export const recoveryCodesApply = (account: Pick<Account, 'mfaMethod'>) => account.mfaMethod === 'app'

/** A new code, as shown and printed: four groups of four, 'K7QM-2X9D-...'. */
function newRecoveryCode(): string {
  let raw = ''
  for (let i = 0; i < codeLength; i++) raw += alphabet[randomInt(0, alphabet.length)]
  return raw.match(/.{4}/g)!.join('-')
}

/** A typed code as stored: case, spaces and dashes ignored, O read as 0, I and L as 1; null when it is no code at all. */
export function cleanRecoveryCode(typed: string): string | null {
  const raw = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  return raw.length === codeLength && [...raw].every((c) => alphabet.includes(c)) ? raw : null
}

/**
 * An HMAC under a key of its own, bound to the account. A keyed hash, not argon2: each code carries
 * 80 random bits, so the table alone (without SECRET_KEY) can not be searched, and even with the key
 * a guess costs 2^80 work; a sign-in can look the code up at once instead of verifying ten slow hashes.
 */
const hashOf = (deps: Deps, accountId: number, clean: string) => hmac(deps.keys.recovery, `${accountId}:${clean}`)

export interface RecoveryStatus {
  /** Codes of the current set not used yet. */
  left: number
  total: number
  createdAt: Date
}

/** The account's current set, or null when it has none (never the codes: only their hashes are kept). */
export async function recoveryStatus(deps: Deps, accountId: number): Promise<RecoveryStatus | null> {
  const row = await deps.db
    .select({ total: count(), createdAt: min(recoveryCodes.createdAt) })
    .from(recoveryCodes)
    .where(eq(recoveryCodes.accountId, accountId))
    .then(first)
  if (!row || row.total === 0 || row.createdAt === null) return null
  const left = (await deps.db.select({ n: count() }).from(recoveryCodes).where(and(eq(recoveryCodes.accountId, accountId), isNull(recoveryCodes.usedAt))).then(first))?.n ?? 0
  return { left, total: row.total, createdAt: row.createdAt }
}

/** A new set for the account: the old one is deleted in the same transaction. Returns the codes, to show once. */
export async function createRecoveryCodes(deps: Deps, by: Actor, account: Account): Promise<string[]> {
  const now = deps.clock.now()
  const codes = Array.from({ length: recoveryCodeCount }, newRecoveryCode)
  await deps.db.transaction(async () => {
    const replaced = (await deps.db.delete(recoveryCodes).where(eq(recoveryCodes.accountId, account.id)).returning(counted)).length
    await deps.db
      .insert(recoveryCodes)
      .values(codes.map((code) => ({ accountId: account.id, codeHash: hashOf(deps, account.id, cleanRecoveryCode(code)!), createdAt: now })))
    await recordEvent(deps, by, { event: 'recovery_codes_created', outcome: 'success', accountId: account.id, detail: { count: codes.length, replaced } })
    const message = messages(account.language).mail.recoveryCodesCreated({ name: account.name, portal: deps.config.portalName, ...contactWords((await practiceOf(deps, account))) })
    await queueMail(deps, { accountId: account.id, kind: 'recovery-codes', to: account.email, from: deps.config.senders.system, ...message })
  })
  deps.notify()
  return codes
}

export type RecoveryResult = 'ok' | 'malformed' | 'wrong'

/**
 * A recovery code at sign-in. The caller counted the guess on the app's counter first (a malformed
 * code is no guess). Right: the code is spent (one conditional update, so two tabs can not both use
 * it), audited, and the patient is mailed. Wrong, used or of another account: 'wrong', audited.
 */
export async function useRecoveryCode(deps: Deps, by: Actor, account: Account, typed: string): Promise<RecoveryResult> {
  const clean = cleanRecoveryCode(typed)
  if (!clean) return 'malformed'
  const now = deps.clock.now()
  const used = await deps.db.transaction(async () => {
    const spent = await deps.db
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(and(eq(recoveryCodes.accountId, account.id), eq(recoveryCodes.codeHash, hashOf(deps, account.id, clean)), isNull(recoveryCodes.usedAt)))
      .returning(counted)
    if (spent.length !== 1) return false
    const left = (await recoveryStatus(deps, account.id))?.left ?? 0
    await recordEvent(deps, by, { event: 'recovery_code_used', outcome: 'success', accountId: account.id, detail: { left } })
    const message = messages(account.language).mail.recoveryCodeUsed({ name: account.name, portal: deps.config.portalName, ...contactWords((await practiceOf(deps, account))), left: String(left) })
    await queueMail(deps, { accountId: account.id, kind: 'recovery-code-used', to: account.email, from: deps.config.senders.system, ...message })
    return true
  })
  if (!used) {
    await recordEvent(deps, by, { event: 'mfa_failed', outcome: 'failure', accountId: account.id, detail: { method: 'recovery' } })
    return 'wrong'
  }
  deps.notify()
  return 'ok'
}

/** The account's codes go: a switch to e-mail codes, a reset of the second step by the practice, erasure. */
export async function deleteRecoveryCodes(deps: Deps, accountId: number): Promise<number> {
  return (await deps.db.delete(recoveryCodes).where(eq(recoveryCodes.accountId, accountId)).returning(counted)).length
}
