// Prepared statements, built once per database on first use. An unprepared Drizzle query builds and
// compiles its SQL on every call: ~40 us on a quiet core against ~3 us prepared, and up to ten times
// that for an upsert (docs/benchmarks.md). Hot paths (every request, every sign-in) use these.
import type { Db } from './index.ts'

export function preparedFor<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>()
  return (db) => {
    let found = cache.get(db)
    if (!found) cache.set(db, (found = build(db)))
    return found
  }
}
