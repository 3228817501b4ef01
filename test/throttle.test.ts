// Guessing, bounded without handing a stranger the patient's door (docs/decisions/0011-throttle.md):
// per (username, client) a delay after 5 failures, doubling from 30 s to 15 min, that says how long; per
// username, past 25 failures of untrusted clients, hidden mode for all of them, never a refusal or a lock
// (issue 19.3); device cookies; hidden mode instead of a per-address refusal. The second factor's
// counters: throttle-factors.test.ts. Time moves on the fake clock only.
import t from 'tap'
import { summarize, unlockAccount } from '../src/domain/patients.ts'
import { sweepExpired } from '../src/domain/sweep.ts'
import { throttles } from '../src/db/tables.ts'
import type { Browser } from './helpers/browser.ts'
import { browserFrom, enterPassword, onboardWithApp, startForgot, temporaryPasswordIn } from './helpers/patients.ts'
import { jan, world, type World } from './helpers/world.ts'

const wrong = 'dit is het echt niet'
const generic = /De combinatie van gebruikersnaam en wachtwoord klopt niet\./
const appCodeRefused = /Deze code klopt niet\. Vul de code in die de app nu toont\./
/** The delay's message, saying when to try again. */
const throttledIn = (wait: string) => `Er zijn te veel pogingen gedaan. Probeer het over ${wait} opnieuw.`

/** The error messages of the page's summary. */
const errorOf = (b: Browser) => b.$('.error-summary li').toArray().map((li) => b.$(li).text().trim()).join(' | ')

async function attempt(w: World, ip: string, username: string, password: string): Promise<Browser> {
  return await enterPassword(browserFrom(w, ip), username, password)
}

async function signedOut(w: World) {
  const p = await onboardWithApp(w)
  await p.browser.submit('Uitloggen')
  w.clock.advanceSeconds(30)
  return p
}

await t.test('five wrong passwords from one client, then a delay from 30 s doubling up to 15 minutes; the page says how long', async (t) => {
  // Hidden mode (the client limit) is the waiting-room test's: here only the delays.
  const w = await world(t, { env: { IP_FAILURES_BEFORE_DELAY: '1000' } })
  const p = await signedOut(w)
  for (let i = 1; i <= 5; i++) {
    const b = await attempt(w, '10.0.0.1', 'jdevries', wrong)
    t.equal(b.status, 422, `wrong password ${i}: no delay yet`)
    t.match(b.text, generic)
  }
  const waits: [number, string][] = [[30, '30 seconden'], [60, '1 minuut'], [120, '2 minuten'], [240, '4 minuten'], [480, '8 minuten'], [900, '15 minuten'], [900, '15 minuten']]
  for (const [i, [seconds, words]] of waits.entries()) {
    const right = await attempt(w, '10.0.0.1', 'jdevries', p.password)
    t.equal(right.status, 429, `after ${i + 5} failures the right password waits`)
    t.equal(errorOf(right), throttledIn(words), `and is told when to try again: over ${words}`)
    w.clock.advanceSeconds(seconds - 1)
    const almost = await attempt(w, '10.0.0.1', 'jdevries', p.password)
    t.equal(almost.status, 429, `one second before the ${seconds} s are over`)
    t.equal(errorOf(almost), throttledIn('1 seconde'), 'rounded up, never too early')
    w.clock.advanceSeconds(1)
    if (i === waits.length - 1) break
    t.equal((await attempt(w, '10.0.0.1', 'jdevries', wrong)).status, 422, `failure ${i + 6} is answered, and counted`)
  }
  t.equal((await attempt(w, '10.0.0.1', 'jdevries', p.password)).url, '/inloggen/app-code', 'after the wait the right password works')
})

