// `admin migrate-to-postgres` (issue 21 item 4): an SQLite installation's rows, ids and audit hashes
// included, copied into an empty PostgreSQL database in one transaction. Read with schema.ts and written
// with schema-pg.ts, so every column is mapped by its name and type: drizzle turns SQLite's epoch-ms
// integers into Dates and its 0/1 into booleans on the way out, PostgreSQL's driver takes those on the
// way in. Nothing is lifted on the target: INSERT is what the audit triggers allow, and the rows keep
// their hashes, so the chain verifies there as it did here.
import { getTableColumns, getTableName, is, sql } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { root } from '../paths.ts'
import { verifyChain, type ChainCheck } from './audit-chain.ts'
import { openPglite, openPostgres, type AnyPgDb } from './pg.ts'
import type { ReadOnlyDatabase } from './read-only.ts'
import * as sqliteSchema from './schema.ts'
import * as pgSchema from './schema-pg.ts'

type TableName = keyof typeof pgSchema & keyof typeof sqliteSchema

/** Parents before children (accounts before the rows that refer to them), installation last. */
export const copyOrder: TableName[] = [
  'practices', 'accounts', 'links', 'codes', 'sessions', 'outbox', 'auditLog', 'throttles', 'decoyCodes',
  'recoveryCodes', 'oidcClients', 'oidcArtifacts', 'oidcKeys', 'oidcSubjects', 'installation',
]

/** The SQL name of every table of schema.ts, in copy order; throws when schema.ts has one the order lacks. */
export function tablesToCopy(): string[] {
  const all = (Object.values(sqliteSchema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable)).map((t) => getTableName(t))
  const ordered = copyOrder.map((name) => getTableName(sqliteSchema[name] as SQLiteTable))
  const missing = all.filter((name) => !ordered.includes(name))
  // A table added to the schema without a place here would be left behind silently: refuse instead.
  if (missing.length > 0) throw new Error(`migrate-to-postgres does not know where to copy table(s) ${missing.join(', ')} (src/db/move-to-postgres.ts, copyOrder)`)
  return ordered
}

export type SourceCheck =
  | { ok: true; chain: Extract<ChainCheck, { ok: true }> }
  | { ok: false; reason: 'in-use' | 'schema-behind' | 'schema-ahead' | 'chain'; detail?: ChainCheck }

/**
 * The source must be what this version writes, at rest: its migrations exactly ours (the copy reads
 * with this version's schema), and its audit chain whole, with no rows of an older version waiting for
 * adoption (the portal's next start on the SQLite file would adopt them).
 */
