// Issue 22 item 6: the CLI works with exactly the service's settings. --env-file reads an EnvironmentFile
// the way systemd does (quotes, comments, a # inside a value); the CLI says which database it works on;
// it never makes a new database (run without the service's environment it refuses, naming the path and
// how to pass the settings); --version.
import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import type { Test } from 'tap'
import { parseEnvironmentFile } from '../src/cli/env-file.ts'
import { newDatabase } from './helpers/admin.ts'
import { testSecretKey } from './helpers/world.ts'


const root = join(import.meta.dirname, '..')
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href

/** The CLI as an operator runs it, from `cwd` (a folder that is not the code's), with only `env`. */
function cli(cwd: string, env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', tsx, join(root, 'src', 'admin.ts'), ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    )
  })
}

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-cli-env-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

await t.test('EnvironmentFile syntax, as systemd reads it', async (t) => {
  const rows: [string, string, Record<string, string>][] = [
    ['plain', 'A=1', { A: '1' }],
    ['blanks around key and value dropped, inner kept', '  B =  two  words  ', { B: 'two  words' }],
    ['comments with # and ;, blank lines', '# a comment\n; another\n\nC=3', { C: '3' }],
    ['a # inside an unquoted value is part of it', 'SMTP_URL=smtp://user:pa#ss@mail.example:587 #x', { SMTP_URL: 'smtp://user:pa#ss@mail.example:587 #x' }],
    ['single quotes: everything as it is', "D='it''s $HOME #not \\n'", { D: 'its $HOME #not \\n' }],
    ['double quotes: \\" \\\\ \\$ \\` unescaped, other backslashes kept', 'E="a \\"b\\" \\\\ \\$x \\`y\\` \\n"', { E: 'a "b" \\ $x `y` \\n' }],
    ['double quotes over two lines', 'F="one\ntwo"', { F: 'one\ntwo' }],
    ['a backslash at the end joins the next line', 'G=ab\\\ncd', { G: 'abcd' }],
    ['quoted parts join; a quote after an unquoted part is kept', 'H="x"\'y\'z"w"', { H: 'xyz"w"' }],
    ['an empty value', 'I=', { I: '' }],
    ['a line without = is no assignment', 'JUSTTEXT\nK=1', { K: '1' }],
    ['the last one wins', 'L=1\nL=2', { L: '2' }],
    ['CR LF line ends', 'M=1\r\nN=2\r\n', { M: '1', N: '2' }],
    ['no newline at the end', 'O=last', { O: 'last' }],
    ['the .env.example style', `PORTAL_NAME='Mijn Therapie Dossier'\nMAIL_FROM_PRACTICE='"Praktijk De Linde" <no-reply@praktijk.example>'`, { PORTAL_NAME: 'Mijn Therapie Dossier', MAIL_FROM_PRACTICE: '"Praktijk De Linde" <no-reply@praktijk.example>' }],
  ]
  for (const [name, text, values] of rows) t.same(parseEnvironmentFile(text).values, values, name)

  const skipped = parseEnvironmentFile('export P=1\n1Q=2\nR=ok\nS="bell\u0007"\n')
  t.same(skipped.values, { R: 'ok' }, 'invalid names and control characters are skipped, as systemd skips them')
  t.same(skipped.skipped, [
    { line: 1, name: 'export P', reason: 'name' },
    { line: 2, name: '1Q', reason: 'name' },
    { line: 4, name: 'S', reason: 'value' },
  ])

  // The shipped example parses to what its comments say, with every setting named.
  const example = parseEnvironmentFile(readFileSync(join(root, '.env.example'), 'utf8'))
  t.same(example.skipped, [])
  t.equal(example.values.PORTAL_NAME, 'Mijn Therapie Dossier')
  t.equal(example.values.MAIL_FROM_MFA, '"Mijn Therapie Dossier verificatie" <verificatie@mijntherapiedossier.example>')
  t.ok('SECRET_KEYS_OLD' in example.values && 'OPERATOR_LANGUAGE' in example.values, 'the new settings are in the example')
})

