import { eq, like, sql } from 'drizzle-orm'
import { createRequire } from 'node:module'
import { preparedFor } from '../db/prepared.ts'
import { accounts, type Account } from '../db/schema.ts'
import { recordEvent } from './audit.ts'
import type { Actor, Deps } from './deps.ts'

export type { Account }
export type Role = Account['role']

export interface NewAccount {
  name: string
  email: string
  phone: string
  username?: string
  role?: Role
}

export type AccountField = 'name' | 'email' | 'phone' | 'username'

/** Dutch messages per field, for the CLI and the practice's form alike. */
export type FieldErrors = Partial<Record<AccountField, string>>

const controlChars = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

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

/** Never more than the last four digits: +31612341361 -> XXX-XXXX-1361. */
export function maskPhone(e164: string): string {
  return `XXX-XXXX-${e164.slice(-4)}`
}

const emailPattern = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/

export function validateNewAccount(input: NewAccount): { value?: Required<Omit<NewAccount, 'username'>> & { username?: string }; errors: FieldErrors } {
  const errors: FieldErrors = {}
  // Control characters are looked for before spaces are collapsed: a CR/LF in a name is refused, not
  // quietly turned into a space (the name goes into mail, the audit log and the CLI's output).
  const rawName = input.name.normalize('NFKC')
  const name = rawName.trim().replace(/\s+/g, ' ')
  if (name.length === 0) errors.name = 'Vul de naam in.'
  else if (name.length > 100 || controlChars.test(rawName)) errors.name = 'Gebruik voor de naam maximaal 100 gewone tekens.'

  const email = input.email.trim()
  if (email.length === 0) errors.email = 'Vul het e-mailadres in.'
  else if (email.length > 254 || controlChars.test(email) || !emailPattern.test(email)) errors.email = 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.'

  const phone = input.phone.trim() === '' ? null : parseMobile(input.phone)
  if (input.phone.trim() === '') errors.phone = 'Vul het mobiele nummer in.'
  else if (!phone) errors.phone = 'Vul een geldig mobiel nummer in, zoals 06-12341361 of +31612341361.'

  let username: string | undefined
  if (input.username !== undefined && input.username.trim() !== '') {
    username = normalizeUsername(input.username)
    if (!/^[a-z0-9][a-z0-9._-]{2,31}$/.test(username)) {
      errors.username = 'Een gebruikersnaam heeft 3 tot 32 tekens: letters, cijfers, punt, streepje of liggend streepje.'
    }
  }
  if (Object.keys(errors).length > 0) return { errors }
  return { value: { name, email, phone: phone!, role: input.role ?? 'patient', username }, errors }
}

/** "Jan de Vries" -> "jdevries"; a number is added when it is taken. */
export function suggestUsername(deps: Deps, name: string): string {
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
    deps.db.select({ username: accounts.username }).from(accounts).where(like(accounts.username, `${base}%`)).all().map((r) => r.username),
  )
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`
}

export type CreateResult = { ok: true; account: Account } | { ok: false; errors: FieldErrors }

export function createAccount(deps: Deps, by: Actor, input: NewAccount): CreateResult {
  const { value, errors } = validateNewAccount(input)
  if (!value) return { ok: false, errors }
  const username = value.username ?? suggestUsername(deps, value.name)
  if (findAccountByUsername(deps, username)) return { ok: false, errors: { username: 'Deze gebruikersnaam is al in gebruik.' } }
  const account = deps.db
    .insert(accounts)
    .values({ username, name: value.name, email: value.email, phone: value.phone, role: value.role, createdAt: deps.clock.now() })
    .returning()
    .get()
  recordEvent(deps, by, { event: 'account_created', outcome: 'success', accountId: account.id, detail: { role: account.role } })
  return { ok: true, account }
}

/** The two lookups every flow request makes, prepared (src/db/prepared.ts). */
const lookups = preparedFor((db) => ({
  byId: db.select().from(accounts).where(eq(accounts.id, sql.placeholder('id'))).prepare(),
  byUsername: db.select().from(accounts).where(eq(accounts.username, sql.placeholder('username'))).prepare(),
}))

export function findAccountByUsername(deps: Deps, username: string): Account | undefined {
  return lookups(deps.db).byUsername.get({ username: normalizeUsername(username) })
}

export function getAccount(deps: Deps, id: number): Account | undefined {
  return lookups(deps.db).byId.get({ id })
}

export function updateAccount(deps: Deps, id: number, values: Partial<Omit<Account, 'id'>>): void {
  deps.db.update(accounts).set(values).where(eq(accounts.id, id)).run()
}

/** Has the patient finished onboarding: every fact a sign-in needs is there. */
export function isOnboarded(account: Account): boolean {
  return account.emailVerifiedAt !== null && account.phoneVerifiedAt !== null && account.passwordSetAt !== null && account.mfaEnrolledAt !== null
}
