// Nothing typed into the username field rests in the session row in clear (issue 19, item 9): a
// password typed there by mistake would otherwise lie in the sessions table for up to 15 minutes.
// The flow keeps it sealed (AES-256-GCM under a key of its own); a hidden-mode decoy keeps only an HMAC.
// These tests read the sessions table itself, the way someone with a copy of the database would.
import t, { type Test } from 'tap'
import { sessions } from '../src/db/tables.ts'
import { browserFrom, enterPassword, onboardWithApp, startForgot } from './helpers/patients.ts'
import { world, type World } from './helpers/world.ts'

/** A password, typed into the username field (it fits a username's shape, so the portal keeps it). */
const typedPassword = 'ZomerVakantie2024Texel'
const typedEmail = 'geheim.adres@voorbeeld.nl'

/** Every session row's stored data, as text. */
const rows = async (w: World) => (await w.deps.db.select({ data: sessions.data }).from(sessions)).map((r) => r.data)

async function assertNotInRows(t: Test, w: World, what: string, ...values: string[]) {
  const stored = await rows(w)
  t.ok(stored.length > 0, `${what}: there are session rows to read`)
  for (const value of values) {
    for (const form of new Set([value, value.toLowerCase(), value.normalize('NFKC').toLowerCase()])) {
      t.notOk(stored.some((data) => data.toLowerCase().includes(form.toLowerCase())), `${what}: "${form}" is in no session row`)
    }
  }
}

await t.test('the sign-in page: the typed username is sealed in the row, and the flow still reads it', async (t) => {
  const w = await world(t)
  await onboardWithApp(w)
  const b = browserFrom(w, '10.0.0.1')
  await b.get('/inloggen')
  await b.submit('Volgende', { username: typedPassword })
  t.equal(b.url, '/inloggen/wachtwoord')
  t.equal(b.field('username').attr('value'), typedPassword.toLowerCase(), 'the password page still shows what was typed')
  await assertNotInRows(t, w, 'after the username page', typedPassword)
  await b.submit('Volgende', { 'current-password': 'wat dan ook' })
  t.equal(b.status, 422)
  await assertNotInRows(t, w, 'after a wrong password', typedPassword)
  await b.get('/inloggen')
  t.equal(b.field('username').attr('value'), typedPassword.toLowerCase(), 'back on the first page, it is filled in again')
})

await t.test('a hidden-mode decoy of an unknown username keeps no typed text either', async (t) => {
  const w = await world(t)
  await onboardWithApp(w)
  // Ten failures over other usernames from one client: its next answer is in hidden mode (decision 0011).
  for (let i = 0; i < 10; i++) await enterPassword(browserFrom(w, '10.3.3.3'), `gebruiker${i}`, 'wat dan ook')
  const b = await enterPassword(browserFrom(w, '10.3.3.3'), typedPassword, 'wat dan ook')
  t.match(b.url, /^\/inloggen\/(app|email)-code$/, 'a decoy second-factor step')
  await assertNotInRows(t, w, 'in a decoy flow', typedPassword)
  if (b.url === '/inloggen/email-code') await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': '123456' })
  t.match(b.url, /^\/inloggen\/(app|email)-code$/)
  await assertNotInRows(t, w, 'after a code at the decoy', typedPassword)
})

await t.test('the forgot-password page: username and e-mail address sealed, the way back fills them in', async (t) => {
  const w = await world(t)
  await onboardWithApp(w)
  const b = browserFrom(w, '10.0.0.2')
  await startForgot(b, typedPassword, typedEmail)
  t.match(b.text, /Accountverificatie/)
  await assertNotInRows(t, w, 'on the decoy phone step', typedPassword, typedEmail)
  await b.get('/wachtwoord-vergeten?terug=1')
  t.equal(b.field('E-mailadres').attr('value'), typedEmail, 'the way back fills in the e-mail address')
  t.equal(b.field('username').attr('value'), typedPassword.toLowerCase(), 'and the username')
})
