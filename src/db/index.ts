import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { root } from '../paths.ts'
import { sealAuditLog } from './audit-chain.ts'
import * as schema from './schema.ts'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

const migrationsFolder = join(root, 'migrations')

/** Opens (and creates) the SQLite file and brings its schema up to date. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('busy_timeout = 5000')
  const db = drizzle(sqlite, { schema }) as Db
  // Migrations run with foreign keys off: inside the migrator's transaction a generated
  // `PRAGMA foreign_keys=OFF` is a no-op, and a table rebuild would cascade-delete child rows.
  sqlite.pragma('foreign_keys = OFF')
  migrate(db, { migrationsFolder })
  const broken = sqlite.pragma('foreign_key_check') as unknown[]
  if (broken.length > 0) throw new Error(`Database foreign key check failed after migration: ${JSON.stringify(broken.slice(0, 5))}`)
  sqlite.pragma('foreign_keys = ON')
  // After the migrations: a table rebuild drops triggers, so they are put back at every start.
  sealAuditLog(sqlite)
  return db
}
