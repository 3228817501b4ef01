// Who an app is told signed in: a `sub` of its own per account (random, stored; never the username,
// so a renamed account keeps it) and the claims per scope. A deactivated or erased account has no
// claims: its tokens stop working at userinfo and a code for it is refused at the token endpoint.
import { randomBytes } from 'node:crypto'
import { and, desc, eq, sql } from 'drizzle-orm'
import { jsonField } from '../db/dialect.ts'
import { auditLog, oidcClients, oidcSubjects } from '../db/tables.ts'
import { getAccount, type Account } from '../domain/accounts.ts'
import type { Deps } from '../domain/deps.ts'
import type { Practice } from '../domain/practices.ts'
import { first } from '../db/index.ts'

export async function subjectOf(deps: Deps, accountId: number): Promise<string> {
  const found = await deps.db.select({ subject: oidcSubjects.subject }).from(oidcSubjects).where(eq(oidcSubjects.accountId, accountId)).then(first)
  if (found) return found.subject
  const subject = randomBytes(16).toString('base64url')
  await deps.db.insert(oidcSubjects).values({ accountId, subject }).onConflictDoNothing()
  return (await deps.db.select({ subject: oidcSubjects.subject }).from(oidcSubjects).where(eq(oidcSubjects.accountId, accountId)).then(first))!.subject
}

/** The account behind a `sub`, if it may still sign in to apps. */
export async function accountOfSubject(deps: Deps, subject: string): Promise<Account | undefined> {
  const found = await deps.db.select({ accountId: oidcSubjects.accountId }).from(oidcSubjects).where(eq(oidcSubjects.subject, subject)).then(first)
  const account = found && (await getAccount(deps, found.accountId))
  if (!account || account.deactivatedAt !== null || account.erasedAt !== null) return undefined
  return account
}

/**
 * RFC 8176 `amr` values. The app: a password (`pwd`) and a TOTP code (`otp`, RFC 6238). The e-mail
 * code is no HOTP/TOTP, and RFC 8176 registers no value for a code sent by e-mail (only `sms`): it is
 * `mail`, our own value, documented in docs/oidc.md. A recovery code is a look-up secret (NIST 800-63B
 * 5.1.2), for which RFC 8176 registers nothing either, and it is not the app an `otp` promises: `lookup`,
 * ours too (issue 23.5). Each is two factors: `mfa`.
 */
export function amrOf(method: 'app' | 'email' | 'recovery' | null | undefined): string[] {
  if (method === 'recovery') return ['pwd', 'lookup', 'mfa']
  return method === 'email' ? ['pwd', 'mail', 'mfa'] : ['pwd', 'otp', 'mfa']
}

/** The claims per scope (oidc-provider filters them by the granted scopes). */
export const claimsByScope = {
  // auth_time and amr with openid: every id_token says when and how the patient signed in. `practice`
  // is listed here too so that oidc-provider lets it into the id_token (which it masks to the openid
  // scope's claims when an access token is issued); claimsOf gives it only to a grant with the
  // `practice` scope, so without that scope it is in neither the id_token nor userinfo.
  openid: ['sub', 'auth_time', 'amr', 'practice'],
  // locale: the account's language (issue 14), so an app can greet the patient in it.
  profile: ['name', 'locale'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  // Ours: the account's role in the practice (patient, behandelaar, beheerder).
  role: ['role'],
  // Ours (issue 20): the account's practice, { id: its slug, name }, so one app for every practice opens the right dossier.
  practice: ['practice'],
  sid: null,
  acr: null,
  iss: null,
}

/**
 * The practice's id towards apps is its slug: it never changes (the CLI can rename a practice, never
 * re-code it), it is the same name the operator types on the CLI (`client add --practice`), and it is
 * not a secret. A database row id would differ between installations and says nothing when read.
 */
export function claimsOf(account: Account, sub: string, practice: Practice, scope = ''): Record<string, unknown> {
  return {
    sub,
    name: account.name,
    locale: account.language,
    email: account.email,
    email_verified: account.emailVerifiedAt !== null,
    phone_number: account.phone,
    phone_number_verified: account.phoneVerifiedAt !== null,
    role: account.role,
    ...(scope.split(' ').includes('practice') ? { practice: { id: practice.slug, name: practice.name } } : {}),
  }
}

export interface SignedInApp {
  name: string
  lastAt: Date
  count: number
}

/** The apps this account signed in to through the portal, from the audit log, most recent first. */
export async function signedInApps(deps: Deps, accountId: number, limit = 20): Promise<SignedInApp[]> {
  const { db } = deps
  const clientId = jsonField(db, auditLog.detail, 'clientId')
  const rows = await db
    .select({
      // Aggregates only besides the grouped app (PostgreSQL, unlike SQLite, names any other column an error).
      client: sql<string | null>`coalesce(max(${oidcClients.name}), max(${jsonField(db, auditLog.detail, 'client')}))`,
      lastAt: sql<number | Date>`max(${auditLog.at})`,
      count: sql<number>`count(*)`.mapWith(Number),
    })
    .from(auditLog)
    .leftJoin(oidcClients, eq(oidcClients.id, clientId))
    .where(and(eq(auditLog.accountId, accountId), eq(auditLog.event, 'oidc_authorization')))
    .groupBy(clientId)
    .orderBy(desc(sql`max(${auditLog.at})`))
    .limit(limit)
  return rows.map((r) => ({ name: r.client ?? '?', lastAt: new Date(r.lastAt), count: r.count }))
}
