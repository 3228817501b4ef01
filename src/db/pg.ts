// The PostgreSQL side of the database (issue 21): open a node-postgres pool or an in-process PGlite,
// bring migrations-pg/ up to date, and put the audit log's append-only triggers (back) in place. Only
// opening and migrating live here; the domain's database handle is built on top.
//
// Several portal processes may start at once on one server: the migrations and the triggers run under
// a session-level advisory lock held on one dedicated connection, so one process migrates while the
// others wait and then find nothing left to do (drizzle's migrator skips what its journal table holds).
// CREATE OR REPLACE FUNCTION/TRIGGER are not safe against each other either ("tuple concurrently
// updated"): they run under the same lock. PGlite is one connection; the same code runs there.
import type { PGlite, PGliteOptions } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle as drizzleNodePg, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import { join } from 'node:path'
import pg from 'pg'
import { root } from '../paths.ts'
import * as schema from './schema-pg.ts'

/** Either driver's drizzle database over schema-pg.ts: what the domain's handle can be typed against. */
export type AnyPgDb = PgDatabase<PgQueryResultHKT, typeof schema>
export type PostgresDb = NodePgDatabase<typeof schema> & { $client: pg.Pool }
export type PgliteDb = PgliteDatabase<typeof schema> & { $client: PGlite }

export interface Opened<D, C> {
  db: D
  client: C
  close(): Promise<void>
}

const migrationsFolder = join(root, 'migrations-pg')

/**
 * The advisory lock every portal process takes to migrate: a fixed 64-bit key, the first 8 bytes of
 * SHA-256("mijn-therapie-dossier/migrations") read as a signed integer, so no other application's
 * advisory locks on a shared server are likely to meet it.
 */
export const migrationLockKey = -7066242858549570504n

/** Opens a pool on a PostgreSQL server (`DATABASE_URL`), migrated and sealed. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Opened<PostgresDb, pg.Pool>> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 })
  try {
    // One dedicated connection holds the lock and runs the migrations itself: with the migrations on
    // other pool connections, a pool of one would wait on itself.
    const conn = await pool.connect()
    try {
      const dedicated = drizzleNodePg(conn, { schema })
      await underMigrationLock(dedicated, () => migrateNodePg(dedicated, { migrationsFolder }))
    } finally {
      conn.release()
    }
  } catch (error) {
    await pool.end()
    throw error
  }
  const db = drizzleNodePg(pool, { schema }) as PostgresDb
  return { db, client: pool, close: () => pool.end() }
}

let memoryImage: PGliteOptions | undefined

/**
 * Tests: every in-memory PGlite opened after this starts from `image` (a migrated data directory from
 * `dumpDataDir`) instead of running initdb and the migrations again, seconds per test world.
 */
export function startMemoryPgliteFrom(image: PGliteOptions | undefined): void {
  memoryImage = image
}

/** Opens PGlite (PostgreSQL in WebAssembly, in this process): in memory without `dataDir`. */
export async function openPglite(dataDir?: string): Promise<Opened<PgliteDb, PGlite>> {
  // Loaded here only: a portal on a PostgreSQL server never carries PGlite's WebAssembly in memory.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ])
  const client = await PGlite.create(dataDir === undefined ? { ...memoryImage } : { dataDir })
  const db = drizzlePglite(client, { schema }) as PgliteDb
  try {
    await underMigrationLock(db, () => migratePglite(db, { migrationsFolder }))
  } catch (error) {
    await client.close()
    throw error
  }
  return { db, client, close: () => client.close() }
}

/** Migrations, then the triggers (a table rebuild drops them), while holding the advisory lock. */
async function underMigrationLock(db: AnyPgDb, migrate: () => Promise<void>): Promise<void> {
  const key = migrationLockKey.toString()
  await db.execute(sql`select pg_advisory_lock(${key}::bigint)`)
  try {
    await migrate()
    await sealAuditLogPg(db)
  } finally {
    await db.execute(sql`select pg_advisory_unlock(${key}::bigint)`)
  }
}

/**
 * db/audit-chain.ts's `sealAuditLog` for PostgreSQL: refuse every UPDATE and DELETE on audit_log, with
 * the same message. PostgreSQL also has TRUNCATE, which row triggers never see (SQLite has none): a
 * statement trigger refuses it too. Idempotent: run at every start.
 */
const guards = [
  `create or replace function audit_log_append_only() returns trigger language plpgsql as $$
   begin raise exception 'audit_log is append-only'; end $$`,
  `create or replace trigger audit_log_no_update before update on audit_log
   for each row execute function audit_log_append_only()`,
  `create or replace trigger audit_log_no_delete before delete on audit_log
   for each row execute function audit_log_append_only()`,
  `create or replace trigger audit_log_no_truncate before truncate on audit_log
   for each statement execute function audit_log_append_only()`,
  // db/dialect.ts's jsonField: a field of JSON kept as text, null for text that is no JSON (SQLite's
  // json_valid guard), where a plain ::jsonb cast would fail the whole query.
  `create or replace function mtd_json_field(doc text, path text[]) returns text language plpgsql immutable as $$
   begin return doc::jsonb #>> path; exception when others then return null; end $$`,
]

export async function sealAuditLogPg(db: AnyPgDb): Promise<void> {
  for (const statement of guards) await db.execute(sql.raw(statement))
}
