// The practices one installation serves (issue 20, SPEC.md section 9). A practice is data: a slug for
// the operator's CLI (and its id towards apps), a name, a contact line, a default language. Every
// account belongs to one. Messages that send a patient to "the practice" take its name and contact
// from here, through practiceOf, never from the configuration.
//
// The practice an installation starts with (made by migration 0009, on an upgrade and on an empty
// database alike) follows PRACTICE_NAME and PRACTICE_CONTACT at every start while it is the only
// practice and the CLI never changed it (`fromEnv`): a single-practice installation needs nothing new.
// docs/decisions/0015-practices.md.
import { asc, count, eq, getTableColumns, isNull } from 'drizzle-orm'
import { accounts, practices } from '../db/tables.ts'
import type { ErrorKey, Lang } from '../messages.ts'
import { recordEvent } from './audit.ts'
import type { Actor, Deps } from './deps.ts'
import { smsNameMax } from './sms-text.ts'
import { first, only } from '../db/index.ts'

export type Practice = typeof practices.$inferSelect

export interface PracticeInput {
  name: string
  contact: string
  language?: Lang
  /** Made from the name when not given. */
  slug?: string
}

export type PracticeField = 'name' | 'contact' | 'slug'
export type PracticeErrors = Partial<Record<PracticeField, ErrorKey>>
export type PracticeResult = { ok: true; practice: Practice } | { ok: false; errors: PracticeErrors }

// The same characters are refused as in an account's name (domain/accounts.ts): the name and contact
// go into mail headers, SMS and the CLI's output.
const controlChars = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u
const slugShape = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/

const clean = (raw: string) => raw.normalize('NFKC').trim().replace(/[^\S\n]+/g, ' ')

function checkName(raw: string): { value: string } | { error: ErrorKey } {
  const value = clean(raw)
  if (value === '') return { error: 'practiceNameRequired' }
  if ([...value].length > smsNameMax.practiceName || controlChars.test(raw.normalize('NFKC'))) return { error: 'practiceNameInvalid' }
  return { value }
}

/** A practice without a way to reach it can not be made (issue 20): every lock and cap message names it. */
function checkContact(raw: string): { value: string } | { error: ErrorKey } {
  const value = clean(raw)
  if (value === '') return { error: 'practiceContactRequired' }
  if ([...value].length > smsNameMax.practiceContact || controlChars.test(raw.normalize('NFKC'))) return { error: 'practiceContactInvalid' }
  return { value }
}

/** "Praktijk De Linde" -> "praktijk-de-linde"; a number is added when it is taken. */
async function slugFor(deps: Deps, name: string): Promise<string> {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 36)
      .replace(/-+$/, '') || 'praktijk'
  if (!(await findPracticeBySlug(deps, base))) return base
  for (let n = 2; ; n++) if (!(await findPracticeBySlug(deps, `${base}-${n}`))) return `${base}-${n}`
}

export async function listPractices(deps: Deps): Promise<Practice[]> {
  return await deps.db.select().from(practices).orderBy(asc(practices.slug))
}

export async function getPractice(deps: Deps, id: number): Promise<Practice | undefined> {
  return await deps.db.select().from(practices).where(eq(practices.id, id)).then(first)
}

/** The practice of the account with this id (the header of a proven patient's pages: web/practice-shown.ts). */
export async function practiceOfAccountId(deps: Deps, accountId: number): Promise<Practice | undefined> {
  return await deps.db
    .select(getTableColumns(practices))
    .from(practices)
    .innerJoin(accounts, eq(accounts.practiceId, practices.id))
    .where(eq(accounts.id, accountId))
    .then(first)
}

export async function findPracticeBySlug(deps: Deps, slug: string): Promise<Practice | undefined> {
  return await deps.db.select().from(practices).where(eq(practices.slug, slug.trim().toLowerCase())).then(first)
}

/**
 * The practice of an account: the one function every message that names "the practice" goes through
 * (mails, SMS, the signed-in pages). An account always has one (accounts.practice_id is NOT NULL).
 */
export async function practiceOf(deps: Deps, account: { practiceId: number }): Promise<Practice> {
  const practice = await getPractice(deps, account.practiceId)
  if (!practice) throw new Error(`Account of practice ${account.practiceId}, which does not exist`)
  return practice
}

/** The practice's name and contact as messages use them: { practice: 'Praktijk De Linde', contact: ' (030 123 45 67)' }. */
export function contactWords(practice: Practice): { practice: string; contact: string } {
  return { practice: practice.name, contact: practice.contact === '' ? '' : ` (${practice.contact})` }
}

