// Issue 24 #2 (WCAG 2.2.1, timing adjustable): the long steps say how much time they allow; a step
// left idle past it ends with a page that says so and how long it was, keeps what can be kept safely
// (the typed username once, a practice form for the same account; never a password or a code), and
// signing in again continues where the patient or staff member was. The fake clock moves; nobody sleeps.
import t from 'tap'
import { fill, messages } from '../src/messages.ts'
import { findAccountByUsername } from '../src/domain/accounts.ts'
import { addStaff, anna, bert, onboard, password, piet, signIn, staffBrowser, startSignIn } from './helpers/practice.ts'
import { jan, walkToPhone, world } from './helpers/world.ts'

const { label, text } = messages('nl')

await t.test('the long steps say how much time they allow', async (t) => {
  const w = await world(t)
  const { flowIdleMinutes, sessionIdleMinutes } = w.config.limits
  await w.invite()
  const b = await walkToPhone(w)
  await b.submit(label.sendCode)
  await b.submit(label.verifyCode, { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.equal(b.url, '/account/wachtwoord')
  t.match(b.text, fill(text.stepTime, { minutes: flowIdleMinutes }), 'Wachtwoord wijzigen')
  await b.submit(label.next, { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  await b.submit(label.next)
  await b.submit(label.next)
  t.match(b.text, fill(text.stepTime, { minutes: flowIdleMinutes }), 'App koppelen')

  const staff = await staffBrowser(w, anna)
  await staff.b.get('/praktijk/clienten/nieuw')
  t.match(staff.b.text, fill(text.staffFormTime, { minutes: sessionIdleMinutes }), 'Nieuwe cliënt')
})

await t.test('a sign-in left idle: the page says so and after how long, the username kept once, and on from there', async (t) => {
  const w = await world(t)
  await w.invite()
  const { secret } = await onboard(w, jan)
  const b = w.browser()
  await b.get('/inloggen')
  await b.submit(label.next, { username: jan.username! })
  w.clock.advanceMinutes(w.config.limits.flowIdleMinutes + 1)
  await b.submit(label.next, { 'current-password': password })
  t.equal(b.url, '/inloggen', 'back to the sign-in page, not silently')
  t.match(b.text, text.sessionExpired)
  t.match(b.text, fill(text.sessionExpiredAfter, { minutes: w.config.limits.flowIdleMinutes }), 'with the time it allowed')
  t.equal(b.field('username').attr('value'), jan.username, 'the typed username is kept')
  t.notMatch(b.html, password, 'the password is not')
  // Signing in again goes on.
  await b.submit(label.next)
  await b.submit(label.next, { 'current-password': password })
  w.clock.advanceSeconds(30)
  await b.submit(label.verifyCode, { 'one-time-code': await w.totp(secret) })
  t.match(b.text, jan.name, 'signed in')

  // Kept once: a second expiry of the same typed name starts empty.
  const c = w.browser()
  await c.get('/inloggen')
  await c.submit(label.next, { username: jan.username! })
  w.clock.advanceMinutes(w.config.limits.flowIdleMinutes + 1)
  await c.get('/inloggen/wachtwoord')
  w.clock.advanceMinutes(w.config.limits.flowIdleMinutes + 1)
  await c.get('/inloggen')
  t.equal(c.field('username').attr('value'), undefined, 'not carried over a second expiry')
})

await t.test('an onboarding step left idle: the page says so; the forgot-password path leads back to the due step', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = await walkToPhone(w)
  await b.submit(label.sendCode)
  await b.submit(label.verifyCode, { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  w.clock.advanceMinutes(w.config.limits.flowIdleMinutes + 1)
  await b.submit(label.next, { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  t.equal(b.url, '/inloggen')
  t.match(b.text, fill(text.sessionExpiredAfter, { minutes: w.config.limits.flowIdleMinutes }))
  t.match(b.text, text.sessionExpiredForgot, 'the way back in for an account without a password')
  t.equal((await findAccountByUsername(w.deps, jan.username!))!.passwordHash, null, 'nothing was set by the late post')
  t.ok((await findAccountByUsername(w.deps, jan.username!))!.phoneVerifiedAt, 'what was completed is kept')
})

await t.test('Nieuwe cliënt sent after the session timed out: kept for the same staff member, shown again after signing in', async (t) => {
  const w = await world(t)
  const { b, secret } = await staffBrowser(w, anna)
  await b.get('/praktijk/clienten/nieuw')
  w.clock.advanceMinutes(w.config.limits.sessionIdleMinutes + 1)
  await b.submit(label.invite, { [label.name]: piet.name, [label.email]: piet.email, [label.mobile]: '06-87654321', [label.username]: piet.username! })
  t.equal(b.url, '/inloggen')
  t.match(b.text, text.sessionExpired)
  t.match(b.text, fill(text.sessionExpiredAfter, { minutes: w.config.limits.sessionIdleMinutes }))
  t.match(b.text, text.draftKept, 'the form is said to be kept')
  t.notOk((await findAccountByUsername(w.deps, piet.username!)), 'nothing was created')
  t.notMatch(b.html, piet.email, 'the sign-in page shows none of it')

  await signIn(w, anna.username, secret, password, b)
  t.equal(b.url, '/praktijk/clienten/nieuw', 'signed in again: back on the form')
  t.match(b.text, text.draftRestored)
  t.equal(b.field('name').attr('value'), piet.name)
  t.equal(b.field('email').attr('value'), piet.email)
  t.equal(b.field('phone').attr('value'), '06-87654321')
  await b.submit(label.invite)
  t.ok((await findAccountByUsername(w.deps, piet.username!)), 'the patient is invited')
  await b.get('/praktijk/clienten/nieuw')
  t.notMatch(b.text, text.draftRestored, 'shown once')
})

await t.test('a kept form is for its own staff member only, and only from our own page', async (t) => {
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  await addStaff(w, bert)
  const bertOnboarded = await onboard(w, bert)
  await b.get('/praktijk/clienten/nieuw')
  w.clock.advanceMinutes(w.config.limits.sessionIdleMinutes + 1)
  await b.submit(label.invite, { [label.name]: piet.name, [label.email]: piet.email, [label.mobile]: '06-87654321' })
  t.match(b.text, text.draftKept)
  // Bert signs in on the same browser: he lands where he would, and sees nothing of Anna's form.
  await signIn(w, bert.username, bertOnboarded.secret, password, b)
  t.not(b.url, '/praktijk/clienten/nieuw')
  await b.get('/praktijk/clienten/nieuw')
  t.notMatch(b.html, piet.email, "another staff member never sees it")

  // A post without this browser's token after an expiry keeps nothing.
  const c = (await staffBrowser(w, { ...anna, username: 'aother', email: 'a2@praktijk.example', phone: '+31612340009' })).b
  await c.get('/praktijk/clienten/nieuw')
  w.clock.advanceMinutes(w.config.limits.sessionIdleMinutes + 1)
  await c.submit(label.invite, { [label.name]: piet.name, [label.email]: piet.email, [label.mobile]: '06-87654321', _csrf: 'forged' })
  t.equal(c.status, 403, 'refused')
  await c.get('/inloggen')
  t.notMatch(c.text, text.draftKept, 'nothing kept')
  await startSignIn(w, 'aother', password, c)
  t.pass('the sign-in goes on as usual')
})
