// The two hot account lookups read rows with plain better-sqlite3 statements and map them by hand
// (src/domain/accounts.ts). They must give exactly what Drizzle gives for the same row: every
// column set, and every nullable column empty.
import { eq } from 'drizzle-orm'
import t from 'tap'
import { accounts } from '../src/db/tables.ts'
import { findAccountByUsername, getAccount } from '../src/domain/accounts.ts'
import { world } from './helpers/world.ts'
import { first, only } from '../src/db/index.ts'

await t.test('getAccount and findAccountByUsername map a row as Drizzle does', async (t) => {
  const w = await world(t)
  const at = (n: number) => new Date(Date.UTC(2026, 0, n, 9, 30, 15, 123))
  const full = {
    username: 'volledig', name: 'Anna Volledig', email: 'anna@example.org', phone: '+31612345678', role: 'beheerder' as const,
    createdAt: at(1), emailVerifiedAt: at(2), phoneVerifiedAt: at(3), passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    passwordSetAt: at(4), mfaMethod: 'app' as const, mfaEnrolledAt: at(5), totpSecretEnc: 'v1.geheim', totpPendingSecretEnc: 'v1.nieuw',
    totpLastStep: 59_123_456, lastSignInAt: at(6), deactivatedAt: at(7), erasedAt: at(8), practiceId: w.practice.id,
  }
  const empty = { username: 'leeg', name: 'Bram Leeg', email: 'bram@example.org', phone: '+31687654321', createdAt: at(9), practiceId: w.practice.id }
  for (const values of [full, empty]) {
    const { id } = await w.deps.db.insert(accounts).values(values).returning({ id: accounts.id }).then(only)
    const drizzle = await w.deps.db.select().from(accounts).where(eq(accounts.id, id)).then(first)
    t.strictSame((await getAccount(w.deps, id)), drizzle, `${values.username}: by id`)
    t.strictSame((await findAccountByUsername(w.deps, values.username)), drizzle, `${values.username}: by username`)
    t.ok((await getAccount(w.deps, id))!.createdAt instanceof Date, 'times are Dates')
  }
  t.equal((await getAccount(w.deps, 999_999)), undefined, 'no row: undefined')
  t.equal((await findAccountByUsername(w.deps, 'niemand')), undefined)
})