await t.test("one client's failures do not hold up the patient elsewhere; 25 over all untrusted clients only hide the answers", async (t) => {
  const w = await world(t)
  const p = await signedOut(w)
  for (let i = 0; i < 5; i++) await attempt(w, '10.0.0.1', 'jdevries', wrong)
  t.equal((await attempt(w, '10.0.0.1', 'jdevries', p.password)).status, 429, 'the stranger waits')
  const elsewhere = await attempt(w, '192.168.7.7', 'jdevries', p.password)
  t.equal(elsewhere.url, '/inloggen/app-code', 'the patient at another address does not')
  // The review's repro (issue 19.3): 25 wrong passwords from five addresses, then the patient on a new
  // phone with her right password. (The right password above reset the username's count.)
  for (let i = 0; i < 25; i++) t.equal((await attempt(w, `10.1.${i % 5}.1`, 'jdevries', wrong)).status, 422)
  t.equal((await w.audit(p.account.id)).filter((e) => e.event === 'password_guessing').length, 1, 'the 25th failure is audited: hidden mode begins')
  const phone = await attempt(w, '192.168.7.8', 'jdevries', p.password)
  t.equal(phone.status, 200, 'the patient on a new phone is not refused')
  t.equal(phone.url, '/inloggen/app-code', 'she gets to the second factor')
  await phone.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.equal(phone.url, '/', 'and signs in')
  t.match(phone.text, /Welkom, Jan de Vries/)
  // Her sign-in ended the burst: the next stranger's wrong password is answered plainly again.
  t.equal((await attempt(w, '10.1.9.1', 'jdevries', wrong)).status, 422, 'after a complete sign-in the count starts again')
})

await t.test('past 25 failures of the username every untrusted client is in hidden mode: a wrong password learns nothing, a right one with a right code signs in', async (t) => {
  const w = await world(t)
  const p = await signedOut(w)
  for (let i = 0; i < 25; i++) await attempt(w, `10.1.${i % 5}.1`, 'jdevries', wrong)
  const stranger = await attempt(w, '10.2.0.1', 'jdevries', wrong)
  const patient = await attempt(w, '10.2.0.2', 'jdevries', p.password)
  t.equal(stranger.url, '/inloggen/app-code', 'a wrong password goes on to a second-factor step')
  t.equal(stranger.status, patient.status)
  t.equal(stranger.text, patient.text, 'the same page as for the right password')
  await stranger.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.match(stranger.text, appCodeRefused, "even the patient's current code does not sign a wrong password in")
  t.equal((await stranger.get('/')).url, '/inloggen')
  w.clock.advanceSeconds(30)
  await patient.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.equal(patient.url, '/', 'the right password with the right code signs in')
})

await t.test('IPv6 clients are grouped by /64', async (t) => {
  const w = await world(t)
  await signedOut(w)
  for (let i = 1; i <= 5; i++) t.equal((await attempt(w, `2001:db8:1:2::${i}`, 'jdevries', wrong)).status, 422)
  t.equal((await attempt(w, '2001:db8:1:2:ffff:1:2:3', 'jdevries', wrong)).status, 429, 'another address in the same /64 waits')
  t.equal((await attempt(w, '2001:db8:1:3::1', 'jdevries', wrong)).status, 422, 'another /64 does not')
})

await t.test('unknown usernames are throttled at the same attempt counts', async (t) => {
  const w = await world(t)
  const p = await signedOut(w)
  const walk = async (username: string, ip: string) => {
    const seen: string[] = []
    const step = async (password: string) => {
      const b = await attempt(w, ip, username, password)
      seen.push(`${b.status} ${errorOf(b)}`)
    }
    for (let i = 0; i < 5; i++) await step(wrong)
    await step(p.password)
    w.clock.advanceSeconds(30)
    await step(wrong)
    await step(p.password)
    w.clock.advanceSeconds(59)
    await step(p.password)
    return seen
  }
  const known = await walk('jdevries', '10.0.0.1')
  const unknown = await walk('onbekend', '10.0.0.2')
  t.same(known.map((s) => s.split(' ')[0]), ['422', '422', '422', '422', '422', '429', '422', '429', '429'])
  t.same(unknown, known, 'the same statuses and messages, attempt by attempt')
})