export function checkSource(source: ReadOnlyDatabase, walExists: boolean): SourceCheck {
  if (walExists) return { ok: false, reason: 'in-use' }
  const journal = JSON.parse(readFileSync(join(root, 'migrations', 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
  const hasTable = source.sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get() !== undefined
  const applied = hasTable ? (source.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n : 0
  if (applied < journal.entries.length) return { ok: false, reason: 'schema-behind' }
  if (applied > journal.entries.length) return { ok: false, reason: 'schema-ahead' }
  const chain = verifyChain(source.sqlite)
  if (!chain.ok || chain.pending !== null) return { ok: false, reason: 'chain', detail: chain }
  return { ok: true, chain }
}

/** Opens DATABASE_URL's database (postgres:// or pglite:DIR) with drizzle over schema-pg.ts, migrated. */
export async function openTarget(url: string): Promise<{ db: AnyPgDb; close(): Promise<void> }> {
  if (url.startsWith('pglite:')) {
    const where = url.slice('pglite:'.length).replace(/^\/\//, '')
    return await openPglite(where === '' || where === 'memory' ? undefined : where)
  }
  // One connection: the copy is one transaction.
  return await openPostgres(url, { max: 1 })
}

export interface Count {
  table: string
  source: number
  target: number
}

export type CopyResult =
  | { ok: true; counts: Count[] }
  /** The target holds rows already (`rows`: per table, only those with rows), or the copy counted wrong. */
  | { ok: false; reason: 'not-empty' | 'counts'; counts: Count[] }

const page = 1000

class CountsDiffer extends Error {
  constructor(readonly counts: Count[]) {
    super('row counts differ after the copy')
  }
}

/**
 * Copies every table in one transaction: refused (nothing written) when the target holds anything but
 * what migrating an empty database makes, the seed practice (migrations-pg/0001) and, from a first
 * start, the installation row; both are replaced by the source's. Rolled back when a count differs.
 */
export async function copyTables(source: ReadOnlyDatabase, target: AnyPgDb): Promise<CopyResult> {
  const names = tablesToCopy()
  const sourceCount = (name: string) => (source.sqlite.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n
  // One read transaction on the source: every table from the same moment.
  source.sqlite.prepare('begin').run()
  try {
    return await target.transaction(async (tx) => {
      const targetCount = async (name: string) => Number(((await tx.execute(sql`select count(*) as n from ${sql.identifier(name)}`)) as unknown as { rows: { n: unknown }[] }).rows[0]!.n)
      const countAll = async () => {
        const all: Count[] = []
        for (const table of names) all.push({ table, source: sourceCount(table), target: await targetCount(table) })
        return all
      }
      const before = await countAll()
      const seedOnly = async (table: string) => table === 'practices' ? (await tx.execute(sql`select 1 from practices where id <> 1`) as unknown as { rows: unknown[] }).rows.length === 0 : table === 'installation'
      const occupied: Count[] = []
      for (const count of before) if (count.target > 0 && !(count.target === 1 && (await seedOnly(count.table)))) occupied.push(count)
      if (occupied.length > 0) return { ok: false as const, reason: 'not-empty' as const, counts: occupied }
      await tx.execute(sql`delete from installation`)
      await tx.execute(sql`delete from practices`)
      for (const name of copyOrder) await copyTable(source, sqliteSchema[name] as SQLiteTable, tx, pgSchema[name] as PgTable)
      await resetIdentities(tx)
      const counts = await countAll()
      // Nothing half-copied is ever committed: a count that differs rolls the whole copy back.
      if (counts.some((c) => c.source !== c.target)) throw new CountsDiffer(counts)
      return { ok: true as const, counts }
    })
  } catch (error) {
    if (error instanceof CountsDiffer) return { ok: false, reason: 'counts', counts: error.counts }
    throw error
  } finally {
    source.sqlite.prepare('rollback').run()
  }
}

/** One table, a page at a time in rowid order (every table of schema.ts has one). */
async function copyTable(source: ReadOnlyDatabase, from: SQLiteTable, tx: AnyPgDb, to: PgTable): Promise<void> {
  const columns = getTableColumns(from)
  // PostgreSQL takes at most 65535 parameters per statement.
  const perInsert = Math.max(1, Math.floor(30_000 / Object.keys(columns).length))
  for (let last = -Infinity; ; ) {
    const rows = await source.db
      .select({ rowid: sql<number>`rowid`, row: columns })
      .from(from)
      .where(Number.isFinite(last) ? sql`rowid > ${last}` : undefined)
      .orderBy(sql`rowid`)
      .limit(page)
    for (let i = 0; i < rows.length; i += perInsert) await tx.insert(to).values(rows.slice(i, i + perInsert).map((r) => r.row) as never)
    if (rows.length < page) return
    last = rows.at(-1)!.rowid
  }
}

/** Every identity sequence on to the highest id copied, so the next row the portal adds gets the next id. */
async function resetIdentities(tx: AnyPgDb): Promise<void> {
  const identities = (await tx.execute(
    sql`select table_name, column_name from information_schema.columns where table_schema = current_schema() and is_identity = 'YES'`,
  )) as unknown as { rows: { table_name: string; column_name: string }[] }
  for (const { table_name: table, column_name: column } of identities.rows) {
    const t = sql.identifier(table)
    const c = sql.identifier(column)
    // is_called false: the next value is max + 1, also 1 for an empty table.
    await tx.execute(sql`select setval(pg_get_serial_sequence(${`"${table}"`}, ${column}), (select coalesce(max(${c}), 0) + 1 from ${t}), false)`)
  }
}
