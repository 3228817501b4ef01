// `npm run admin -- backup FILE`: a consistent copy of the live database, never over an existing file.
import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { newDatabase } from './helpers/admin.ts'
import { testSecretKey } from './helpers/world.ts'

const run = promisify(execFile)

await t.test('backup: a checked copy, then a refusal to overwrite it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-backup-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = { ...process.env, NODE_ENV: 'test', DATABASE_PATH: newDatabase(join(dir, 'portal.db')), SECRET_KEY: testSecretKey }
  const admin = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/admin.ts', ...args], { env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )
  t.equal((await admin('invite', '--name', 'Jan de Vries', '--email', 'jan@example.org', '--phone', '06-12341361')).code, 0)

  const file = join(dir, 'backup.db')
  const made = await admin('backup', file)
  t.equal(made.code, 0, made.stderr)
  t.equal(made.stdout.trim(), file, 'prints the file')
  t.match(made.stderr, /SECRET_KEY apart/, 'reminds the operator of the key')
  const copy = new Database(file, { readonly: true })
  t.same(copy.prepare('select username, phone from accounts').all(), [{ username: 'jdevries', phone: '+31612341361' }], 'the copy holds the data')
  t.equal(copy.pragma('integrity_check', { simple: true }), 'ok')
  copy.close()

  const again = await admin('backup', file)
  t.not(again.code, 0, 'an existing file is never overwritten')
  t.match(again.stderr, /bestaat al/)
  const none = await admin('backup')
  t.not(none.code, 0, 'a file name is required')
  t.match(none.stderr, /Geef één bestandsnaam/)
})
