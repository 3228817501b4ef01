import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { root } from '../paths.ts'
import { sealAuditLog } from './audit-chain.ts'
import * as schema from './schema.ts'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

const migrationsFolder = join(root, 'migrations')

/** Opens (and creates) the SQLite file and brings its schema up to date. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') protectFiles(path)
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
