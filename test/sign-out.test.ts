// Uitloggen ends the session, not the browser's own protection (issue 23, item 8): the session's and
// the CSRF secret's cookies are expired by name, with the attributes they were set with; the device
// cookie (no name in it: a random id, the username's HMAC, a time, signed) and the language cookie stay.
// So a patient who signs out is not held up afterwards by strangers' guessing at her username.
import t from 'tap'
import { Browser, injectFrom, type Inject } from './helpers/browser.ts'
import { browserFrom, enterPassword, onboardWithApp, secretOnPage } from './helpers/patients.ts'
import { jan, world } from './helpers/world.ts'

const wrong = 'dit is het echt niet'

/** The Set-Cookie of the sign-out's own answer (the first hop) that names `name`. */
const setCookieFor = (b: Browser, name: string) => b.history[0]!.setCookies.filter((c) => c.startsWith(`${name}=`))
const expired = (cookie: string) => /;\s*max-age=0\b/i.test(cookie) || /;\s*expires=thu, 01 jan 1970/i.test(cookie)

await t.test('after Uitloggen the device cookie and the language stay; the session and CSRF cookies are expired', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  const b = p.browser
  t.ok(b.cookies.has('mtd_device'), 'the completed sign-in gave this browser its device cookie')
  const device = b.cookies.get('mtd_device')
  await b.get('/taal/en?terug=/')
  t.equal(b.cookies.get('mtd_lang'), 'en')

  await b.submit('Sign out')
  t.equal(b.url, '/inloggen?uitgelogd=1', 'straight to the signed-out page (no detour to set the language again)')
  t.match(b.text, /You have signed out\./, 'in the language this browser chose')
  t.equal(b.history[0]!.url, '/uitloggen')
  t.equal(b.cookies.get('mtd_device'), device, 'the device cookie is still in the jar, unchanged')
  t.equal(b.cookies.get('mtd_lang'), 'en', 'the language cookie too')
  t.notOk(b.cookies.has('mtd_session'), 'the session cookie is gone')
  for (const name of ['mtd_session', 'mtd_csrf']) {
    const cookies = setCookieFor(b, name)
    t.ok(cookies.length >= 1 && cookies.every(expired), `${name}: expired by the sign-out's answer`)
  }
  t.equal(setCookieFor(b, 'mtd_device').length, 0, 'the device cookie is not touched')

  // What the cookie gives this browser: its guesses at this username count on their own, so 30
  // strangers' failures elsewhere (past the username-wide limit) neither delay nor hide its answers.
  for (let i = 0; i < 30; i++) await enterPassword(browserFrom(w, `10.7.${i}.1`), 'jdevries', wrong)
  w.clock.advanceSeconds(30)
  await b.get('/taal/nl?terug=/inloggen')
  await enterPassword(b, 'jdevries', wrong)
  t.equal(b.status, 422, 'a wrong password is still answered plainly in this browser')
  await enterPassword(b, 'jdevries', p.password)
  t.equal(b.url, '/inloggen/app-code', 'the right password goes on at once')
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.equal(b.url, '/', 'and the patient is signed in again')
  t.match(b.text, /Jan de Vries/)
})

await t.test('under https the expired cookies carry the __Host- rules, so a browser accepts them', async (t) => {
  const w = await world(t, { env: { PUBLIC_URL: 'https://portal.example', TRUST_PROXY: 'true' } })
  const viaProxy: Inject = (opts) => injectFrom(w.app)({ ...opts, headers: { host: 'portal.example', ...opts.headers, 'x-forwarded-proto': 'https' } })
  const b = new Browser(viaProxy, { origin: 'https://portal.example' })
  await w.invite()
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  const password = 'zonneschijn op het strand'
  await b.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  await b.submit('Volgende')
  await b.submit('Volgende')
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secretOnPage(b)) })
  t.match(b.text, /Welkom, Jan de Vries/)
  t.ok(b.cookies.has('__Host-mtd_device'), 'a device cookie under https')

  await b.submit('Uitloggen')
  for (const name of ['__Host-mtd_session', '__Host-mtd_csrf']) {
    const ours = setCookieFor(b, name).filter((c) => /;\s*secure/i.test(c))
    t.equal(ours.length, 1, `${name}: one expiry with Secure`)
    t.ok(expired(ours[0] ?? ''), `${name}: expired`)
    t.match(ours[0] ?? '', /;\s*path=\//i, `${name}: Path=/`)
    t.notMatch(ours[0] ?? '', /;\s*domain=/i, `${name}: no Domain`)
  }
  t.ok(b.cookies.has('__Host-mtd_device'), 'the device cookie stays')
  t.match(b.text, /U bent uitgelogd\./)
})