await t.test('a success resets the count: 4 wrong, 1 right, 4 wrong leave no delay', async (t) => {
  const w = await world(t)
  const p = await signedOut(w)
  for (let i = 0; i < 4; i++) t.equal((await attempt(w, '10.0.0.1', 'jdevries', wrong)).status, 422)
  t.equal((await attempt(w, '10.0.0.1', 'jdevries', p.password)).url, '/inloggen/app-code')
  for (let i = 0; i < 4; i++) t.equal((await attempt(w, '10.0.0.1', 'jdevries', wrong)).status, 422)
  t.equal((await attempt(w, '10.0.0.1', 'jdevries', p.password)).url, '/inloggen/app-code', 'no delay')
  for (let i = 0; i < 5; i++) await attempt(w, '10.0.0.1', 'jdevries', wrong)
  t.equal((await attempt(w, '10.0.0.1', 'jdevries', p.password)).status, 429, 'the control: five in a row do delay')
})

await t.test('a waiting room behind one address: typing errors of many never refuse a right password with a right code', async (t) => {
  const w = await world(t)
  const p = await signedOut(w)
  const room = '10.3.3.3'
  const statuses: number[] = []
  for (let i = 1; i <= 30; i++) {
    const b = await attempt(w, room, `gebruiker${String(i).padStart(2, '0')}`, wrong)
    statuses.push(b.status)
  }
  t.same(statuses.slice(0, 10), Array(10).fill(422), 'ten failures across usernames are answered plainly')
  t.notOk(statuses.includes(429), 'no refusal for the address')
  // Hidden mode now: a wrong password also goes on to a second-factor step, which accepts no code.
  const stranger = await attempt(w, room, 'jdevries', wrong)
  t.equal(stranger.url, '/inloggen/app-code', 'a wrong password does not show itself as wrong')
  await stranger.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.match(stranger.text, appCodeRefused, 'and even the right code does not sign in')
  t.equal((await stranger.get('/')).url, '/inloggen')
  w.clock.advanceSeconds(30)
  const patient = await attempt(w, room, 'jdevries', p.password)
  t.equal(patient.url, '/inloggen/app-code')
  await patient.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.equal(patient.url, '/', 'the patient in the waiting room signs in')
  t.match(patient.text, /Welkom/)
})

await t.test('100 wrong passwords from strangers lock nothing: the patient on a new browser signs in with password and code', async (t) => {
  const w = await world(t, { env: { PRACTICE_CONTACT: '030 123 45 67' } })
  const p = await signedOut(w)
  // The review's repro (issue 19.3): 100 wrong passwords, five from each of twenty addresses (no delay
  // is ever met: a client waits only after its own fifth failure).
  const statuses: string[] = []
  for (let i = 0; i < 100; i++) {
    const b = await attempt(w, `10.0.${i % 20}.1`, 'jdevries', wrong)
    statuses.push(b.status === 422 ? 'plain' : b.url === '/inloggen/app-code' ? 'hidden' : `${b.status} ${b.url}`)
  }
  t.same(statuses.slice(0, 25), Array(25).fill('plain'), 'the first 25 are answered plainly')
  t.same(statuses.slice(25), Array(75).fill('hidden'), 'the rest in hidden mode: never a refusal, never a lock')
  t.equal((await w.audit(p.account.id)).filter((e) => e.event === 'lockout').length, 0, 'no lockout')
  t.equal((await w.mail.all()).filter((m) => m.kind === 'locked').length, 0, 'no lock mail')
  t.equal((await summarize(w.deps, (await w.account('jdevries')))).status, 'active', 'the practice sees no lock')

  const phone = await attempt(w, '192.168.1.20', 'jdevries', p.password)
  t.equal(phone.url, '/inloggen/app-code', 'the patient on a new phone gets to the second factor')
  await phone.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.equal(phone.url, '/', 'and signs in')
  t.equal((await attempt(w, '10.0.0.3', 'jdevries', wrong)).status, 422, 'her sign-in ended the burst')
})

