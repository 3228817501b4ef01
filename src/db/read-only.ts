// A database file opened for reading only (issue 22 item 5): `audit verify`, `audit export` and the check
// of a backup must never change what they look at: no migration, no triggers, no -wal or -shm files
// beside it. SQLite's own read-only mode is not enough for that: on a file in WAL mode it still makes
// (and leaves) its -wal and -shm files.
//
// - With a -wal file beside it, the database is in use (the portal runs) or was not closed cleanly: its
//   companions exist already, and the newest rows may be in the WAL, so it is opened read-only in place.
// - Without one, the file holds everything: it is read into memory and opened there, so nothing on disk
//   is touched. A file in WAL mode (bytes 18 and 19 of its header are 2) is marked as a rollback-journal
//   file in that in-memory copy only (SQLite's file format, section 1.3.3), since memory has no WAL.
import Database from 'better-sqlite3'
import { existsSync, readFileSync } from 'node:fs'
import { sqliteHandle, type Db } from './index.ts'

export interface ReadOnlyDatabase {
  sqlite: Database.Database
  db: Db
  close(): void
}

/** Not an SQLite file (the first 16 bytes are not its magic string). */
export class NotADatabase extends Error {}

export function openReadOnly(path: string): ReadOnlyDatabase {
  let sqlite: Database.Database
  if (existsSync(`${path}-wal`)) {
    sqlite = new Database(path, { readonly: true, fileMustExist: true })
  } else {
    const bytes = readFileSync(path)
    if (bytes.subarray(0, 16).toString('latin1') !== 'SQLite format 3\u0000') throw new NotADatabase(path)
    if (bytes[18] === 2 && bytes[19] === 2) {
      bytes[18] = 1
      bytes[19] = 1
    }
    sqlite = new Database(bytes, { readonly: true })
  }
  const db = sqliteHandle(sqlite)
  return { sqlite, db, close: () => sqlite.close() }
}
