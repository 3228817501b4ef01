// The operator's CLI run as a separate process on a test database, the way an operator runs it.
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openSqlite } from '../../src/db/index.ts'
import { testSecretKey } from './world.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * An empty, migrated database at `path`, as the portal's first start leaves it: the CLI never makes a
 * database itself (it refuses, so it never works on the wrong one).
 */
export function newDatabase(path: string): string {
  openSqlite(path).$client.close()
  return path
}

/** `extra`: settings beside (or instead of) the test's own, e.g. another SECRET_KEY. */
export function admin(databasePath: string, args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', DATABASE_PATH: databasePath, SECRET_KEY: testSecretKey, ...extra }
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/admin.ts', ...args], { cwd: root, env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}
