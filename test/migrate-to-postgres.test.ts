// `admin migrate-to-postgres` (issue 21 item 4): an SQLite installation with a patient onboarded with
// the authenticator app and a registered app, moved by the CLI (a separate process, as the operator runs
// it) into PostgreSQL (PGlite in a folder: DATABASE_URL=pglite:DIR), then signed into through the real
// app on PostgreSQL with the same password and a code from the same secret. Every table is counted on
// both sides, and every table of the source holds rows, so a table left behind fails the test.
import { PGlite } from '@electric-sql/pglite'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { verifyChain } from '../src/db/audit-chain.ts'
import { openReadOnly } from '../src/db/read-only.ts'
import { verifyAuditLog } from '../src/domain/audit.ts'
import { createRecoveryCodes } from '../src/domain/recovery-codes.ts'
import { subjectOf } from '../src/oidc/accounts.ts'
import { createAdapterFactory } from '../src/oidc/adapter.ts'
import { addClient, listClients } from '../src/oidc/clients.ts'
import { loadSigningKeys } from '../src/oidc/keys.ts'
import { admin } from './helpers/admin.ts'
import { enterPassword, onboardWithApp, signInWithApp, startForgot, type AppPatient } from './helpers/patients.ts'
import { jan, world } from './helpers/world.ts'

const folder = mkdtempSync(join(tmpdir(), 'mtd-migrate-'))
t.teardown(() => rmSync(folder, { recursive: true, force: true }))
const sqlitePath = join(folder, 'portal.db')
const pgDir = join(folder, 'pg')
const sessionId = 'app-session-of-jan'

