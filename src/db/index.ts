// The database handle the domain runs on (docs/decisions/0021): one small object whose query methods
// (select, insert, update, delete) go to the current transaction's connection inside `transaction(fn)`
// and to the shared connection outside one. AsyncLocalStorage carries "the current transaction" through
// every await of every domain function called inside it, so no function passes a `tx` around.
//
// SQLite: one better-sqlite3 connection, shared by every request, behind drizzle's sqlite-proxy driver.
// Its one callback is a gate: while a transaction is open (BEGIN IMMEDIATE, serialised by an async
// mutex), statements from outside it wait until it ends, so no other request's statement lands inside
// an open transaction while it awaits. Statements are prepared once per SQL text.
import Database from 'better-sqlite3'
import { drizzle as drizzleSync } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { drizzle, type SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy'
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core'
import { sql, type SQL } from 'drizzle-orm'
import { AsyncLocalStorage } from 'node:async_hooks'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { root } from '../paths.ts'
import { sealAuditLog } from './audit-chain.ts'
import * as schema from './schema.ts'
import { useTables } from './tables.ts'

/** The query builder the domain is written against: drizzle's async SQLite API (the PostgreSQL one has the same shape). */
export type Query = SqliteRemoteDatabase<typeof schema>

export interface Db {
  readonly dialect: 'sqlite' | 'pg'
  readonly select: Query['select']
  readonly insert: Query['insert']
  readonly update: Query['update']
  readonly delete: Query['delete']
  /**
   * Runs `fn` in one transaction: every query of every function it calls (and awaits) runs inside it.
   * Inside a transaction already, `fn` joins it. Rolled back when `fn` throws.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>
  /** Raw SQL (db/dialect.ts spells what differs), rows as objects keyed by the SQL's column names. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>
  /** Runs `fn` outside the current transaction (work that outlives it: delivery, telling apps). */
  detached<T>(fn: () => T): T
  /** Calls `fn` once the current transaction has committed (never when it rolls back); at once outside one. */
  afterCommit(fn: () => void): void
  /**
   * Runs `fn` unless it runs already, here or (PostgreSQL) in another process on the same database: the
   * sweeper and other periodic work. Undefined when it was running elsewhere.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>
  close(): Promise<void>
  /** The SQLite connection itself: backups, and tests that look at raw rows (PostgreSQL: throws). */
  readonly $client: Database.Database
}

const migrationsFolder = join(root, 'migrations')

/** An async mutex: a queue of waiters, each let in when the one before releases. */
class Mutex {
  private tail: Promise<void> = Promise.resolve()
  lock(): Promise<() => void> {
    let release!: () => void
    const next = new Promise<void>((resolve) => (release = resolve))
    const entered = this.tail.then(() => release)
    this.tail = this.tail.then(() => next)
    return entered
  }
}

export interface TxContext {
  open: boolean
  /** Called after COMMIT, outside the transaction. */
  after: (() => void)[]
}

/** `detached` and `afterCommit`, alike on both engines: what a transaction carried in `als` owes its callers. */
export function transactionCallbacks(als: AsyncLocalStorage<TxContext>): Pick<Db, 'detached' | 'afterCommit'> {
  return {
    detached: (fn) => als.exit(fn),
    afterCommit(fn) {
      const context = als.getStore()
      if (context?.open) context.after.push(fn)
      else fn()
    },
  }
}

/**
 * Opens the portal's database: PostgreSQL when DATABASE_URL is set (db/pg-handle.ts), otherwise the
 * SQLite file at DATABASE_PATH (created when missing). Either is brought up to date first.
 */
export async function openDatabase(where: { databasePath: string; databaseUrl?: string | null }): Promise<Db> {
  // Loaded only for PostgreSQL: an SQLite process (and the CLI) never carries the drivers in memory.
  if (where.databaseUrl) return await (await import('./pg-handle.ts')).openPgHandle(where.databaseUrl)
  return openSqlite(where.databasePath)
}

/** Opens (and creates) the SQLite file and brings its schema up to date. */
export function openSqlite(path: string): Db {
  if (path !== ':memory:') protectFiles(path)
  const sqlite = new Database(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('busy_timeout = 5000')
  // Migrations run with foreign keys off: inside the migrator's transaction a generated
  // `PRAGMA foreign_keys=OFF` is a no-op, and a table rebuild would cascade-delete child rows.
  sqlite.pragma('foreign_keys = OFF')
  migrate(drizzleSync(sqlite), { migrationsFolder })
  const broken = sqlite.pragma('foreign_key_check') as unknown[]
  if (broken.length > 0) throw new Error(`Database foreign key check failed after migration: ${JSON.stringify(broken.slice(0, 5))}`)
  sqlite.pragma('foreign_keys = ON')
  // After the migrations: a table rebuild drops triggers, so they are put back at every start.
  sealAuditLog(sqlite)
  useTables(schema)
  return sqliteHandle(sqlite)
}

export function sqliteHandle(sqlite: Database.Database): Db {
  // Two caches: drizzle's builder reads rows as arrays (raw mode), `rows()` as objects.
  const arrays = new Map<string, Database.Statement>()
  const objects = new Map<string, Database.Statement>()
  const prepared = (text: string, cache = arrays) => {
    let found = cache.get(text)
    if (!found) cache.set(text, (found = sqlite.prepare(text)))
    return found
  }
  const als = new AsyncLocalStorage<TxContext>()
  const mutex = new Mutex()
  let active: TxContext | null = null
  const running = new Set<string>()

  const execute = (text: string, params: unknown[], method: 'run' | 'all' | 'values' | 'get') => {
    const statement = prepared(text)
    if (method === 'run' && !statement.reader) {
      statement.run(...params)
      return { rows: [] }
    }
    // sqlite-proxy maps rows by position: arrays for builder queries.
    const raw = statement.raw(true)
    return { rows: method === 'get' ? (raw.get(...params) as unknown[]) : (raw.all(...params) as unknown[]) }
  }
  /** The gate: a statement from outside the open transaction waits until that transaction ends. */
  const gated = async <T>(run: () => T): Promise<T> => {
    // Statements run synchronously (better-sqlite3): with no transaction open, nothing can come between.
    if (active === null || als.getStore() === active) return run()
    const release = await mutex.lock()
    try {
      return run()
    } finally {
      release()
    }
  }
  const query = drizzle(async (text, params, method) => gated(() => execute(text, params, method)), { schema })
  const dialect = new SQLiteAsyncDialect()

  const db: Db = {
    dialect: 'sqlite',
    select: query.select.bind(query) as Query['select'],
    insert: query.insert.bind(query) as Query['insert'],
    update: query.update.bind(query) as Query['update'],
    delete: query.delete.bind(query) as Query['delete'],
    async transaction<T>(fn: () => Promise<T>): Promise<T> {
      const context = als.getStore()
      if (context?.open) return await fn()
      const release = await mutex.lock()
      let committed = false
      const tx: TxContext = { open: true, after: [] }
      try {
        sqlite.prepare('begin immediate').run()
        active = tx
        try {
          const result = await als.run(tx, fn)
          sqlite.prepare('commit').run()
          committed = true
          return result
        } catch (error) {
          if (sqlite.inTransaction) sqlite.prepare('rollback').run()
          throw error
        }
      } finally {
        tx.open = false
        active = null
        release()
        if (committed) for (const fn of tx.after) als.exit(fn)
      }
    },
    async rows<T>(raw: SQL): Promise<T[]> {
      const { sql: text, params } = dialect.sqlToQuery(raw)
      return await gated(() => {
        const statement = prepared(text, objects)
        if (!statement.reader) {
          statement.run(...params)
          return [] as T[]
        }
        return statement.all(...params) as T[]
      })
    },
    ...transactionCallbacks(als),
    // One process owns an SQLite file (decision 0014): running here is running anywhere.
    async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
      if (running.has(name)) return undefined
      running.add(name)
      try {
        return await fn()
      } finally {
        running.delete(name)
      }
    },
    async close() {
      // Waits for an open transaction to end before closing.
      const release = await mutex.lock()
      try {
        sqlite.close()
      } finally {
        release()
      }
    },
    $client: sqlite,
  }
  return db
}

/**
 * The database holds personal data: the folder is the service's alone (0700 when we make it) and the
 * file 0600 before SQLite opens it, which then gives its -wal and -shm files the same mode. Files from
 * an older version (0644) are tightened at start.
 */
function protectFiles(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600))
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600)
}

/** The first row of a query's rows (what SQLite's `.then(first)` was): `await query.then(first)`. */
export const first = <T>(rows: T[]): T | undefined => rows[0]

/** What an UPDATE or DELETE returns to be counted (`(await query.returning(counted)).length`): both engines know RETURNING. */
export const counted = { one: sql<number>`1` }

/** The one row an INSERT ... RETURNING gives. */
export function only<T>(rows: T[]): T {
  const row = rows[0]
  if (row === undefined) throw new Error('Expected one row, got none')
  return row
}
