// Where the SQL of the two engines differs (docs/decisions/0021, 0022): both spellings side by side,
// chosen by the handle's dialect. No other module asks which engine it runs on.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Db } from './index.ts'
import { createHash } from 'node:crypto'

type Dialect = Pick<Db, 'dialect'>

/** A field of a JSON text column (`path`: names, outermost first) as text; null when the text is no JSON or lacks it. */
export function jsonField(db: Dialect, column: SQLWrapper, ...path: string[]): SQL {
  if (!path.every((name) => /^[A-Za-z]+$/.test(name))) throw new Error(`Unexpected JSON path ${path.join('.')}`)
  switch (db.dialect) {
    case 'sqlite':
      return sql`(case when json_valid(${column}) then json_extract(${column}, ${`$.${path.join('.')}`}) end)`
    case 'pg':
      // mtd_json_field (db/pg.ts) answers null for text that is no JSON, where a cast would throw.
      return sql`mtd_json_field(${column}, ${`{${path.join(',')}}`}::text[])`
  }
}

/** Does the text column contain `text` (a quick filter before JSON is parsed)? */
export function containsText(db: Dialect, column: SQLWrapper, text: string): SQL {
  switch (db.dialect) {
    case 'sqlite':
      return sql`instr(${column}, ${text}) > 0`
    case 'pg':
      return sql`strpos(${column}, ${text}) > 0`
  }
}

/** The larger of two values of one type. */
export function greatest(db: Dialect, a: SQLWrapper, b: SQLWrapper): SQL {
  switch (db.dialect) {
    case 'sqlite':
      return sql`max(${a}, ${b})`
    case 'pg':
      return sql`greatest(${a}, ${b})`
  }
}

/**
 * Inside a transaction: waits until no other transaction appends to the audit log's hash chain, here or
 * in another process, so two writers never chain onto the same head. SQLite's write transactions run
 * one at a time already (BEGIN IMMEDIATE).
 */
export async function lockAuditTail(db: Pick<Db, 'dialect' | 'rows'>): Promise<void> {
  switch (db.dialect) {
    case 'sqlite':
      return
    case 'pg':
      await db.rows(sql`select pg_advisory_xact_lock(${lockKey('audit-tail')}::bigint)`)
      return
  }
}

/** When the newest migration was applied (epoch ms), for /readyz. */
export function newestMigration(db: Dialect): SQL {
  switch (db.dialect) {
    case 'sqlite':
      return sql`select max(created_at) as created_at from __drizzle_migrations`
    case 'pg':
      return sql`select max(created_at) as created_at from drizzle.__drizzle_migrations`
  }
}

/** A name's advisory-lock key on PostgreSQL: the first 8 bytes of its SHA-256, as a signed bigint. */
export function lockKey(name: string): string {
  return createHash('sha256').update(`mijn-therapie-dossier/${name}`).digest().readBigInt64BE(0).toString()
}