/** Rows per table of the SQLite file (every table but drizzle's and SQLite's own bookkeeping). */
function sqliteCounts(path: string): Map<string, number> {
  // Read-only without leaving -wal and -shm files beside it (they would say the portal runs).
  const { sqlite: db, close } = openReadOnly(path)
  try {
    const names = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations' order by name").all() as { name: string }[]
    return new Map(names.map(({ name }) => [name, (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n]))
  } finally {
    close()
  }
}

async function pgCounts(dir: string): Promise<Map<string, number>> {
  const db = await PGlite.create(dir)
  try {
    const names = (await db.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' order by table_name")).rows
    const counts = new Map<string, number>()
    for (const { name } of names) counts.set(name, Number((await db.query<{ n: number }>(`select count(*)::int as n from "${name}"`)).rows[0]!.n))
    return counts
  } finally {
    await db.close()
  }
}

let patient!: AppPatient
let clientId = ''
let signingKeys: string[] = []
let head = ''

await t.test('an SQLite installation with a row in every table', async (t) => {
  const w = await world(t, { databasePath: sqlitePath })
  patient = await onboardWithApp(w)
  await createRecoveryCodes(w.deps, { actor: 'self' }, patient.account)
  // A wrong password (throttles) and the forgot path for nobody (decoy_codes).
  await enterPassword(w.browser(), jan.username!, 'niet het goede wachtwoord')
  const stranger = await startForgot(w.browser(), 'niemand', 'niemand@example.org')
  await stranger.submit('Stuur verificatiecode')
  const added = await addClient(w.deps, { actor: 'cli' }, { name: 'Dossier', firstParty: true, redirectUris: ['http://localhost:9/callback'] })
  if (!added.ok) throw new Error(added.problems.join('\n'))
  clientId = added.value.client.id
  await subjectOf(w.deps, patient.account.id)
  // What the OpenID provider makes when it first starts: the id_token signing keys.
  signingKeys = (await loadSigningKeys(w.deps)).map((k) => k.kid).sort()
  await createAdapterFactory(w.deps)('Session').upsert(sessionId, { jti: sessionId, accountId: String(patient.account.id), kind: 'Session' }, 3600)
  // The portal is stopped before the move (the world's teardown closes the file).
})

await t.test('the SQLite file holds rows in every table', async (t) => {
  const counts = sqliteCounts(sqlitePath)
  t.ok(counts.size >= 15, `${counts.size} tables`)
  for (const [name, n] of counts) t.ok(n > 0, `${name} has rows (${n})`)
  const source = openReadOnly(sqlitePath)
  const chain = verifyChain(source.sqlite)
  source.close()
  t.ok(chain.ok)
  if (chain.ok) head = chain.head
})

await t.test('in the overview, with its own --help', async (t) => {
  const [overview, help] = await Promise.all([admin(sqlitePath, ['help']), admin(sqlitePath, ['migrate-to-postgres', '--help'])])
  t.match(overview.stdout, /^  migrate-to-postgres \[--from BESTAND\]$/m)
  t.equal(help.code, 0)
  t.match(help.stdout, /^Gebruik: npm run admin -- migrate-to-postgres \[--from BESTAND\]/)
  t.match(help.stdout, /SECRET_KEY/)
})

await t.test('while the portal runs (a -wal file beside the SQLite file): refused', async (t) => {
  writeFileSync(`${sqlitePath}-wal`, '')
  t.teardown(() => rmSync(`${sqlitePath}-wal`, { force: true }))
  const run = await admin(sqlitePath, ['migrate-to-postgres'], { DATABASE_URL: `pglite:${join(folder, 'pg-in-use')}` })
  t.equal(run.code, 1, run.stderr)
  t.match(run.stderr, /De SQLite-database is in gebruik: .*portal\.db-wal bestaat\. Stop eerst het portaal/)
  t.notOk(existsSync(join(folder, 'pg-in-use')))
})

await t.test('a file that is not there, or not an SQLite database: refused with the reason, nothing written', async (t) => {
  const notThere = join(folder, 'nope.db')
  const missing = await admin(sqlitePath, ['migrate-to-postgres', '--from', notThere], { DATABASE_URL: `pglite:${join(folder, 'pg-missing')}` })
  t.equal(missing.code, 78, missing.stderr)
  t.match(missing.stderr, /De database .*nope\.db is niet te openen \(ENOENT\)/)
  const text = join(folder, 'notes.txt')
  writeFileSync(text, 'dit is geen database\n'.repeat(100))
  const notDb = await admin(sqlitePath, ['migrate-to-postgres', '--from', text], { DATABASE_URL: `pglite:${join(folder, 'pg-not-db')}` })
  t.equal(notDb.code, 78, notDb.stderr)
  t.match(notDb.stderr, /De database .*notes\.txt is niet te openen \(not an SQLite database\)/)
  t.notOk(existsSync(join(folder, 'pg-missing')) || existsSync(join(folder, 'pg-not-db')), 'no target opened')
})

await t.test('another SECRET_KEY: refused before anything is written', async (t) => {
  const otherDir = join(folder, 'pg-other-key')
  const run = await admin(sqlitePath, ['migrate-to-postgres'], { DATABASE_URL: `pglite:${otherDir}`, SECRET_KEY: randomBytes(32).toString('hex') })
  t.equal(run.code, 78, run.stderr)
  t.match(run.stderr, /SECRET_KEY \(en SECRET_KEYS_OLD\) moeten die van de SQLite-installatie zijn/)
  t.match(run.stderr, /het geheim van de authenticatie app van account 1/)
  t.notOk(existsSync(otherDir), 'the target was never opened')
  t.equal(run.stdout, '')
})

await t.test('the move: every table copied, counted and the chain verified on PostgreSQL', async (t) => {
  const run = await admin(sqlitePath, ['migrate-to-postgres', '--from', sqlitePath], { DATABASE_URL: `pglite:${pgDir}`, DATABASE_PATH: join(folder, 'elsewhere.db') })
  t.equal(run.code, 0, run.stderr)
  const source = sqliteCounts(sqlitePath)
  const target = await pgCounts(pgDir)
  t.same([...target.keys()].sort(), [...source.keys()].sort(), 'the same tables')
  for (const [name, n] of source) {
    t.equal(target.get(name), n, `${name}: ${n} rows on both sides`)
    // The summary the operator reads: the table with its count on both sides.
    t.match(run.stdout, new RegExp(`^${name}\\s+${n}\\s+${n}$`, 'm'), `${name} in the summary`)
  }
  t.match(run.stdout, /^TABEL\s+SQLITE\s+POSTGRESQL$/m)
  t.match(run.stdout, `Auditlog gecontroleerd in PostgreSQL: ${source.get('audit_log')} regels`)
  t.match(run.stdout, head, 'the audit head of the SQLite file')
  t.match(run.stderr, /Van: .*portal\.db \(SQLite, alleen lezen\)/)
})

await t.test('a target that holds data: refused, nothing changed', async (t) => {
  const before = await pgCounts(pgDir)
  const run = await admin(sqlitePath, ['migrate-to-postgres'], { DATABASE_URL: `pglite:${pgDir}`, OPERATOR_LANGUAGE: 'en' })
  t.equal(run.code, 1, run.stderr)
  t.match(run.stderr, /The PostgreSQL database is not empty \(.*accounts: 1.*\)\. .*Nothing was copied/)
  t.same(await pgCounts(pgDir), before)
})

await t.test('signed in on PostgreSQL with the same password and authenticator app', async (t) => {
  const w = await world(t, { env: { DATABASE_URL: `pglite:${pgDir}` } })
  t.equal(w.deps.db.dialect, 'pg')
  // Past the time step the last code used on SQLite: each code counts once.
  w.clock.advanceMinutes(2)
  const b = await signInWithApp(w, w.browser(), patient)
  t.match(b.text, /Welkom, Jan de Vries/)
  // The app and its sealed session moved under the same key.
  t.same((await listClients(w.deps)).map((c) => c.id), [clientId])
  t.match(await createAdapterFactory(w.deps)('Session').find(sessionId), { jti: sessionId })
  t.same((await loadSigningKeys(w.deps)).map((k) => k.kid).sort(), signingKeys)
  // New rows continue after the copied ids, and the chain goes on from the copied head.
  const piet = await w.invite({ name: 'Piet Jansen', email: 'piet@example.org', phone: '+31612345678', username: 'pjansen' })
  t.ok(piet.id > patient.account.id, `new account ${piet.id} after ${patient.account.id}`)
  const chain = await verifyAuditLog(w.deps)
  t.ok(chain.ok, JSON.stringify(chain))
})
