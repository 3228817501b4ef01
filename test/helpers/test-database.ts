// Which engine the suite runs on: SQLite by default; `TEST_DATABASE=pglite` runs PostgreSQL inside the
// test process (PGlite, a fresh database per world); `TEST_POSTGRES_URL=postgres://.../postgres` runs a
// real server (.ci/run starts one), a fresh database per world, dropped afterwards.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Test } from 'tap'

/** The engine this run tests: 'sqlite', 'pglite' or 'postgres'. */
export const testEngine: 'sqlite' | 'pglite' | 'postgres' = process.env.TEST_POSTGRES_URL ? 'postgres' : process.env.TEST_DATABASE === 'pglite' ? 'pglite' : 'sqlite'

/** DATABASE_URL for a new world (undefined: SQLite at DATABASE_PATH). */
export async function freshDatabaseUrl(t: Test): Promise<string | undefined> {
  if (testEngine === 'pglite') return 'pglite:memory'
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
      await again.query(`drop database if exists ${name} with (force)`)
    } finally {
      await again.end()
    }
  })
  const url = new URL(server)
  url.pathname = `/${name}`
  return url.href
}