await t.test('without the service’s environment: refused, exit 78, the path and the way out named, nothing made', async (t) => {
  const dir = tempDir(t)
  const bare = await cli(dir, { HOME: dir }, ['list'])
  t.equal(bare.code, 78)
  t.match(bare.stderr, new RegExp(`Database: ${join(dir, 'data', 'portal.db')}`), 'which database it would have worked on')
  t.match(bare.stderr, /Er is geen database op .*data\/portal\.db/)
  t.match(bare.stderr, /--env-file \/etc\/mtd-portal\/portal\.env/, 'how to pass the settings')
  t.same(readdirSync(dir), [], 'no data folder, no database, no generated key')

  const production = await cli(dir, { NODE_ENV: 'production', DATABASE_PATH: join(dir, 'elders', 'portal.db') }, ['invite', '--name', 'Jan de Vries', '--email', 'jan@example.org', '--phone', '+31612341361'])
  t.equal(production.code, 78, 'production with no database file at DATABASE_PATH: refused before anything else')
  t.match(production.stderr, /Er is geen database op .*elders\/portal\.db/)
  t.notOk(existsSync(join(dir, 'elders')))

  const english = await cli(dir, { LANG: 'en_GB.UTF-8' }, ['list'])
  t.match(english.stderr, /There is no database at/, 'in the operator’s language')
})

await t.test('--env-file: exactly the service’s settings, whatever the shell has', async (t) => {
  const dir = tempDir(t)
  const database = newDatabase(join(dir, 'portal.db'))
  const file = join(dir, 'portal.env')
  writeFileSync(
    file,
    [
      '# /etc/mtd-portal/portal.env, as systemd reads it',
      'NODE_ENV=test',
      `DATABASE_PATH=${database}`,
      `SECRET_KEY="${testSecretKey}"`,
      "DEV_OUTBOX='on'",
      '; the practice contact, with a # that is not a comment',
      'PRACTICE_CONTACT=030 123 45 67 #2 (balie)',
      'export NOT_A_SETTING=1',
    ].join('\n'),
  )
  // The shell points elsewhere: none of it may count.
  const shell = { DATABASE_PATH: join(dir, 'other.db'), SECRET_KEY: 'not a key', NODE_ENV: 'production' }
  const run = await cli(dir, shell, ['--env-file', file, 'invite', '--name', 'Jan de Vries', '--email', 'jan@example.org', '--phone', '+31612341361'])
  t.equal(run.code, 0, run.stderr)
  t.equal(run.stdout, 'jdevries\n')
  t.match(run.stderr, new RegExp(`Database: ${database}`))
  t.match(run.stderr, /regel 8: "export NOT_A_SETTING" is geen geldige naam; overgeslagen/, 'a line systemd skips is skipped, and said')
  const db = new Database(database, { readonly: true })
  t.same(db.prepare('select contact from practices').all(), [{ contact: '030 123 45 67 #2 (balie)' }], 'the value as systemd reads it')
  db.close()
  t.notOk(existsSync(join(dir, 'other.db')))

  const missing = await cli(dir, {}, ['--env-file', join(dir, 'nope.env'), 'list'])
  if (missing.code === 9) {
    // Node 20 and 22 (22.23 checked in CI) look for --env-file among all arguments, the script's too, and
    // stop at a missing file before the CLI runs. Either way the operator reads a plain refusal.
    t.match(missing.stderr, /nope\.env: not found/, `Node ${process.version} itself refuses a missing --env-file`)
  } else {
    t.equal(missing.code, 78)
    t.match(missing.stderr, /--env-file: het bestand .*nope\.env is niet leesbaar \(ENOENT\)/)
  }
  const late = await cli(dir, {}, ['list', '--env-file', file])
  t.equal(late.code, 64)
  t.match(late.stderr, /--env-file hoort vóór de opdracht/)
})

await t.test('--version and version: the package version', async (t) => {
  const dir = tempDir(t)
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  for (const args of [['--version'], ['version']]) {
    const run = await cli(dir, {}, args)
    t.equal(run.code, 0)
    t.equal(run.stdout.trim(), `mijn-therapie-dossier-portal ${version}`, `${args[0]}: no database needed`)
  }
})
