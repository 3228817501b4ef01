// The operator's CLI, run as the operator runs it: `node --import tsx src/admin.ts invite ...`
// against a database in a temporary folder. The username on stdout, Dutch messages on stderr.
import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Test } from 'tap'
import { newDatabase } from './helpers/admin.ts'
import { testSecretKey } from './helpers/world.ts'


const root = join(dirname(fileURLToPath(import.meta.url)), '..')

interface Run {
  code: number
  stdout: string
  stderr: string
}

function admin(databasePath: string, args: string[]): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', DATABASE_PATH: databasePath, SECRET_KEY: testSecretKey }
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/admin.ts', ...args], { cwd: root, env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
      resolve({ code, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

/** Runs the rows a few at a time: each run starts a Node process, and the machine has two cores. */
async function eachLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        results[i] = await fn(items[i]!)
      }
    }),
  )
  return results
}

function tempDatabase(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return newDatabase(join(dir, 'portal.db'))
}

interface Row {
  username: string
  name: string
  email: string
  phone: string
}

function accounts(databasePath: string): Row[] {
  const db = new Database(databasePath, { readonly: true })
  try {
    return db.prepare('select username, name, email, phone from accounts order by id').all() as Row[]
  } finally {
    db.close()
  }
}

function invitations(databasePath: string): { recipient: string; sender: string; sender_name: string | null; kind: string; status: string }[] {
  const db = new Database(databasePath, { readonly: true })
  try {
    return db.prepare("select recipient, sender, sender_name, kind, status from outbox where kind = 'invite' order by id").all() as never
  } finally {
    db.close()
  }
}

const invite = (o: { name?: string; email?: string; phone?: string; username?: string }) => [
  'invite',
  ...(o.name === undefined ? [] : ['--name', o.name]),
  ...(o.email === undefined ? [] : ['--email', o.email]),
  ...(o.phone === undefined ? [] : ['--phone', o.phone]),
  ...(o.username === undefined ? [] : ['--username', o.username]),
]

await t.test('invite: prints the username, stores the account, sends the invitation', async (t) => {
  const db = tempDatabase(t)
  const rows: { name: string; args: string[]; username: string; stored: Partial<Row> }[] = [
    {
      name: 'all options, phone in E.164',
      args: invite({ name: 'Jan de Vries', email: 'jan@example.org', phone: '+31612341361', username: 'jdevries' }),
      username: 'jdevries',
      stored: { name: 'Jan de Vries', email: 'jan@example.org', phone: '+31612341361' },
    },
    {
      name: 'phone as 06-12341361, username suggested from the name',
      args: invite({ name: 'Piet Jansen', email: 'piet@example.org', phone: '06-12341361' }),
      username: 'pjansen',
      stored: { name: 'Piet Jansen', phone: '+31612341361' },
    },
    {
      name: 'suggested username taken: a number appended',
      args: invite({ name: 'Jan de Vries', email: 'jan2@example.org', phone: '0612345678' }),
      username: 'jdevries2',
      stored: { email: 'jan2@example.org', phone: '+31612345678' },
    },
  ]
  for (const row of rows) {
    const run = await admin(db, row.args)
    t.equal(run.code, 0, `${row.name}: exit 0\n${run.stderr}`)
    t.equal(run.stdout, `${row.username}\n`, `${row.name}: the username, alone, on stdout`)
    t.match(run.stderr, /Uitnodiging voor/, `${row.name}: a Dutch note on stderr`)
    const stored = accounts(db).find((a) => a.username === row.username)
    t.ok(stored, `${row.name}: stored`)
    t.match(stored, row.stored, `${row.name}: as typed, the phone in E.164`)
  }
  const mails = invitations(db)
  t.equal(mails.length, 3, 'one invitation each')
  t.same(mails.map((m) => m.recipient), ['jan@example.org', 'piet@example.org', 'jan2@example.org'])
  t.ok(mails.every((m) => m.sender === 'no-reply@praktijk.example' && m.sender_name === 'Praktijk De Linde'), 'from the practice sender, under the practice’s name')
  t.ok(mails.every((m) => m.status === 'sent'), 'delivered (to the dev outbox here)')
})

await t.test('invite: mistakes get a Dutch message on stderr and a non-zero exit', async (t) => {
  const db = tempDatabase(t)
  const first = await admin(db, invite({ name: 'Jan de Vries', email: 'jan@example.org', phone: '+31612341361', username: 'jdevries' }))
  t.equal(first.code, 0, first.stderr)

  const ok = { name: 'Anna Bakker', email: 'anna@example.org', phone: '+31611111111' }
  const rows: { name: string; args: string[]; message: RegExp }[] = [
    { name: 'bad e-mail', args: invite({ ...ok, email: 'anna@' }), message: /Vul een geldig e-mailadres in/ },
    { name: 'bad phone', args: invite({ ...ok, phone: '12345' }), message: /Vul een geldig mobiel nummer in/ },
    { name: 'a landline', args: invite({ ...ok, phone: '020-1234567' }), message: /Vul een geldig mobiel nummer in/ },
    { name: 'missing --name', args: invite({ email: ok.email, phone: ok.phone }), message: /Ontbrekend: --name/ },
    { name: 'missing --email and --phone', args: invite({ name: ok.name }), message: /Ontbrekend: --email, --phone/ },
    { name: 'unknown option', args: [...invite(ok), '--foo', 'bar'], message: /Onbekende optie: --foo/ },
    { name: 'duplicate username', args: invite({ ...ok, username: 'jdevries' }), message: /Deze gebruikersnaam is al in gebruik/ },
    { name: 'a username with spaces', args: invite({ ...ok, username: 'anna bakker' }), message: /Een gebruikersnaam heeft 3 tot 32 tekens/ },
    { name: 'unknown command', args: ['uitnodigen', '--name', 'x'], message: /Onbekende opdracht: uitnodigen/ },
  ]
  const runs = await eachLimited(rows, 3, (row) => admin(db, row.args))
  for (const [i, row] of rows.entries()) {
    const run = runs[i]!
    t.not(run.code, 0, `${row.name}: non-zero exit`)
    t.match(run.stderr, row.message, `${row.name}: says what is wrong`)
    t.equal(run.stdout, '', `${row.name}: nothing on stdout`)
    t.notMatch(run.stderr, /\n\s+at |node_modules|Error:/, `${row.name}: no stack trace`)
  }
  t.same(accounts(db).map((a) => a.username), ['jdevries'], 'nothing was created')
  t.equal(invitations(db).length, 1, 'nothing was sent')
})

await t.test('--help', async (t) => {
  const db = tempDatabase(t)
  const [general, command, none] = await eachLimited([['--help'], ['invite', '--help'], []], 3, (args) => admin(db, args))
  t.equal(general!.code, 0)
  t.match(general!.stdout, /Gebruik: npm run admin -- \[--env-file BESTAND\] <opdracht>/)
  t.match(general!.stdout, /invite --name "Jan de Vries" --email jan@example.org --phone \+31612341361/)

  t.equal(command!.code, 0)
  t.match(command!.stdout, /Gebruik: npm run admin -- invite --name NAAM --email E-MAIL --phone MOBIEL/)
  t.match(command!.stdout, /06-12341361/)

  t.not(none!.code, 0, 'no command at all is a usage error')
  t.match(none!.stdout + none!.stderr, /Gebruik:/)
})
