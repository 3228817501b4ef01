// The PostgreSQL schema on PGlite (issue 21): migrations-pg/ makes every table of schema-pg.ts, rows
// come back with their Date and boolean types, the audit log refuses UPDATE, DELETE and TRUNCATE, and a
// second start on the same data migrates nothing and still works. PGlite takes seconds to start:
// this file opens it three times in all.
import { eq, getTableName, is, sql } from 'drizzle-orm'
import { PgTable } from 'drizzle-orm/pg-core'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { migrationLockKey, openPglite, type PgliteDb } from '../src/db/pg.ts'
import * as P from '../src/db/schema-pg.ts'
import { accounts, auditLog, practices } from '../src/db/schema-pg.ts'

const tableNames = Object.values(P as Record<string, unknown>)
  .filter((v): v is PgTable => is(v, PgTable))
  .map((table) => getTableName(table))
  .sort()
const migrationFiles = readdirSync(join(import.meta.dirname, '..', 'migrations-pg')).filter((f) => f.endsWith('.sql'))

async function rows<T>(db: PgliteDb, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute(query)).rows as T[]
}
/** The database's own words for a refused statement: drizzle wraps them (DrizzleQueryError, `cause`). */
async function refusal(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query
  } catch (error) {
    return String((error as { cause?: Error }).cause?.message ?? error)
  }
  return 'not refused'
}
const appliedMigrations = async (db: PgliteDb) => (await rows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0]!.n
const auditTriggers = async (db: PgliteDb) =>
  (await rows<{ tgname: string }>(db, sql`select tgname from pg_trigger where tgrelid = 'audit_log'::regclass and not tgisinternal order by tgname`)).map((r) => r.tgname)

await t.test('in memory: every table, typed rows, and an append-only audit log', async (t) => {
  const started = performance.now()
  const { db, close } = await openPglite()
  t.teardown(close)
  t.comment(`PGlite opened and migrated in ${Math.round(performance.now() - started)} ms`)

  const tables = await rows<{ table_name: string }>(db, sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`)
  t.same(tables.map((r) => r.table_name), tableNames, 'every table of schema-pg.ts, and no other')
  t.equal(await appliedMigrations(db), migrationFiles.length, 'every migration applied')
  t.same(await rows(db, sql`select objid from pg_locks where locktype = 'advisory'`), [], 'the migration lock is released')
  t.same(await auditTriggers(db), ['audit_log_no_delete', 'audit_log_no_truncate', 'audit_log_no_update'])

  // The starting practice, as SQLite's migration 0009 makes it.
  const [first] = await db.select().from(practices)
  t.match(first, { id: 1, slug: 'praktijk', fromEnv: true })

  // Milliseconds survive (timestamptz(3)), as SQLite's integer milliseconds keep them.
  const at = new Date('2026-12-07T10:11:12.345Z')
  const [practice] = await db.insert(practices).values({ slug: 'de-linde', name: 'De Linde', contact: '010-1234567', createdAt: at }).returning()
  t.equal(practice!.fromEnv, false, 'boolean default')
  t.equal(practice!.language, 'nl', 'text default')
  const [account] = await db
    .insert(accounts)
    .values({ username: 'jdevries', name: 'Jan de Vries', email: 'jan@example.org', phone: '+31612341361', createdAt: at, emailVerifiedAt: at, practiceId: practice!.id })
    .returning()
  const [read] = await db.select().from(accounts).where(eq(accounts.id, account!.id))
  t.ok(read!.createdAt instanceof Date, 'a time reads as a Date')
  t.equal(read!.createdAt.getTime(), at.getTime(), 'to the millisecond')
  t.equal(read!.emailVerifiedAt?.toISOString(), at.toISOString())
  t.equal(read!.passwordSetAt, null, 'an unset time reads as null')
  t.equal(read!.role, 'patient')
  const [flag] = await db.select({ fromEnv: practices.fromEnv }).from(practices).where(eq(practices.id, practice!.id))
  t.equal(typeof flag!.fromEnv, 'boolean', 'a flag reads as a boolean')

  // A row copied from SQLite keeps its id; the identity does not refuse it.
  await db.insert(practices).values({ id: 40, slug: 'copied', name: 'Copied', contact: 'x', createdAt: at })
  t.equal((await db.select().from(practices).where(eq(practices.id, 40))).length, 1, 'an explicit id is taken')

  const [audit] = await db
    .insert(auditLog)
    .values({ at, event: 'invite', outcome: 'success', accountId: account!.id, actor: 'cli', ip: '192.0.2.1', detail: '{"n":1}' })
    .returning()
  t.equal(audit!.at.getTime(), at.getTime())
  t.equal(await refusal(db.update(auditLog).set({ actor: 'self' }).where(eq(auditLog.id, audit!.id))), 'audit_log is append-only', 'UPDATE refused')
  t.equal(await refusal(db.delete(auditLog).where(eq(auditLog.id, audit!.id))), 'audit_log is append-only', 'DELETE refused')
  t.equal(await refusal(db.delete(auditLog)), 'audit_log is append-only', 'DELETE of all refused')
  t.equal(await refusal(db.execute(sql`truncate audit_log`)), 'audit_log is append-only', 'TRUNCATE refused')
  const [kept] = await db.select().from(auditLog).where(eq(auditLog.id, audit!.id))
  t.match(kept, { actor: 'cli', event: 'invite', detail: '{"n":1}' }, 'the row is unchanged')
  // Only the audit log is guarded.
  await db.update(accounts).set({ name: 'J. de Vries' }).where(eq(accounts.id, account!.id))
  await db.delete(practices).where(eq(practices.id, 40))
})

await t.test('a second start on the same data migrates nothing and still works', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-pglite-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const at = new Date('2026-12-07T10:11:12.345Z')

  const one = await openPglite(dir)
  await one.db.insert(auditLog).values({ at, event: 'invite', outcome: 'info', actor: 'system' })
  const migrated = await rows<{ hash: string; created_at: string }>(one.db, sql`select hash, created_at from drizzle.__drizzle_migrations order by id`)
  await one.close()

  const started = performance.now()
  const two = await openPglite(dir)
  t.teardown(two.close)
  t.comment(`PGlite reopened in ${Math.round(performance.now() - started)} ms`)
  t.same(await rows(two.db, sql`select hash, created_at from drizzle.__drizzle_migrations order by id`), migrated, 'no migration ran again')
  t.equal(migrated.length, migrationFiles.length)
  t.equal((await two.db.select().from(practices)).length, 1, 'the starting practice was not added again')
  t.same(await auditTriggers(two.db), ['audit_log_no_delete', 'audit_log_no_truncate', 'audit_log_no_update'], 'the triggers replaced, not doubled')
  const [row] = await two.db.select().from(auditLog)
  t.match(row, { event: 'invite', outcome: 'info', actor: 'system' })
  t.equal(row!.at.getTime(), at.getTime())
  t.equal(await refusal(two.db.delete(auditLog)), 'audit_log is append-only', 'still append-only')
  const [next] = await two.db.insert(auditLog).values({ at, event: 'sign_in', outcome: 'success', actor: 'self' }).returning({ id: auditLog.id })
  t.equal(next!.id, row!.id + 1, 'ids go on where they were')
  t.equal(migrationLockKey, -7066242858549570504n, 'the lock key never changes: every version of the portal must meet the same lock')
})
