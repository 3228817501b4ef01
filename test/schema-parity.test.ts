// The two schema modules (issue 21) describe one database: src/db/schema.ts for SQLite and
// src/db/schema-pg.ts for PostgreSQL. The domain reads rows from either through the same names and
// types, so a column, key, default or index added to one file only must fail here, and rows must have
// the same TypeScript types (checked by tsc, below, and by drizzle's data types at run time).
import { getTableColumns, is, type Column } from 'drizzle-orm'
import { getTableConfig as pgConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core'
import { getTableConfig as sqliteConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core'
import t from 'tap'
import * as S from '../src/db/schema.ts'
import * as P from '../src/db/schema-pg.ts'

// --- Types, checked by tsc (npm test type-checks test/): a row reads the same from either engine. ---
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false
type TableName = { [K in keyof typeof S]: (typeof S)[K] extends SQLiteTable ? K : never }[keyof typeof S]
type PgTableName = { [K in keyof typeof P]: (typeof P)[K] extends PgTable ? K : never }[keyof typeof P]
type Row<M, K extends keyof M> = M[K] extends { $inferSelect: infer R } ? R : never
type NewRow<M, K extends keyof M> = M[K] extends { $inferInsert: infer R } ? R : never
// SQLite's INTEGER PRIMARY KEY without AUTOINCREMENT is the rowid, which drizzle makes optional on
// insert; PostgreSQL has no rowid, so those keys (always given by the code) are required there.
type RowidAlias = { installation: 'id'; oidcSubjects: 'accountId' }
type NewRowBut<M, K extends keyof M> = K extends keyof RowidAlias ? Omit<NewRow<M, K>, RowidAlias[K]> : NewRow<M, K>

const sameTableNames: Equal<TableName, PgTableName> = true
const sameRows: { [K in TableName]: Equal<Row<typeof S, K>, Row<typeof P, K>> } = {
  practices: true, accounts: true, links: true, codes: true, sessions: true, outbox: true, auditLog: true, throttles: true,
  decoyCodes: true, recoveryCodes: true, oidcClients: true, oidcArtifacts: true, oidcKeys: true, oidcSubjects: true, installation: true,
}
const sameNewRows: { [K in TableName]: Equal<NewRowBut<typeof S, K>, NewRowBut<typeof P, K>> } = {
  practices: true, accounts: true, links: true, codes: true, sessions: true, outbox: true, auditLog: true, throttles: true,
  decoyCodes: true, recoveryCodes: true, oidcClients: true, oidcArtifacts: true, oidcKeys: true, oidcSubjects: true, installation: true,
}
const rowidKeysRequired: [Equal<NewRow<typeof P, 'installation'>['id'], number>, Equal<NewRow<typeof P, 'oidcSubjects'>['accountId'], number>] = [true, true]
const sameAccount: Equal<S.Account, P.Account> = true

// --- Run time: getTableConfig of both dialects, compared field by field. ---
const sqliteTables = Object.entries(S as Record<string, unknown>).filter((e): e is [string, SQLiteTable] => is(e[1], SQLiteTable))
const pgTables = Object.entries(P as Record<string, unknown>).filter((e): e is [string, PgTable] => is(e[1], PgTable))

await t.test('the types line up (compiled)', async (t) => {
  t.same([sameTableNames, sameAccount, ...rowidKeysRequired], [true, true, true, true])
  t.ok(Object.values(sameRows).every(Boolean) && Object.values(sameNewRows).every(Boolean))
})

await t.test('both modules export the same tables under the same names', async (t) => {
  t.ok(sqliteTables.length >= 15, `${sqliteTables.length} SQLite tables`)
  t.same(pgTables.map(([k]) => k).sort(), sqliteTables.map(([k]) => k).sort())
})

/** What must be the same for a column, in one comparable shape. */
function columnShape(c: Column) {
  return {
    name: c.name,
    dataType: c.dataType,
    notNull: c.notNull,
    hasDefault: c.hasDefault,
    default: c.default,
    defaultFn: typeof c.defaultFn,
    onUpdateFn: typeof c.onUpdateFn,
    primary: c.primary,
    isUnique: c.isUnique,
    enumValues: c.enumValues ?? null,
  }
}

/** SQLite's INTEGER PRIMARY KEY: drizzle says it has a default (the rowid) whether AUTOINCREMENT or not. */
function sqliteRowid(c: SQLiteColumn): { autoIncrement: boolean } | null {
  if (c.columnType !== 'SQLiteTimestamp' && c.columnType !== 'SQLiteInteger') return null
  if (!c.primary) return null
  return { autoIncrement: (c as unknown as { autoIncrement: boolean }).autoIncrement }
}

for (const [exportName, sqliteTable] of sqliteTables) {
  const pgTable = pgTables.find(([k]) => k === exportName)?.[1]
  await t.test(`table ${exportName}`, async (t) => {
    if (!pgTable) return t.fail(`schema-pg.ts has no ${exportName}`)
    const s = sqliteConfig(sqliteTable)
    const p = pgConfig(pgTable)
    t.equal(p.name, s.name, 'SQL table name')

    // Column order and the TypeScript property -> column name mapping.
    t.same(p.columns.map((c) => c.name), s.columns.map((c) => c.name), 'columns in the same order')
    const props = (table: SQLiteTable | PgTable) => Object.entries(getTableColumns(table)).map(([prop, c]) => [prop, c.name])
    t.same(props(pgTable), props(sqliteTable), 'property -> column name')

    for (const sc of s.columns) {
      const pc = p.columns.find((c) => c.name === sc.name)
      if (!pc) continue // reported above
      const want = columnShape(sc)
      const rowid = sqliteRowid(sc)
      if (rowid && !rowid.autoIncrement) {
        // The rowid alias: a plain integer key in PostgreSQL, given on every insert.
        want.hasDefault = false
        t.equal(pc.generatedIdentity, undefined, `${sc.name}: no identity for a key the code always gives`)
      } else if (rowid) {
        // AUTOINCREMENT: an identity that still takes the ids a copy from SQLite brings.
        t.equal(pc.generatedIdentity?.type, 'byDefault', `${sc.name}: GENERATED BY DEFAULT AS IDENTITY`)
      }
      t.same(columnShape(pc), want, `column ${sc.name}`)
      if (pc.dataType === 'date') {
        const ts = pc as PgColumn & { withTimezone?: boolean; precision?: number }
        t.same([pc.columnType, ts.withTimezone, ts.precision], ['PgTimestamp', true, 3], `${sc.name}: timestamptz(3), milliseconds like SQLite`)
      }
    }

    const pk = (cols: { name: string }[]) => cols.map((c) => c.name)
    t.same(
      p.columns.filter((c) => c.primary).map((c) => c.name),
      s.columns.filter((c) => c.primary).map((c) => c.name),
      'primary key columns',
    )
    t.same(p.primaryKeys.map((k) => pk(k.columns)), s.primaryKeys.map((k) => pk(k.columns)), 'composite primary keys')

    const fks = (list: { reference(): { columns: { name: string }[]; foreignColumns: { name: string }[]; foreignTable: unknown }; onDelete?: string; onUpdate?: string }[], nameOf: (t: never) => string) =>
      list
        .map((fk) => {
          const r = fk.reference()
          return { columns: pk(r.columns), table: nameOf(r.foreignTable as never), foreignColumns: pk(r.foreignColumns), onDelete: fk.onDelete ?? 'no action', onUpdate: fk.onUpdate ?? 'no action' }
        })
        .sort((a, b) => a.columns.join().localeCompare(b.columns.join()))
    t.same(
      fks(p.foreignKeys, (x: PgTable) => pgConfig(x).name),
      fks(s.foreignKeys, (x: SQLiteTable) => sqliteConfig(x).name),
      'foreign keys (columns, table, columns there, on delete)',
    )

    const idx = (list: { config: { name?: string; unique: boolean; columns: unknown[]; where?: unknown } }[]) =>
      list
        .map((i) => ({ name: i.config.name, unique: i.config.unique, columns: i.config.columns.map((c) => (c as { name: string }).name), partial: i.config.where !== undefined }))
        .sort((a, b) => String(a.name).localeCompare(String(b.name)))
    t.same(idx(p.indexes), idx(s.indexes), 'indexes: names, uniqueness, columns')
    t.same(
      p.uniqueConstraints.map((u) => ({ name: u.name, columns: pk(u.columns) })),
      s.uniqueConstraints.map((u) => ({ name: u.name, columns: pk(u.columns) })),
      'unique constraints',
    )
    t.same(p.checks.map((c) => c.name), s.checks.map((c) => c.name), 'check constraints')
  })
}
