import { eq, like, sql, type SQL } from 'drizzle-orm'
import { createRequire } from 'node:module'
import { accounts, type Account } from '../db/tables.ts'
import { recordEvent } from './audit.ts'
import type { Actor, Deps } from './deps.ts'
import { getPractice } from './practices.ts'
import type { ErrorKey } from '../messages.ts'
import { only } from '../db/index.ts'

export type { Account }
export type Role = Account['role']

export interface NewAccount {
  name: string
  email: string
  phone: string
  username?: string
  role?: Role
  /** The language of its mails, SMS and pages (issue 14): the inviter's choice; the practice's default language otherwise. */
  language?: Account['language']
}

export type AccountField = 'name' | 'email' | 'phone' | 'username'

/** What is wrong per field, as keys of the error catalogue: the practice's form and the CLI word them in their language. */
export type FieldErrors = Partial<Record<AccountField, ErrorKey>>

// Control characters (C0, DEL, C1, line and paragraph separators) and format characters (Unicode Cf:
// bidi overrides such as U+202E, zero-width U+200B, U+FEFF): a name shown to staff must read as what it is.
const controlChars = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u

/** Erased accounts are renamed `verwijderd:<id>` (a colon is never part of a username, so no clash); new
 *  usernames may not look like one either. */
export const erasedUsername = (id: number) => `verwijderd:${id}`

export function normalizeUsername(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase()
}

/** The full metadata (to tell mobile from landline) loads on first use: ~150 ms of start-up otherwise (docs/benchmarks.md). */
let phoneNumbers: typeof import('libphonenumber-js/max') | null = null

/** Mobile numbers as +31612341361 or 06-12341361 (Dutch by default); stored in E.164. */
export function parseMobile(raw: string): string | null {
  const cleaned = raw.trim()
  if (cleaned.length > 32 || controlChars.test(cleaned)) return null
  phoneNumbers ??= createRequire(import.meta.url)('libphonenumber-js/max') as typeof import('libphonenumber-js/max')
  const number = phoneNumbers.parsePhoneNumberFromString(cleaned, 'NL')
  if (!number || !number.isValid()) return null
  const type = number.getType()
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return null
  return number.number
}

/** The ISO country of a stored (E.164) number, for the SMS allow-list (decision 0011); null when unknown. */
export function phoneCountry(e164: string): string | null {
  phoneNumbers ??= createRequire(import.meta.url)('libphonenumber-js/max') as typeof import('libphonenumber-js/max')
  return phoneNumbers.parsePhoneNumberFromString(e164)?.country ?? null
}

/** Never more than the last four digits: +31612341361 -> XXX-XXXX-1361. */
export function maskPhone(e164: string): string {
  return `XXX-XXXX-${e164.slice(-4)}`
}

const emailPattern = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/

/** Can the portal text this (E.164) number: is its country one of SMS_COUNTRIES (decision 0011)? */
export function smsAllowed(smsCountries: readonly string[], e164: string): boolean {
  const country = phoneCountry(e164)
  return country !== null && smsCountries.includes(country)
}

/**
 * Checks a new account's fields. With `smsCountries` (SMS_COUNTRIES), a mobile number the portal will
 * not text is refused here, where it is typed: otherwise the invitation goes out and the patient is
 * stuck at Accountverificatie with a code that can never come (issue 23.1).
 */
export function validateNewAccount(input: NewAccount, smsCountries?: readonly string[]): { value?: Required<Omit<NewAccount, 'username' | 'language'>> & { username?: string }; errors: FieldErrors } {
  const errors: FieldErrors = {}
  // Control characters are looked for before spaces are collapsed: a CR/LF in a name is refused, not
  // quietly turned into a space (the name goes into mail, the audit log and the CLI's output).
  const rawName = input.name.normalize('NFKC')
  const name = rawName.trim().replace(/\s+/g, ' ')
  if (name.length === 0) errors.name = 'requiredName'
  else if (name.length > 100 || controlChars.test(rawName)) errors.name = 'nameInvalid'

  const email = input.email.trim()
  if (email.length === 0) errors.email = 'requiredAccountEmail'
  else if (email.length > 254 || controlChars.test(email) || !emailPattern.test(email)) errors.email = 'emailInvalid'

  const phone = input.phone.trim() === '' ? null : parseMobile(input.phone)
  if (input.phone.trim() === '') errors.phone = 'requiredMobile'
  else if (!phone) errors.phone = 'mobileInvalid'
  else if (smsCountries && !smsAllowed(smsCountries, phone)) errors.phone = 'mobileCountry'

  let username: string | undefined
  if (input.username !== undefined && input.username.trim() !== '') {
    username = normalizeUsername(input.username)
    if (!/^[a-z0-9][a-z0-9._-]{2,31}$/.test(username)) {
      errors.username = 'newUsernameShape'
    } else if (/^verwijderd[-._]/.test(username)) {
      errors.username = 'usernameReserved'
    }
  }
  if (Object.keys(errors).length > 0) return { errors }
  return { value: { name, email, phone: phone!, role: input.role ?? 'patient', username }, errors }
}

