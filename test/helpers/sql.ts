// Raw SQL for tests that look at (or tamper with) rows, on either engine (w.sql in world.ts). Written
// SQLite-style with `?` placeholders; drizzle numbers them $1..$n on PostgreSQL. It goes through the
// portal's own handle (`deps.db.rows`), so it waits for an open transaction like any statement.
//
// Values are normalised so an assertion reads the same on both engines:
// - times: PostgreSQL's timestamptz (a Date, or the text drizzle's drivers leave it as) comes back as
//   epoch ms, as SQLite stores it; pass a time as a Date (epoch ms on SQLite, a timestamp on PostgreSQL);
// - flags: PostgreSQL's booleans come back as 1/0, as SQLite stores them; pass a flag as a boolean;
// - counts: PostgreSQL's count(*) is a bigint, text on node-postgres: read it with `count()`, a number.
// SQL that differs between the engines does not belong in a test: src/db/dialect.ts has the spellings.
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../src/db/index.ts'

type Row = Record<string, unknown>

// How drizzle's PostgreSQL drivers hand back a timestamptz they leave unparsed: `2026-03-02 09:00:00.123+00`.
const pgTime = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::?(\d\d))?$/

function fromPg(value: unknown): unknown {
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string') {
    const time = pgTime.exec(value)
    if (time) return Date.parse(`${time[1]}T${time[2]}${time[3]}:${time[4] ?? '00'}`)
  }
  return value
}

function toSqlite(value: unknown): unknown {
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'boolean') return value ? 1 : 0
  return value
}

function toPg(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value
}

export function rawSql(db: Pick<Db, 'dialect' | 'rows'>) {
  const build = (text: string, params: unknown[]): SQL => {
    const parts = text.split('?')
    if (parts.length - 1 !== params.length) throw new Error(`${parts.length - 1} placeholders but ${params.length} parameters in: ${text}`)
    const chunks: SQL[] = [sql.raw(parts[0]!)]
    params.forEach((param, i) => chunks.push(sql`${db.dialect === 'pg' ? toPg(param) : toSqlite(param)}`, sql.raw(parts[i + 1]!)))
    return sql.join(chunks)
  }
  const all = async <T = Row>(text: string, ...params: unknown[]): Promise<T[]> => {
    const rows = await db.rows<Row>(build(text, params))
    if (db.dialect === 'sqlite') return rows as T[]
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, fromPg(value)])) as T)
  }
  return {
    /** Every row, values normalised (above). */
    all,
    /** The first row, or undefined. */
    get: async <T = Row>(text: string, ...params: unknown[]): Promise<T | undefined> => (await all<T>(text, ...params))[0],
    /** A statement whose rows do not matter (insert, update, delete). */
    run: async (text: string, ...params: unknown[]): Promise<void> => {
      await db.rows(build(text, params))
    },
    /** The first column of the first row as a number: `count('select count(*) from sessions')`. */
    count: async (text: string, ...params: unknown[]): Promise<number> => {
      const row = (await db.rows<Row>(build(text, params)))[0]
      return Number(row === undefined ? NaN : Object.values(row)[0])
    },
  }
}

export type RawSql = ReturnType<typeof rawSql>
