// Issue 22 item 3: keys that can change. SECRET_KEY seals and signs, SECRET_KEYS_OLD only opens and
// verifies; `secret-key reseal` moves everything to SECRET_KEY; a key that opens none of the data is
// refused at start (exit 78), by the real server and the CLI. Patients keep signing in throughout.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { countFailure, counterNames } from '../src/domain/throttle.ts'
import { throttles } from '../src/db/tables.ts'
import { eq } from 'drizzle-orm'
import { Browser } from './helpers/browser.ts'
import { admin } from './helpers/admin.ts'
import { enterPassword, onboardWithApp, signInWithApp } from './helpers/patients.ts'
import { jan, testSecretKey, world, type World } from './helpers/world.ts'
import { first } from '../src/db/index.ts'


const root = join(import.meta.dirname, '..')
// Two more keys from `openssl rand -hex 32`.
const key2 = 'fa451ace865690cad69a997493a9e6f7a08e1546d092d9cc9e98368f012e006c'
const key3 = '91c29421ee4cf91ffd6f366283e9e7de403e8538768421082bcd83faf334d416'

/** The same browser (cookies, and the page it shows with its form) against another portal on the same file. */
function carry(b: Browser, w: World): Browser {
  const moved = w.browser()
  moved.cookies = new Map(b.cookies)
  moved.html = b.html
  moved.url = b.url
  return moved
}

/**
 * A portal on the same database file, after a restart with other keys; its clock goes on by a second
 * (less than the session's 10 s touch interval: the first request changes nothing in the session, so
 * only the key's renewal makes the cookie go out again).
 */
async function restart(t: Test, w: World, env: Record<string, string>): Promise<World> {
  await w.app.close()
  await w.runtime.close()
  const next = await world(t, { databasePath: w.databasePath, env })
  next.clock.ms = w.clock.ms + 1000
  return next
}

const signedIn = async (b: Browser) => (await b.get('/')).url === '/' && /Welkom, Jan de Vries/.test(b.text)