/** "Jan de Vries" -> "jdevries"; a number is added when it is taken, in any practice: usernames are unique over the installation. */
export async function suggestUsername(deps: Deps, name: string): Promise<string> {
  const parts = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z\s-]/g, '')
    .split(/[\s-]+/)
    .filter(Boolean)
  const first = parts[0] ?? 'client'
  const base = (parts.length > 1 ? first[0] + parts.slice(1).join('') : first).slice(0, 28).padEnd(3, 'x')
  const taken = new Set(
    (await deps.db.select({ username: accounts.username }).from(accounts).where(like(accounts.username, `${base}%`))).map((r) => r.username),
  )
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`
}

export type CreateResult = { ok: true; account: Account } | { ok: false; errors: FieldErrors }

/** An account of the practice `practiceId` (issue 20: every account belongs to one, for good). */
export async function createAccount(deps: Deps, by: Actor, practiceId: number, input: NewAccount): Promise<CreateResult> {
  const practice = await getPractice(deps, practiceId)
  if (!practice) throw new Error(`No practice ${practiceId}`)
  const { value, errors } = validateNewAccount(input, deps.config.smsCountries)
  if (!value) return { ok: false, errors }
  // Unique over the installation: one sign-in page for every practice's patients.
  const username = value.username ?? (await suggestUsername(deps, value.name))
  if ((await findAccountByUsername(deps, username))) return { ok: false, errors: { username: 'usernameTaken' } }
  const account = await deps.db
    .insert(accounts)
    .values({ username, name: value.name, email: value.email, phone: value.phone, role: value.role, language: input.language ?? practice.language, practiceId, createdAt: deps.clock.now() })
    .returning()
    .then(only)
  await recordEvent(deps, by, { event: 'account_created', outcome: 'success', accountId: account.id, detail: { role: account.role } })
  return { ok: true, account }
}

/** An accounts row as SQLite returns it: times are epoch milliseconds. */
export interface AccountRow {
  id: number
  username: string
  name: string
  email: string
  phone: string
  role: Account['role']
  created_at: number
  email_verified_at: number | null
  phone_verified_at: number | null
  password_hash: string | null
  password_set_at: number | null
  mfa_method: Account['mfaMethod']
  mfa_enrolled_at: number | null
  totp_secret_enc: string | null
  totp_pending_secret_enc: string | null
  totp_last_step: number | null
  last_sign_in_at: number | null
  deactivated_at: number | null
  erased_at: number | null
  staff_contact_changed_at: number | null
  staff_mfa_reset_at: number | null
  language: 'nl' | 'en'
  practice_id: number
}

// SQLite gives epoch ms, PostgreSQL a Date.
const time = (ms: number | Date | null) => (ms === null ? null : new Date(ms))

/** The row as Drizzle would map it (test/accounts-lookup.test.ts compares the two on a full row). */
export function toAccount(r: AccountRow): Account {
  return {
    id: r.id, username: r.username, name: r.name, email: r.email, phone: r.phone, role: r.role, createdAt: new Date(r.created_at),
    emailVerifiedAt: time(r.email_verified_at), phoneVerifiedAt: time(r.phone_verified_at), passwordHash: r.password_hash,
    passwordSetAt: time(r.password_set_at), mfaMethod: r.mfa_method, mfaEnrolledAt: time(r.mfa_enrolled_at),
    totpSecretEnc: r.totp_secret_enc, totpPendingSecretEnc: r.totp_pending_secret_enc, totpLastStep: r.totp_last_step,
    lastSignInAt: time(r.last_sign_in_at), deactivatedAt: time(r.deactivated_at), erasedAt: time(r.erased_at),
    staffContactChangedAt: time(r.staff_contact_changed_at), staffMfaResetAt: time(r.staff_mfa_reset_at),
    language: r.language, practiceId: r.practice_id,
  }
}

/**
 * The two lookups every flow request makes, as plain SQL without Drizzle's row mapping, which was
 * about a twentieth of a flow page's CPU. The statements are prepared once per SQL text (db/index.ts).
 */
async function accountRow(deps: Pick<Deps, 'db'>, where: SQL): Promise<Account | undefined> {
  const [row] = await deps.db.rows<AccountRow>(sql`select * from accounts where ${where}`)
  return row && toAccount(row)
}

export async function findAccountByUsername(deps: Pick<Deps, 'db'>, username: string): Promise<Account | undefined> {
  return await accountRow(deps, sql`username = ${normalizeUsername(username)}`)
}

export async function getAccount(deps: Pick<Deps, 'db'>, id: number): Promise<Account | undefined> {
  return await accountRow(deps, sql`id = ${id}`)
}

/**
 * What staff may look up (issue 20): an account of their own practice. Another practice's account is
 * as absent as one that does not exist; the practice guard (flows/practice/guard.ts) gives `practiceId`.
 */
export async function getAccountIn(deps: Deps, practiceId: number, id: number): Promise<Account | undefined> {
  return await accountRow(deps, sql`id = ${id} and practice_id = ${practiceId}`)
}

export async function findAccountByUsernameIn(deps: Deps, practiceId: number, username: string): Promise<Account | undefined> {
  return await accountRow(deps, sql`username = ${normalizeUsername(username)} and practice_id = ${practiceId}`)
}

/** At every complete sign-in. */
export async function setLastSignIn(deps: Deps, id: number, at: Date): Promise<void> {
  await deps.db.update(accounts).set({ lastSignInAt: at }).where(eq(accounts.id, id))
}

export async function updateAccount(deps: Deps, id: number, values: Partial<Omit<Account, 'id'>>): Promise<void> {
  await deps.db.update(accounts).set(values).where(eq(accounts.id, id))
}

/** Has the patient finished onboarding: every fact a sign-in needs is there. */
export function isOnboarded(account: Account): boolean {
  return account.emailVerifiedAt !== null && account.phoneVerifiedAt !== null && account.passwordSetAt !== null && account.mfaEnrolledAt !== null
}