await t.test("a browser with a device cookie is not held up by strangers' failures, nor put in hidden mode", async (t) => {
  const w = await world(t)
  const p = await signedOut(w) // the onboarding browser completed a sign-in: it holds a device cookie
  t.ok([...p.browser.cookies.keys()].includes('mtd_device'), 'a device cookie after the sign-in')
  for (let i = 0; i < 40; i++) await attempt(w, `10.9.${i}.1`, 'jdevries', wrong)
  t.equal((await attempt(w, '10.0.0.5', 'jdevries', wrong)).url, '/inloggen/app-code', 'a browser without the cookie is in hidden mode')
  w.clock.advanceSeconds(30)
  await enterPassword(p.browser, 'jdevries', wrong)
  t.equal(p.browser.status, 422, 'the device cookie browser is answered plainly')
  await enterPassword(p.browser, 'jdevries', p.password)
  t.equal(p.browser.url, '/inloggen/app-code', 'and goes on with the right password')
  await p.browser.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.equal(p.browser.url, '/', 'and signs in')
  // A forged or another username's cookie counts for nothing.
  for (let i = 0; i < 30; i++) await attempt(w, `10.9.${i}.1`, 'jdevries', wrong)
  const forged = browserFrom(w, '10.0.0.6')
  forged.cookies.set('mtd_device', p.browser.cookies.get('mtd_device')!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))
  t.equal((await enterPassword(forged, 'jdevries', wrong)).url, '/inloggen/app-code', 'a tampered cookie is no device cookie: hidden mode')
})

await t.test('recovery works while strangers guess at the username', async (t) => {
  const w = await world(t)
  await signedOut(w)
  for (let i = 0; i < 30; i++) await attempt(w, `10.5.${i}.1`, 'jdevries', wrong)
  t.equal((await attempt(w, '10.0.0.7', 'jdevries', wrong)).url, '/inloggen/app-code', 'the username is in hidden mode for every untrusted client')
  const r = browserFrom(w, '10.0.0.7')
  await startForgot(r, 'jdevries', jan.email)
  await r.submit('Stuur verificatiecode')
  await r.submit('Verifieer code', { 'one-time-code': '000000' === (await w.sms.lastCodeTo(jan.phone)) ? '111111' : '000000' })
  t.match(r.text, /Deze code klopt niet/, 'a wrong SMS code is answered, not delayed')
  await r.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.match(r.text, /Tijdelijk wachtwoord/)
  await r.submit('Volgende', { 'Tijdelijk wachtwoord (zie e-mail)': 'ditisnietgoed23', 'Nieuw wachtwoord': 'x', 'Bevestig het wachtwoord': 'x' })
  t.match(r.text, /Het tijdelijke wachtwoord klopt niet/, 'a wrong temporary password is answered, not delayed')
  const temporary = temporaryPasswordIn((await w.mail.lastTo(jan.email, 'temporary-password')).text)
  const fresh = 'lente in het bos bij de beek'
  await r.submit('Volgende', { 'Tijdelijk wachtwoord (zie e-mail)': temporary, 'Nieuw wachtwoord': fresh, 'Bevestig het wachtwoord': fresh })
  t.match(r.text, /Het wachtwoord is bijgewerkt/, 'the reset completes')
  t.equal((await attempt(w, '10.0.0.8', 'jdevries', wrong)).status, 422, 'the reset ended hidden mode: a wrong password is answered plainly')
})

await t.test('a practice unlock is not undone by a stranger in 5 requests', async (t) => {
  const w = await world(t)
  const p = await signedOut(w)
  for (let i = 0; i < 30; i++) await attempt(w, `10.6.${i}.1`, 'jdevries', wrong)
  t.equal((await attempt(w, '10.0.0.1', 'jdevries', wrong)).url, '/inloggen/app-code', 'the username is in hidden mode for every untrusted client')
  await unlockAccount(w.deps, { actor: 'staff:1' }, w.practice.id, p.account.id)
  for (let i = 0; i < 5; i++) await attempt(w, `10.6.${i}.1`, 'jdevries', wrong)
  t.equal((await attempt(w, '10.0.0.2', 'jdevries', wrong)).status, 422, 'after the unlock a wrong password is answered plainly again')
  const patient = await attempt(w, '10.0.0.1', 'jdevries', p.password)
  t.equal(patient.url, '/inloggen/app-code', 'and the patient goes on')
})