export async function addPractice(deps: Deps, by: Actor, input: PracticeInput): Promise<PracticeResult> {
  const errors: PracticeErrors = {}
  const name = checkName(input.name)
  const contact = checkContact(input.contact)
  if ('error' in name) errors.name = name.error
  if ('error' in contact) errors.contact = contact.error
  let slug: string | undefined
  if (input.slug !== undefined) {
    slug = input.slug.trim().toLowerCase()
    if (!slugShape.test(slug)) errors.slug = 'practiceSlugShape'
    else if ((await findPracticeBySlug(deps, slug))) errors.slug = 'practiceSlugTaken'
  }
  if ('error' in name || 'error' in contact || errors.slug) return { ok: false, errors }
  const practice = await deps.db
    .insert(practices)
    .values({ slug: slug ?? (await slugFor(deps, name.value)), name: name.value, contact: contact.value, language: input.language ?? 'nl', createdAt: deps.clock.now() })
    .returning()
    .then(only)
  await recordEvent(deps, by, { event: 'practice_added', outcome: 'success', detail: { practice: practice.slug } })
  return { ok: true, practice }
}

export interface PracticeChanges {
  name?: string
  contact?: string
  language?: Lang
}

/** `practice set`: from now on the CLI keeps this practice's name and contact, not the environment. */
export async function setPractice(deps: Deps, by: Actor, id: number, changes: PracticeChanges): Promise<PracticeResult> {
  const errors: PracticeErrors = {}
  const values: Partial<Practice> = {}
  if (changes.name !== undefined) {
    const name = checkName(changes.name)
    if ('error' in name) errors.name = name.error
    else values.name = name.value
  }
  if (changes.contact !== undefined) {
    const contact = checkContact(changes.contact)
    if ('error' in contact) errors.contact = contact.error
    else values.contact = contact.value
  }
  if (changes.language !== undefined) values.language = changes.language
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  const practice = await deps.db.update(practices).set({ ...values, fromEnv: false }).where(eq(practices.id, id)).returning().then(only)
  if (!practice) throw new Error(`No practice ${id}`)
  await recordEvent(deps, by, { event: 'practice_changed', outcome: 'success', detail: { practice: practice.slug, fields: Object.keys(values).join(',') } })
  return { ok: true, practice }
}

/**
 * At start: the installation's first practice takes PRACTICE_NAME and PRACTICE_CONTACT, as a
 * single-practice installation always did, while it is the only practice and the CLI never set it.
 * A setting that is not given leaves the stored value alone, so a CLI run without the service's
 * environment changes nothing. Returns the practice when something changed.
 */
export async function applyPracticeSettings(deps: Deps): Promise<Practice | null> {
  const { practiceName, practiceContact } = deps.config
  const all = await listPractices(deps)
  const single = all.length === 1 ? all[0]! : undefined
  if (!single?.fromEnv) return null
  const values: Partial<Practice> = {}
  if (practiceName !== null && practiceName !== single.name) values.name = practiceName
  if (practiceContact !== null && practiceContact !== single.contact) values.contact = practiceContact
  if (Object.keys(values).length === 0) return null
  const practice = await deps.db.update(practices).set(values).where(eq(practices.id, single.id)).returning().then(only)
  await recordEvent(deps, { actor: 'system' }, { event: 'practice_changed', outcome: 'success', detail: { practice: practice.slug, fields: Object.keys(values).join(','), via: 'env' } })
  return practice
}

/** The accounts (not erased) of each practice, by practice id: the operator's `practice list`. */
export async function accountCounts(deps: Deps): Promise<Map<number, { patients: number; staff: number }>> {
  const rows = await deps.db
    .select({ practiceId: accounts.practiceId, role: accounts.role, n: count() })
    .from(accounts)
    .where(isNull(accounts.erasedAt))
    .groupBy(accounts.practiceId, accounts.role)
  const counts = new Map<number, { patients: number; staff: number }>()
  for (const row of rows) {
    const entry = counts.get(row.practiceId) ?? { patients: 0, staff: 0 }
    if (row.role === 'patient') entry.patients += row.n
    else entry.staff += row.n
    counts.set(row.practiceId, entry)
  }
  return counts
}

/** Production refuses to start while one of these has no contact (issue 20). */
export async function practicesWithoutContact(deps: Deps): Promise<Practice[]> {
  return (await listPractices(deps)).filter((p) => p.contact.trim() === '')
}
