// Issue 20: a database of the version before practices (test/fixtures/upgrade-v0.1.0.db, written by
// that version's own code: test/fixtures/make-upgrade-fixture.ts) is upgraded at start. Migrations 0008
// to 0010 put every account into the one practice, which takes PRACTICE_NAME and PRACTICE_CONTACT; the
// patients and staff then sign in as before, the signed-in session goes on, the invitation link still
// works, and the audit chain still verifies.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { verifyAuditLog } from '../src/domain/audit.ts'
import { listPractices } from '../src/domain/practices.ts'
import { clientMetadata, getClient } from '../src/oidc/clients.ts'
import { enterPassword } from './helpers/patients.ts'
import { world } from './helpers/world.ts'

const fixtures = join(import.meta.dirname, 'fixtures')
const fixture = JSON.parse(readFileSync(join(fixtures, 'upgrade-v0.1.0.json'), 'utf8')) as {
  clockMs: number
  env: Record<string, string>
  password: string
  secrets: Record<string, string>
  inviteLink: string
  sessionCookies: Record<string, string>
  client: { id: string; secret: string }
  auditRows: number
}

await t.test('a database of the version before practices: upgraded, and everybody signs in unchanged', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-upgrade-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const databasePath = join(dir, 'portal.db')
  copyFileSync(join(fixtures, 'upgrade-v0.1.0.db'), databasePath)
  // A minute after the old version's last request, with the operator's settings of then.
  const w = await world(t, { databasePath, env: fixture.env, clockMs: fixture.clockMs + 60_000 })
  const db = w.deps.db.$client

  const applied = db.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }
  t.equal(applied.n, 13, "the new migrations (0007 of issue 19, issue 20's 0008 to 0010, issue 23's 0011, issue 22's 0012) applied after the seven of the old version")
  // Issue 23.5's recovery_codes (0011) on a database with data: the table is there, and empty.
  t.same(db.prepare("select count(*) as n from recovery_codes").get(), { n: 0 }, 'the recovery codes table, empty')
  // 0012: the installation's own decoy key, made once at the first start of the new version (decision 0017).
  t.match(db.prepare('select id, length(decoy_key) as length from installation').all(), [{ id: 1, length: 64 }], 'the installation row, made on the upgraded database')
  const [practice, ...more] = await listPractices(w.deps)
  t.same(more, [], 'one practice')
  t.match(practice, { slug: 'praktijk', name: 'Therapiepraktijk Oost', contact: '010 555 55 55', fromEnv: true }, 'named by PRACTICE_NAME and PRACTICE_CONTACT')
  const accounts = db.prepare('select username, practice_id as practiceId from accounts order by id').all()
  t.same(accounts.map((a) => (a as { username: string }).username), ['jdevries', 'mvisser', 'abakker', 'bjansen', 'kkok'], 'every account kept')
  t.ok(accounts.every((a) => (a as { practiceId: number }).practiceId === practice!.id), 'every account in that practice')
  t.same(db.pragma('foreign_key_check'), [], 'no dangling reference')
  t.same(db.prepare("select count(*) as n from links where account_id in (select id from accounts)").get(), db.prepare('select count(*) as n from links').get(), 'the rebuilt accounts table kept its links')
  const chain = await verifyAuditLog(w.deps)
  t.ok(chain.ok, 'the audit chain verifies after the upgrade')
  t.ok(chain.rows > fixture.auditRows, `the old rows and the start's own (${chain.rows})`)
  t.ok((await w.audit()).some((e) => e.event === 'practice_changed' && e.actor === 'system'), 'taking the name from the settings is audited')

  // The session signed in before the upgrade goes on.
  const still = w.browser()
  for (const [name, value] of Object.entries(fixture.sessionCookies)) still.cookies.set(name, value)
  await still.get('/')
  t.match(still.text, /Welkom, Jan de Vries\./, 'the old session is still signed in')
  t.match(still.text, /Praktijk: Therapiepraktijk Oost \(010 555 55 55\)/)

  // Each account signs in with what it had.
  w.clock.advanceSeconds(30)
  const jan = await enterPassword(w.browser(), 'jdevries', fixture.password)
  await jan.submit('Verifieer code', { 'one-time-code': await w.totp(fixture.secrets.jdevries!) })
  t.equal(jan.url, '/', 'the app patient signs in')
  t.equal(jan.$('header .practice').text(), 'Therapiepraktijk Oost')

  const marie = await enterPassword(w.browser(), 'mvisser', fixture.password)
  await marie.submit('Stuur verificatiecode')
  await marie.submit('Verifieer code', { 'one-time-code': (await w.mail.lastCodeTo('marie@example.org')) })
  t.equal(marie.url, '/', 'the e-mail patient signs in')

  for (const staff of ['abakker', 'bjansen']) {
    const b = await enterPassword(w.browser(), staff, fixture.password)
    await b.submit('Verifieer code', { 'one-time-code': await w.totp(fixture.secrets[staff]!) })
    t.equal(b.url, '/praktijk', `${staff} signs in to the practice's pages`)
    for (const name of ['Jan de Vries', 'Marie Visser', 'Kees Kok']) t.match(b.text, name, `${staff} sees ${name}`)
  }

  // The invitation sent before the upgrade still opens, and its onboarding goes on.
  const kees = w.browser()
  await kees.get(fixture.inviteLink)
  t.equal(kees.status, 200)
  await kees.submit('Volgende')
  t.match(kees.text, /geverifieerd/, 'the old invitation link works')
  const next = await w.mail.lastTo('kees@example.org', 'continue')
  t.match(next.text, /Therapiepraktijk Oost \(010 555 55 55\)/, 'its second mail names the practice')

  // The app registered before stays an app for every practice, its secret unchanged.
  t.equal((await getClient(w.deps, fixture.client.id))?.practiceId, null)
  t.equal((await clientMetadata(w.deps, fixture.client.id))?.client_secret, fixture.client.secret)
})