await t.test('the throttle table holds no typed username, and stale rows expire', async (t) => {
  const w = await world(t)
  const p = await signedOut(w)
  const typedAsName = 'MijnGeheimeWachtwoord2024'
  await attempt(w, '10.7.7.7', typedAsName, wrong)
  await attempt(w, '10.7.7.7', 'jdevries', wrong)
  const b = await attempt(w, '10.7.7.8', 'jdevries', p.password)
  await b.submit('Verifieer code', { 'one-time-code': '000000' === (await w.totp(p.secret)) ? '111111' : '000000' })
  const rows = await w.deps.db.select().from(throttles)
  t.ok(rows.length >= 4, 'counters were written')
  for (const row of rows) {
    t.notMatch(row.key.toLowerCase(), /jdevries|mijngeheime|10\.7\.7/, `no clear username or address in ${row.key}`)
  }
  w.clock.advanceHours(24 * 31)
  await sweepExpired(w.deps)
  t.same((await w.deps.db.select().from(throttles)), [], 'a month later the sweep has removed them')
})

await t.test('refused attempts are audited, one event per wait, not one per request', async (t) => {
  const w = await world(t)
  await signedOut(w)
  for (let i = 0; i < 5; i++) await attempt(w, '10.8.8.8', 'jdevries', wrong)
  const before = (await w.audit()).length
  for (let i = 0; i < 40; i++) t.equal((await attempt(w, '10.8.8.8', 'jdevries', wrong)).status, 429)
  const refusals = (await w.audit()).slice(0, (await w.audit()).length - before)
  t.equal(refusals.filter((e) => e.event === 'attempt_refused').length, 1, '40 refusals, one audit row')
  t.equal(refusals.length, 1, 'and nothing else')
  w.clock.advanceSeconds(30)
  await attempt(w, '10.8.8.8', 'jdevries', wrong)
  const summary = (await w.audit()).find((e) => e.event === 'attempt_refused' && e.detail?.includes('"refused":40'))
  t.ok(summary, 'the next counted failure records how many were refused in the wait')
})

await t.test('counters survive a restart', async (t) => {
  const w1 = await world(t)
  const p = await signedOut(w1)
  for (let i = 0; i < 5; i++) await attempt(w1, '10.0.0.1', 'jdevries', wrong)
  t.equal((await attempt(w1, '10.0.0.1', 'jdevries', p.password)).status, 429)
  await w1.app.close()
  await w1.runtime.close()
  const w2 = await world(t, { databasePath: w1.databasePath })
  w2.clock.ms = w1.clock.ms
  t.equal((await attempt(w2, '10.0.0.1', 'jdevries', p.password)).status, 429, 'still waiting after the restart')
  w2.clock.advanceSeconds(30)
  t.equal((await attempt(w2, '10.0.0.1', 'jdevries', p.password)).url, '/inloggen/app-code')
})

await t.test('X-Forwarded-For without TRUST_PROXY is reported once', async (t) => {
  const w = await world(t)
  const warnings: string[] = []
  w.deps.warn = (message) => warnings.push(message)
  for (let i = 0; i < 3; i++) await w.app.inject({ method: 'GET', url: '/inloggen', headers: { 'x-forwarded-for': '203.0.113.5' } })
  t.equal(warnings.length, 1)
  t.match(warnings[0]!, /TRUST_PROXY/)
  const trusted = await world(t, { env: { TRUST_PROXY: 'true' } })
  const none: string[] = []
  trusted.deps.warn = (message) => none.push(message)
  await trusted.app.inject({ method: 'GET', url: '/inloggen', headers: { 'x-forwarded-for': '203.0.113.5' } })
  t.same(none, [], 'not with TRUST_PROXY on')
})