await t.test('rotate while patients sign in: [key1], then [key2, key1], reseal, then [key2] alone', async (t) => {
  const w1 = await world(t)
  const jan1 = await onboardWithApp(w1)
  // Before the switch: a signed-in browser, a sign-in form on screen, and four wrong passwords for jan.
  const signedInBefore = jan1.browser
  const formBefore = w1.browser()
  await formBefore.get('/inloggen')
  for (let i = 0; i < 4; i++) await countFailure(w1.deps, { actor: 'self', ip: '127.0.0.1' }, 'jdevries', '127.0.0.1')
  const sessionBefore = signedInBefore.cookies.get('mtd_session')!

  const w2 = await restart(t, w1, { SECRET_KEY: key2, SECRET_KEYS_OLD: testSecretKey })
  const old = carry(signedInBefore, w2)
  t.ok(await signedIn(old), 'a session signed under the old key goes on')
  t.not(old.cookies.get('mtd_session'), sessionBefore, 'and its cookie is signed again, under the new key')
  t.equal(decodeURIComponent(old.cookies.get('mtd_session')!).split('.')[0], decodeURIComponent(sessionBefore).split('.')[0], 'the same session id')
  t.ok(await signedIn(old), 'the re-signed cookie works')

  const form = carry(formBefore, w2)
  await form.submit('Volgende', { username: 'jdevries' })
  t.equal(form.url, '/inloggen/wachtwoord', 'a form rendered under the old key is accepted (its CSRF token)')

  // The four failures counted under the old key's names go on: one more and jan's username waits.
  const wrong = await enterPassword(w2.browser(), 'jdevries', 'niet het wachtwoord')
  t.equal(wrong.status, 422, 'the fifth wrong password')
  const refused = await enterPassword(w2.browser(), 'jdevries', jan1.password)
  t.notOk(/app-code/.test(refused.url), 'the delay after five failures holds across the key change')
  // Jan's own browser kept its device cookie (signed under the old key): it counts on its own.
  const device = w2.browser()
  device.cookies.set('mtd_device', signedInBefore.cookies.get('mtd_device')!)
  t.ok(signedInBefore.cookies.get('mtd_device'), 'the onboarding left a device cookie')
  await enterPassword(device, 'jdevries', jan1.password)
  t.equal(device.url, '/inloggen/app-code', 'a device cookie signed under the old key is still honoured')
  w2.clock.advanceSeconds(31)

  // Enrolled under key 1, the app's secret still opens: a fresh sign-in with password and app code.
  w2.clock.advanceSeconds(30)
  const fresh = await signInWithApp(w2, w2.browser(), jan1)
  t.ok(await signedIn(fresh), 'signed in after the switch, app secret sealed under the old key')
  t.equal((await w2.audit()).filter((e) => e.event === 'secret_unreadable').length, 0)

  // Reseal from the CLI while this portal runs, with the service's two keys.
  const status = await admin(w2.databasePath, ['secret-key', 'status'], { SECRET_KEY: key2, SECRET_KEYS_OLD: testSecretKey })
  t.equal(status.code, 0, status.stderr)
  t.match(status.stdout, /geheimen van authenticatie apps\s+0\s+1\s+0/, 'one app secret under the old key')
  t.match(status.stderr, /Nog \d+ onder SECRET_KEYS_OLD/)
  const resealed = await admin(w2.databasePath, ['secret-key', 'reseal'], { SECRET_KEY: key2, SECRET_KEYS_OLD: testSecretKey })
  t.equal(resealed.code, 0, resealed.stderr)
  t.match(resealed.stdout, /geheimen van authenticatie apps\s+1\s+0\s+0/)
  t.match(resealed.stderr, /haal SECRET_KEYS_OLD weg/)
  const again = await admin(w2.databasePath, ['secret-key', 'reseal'], { SECRET_KEY: key2, SECRET_KEYS_OLD: testSecretKey })
  t.match(again.stdout, /geheimen van authenticatie apps\s+0\s+1\s+0/, 'a second run finds nothing left')
  t.match((await w2.audit()).filter((e) => e.event === 'secrets_resealed')[0], { actor: 'cli', outcome: 'success' })
  const counter = (w: World) => w2.deps.db.select().from(throttles).where(eq(throttles.key, counterNames(w.deps, 'jdevries', '127.0.0.1').username)).then(first)
  t.ok((await counter(w2)), 'jan’s username counter is under the new key’s name')
  t.notOk((await counter(w1)), 'and no longer under the old one’s')
  const reSignedCookie = old.cookies

  // The old key removed: what was resealed opens under key 2 alone.
  const w3 = await restart(t, w2, { SECRET_KEY: key2 })
  const back = w3.browser()
  back.cookies = new Map(reSignedCookie)
  t.ok(await signedIn(back), 'a cookie re-signed during the switch outlives the old key')
  w3.clock.advanceSeconds(60)
  const after = await signInWithApp(w3, w3.browser(), jan1)
  t.ok(await signedIn(after), 'signed in with the app after the reseal, key 2 only')
  t.equal((await w3.audit()).filter((e) => e.event === 'secret_unreadable').length, 0)
})

await t.test('an unopenable app secret is a clear page and audited, never a 500', async (t) => {
  const w1 = await world(t)
  const jan1 = await onboardWithApp(w1)
  // The database's key lost, another configured: the start check would refuse this (next test); the
  // sign-in page must still not fail if it ever meets such a secret (a portal started before a mistake).
  const w2 = await restart(t, w1, { SECRET_KEY: key3 })
  w2.clock.advanceSeconds(30)
  const b = await enterPassword(w2.browser(), jan.username!, jan1.password)
  t.equal(b.url, '/inloggen/app-code')
  await b.submit('Verifieer code', { 'one-time-code': await w2.totp(jan1.secret) })
  t.equal(b.status, 422, 'the code step stays, with a message')
  t.match(b.text, /Door een storing aan onze kant kunnen wij de code van uw authenticatie app nu niet controleren/)
  t.match((await w2.audit((await w2.account('jdevries')).id))[0], { event: 'secret_unreadable', outcome: 'failure', detail: JSON.stringify({ secret: 'totp' }) })
})

