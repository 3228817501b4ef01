// The database handle (db/index.ts's Db) on PostgreSQL (docs/decisions/0022): node-postgres's pool for
// a server (DATABASE_URL=postgres://...), or PGlite in this process (DATABASE_URL=pglite:...).
//
// The domain was written for SQLite, where a write transaction runs alone. On a server, a transaction
// takes the writers' lock before its BEGIN, so those of every process run one at a time (as on SQLite),
// SERIALIZABLE. A transaction PostgreSQL still refuses (40001, or a deadlock, 40P01) runs again whole on
// a fresh snapshot; its afterCommit work is queued per attempt, so nothing of a refused attempt leaks.
// Statements outside a transaction are single statements; the ones that count guesses or claim rows
// are conditional (`UPDATE ... WHERE ... RETURNING`), which is atomic at any isolation level.
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomInt } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { SQL } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import type pg from 'pg'
import { lockKey } from './dialect.ts'
import { transactionCallbacks, type Db, type Query, type TxContext as BaseContext } from './index.ts'
import { openPglite, openPostgres, type AnyPgDb } from './pg.ts'
import * as schema from './schema-pg.ts'
import { useTables } from './tables.ts'

interface TxContext extends BaseContext {
  tx: AnyPgDb
}

/**
 * How often a transaction PostgreSQL refused for serialisation is tried in all. Thirty parallel guesses
 * on one username, spread over two processes (test-pg/two-processes.test.ts), let one to three through
 * per round: the last needed 18 attempts; 12 answered some of them with a 500.
 */
const attempts = 30

/**
 * The wait before attempt `n + 1`: random up to 5 ms * 2^n, at most 250 ms ("full jitter"). Retried at
 * once, thirty requests on one hot row (a username's guess counter) meet again on the next attempt and
 * some ran out of attempts (a 500) on a real server; spread out, each round lets several through.
 */
const backoffMs = (n: number) => randomInt(1, Math.min(250, 5 * 2 ** n) + 1)

/** Opens DATABASE_URL (postgres:// or pglite:), migrated, and points the domain's tables at PostgreSQL's. */
export async function openPgHandle(url: string): Promise<Db> {
  if (url.startsWith('pglite:')) {
    const where = url.slice('pglite:'.length).replace(/^\/\//, '')
    const opened = await openPglite(where === '' || where === 'memory' ? undefined : where)
    useTables(schema)
    return pgHandle(opened.db, opened.close, null)
  }
  const opened = await openPostgres(url)
  // An idle connection the server drops (a restart) is an error event on the pool: logged by the query
  // that next fails, never a crash of the process.
  opened.client.on('error', () => {})
  useTables(schema)
  return pgHandle(opened.db, opened.close, opened.client)
}

function pgHandle(base: AnyPgDb, close: () => Promise<void>, pool: pg.Pool | null): Db {
  const als = new AsyncLocalStorage<TxContext>()
  // The open transaction's connection, else the pool. A promise chained inside a transaction keeps its
  // store after the commit (afterCommit work, for one): a closed transaction counts as none.
  const connection = (): AnyPgDb => {
    const context = als.getStore()
    return context?.open ? context.tx : base
  }
  const current = (): Query => connection() as unknown as Query
  const held = new Set<string>()
  const onClient = new WeakMap<pg.PoolClient, AnyPgDb>()

  /**
   * A transaction on the server, as SQLite runs one: after the writers' lock (a session advisory lock,
   * taken on the transaction's own connection BEFORE its BEGIN, so its snapshot is taken after the
   * previous writer committed). Write transactions of every process run one at a time, each short (the
   * hash runs outside them); SERIALIZABLE and the retry stay for what the lock does not order.
   */
  const serverTransaction = async <T>(pool: pg.Pool, fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect()
      let context: TxContext | undefined
      let broken: unknown
      try {
        await client.query('select pg_advisory_lock($1::bigint)', [writersKey])
        try {
          await client.query('begin isolation level serializable')
          let tx = onClient.get(client)
          if (!tx) onClient.set(client, (tx = drizzle(client, { schema }) as unknown as AnyPgDb))
          context = { open: true, after: [], tx }
          try {
            const result = await als.run(context, fn)
            await client.query('commit')
            context.open = false
            for (const after of context.after) als.exit(after)
            return result
          } catch (error) {
            context.open = false
            await client.query('rollback').catch((e: unknown) => (broken = e))
            throw error
          }
        } finally {
          await client.query('select pg_advisory_unlock($1::bigint)', [writersKey]).catch((e: unknown) => (broken = e))
        }
      } catch (error) {
        if (attempt < attempts && retryable(error)) {
          await sleep(backoffMs(attempt))
          continue
        }
        throw error
      } finally {
        // A connection that failed to roll back or unlock is closed, never handed to the next request.
        client.release(broken instanceof Error ? broken : undefined)
      }
    }
  }

  const db: Db = {
    dialect: 'pg',
    select: ((...args: Parameters<Query['select']>) => current().select(...args)) as Query['select'],
    insert: ((table: Parameters<Query['insert']>[0]) => current().insert(table)) as Query['insert'],
    update: ((table: Parameters<Query['update']>[0]) => current().update(table)) as Query['update'],
    delete: ((table: Parameters<Query['delete']>[0]) => current().delete(table)) as Query['delete'],
    async transaction<T>(fn: () => Promise<T>): Promise<T> {
      if (als.getStore()?.open) return await fn()
      if (pool) return await serverTransaction(pool, fn)
      // PGlite: one connection, whose transactions run one at a time already.
      for (let attempt = 1; ; attempt++) {
        let context: TxContext | undefined
        try {
          const result = await base.transaction(
            async (tx) => {
              context = { open: true, after: [], tx }
              return await als.run(context, fn)
            },
            { isolationLevel: 'serializable' },
          )
          context!.open = false
          for (const after of context!.after) als.exit(after)
          return result
        } catch (error) {
          if (context) context.open = false
          if (attempt < attempts && retryable(error)) {
            await sleep(backoffMs(attempt))
            continue
          }
          throw error
        }
      }
    },
    async rows<T>(query: SQL): Promise<T[]> {
      const result = (await connection().execute(query)) as { rows: T[] }
      return result.rows
    },
    ...transactionCallbacks(als),
    async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
      // In this process first (PGlite is one process), then over every process on the server: a
      // session-level advisory lock on a connection of its own, released with it.
      if (held.has(name)) return undefined
      held.add(name)
      try {
        if (!pool) return await fn()
        const connection = await pool.connect()
        try {
          const key = lockKey(name)
          const { rows } = await connection.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [key])
          if (!rows[0]?.locked) return undefined
          try {
            return await fn()
          } finally {
            await connection.query('select pg_advisory_unlock($1::bigint)', [key])
          }
        } finally {
          connection.release()
        }
      } finally {
        held.delete(name)
      }
    },
    close,
    get $client(): never {
      throw new Error('No SQLite connection: this portal runs on PostgreSQL (DATABASE_URL).')
    },
  }
  return db
}

/** The writers' lock: one write transaction at a time over all processes, as on SQLite. */
const writersKey = lockKey('writers')

/** SERIALIZABLE's refusals, which a new attempt may pass: serialization_failure and deadlock_detected. */
function retryable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code
    if (code === '40001' || code === '40P01') return true
  }
  return false
}
