// Which engine the suite runs on: SQLite by default; `TEST_DATABASE=pglite` runs PostgreSQL inside the
// test process (PGlite, a fresh database per world); `TEST_POSTGRES_URL=postgres://.../postgres` runs a
// real server (.ci/run starts one), a fresh database per world, dropped afterwards.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import pg from 'pg'
import type { Test } from 'tap'
import { openPglite, startMemoryPgliteFrom } from '../../src/db/pg.ts'

/** The engine this run tests: 'sqlite', 'pglite' or 'postgres'. */
export const testEngine: 'sqlite' | 'pglite' | 'postgres' = process.env.TEST_POSTGRES_URL ? 'postgres' : process.env.TEST_DATABASE === 'pglite' ? 'pglite' : 'sqlite'

/** DATABASE_URL for a new world (undefined: SQLite at DATABASE_PATH). */
export async function freshDatabaseUrl(t: Test): Promise<string | undefined> {
  if (testEngine === 'pglite') {
    await pgliteImage()
    return 'pglite:memory'
  }
  if (testEngine === 'sqlite') return undefined
  return await freshPostgresDatabase(t)
}

/** A new, empty database on the test server, dropped when the test ends. */
export async function freshPostgresDatabase(t: Test): Promise<string> {
  const server = process.env.TEST_POSTGRES_URL!
  const name = `mtd_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  try {
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  t.teardown(async () => {
    const again = new pg.Client({ connectionString: server })
    await again.connect()
    try {
      // FORCE ends the database's other connections, an autovacuum worker's among them: that takes
      // pg_signal_backend (scripts/postgres-server.sh grants it). On a server whose test role lacks it,
      // the drop is tried again until the worker is done: 42501 (not allowed to end it) or 55006 (in use).
      for (let attempt = 1; ; attempt++) {
        try {
          await again.query(`drop database if exists ${name} with (force)`)
          break
        } catch (err) {
          const code = (err as { code?: string }).code
          if ((code !== '42501' && code !== '55006') || attempt === 50) throw err
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
      }
    } finally {
      await again.end()
    }
  })
  const url = new URL(server)
  url.pathname = `/${name}`
  return url.href
}

let image: Promise<void> | undefined

/**
 * Once per test process: a PGlite migrated like the portal's, its data directory kept in memory, and
 * every later world started from it (src/db/pg.ts, startMemoryPgliteFrom). Starting PGlite runs initdb
 * (2-5 s here); loading a migrated directory takes a fraction of that, and the migrator then finds
 * nothing left to do. The compiled WebAssembly module and PGlite's file bundle are shared the same way.
 */
function pgliteImage(): Promise<void> {
  image ??= (async () => {
    // PGlite's own files, compiled and read once (each PGlite.create would do it again).
    const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'))
    const pgliteWasmModule = await WebAssembly.compile(readFileSync(join(dist, 'pglite.wasm')))
    const fsBundle = new Blob([readFileSync(join(dist, 'pglite.data'))])
    startMemoryPgliteFrom({ pgliteWasmModule, fsBundle })
    const first = await openPglite()
    try {
      startMemoryPgliteFrom({ pgliteWasmModule, fsBundle, loadDataDir: await first.client.dumpDataDir('none') })
    } finally {
      await first.close()
    }
  })()
  return image
}