/** `node --import tsx src/server.ts` on a database; resolves with its exit code and output, or 'listening'. */
async function startServer(t: Test, env: Record<string, string>): Promise<{ code: number | null | 'listening'; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', DEV_OUTBOX: 'on', ...env } })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const code = await new Promise<number | null | 'listening'>((resolve) => {
    child.on('exit', (c) => resolve(c))
    child.stdout.on('data', () => /draait op/.test(output) && resolve('listening'))
  })
  if (code === 'listening') child.kill('SIGTERM')
  return { code, output }
}

await t.test('a wrong key at start: the real server refuses with exit 78 and says why; with the old key beside it, it starts', async (t) => {
  const w = await world(t)
  await onboardWithApp(w)
  await w.app.close()
  await w.runtime.close()
  const wrong = await startServer(t, { DATABASE_PATH: w.databasePath, SECRET_KEY: key3 })
  t.equal(wrong.code, 78, 'refused, as a configuration mistake')
  t.match(wrong.output, /De ingestelde sleutel opent de gegevens in de database niet: het geheim van de authenticatie app van account 1/)
  t.match(wrong.output, /SECRET_KEYS_OLD/, 'and names the way out')
  t.notMatch(wrong.output, /draait op|\n\s+at /, 'never listened, no stack trace')

  const english = await startServer(t, { DATABASE_PATH: w.databasePath, SECRET_KEY: key3, LANG: 'en_GB.UTF-8' })
  t.equal(english.code, 78)
  t.match(english.output, /The configured key does not open the data in the database/, 'in the operator’s language')

  const rotated = await startServer(t, { DATABASE_PATH: w.databasePath, SECRET_KEY: key3, SECRET_KEYS_OLD: testSecretKey })
  t.equal(rotated.code, 'listening', `the new key with the old one beside it starts:\n${rotated.output}`)
  t.match(rotated.output, /Vorige sleutels in SECRET_KEYS_OLD: 1/)

  const cli = await admin(w.databasePath, ['list'], { SECRET_KEY: key3 })
  t.equal(cli.code, 78, 'the CLI refuses the wrong key too: it would seal new data under it')
  t.match(cli.stderr, /opent de gegevens in de database niet/)

  const bad = await startServer(t, { DATABASE_PATH: w.databasePath, SECRET_KEY: key3, SECRET_KEYS_OLD: `${testSecretKey},${key3}` })
  t.equal(bad.code, 78, 'a key twice is a configuration problem')
  t.match(bad.output, /SECRET_KEYS_OLD \(sleutel 2\) is dezelfde sleutel als SECRET_KEY/)
})

await t.test('a key truly lost: secret-key status shows it, secret-key forget gives up what only it opened, the portal starts', async (t) => {
  const w = await world(t)
  await onboardWithApp(w)
  await w.app.close()
  await w.runtime.close()
  const lost = { SECRET_KEY: key3 }
  const status = await admin(w.databasePath, ['secret-key', 'status'], lost)
  t.equal(status.code, 0, 'status runs where the start check refuses: it is how a wrong key is diagnosed')
  t.match(status.stdout, /geheimen van authenticatie apps\s+0\s+0\s+1/, 'one app secret under neither key')
  const unconfirmed = await admin(w.databasePath, ['secret-key', 'forget'], lost)
  t.equal(unconfirmed.code, 1)
  t.match(unconfirmed.stderr, /Geef --yes mee/)
  const forgotten = await admin(w.databasePath, ['secret-key', 'forget', '--yes'], lost)
  t.equal(forgotten.code, 0, forgotten.stderr)
  t.match(forgotten.stderr, /Opgegeven: 1 tweede stap\(pen\) gereset/)
  const started = await startServer(t, { DATABASE_PATH: w.databasePath, SECRET_KEY: key3 })
  t.equal(started.code, 'listening', `then the portal starts on the new key:\n${started.output}`)
  const after = await world(t, { databasePath: w.databasePath, env: lost })
  t.equal((await after.account('jdevries')).mfaEnrolledAt, null, 'jan enrolls a factor again (told by mail and SMS)')
  t.match((await after.audit((await after.account('jdevries')).id))[0], { event: 'mfa_reset', actor: 'cli' })
  t.equal((await after.audit()).filter((e) => e.event === 'secrets_forgotten').length, 1)
})
