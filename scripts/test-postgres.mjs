// The PostgreSQL half of `npm test`: every test file named in test/postgres.list, on PostgreSQL.
// With TEST_POSTGRES_URL (postgres://user@host:port/postgres) against that server, a fresh database per
// test world (.ci/run starts one); without it on PGlite, PostgreSQL in this process, so a bare machine
// runs it too. Extra arguments go to tap (e.g. a file of the list, to run just that one).
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The files of test/postgres.list: one a line, `#` starts a comment. */
export function listedFiles(text = readFileSync(join(root, 'test', 'postgres.list'), 'utf8')) {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const extra = process.argv.slice(2)
  const files = extra.some((a) => a.endsWith('.ts')) ? [] : listedFiles()
  const env = { ...process.env }
  if (env.TEST_POSTGRES_URL) delete env.TEST_DATABASE
  else env.TEST_DATABASE = 'pglite'
  console.log(`PostgreSQL tests on ${env.TEST_POSTGRES_URL ? 'the server at TEST_POSTGRES_URL' : 'PGlite'}: ${files.length || 'the named'} file(s)`)
  const tap = join(root, 'node_modules', '.bin', 'tap')
  const run = spawnSync(tap, ['--disable-coverage', '-j2', ...extra, ...files], { cwd: root, env, stdio: 'inherit' })
  process.exit(run.status ?? 1)
}
