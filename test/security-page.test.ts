// The patient's security page "Beveiliging" (issue 3, item 6), driven the way a patient does:
// through the page, by its Dutch labels, with a second browser where a second device matters.
import t from 'tap'
import { csrfOf, type Browser } from './helpers/browser.ts'
import { jan, world, type World } from './helpers/world.ts'
import { describeBrowser } from '../src/domain/security.ts'

const password = 'zonneschijn op het strand'
const newPassword = 'een heel ander wachtwoord nu'
const firefoxWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'
const chromeAndroid = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'
const safariIphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

const secretOn = (b: Browser) => new URL(b.$('a[href^="otpauth://"]').attr('href')!).searchParams.get('secret')!

/** Onboarding with the app, as in test/smoke.test.ts: jan ends signed in. */
async function onboard(w: World, input = jan): Promise<{ b: Browser; secret: string }> {
  await w.invite(input)
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(input.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(input.email, 'continue')))
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(input.phone)) })
  await b.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  await b.submit('Volgende')
  // Staff have the app only: no method to choose.
  if (b.url === '/account/methode') await b.submit('Volgende')
  const secret = secretOn(b)
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
  if ((await w.account(input.username!)).mfaEnrolledAt === null) throw new Error(`onboarding did not end enrolled:\n${b.text}`)
  return { b, secret }
}

/** Username and password in a fresh browser; stops at the second step. */
async function startSignIn(w: World, opts: { userAgent?: string; password?: string; username?: string } = {}): Promise<Browser> {
  // A new 30 s step: each app code is accepted once, and a sign-in starts after any enrollment.
  w.clock.advanceSeconds(30)
  const b = w.browser(opts.userAgent ? { userAgent: opts.userAgent } : {})
  await b.get('/inloggen')
  await b.submit('Volgende', { username: opts.username ?? jan.username! })
  await b.submit('Volgende', { 'current-password': opts.password ?? password })
  return b
}

/** A full sign-in with the app in a fresh browser. */
async function signInWithApp(w: World, secret: string, opts: { userAgent?: string; password?: string; username?: string } = {}): Promise<Browser> {
  const b = await startSignIn(w, opts)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(secret) })
  return b
}

const signedIn = async (b: Browser) => {
  await b.get('/')
  return /Welkom, Jan de Vries/.test(b.text)
}

const sessionCookie = (b: Browser) => b.cookies.get('mtd_session')

await t.test('Beveiliging: an overview with the sign-ins and one link per task, each task its own page', async (t) => {
  const w = await world(t)
  const { b } = await onboard(w)
  const link = b.$('a').filter((_, a) => b.$(a).text().trim() === 'Beveiliging')
  t.equal(link.attr('href'), '/beveiliging')
  await b.get(link.attr('href')!)
  t.equal(b.status, 200)
  t.equal(b.$('h1').text(), 'Beveiliging')
  t.match(b.text, /met de code uit de authenticatie app/)
  t.equal(b.$('form[action^="/beveiliging"]').length, 0, 'no task forms on the overview')
  t.same(b.$('h2').toArray().map((h) => b.$(h).text()), ['Laatste inlogpogingen', 'Apps waarbij u bent ingelogd'])
  t.equal(b.$('table.sign-ins tbody tr').length, 1, 'the sign-in of the onboarding is listed')
  const tasks = b.$('ul.tasks a').toArray().map((a) => [b.$(a).text().trim(), b.$(a).attr('href')])
  t.same(tasks, [
    ['Wachtwoord wijzigen', '/beveiliging/wachtwoord'],
    ['Tweede stap wijzigen', '/beveiliging/tweede-stap'],
    // Issue 23.5: with the app, recovery codes (test/recovery-codes.test.ts).
    ['Herstelcodes', '/beveiliging/herstelcodes'],
    ['Uitloggen op andere apparaten', '/beveiliging/andere-apparaten'],
  ])
  t.notMatch(b.text, /factor|MFA/i, 'one word for the second factor: tweede stap')
  // Each task: its own page, its title, one current-password field, its primary button.
  const buttonsOf = { 'Wachtwoord wijzigen': 'Wachtwoord wijzigen', 'Tweede stap wijzigen': 'Tweede stap wijzigen', Herstelcodes: 'Herstelcodes maken', 'Uitloggen op andere apparaten': 'Uitloggen op alle andere apparaten' } as Record<string, string>
  for (const [name, href] of tasks) {
    await b.get('/beveiliging')
    await b.get(href!)
    t.equal(b.status, 200, href!)
    t.equal(b.$('h1').text(), name, `${href} title`)
    t.equal(b.$('input[autocomplete="current-password"]').length, 1, `${href}: one current-password field`)
    const form = b.$('form[action^="/beveiliging"]')
    t.equal(form.length, 1, `${href}: one task form`)
    t.equal(form.attr('method'), 'post')
    t.ok(form.find('input[name="_csrf"]').attr('value'), 'the form carries the CSRF token')
    t.equal(form.find('button').first().clone().find('.tb').remove().end().text().trim(), buttonsOf[name!], `${href}: primary action`)
    t.notMatch(b.text, /factor|MFA/i, `${href}: tweede stap, not factor`)
    t.equal(b.$('a[href="/beveiliging"]').text().trim(), 'Terug naar Beveiliging')
    t.equal(b.headers['cache-control'], 'no-store')
    t.ok(Buffer.byteLength(b.html) < 15_000, `page is ${Buffer.byteLength(b.html)} bytes`)
  }
  await b.get('/beveiliging/wachtwoord')
  t.equal(b.$('input[autocomplete="new-password"]').length, 2)
  // A refusal stays on the task's own page with the message at the top.
  await b.get('/beveiliging/wachtwoord')
  await b.submit('Wachtwoord wijzigen', { 'current-password': '' })
  t.equal(b.status, 422)
  t.equal(b.$('h1').text(), 'Wachtwoord wijzigen')
  t.match(b.$('.error-summary').text(), /Vul uw huidige wachtwoord in\./)
})

await t.test('anonymous and half-signed-in browsers never see the page', async (t) => {
  const w = await world(t)
  const { secret } = await onboard(w)

  const anonymous = w.browser({ followRedirects: false })
  await anonymous.get('/inloggen')
  const token = csrfOf(anonymous.html)!
  t.ok(token)
  // A browser that gave the right password but not yet the second step.
  const half = await startSignIn(w)
  t.match(half.text, /authenticatie app/)
  const halfToken = csrfOf(half.html)!

  const gets = ['/beveiliging', '/beveiliging/wachtwoord', '/beveiliging/tweede-stap', '/beveiliging/andere-apparaten', '/beveiliging/app', '/beveiliging/email']
  const posts: [string, Record<string, string>][] = [
    ['/beveiliging/wachtwoord', { currentPassword: password, newPassword, confirmPassword: newPassword }],
    ['/beveiliging/tweede-stap', { factor: 'email', factorCurrentPassword: password }],
    ['/beveiliging/app', { actie: 'doorgaan', code: '123456' }],
    ['/beveiliging/email', { actie: 'verifieer', code: '123456' }],
    ['/beveiliging/andere-apparaten', { sessionsCurrentPassword: password }],
  ]
  for (const [who, b, csrf] of [['anonymous', anonymous, token], ['half signed in', half, halfToken]] as const) {
    for (const url of gets) {
      await b.request({ method: 'GET', url })
      t.equal(b.history[0]!.status, 303, `${who} GET ${url}`)
      t.equal(b.history[0]!.location, '/inloggen', `${who} GET ${url}`)
    }
    for (const [url, form] of posts) {
      await b.request({ method: 'POST', url, form: { _csrf: csrf, ...form } })
      t.equal(b.history[0]!.status, 303, `${who} POST ${url}`)
      t.equal(b.history[0]!.location, '/inloggen', `${who} POST ${url}`)
    }
  }
  // No session at all: the CSRF guard answers first.
  const bare = w.browser({ followRedirects: false })
  for (const [url, form] of posts) {
    await bare.request({ method: 'POST', url, form })
    t.equal(bare.status, 403, `no session POST ${url}`)
  }
  // Nothing changed: no factor change began, and the old password still signs in.
  const account = await w.account('jdevries')
  t.equal(account.mfaMethod, 'app')
  t.equal(account.totpPendingSecretEnc, null)
  t.equal((await w.mail.all()).filter((m) => m.kind === 'mfa-code' || m.kind === 'password-changed').length, 0)
  const fresh = await signInWithApp(w, secret)
  t.ok(await signedIn(fresh), 'the old password still works')
})

await t.test('every form needs the CSRF token and a same-site request', async (t) => {
  const w = await world(t)
  const { b } = await onboard(w)
  await b.get('/beveiliging/wachtwoord')
  const token = csrfOf(b.html)!
  const before = (await w.account('jdevries')).passwordHash
  const form = { currentPassword: password, newPassword, confirmPassword: newPassword }
  const rows: [string, Record<string, string>, Record<string, string>][] = [
    ['no token', form, {}],
    ['wrong token', { ...form, _csrf: 'x'.repeat(token.length) }, {}],
    ['token of another session', { ...form, _csrf: csrfOf((await w.browser().get('/inloggen')).html)! }, {}],
    ['cross-site fetch', { ...form, _csrf: token }, { 'sec-fetch-site': 'cross-site' }],
    ['foreign origin', { ...form, _csrf: token }, { origin: 'https://evil.example' }],
  ]
  for (const [name, payload, headers] of rows) {
    await b.request({ method: 'POST', url: '/beveiliging/wachtwoord', form: payload, headers })
    t.equal(b.status, 403, name)
    t.match(b.text, /Formulier verlopen/, name)
  }
  for (const url of ['/beveiliging/tweede-stap', '/beveiliging/andere-apparaten']) {
    await b.request({ method: 'POST', url, form: { factor: 'app', factorCurrentPassword: password, sessionsCurrentPassword: password } })
    t.equal(b.status, 403, `${url} without token`)
  }
  t.equal((await w.account('jdevries')).passwordHash, before, 'the password did not change')
  t.equal((await w.account('jdevries')).totpPendingSecretEnc, null, 'no factor change started')
  t.ok(await signedIn(b), 'still signed in')
})

await t.test('Wachtwoord wijzigen: ends the other browser, keeps this one, sends the notice mail', async (t) => {
  const w = await world(t)
  const { b, secret } = await onboard(w)
  const other = await signInWithApp(w, secret, { userAgent: firefoxWindows })
  t.ok(await signedIn(other), 'the other browser is signed in')

  await b.get('/beveiliging/wachtwoord')
  const cookieBefore = sessionCookie(b)
  await b.submit('Wachtwoord wijzigen', { 'current-password': password, 'Nieuw wachtwoord': newPassword, 'Bevestiging wachtwoord': newPassword })
  t.equal(b.history[0]!.status, 303, 'Post/Redirect/Get')
  t.equal(b.url, '/beveiliging')
  t.match(b.text, /Uw wachtwoord is gewijzigd\./)
  t.not(sessionCookie(b), cookieBefore, 'this browser got a new session id')
  await b.get('/beveiliging')
  t.notMatch(b.text, /Uw wachtwoord is gewijzigd/, 'the notice is shown once')

  t.ok(await signedIn(b), 'this browser stays signed in')
  t.notOk(await signedIn(other), 'the other browser is signed out')
  t.match(other.url, /^\/inloggen/)

  const notice = await w.mail.lastTo(jan.email, 'password-changed')
  t.match(notice.subject, /wachtwoord .* is gewijzigd/i)
  t.equal(notice.from, w.config.senders.system)
  t.notMatch(notice.text, new RegExp(newPassword), 'the mail does not carry the password')
  const events = await w.audit((await w.account('jdevries')).id)
  t.ok(events.some((e) => e.event === 'password_changed' && e.outcome === 'success'))
  t.ok(events.some((e) => e.event === 'sessions_ended' && JSON.parse(e.detail!).count === 1))
  t.notOk(events.some((e) => (e.detail ?? '').includes(newPassword) || (e.detail ?? '').includes(password)), 'no password in the audit log')

  // The new password signs in; the old one does not.
  const old = await startSignIn(w)
  t.match(old.text, /klopt niet/, 'the old password is refused')
  const fresh = await signInWithApp(w, secret, { password: newPassword })
  t.ok(await signedIn(fresh), 'the new password works')
})

await t.test('Wachtwoord wijzigen: refusals, each leaving the password as it was', async (t) => {
  const w = await world(t)
  const { b } = await onboard(w)
  const before = (await w.account('jdevries')).passwordHash
  const rows: [string, Record<string, string>, RegExp][] = [
    ['empty current password', { 'current-password': '', 'Nieuw wachtwoord': newPassword, 'Bevestiging wachtwoord': newPassword }, /Vul uw huidige wachtwoord in/],
    ['wrong current password', { 'current-password': 'dit is het niet hoor', 'Nieuw wachtwoord': newPassword, 'Bevestiging wachtwoord': newPassword }, /Uw huidige wachtwoord klopt niet/],
    ['too short', { 'current-password': password, 'Nieuw wachtwoord': 'kort', 'Bevestiging wachtwoord': 'kort' }, /te kort.*nu 4/],
    ['not the same twice', { 'current-password': password, 'Nieuw wachtwoord': newPassword, 'Bevestiging wachtwoord': `${newPassword}!` }, /niet gelijk/],
    ['same as now', { 'current-password': password, 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password }, /ander wachtwoord dan uw huidige/],
    ['common', { 'current-password': password, 'Nieuw wachtwoord': 'password1234', 'Bevestiging wachtwoord': 'password1234' }, /veelgebruikte/],
    ['contains the username', { 'current-password': password, 'Nieuw wachtwoord': 'jdevries is mijn naam', 'Bevestiging wachtwoord': 'jdevries is mijn naam' }, /gebruikersnaam/],
  ]
  for (const [name, fields, message] of rows) {
    await b.get('/beveiliging/wachtwoord')
    await b.submit('Wachtwoord wijzigen', fields)
    t.equal(b.status, 422, name)
    t.match(b.text, message, name)
    t.equal(b.$('.error-summary').length, 1, `${name}: error summary`)
    t.notMatch(b.html, /value="[^"]*(zonneschijn|heel ander)/, `${name}: no password echoed`)
  }
  t.equal((await w.account('jdevries')).passwordHash, before)
  t.equal((await w.mail.all()).filter((m) => m.kind === 'password-changed').length, 0, 'no notice mail')
  t.ok(await signedIn(b))
})

await t.test('the current password is a counted guess: after 5 wrong ones the page is throttled', async (t) => {
  const w = await world(t)
  const { b, secret } = await onboard(w)
  const before = (await w.account('jdevries')).passwordHash
  // Wrong guesses spread over the three forms all count against the same username.
  const wrong: [string, Record<string, string>][] = [
    ['Wachtwoord wijzigen', { 'current-password': 'gok nummer een!', 'Nieuw wachtwoord': newPassword, 'Bevestiging wachtwoord': newPassword }],
    ['Tweede stap wijzigen', { 'current-password': 'gok nummer twee!' }],
    ['Uitloggen op alle andere apparaten', { 'current-password': 'gok nummer drie!' }],
    ['Wachtwoord wijzigen', { 'current-password': 'gok nummer vier!', 'Nieuw wachtwoord': newPassword, 'Bevestiging wachtwoord': newPassword }],
    ['Uitloggen op alle andere apparaten', { 'current-password': 'gok nummer vijf!' }],
  ]
  const paths: Record<string, string> = { 'Wachtwoord wijzigen': '/beveiliging/wachtwoord', 'Tweede stap wijzigen': '/beveiliging/tweede-stap', 'Uitloggen op alle andere apparaten': '/beveiliging/andere-apparaten' }
  for (const [button, fields] of wrong) {
    await b.get(paths[button]!)
    await b.submit(button, fields)
    t.equal(b.status, 422, button)
    t.match(b.text, /Uw huidige wachtwoord klopt niet/, button)
  }
  // The sixth try is refused before the password is even looked at, right or wrong.
  await b.get('/beveiliging/wachtwoord')
  await b.submit('Wachtwoord wijzigen', { 'current-password': password, 'Nieuw wachtwoord': newPassword, 'Bevestiging wachtwoord': newPassword })
  t.equal(b.status, 429)
  t.match(b.text, /te veel pogingen/i)
  t.equal((await w.account('jdevries')).passwordHash, before, 'refused while throttled')
  t.equal((await w.audit((await w.account('jdevries')).id)).filter((e) => e.event === 'reauth_failed').length, 5)
  // This browser holds a device cookie for jdevries: its guesses count on that device's counter
  // (decision 0011); a browser without the cookie is not held up by them.
  const elsewhere = w.browser()
  await elsewhere.get('/inloggen')
  await elsewhere.submit('Volgende', { username: 'jdevries' })
  await elsewhere.submit('Volgende', { 'current-password': password })
  t.equal(elsewhere.url, '/inloggen/app-code', 'another browser is not held up by this one')

  w.clock.advanceSeconds(31)
  await b.get('/beveiliging/wachtwoord')
  await b.submit('Wachtwoord wijzigen', { 'current-password': password, 'Nieuw wachtwoord': newPassword, 'Bevestiging wachtwoord': newPassword })
  t.match(b.text, /Uw wachtwoord is gewijzigd/, 'after the wait the right password works')
  const fresh = await signInWithApp(w, secret, { password: newPassword })
  t.ok(await signedIn(fresh))
})

await t.test('switch to e-mail counts only after the e-mail code; until then sign-in asks the app', async (t) => {
  const w = await world(t)
  const { b, secret } = await onboard(w)
  // A sign-in that is waiting at the app step while the patient switches.
  const waiting = await startSignIn(w, { userAgent: safariIphone })
  t.match(waiting.text, /authenticatie app/)

  await b.get('/beveiliging/tweede-stap')
  b.choose('Overstappen op e-mail')
  await b.submit('Tweede stap wijzigen', { 'current-password': password })
  t.equal(b.url, '/beveiliging/email')
  t.match(b.text, /Tot dan blijft de authenticatie app uw tweede stap/)
  const mailed = await w.mail.lastTo(jan.email, 'mfa-code')
  t.equal(mailed.from, w.config.senders.mfa)

  // Not confirmed yet: the account still uses the app, and a new sign-in asks for it.
  t.equal((await w.account('jdevries')).mfaMethod, 'app')
  const meanwhile = await startSignIn(w)
  t.match(meanwhile.text, /authenticatie app/, 'sign-in still asks the app')
  t.equal(meanwhile.url, '/inloggen/app-code')

  await b.submit('Verifieer code', { 'one-time-code': '000000' === (await w.mail.lastCodeTo(jan.email)) ? '111111' : '000000' })
  t.equal(b.status, 422)
  t.match(b.text, /Deze code klopt niet/)
  t.equal((await w.account('jdevries')).mfaMethod, 'app', 'a wrong code changes nothing')
  await b.submit('Verifieer code', { 'one-time-code': (await w.mail.lastCodeTo(jan.email)) })
  t.equal(b.url, '/beveiliging')
  t.match(b.text, /u logt voortaan in met een code per e-mail/)
  t.match(b.text, /U bevestigt bij het inloggen dat u het bent met een code per e-mail/)

  const account = await w.account('jdevries')
  t.equal(account.mfaMethod, 'email')
  t.equal(account.totpSecretEnc, null, 'the old app secret is removed')
  const notice = await w.mail.lastTo(jan.email, 'mfa-changed')
  t.match(notice.subject, /Tweede stap gewijzigd/)
  t.match(notice.text, /code per e-mail/)
  const changed = (await w.audit(account.id)).find((e) => e.event === 'mfa_changed')
  t.same(JSON.parse(changed!.detail!), { from: 'app', to: 'email' })

  // The sign-in that waited at the app step must now pass the e-mail code; the app's code is useless.
  w.clock.advanceSeconds(31)
  await waiting.get('/account')
  t.equal(waiting.url, '/inloggen/email-code', 'the waiting sign-in is not let through')
  t.notOk(await signedIn(waiting))
  // A new sign-in goes by e-mail.
  const next = await startSignIn(w)
  t.equal(next.url, '/inloggen/email-code')
  await next.submit('Stuur verificatiecode')
  await next.submit('Verifieer code', { 'one-time-code': (await w.mail.lastCodeTo(jan.email)) })
  t.ok(await signedIn(next), 'signed in with the e-mail code')

  // And back to the app: the new secret counts after its code.
  await b.get('/beveiliging/tweede-stap')
  t.equal(b.$('input[name="factor"]').length, 1)
  b.choose('Overstappen op de authenticatie app')
  await b.submit('Tweede stap wijzigen', { 'current-password': password })
  t.equal(b.url, '/beveiliging/app')
  const appSecret = secretOn(b)
  t.not(appSecret, secret)
  t.equal((await w.account('jdevries')).mfaMethod, 'email', 'still e-mail until the code')
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(appSecret) })
  t.match(b.text, /u logt voortaan in met de code uit de authenticatie app/)
  t.equal((await w.account('jdevries')).mfaMethod, 'app')
})

await t.test('re-enrolled app: the old secret fails at the next sign-in, the new one works', async (t) => {
  const w = await world(t)
  const { b, secret: oldSecret } = await onboard(w)
  await b.get('/beveiliging/tweede-stap')
  t.equal(b.$('input[name="factor"]:checked').attr('value'), 'app', 'Nieuwe app koppelen is the default')
  await b.get('/beveiliging/tweede-stap')
  await b.submit('Tweede stap wijzigen', { 'current-password': password })
  t.equal(b.url, '/beveiliging/app')
  t.equal(b.$('.qr img').length, 1, 'QR code drawn on the server')
  const newSecret = secretOn(b)
  t.not(newSecret, oldSecret)
  t.equal(b.$('code.secret').text().replace(/\s/g, ''), newSecret, 'the secret also as grouped text')
  t.match(b.$('code.secret').text(), /^(\S{4} )+\S{1,4}$/)
  t.match(b.$('a[href^="otpauth://"]').attr('href')!, /issuer=/)

  // Until confirmed, the old app still signs in.
  const before = await signInWithApp(w, oldSecret)
  t.ok(await signedIn(before), 'old app works before the change is confirmed')
  await b.get('/beveiliging/app')
  t.equal(secretOn(b), newSecret, 'a reload shows the same pending secret')

  const rows: [string, string, RegExp][] = [
    ['letters', 'abcdef', /6 cijfers/],
    ['a code from the old app', await w.totp(oldSecret), /klopt niet/],
  ]
  for (const [name, code, message] of rows) {
    await b.submit('Doorgaan', { 'one-time-code': code })
    t.equal(b.status, 422, name)
    t.match(b.text, message, name)
  }
  t.equal((await w.totpSecretOf('jdevries')), oldSecret, 'still the old secret')
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(newSecret) })
  t.equal(b.url, '/beveiliging')
  t.match(b.text, /Uw tweede stap is gewijzigd/)
  t.equal((await w.totpSecretOf('jdevries')), newSecret)
  t.equal((await w.account('jdevries')).totpPendingSecretEnc, null)
  // A new app in place of the old one: its own mail, which says to remove the old entry (issue 23.6).
  t.match((await w.mail.lastTo(jan.email, 'mfa-changed')).subject, /Nieuwe app gekoppeld/)
  t.ok((await w.audit((await w.account('jdevries')).id)).some((e) => e.event === 'mfa_changed' && e.detail === JSON.stringify({ from: 'app', to: 'app' })))

  const withOld = await startSignIn(w)
  w.clock.advanceSeconds(30)
  await withOld.submit('Verifieer code', { 'one-time-code': await w.totp(oldSecret) })
  t.equal(withOld.status, 422)
  t.match(withOld.text, /klopt niet/, 'old secret refused')
  await withOld.submit('Verifieer code', { 'one-time-code': await w.totp(newSecret) })
  t.ok(await signedIn(withOld), 'new secret works')
})

await t.test('a factor change can be cancelled, and lapses after 15 minutes', async (t) => {
  const w = await world(t)
  const { b, secret } = await onboard(w)

  await b.get('/beveiliging/tweede-stap')
  await b.submit('Tweede stap wijzigen', { 'current-password': password })
  t.not((await w.account('jdevries')).totpPendingSecretEnc, null)
  await b.submit('Annuleren')
  t.equal(b.url, '/beveiliging')
  t.match(b.text, /De wijziging is geannuleerd/)
  t.equal((await w.account('jdevries')).totpPendingSecretEnc, null)
  await b.get('/beveiliging/app')
  t.equal(b.url, '/beveiliging', 'no change in progress: back to the page')

  await b.get('/beveiliging/tweede-stap')
  await b.submit('Tweede stap wijzigen', { 'current-password': password })
  const pending = secretOn(b)
  w.clock.advanceMinutes(10)
  await b.get('/beveiliging/app')
  w.clock.advanceMinutes(6)
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(pending) })
  t.equal(b.url, '/beveiliging')
  t.match(b.text, /duurde te lang/)
  t.equal((await w.totpSecretOf('jdevries')), secret, 'the old app stays')
  t.equal((await w.account('jdevries')).totpPendingSecretEnc, null)

  // E-mail: cancel leaves the app in place.
  await b.get('/beveiliging/tweede-stap')
  b.choose('Overstappen op e-mail')
  await b.submit('Tweede stap wijzigen', { 'current-password': password })
  await b.submit('Annuleren')
  t.match(b.text, /De wijziging is geannuleerd/)
  await b.get('/beveiliging/tweede-stap')
  await b.request({ method: 'POST', url: '/beveiliging/email', form: { _csrf: csrfOf(b.html)!, actie: 'verifieer', code: (await w.mail.lastCodeTo(jan.email)) } })
  t.equal(b.url, '/beveiliging', 'the code does nothing after a cancel')
  t.equal((await w.account('jdevries')).mfaMethod, 'app')
})

await t.test('staff may not switch to e-mail', async (t) => {
  const w = await world(t)
  const staff = { name: 'Els Bakker', email: 'els@praktijk.example', phone: '+31612345678', username: 'ebakker', role: 'behandelaar' as const }
  const { b } = await onboard(w, staff)
  await b.get('/beveiliging/tweede-stap')
  t.same(b.$('input[name="factor"]').toArray().map((i) => b.$(i).attr('value')), ['app'])
  t.notMatch(b.text, /Overstappen op e-mail/)
  await b.request({ method: 'POST', url: '/beveiliging/tweede-stap', form: { _csrf: csrfOf(b.html)!, factor: 'email', factorCurrentPassword: password } })
  t.equal(b.status, 422)
  t.match(b.text, /niet beschikbaar/)
  t.equal((await w.mail.all()).filter((m) => m.kind === 'mfa-code').length, 0, 'no e-mail code sent')
  t.equal((await w.account('ebakker')).mfaMethod, 'app')

  const rows: [string, string][] = [['nothing chosen', ''], ['nonsense', 'sms']]
  for (const [name, factor] of rows) {
    await b.request({ method: 'POST', url: '/beveiliging/tweede-stap', form: { _csrf: csrfOf(b.html)!, factor, factorCurrentPassword: password } })
    t.equal(b.status, 422, name)
    t.match(b.text, /Kies wat u wilt doen/, name)
  }
})

await t.test('Laatste inlogpogingen: the last 10, with time, browser and outcome, nothing secret', async (t) => {
  const w = await world(t)
  const { b, secret } = await onboard(w)
  const wrongPassword = 'geraden wachtwoord 123'
  // Another browser guesses the password; a third gets the password right but not the code.
  await startSignIn(w, { userAgent: firefoxWindows, password: wrongPassword })
  const halfway = await startSignIn(w, { userAgent: chromeAndroid })
  await halfway.submit('Verifieer code', { 'one-time-code': '000000' === (await w.totp(secret)) ? '111111' : '000000' })
  t.match(halfway.text, /klopt niet/)

  await b.get('/beveiliging')
  const rows = () => b.$('table tbody tr').toArray().map((tr) => b.$(tr).find('td').toArray().map((td) => b.$(td).text()))
  const now = rows()
  t.equal(now.length, 3)
  t.same(now.map((r) => r.slice(1)), [
    ['Chrome op Android', 'Mislukt: tweede stap'],
    ['Firefox op Windows', 'Mislukt: wachtwoord'],
    ['Onbekende browser', 'Gelukt'],
  ])
  t.match(now[0]![0], /^2 maart 2026 om 10:0\d$/, 'local Dutch time')
  t.notMatch(b.text, new RegExp(wrongPassword), 'no typed password')
  t.notMatch(b.html, /127\.0\.0\.1|rv:128|Gecko/, 'no address and no raw user agent')

  // Failed factor changes are not sign-in attempts.
  await b.get('/beveiliging/tweede-stap')
  await b.submit('Tweede stap wijzigen', { 'current-password': password })
  await b.submit('Doorgaan', { 'one-time-code': '000000' === (await w.totp(secretOn(b))) ? '111111' : '000000' })
  await b.submit('Annuleren')
  t.equal(rows().length, 3)

  // Many more attempts: only the newest 10 are listed.
  for (let i = 0; i < 5; i++) {
    await startSignIn(w, { userAgent: safariIphone, password: wrongPassword })
    await signInWithApp(w, secret, { userAgent: firefoxWindows })
  }
  await b.get('/beveiliging')
  const last = rows()
  t.equal(last.length, 10)
  t.ok(Buffer.byteLength(b.html) < 15_000, `page with a full list is ${Buffer.byteLength(b.html)} bytes`)
  t.same(last[0]!.slice(1), ['Firefox op Windows', 'Gelukt'])
  t.same(last[1]!.slice(1), ['Safari op iPhone', 'Mislukt: wachtwoord'])
})

await t.test('describeBrowser maps user agents to a short readable form', async (t) => {
  const rows: [string | null, string][] = [
    [firefoxWindows, 'Firefox op Windows'],
    [chromeAndroid, 'Chrome op Android'],
    [safariIphone, 'Safari op iPhone'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0', 'Edge op Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 'Safari op macOS'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 'Chrome op Linux'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1', 'Chrome op iPhone'],
    ['Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36', 'Samsung Internet op Android'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0', 'Opera op Windows'],
    ['w3m/0.5.3+git20230121', 'w3m'],
    ['curl/8.5.0', 'curl'],
    ['Mozilla/5.0 (test-browser)', 'Onbekende browser'],
    ['', 'Onbekende browser'],
    [null, 'Onbekende browser'],
  ]
  for (const [ua, expected] of rows) t.equal(describeBrowser(ua, 'nl'), expected, String(ua))
})

await t.test('Uitloggen op alle andere apparaten ends every other session and says how many', async (t) => {
  const w = await world(t)
  const { b, secret } = await onboard(w)
  const phone = await signInWithApp(w, secret, { userAgent: chromeAndroid })
  const laptop = await signInWithApp(w, secret, { userAgent: firefoxWindows })
  t.ok(await signedIn(phone))
  t.ok(await signedIn(laptop))

  await b.get('/beveiliging/andere-apparaten')
  await b.submit('Uitloggen op alle andere apparaten', { 'current-password': 'niet mijn wachtwoord' })
  t.equal(b.status, 422)
  t.match(b.text, /Uw huidige wachtwoord klopt niet/)
  t.ok(await signedIn(phone), 'a wrong password ends nothing')

  await b.get('/beveiliging/andere-apparaten')
  const cookieBefore = sessionCookie(b)
  await b.submit('Uitloggen op alle andere apparaten', { 'current-password': password })
  t.equal(b.history[0]!.status, 303)
  t.match(b.text, /U bent uitgelogd op 2 andere apparaten\./)
  t.not(sessionCookie(b), cookieBefore, 'this browser got a new session id')
  t.notOk(await signedIn(phone), 'the phone is signed out')
  t.notOk(await signedIn(laptop), 'the laptop is signed out')
  t.ok(await signedIn(b), 'this browser stays')
  const ended = (await w.audit((await w.account('jdevries')).id)).find((e) => e.event === 'sessions_ended')
  t.same(JSON.parse(ended!.detail!), { count: 2, via: 'self' })

  await b.get('/beveiliging/andere-apparaten')
  await b.submit('Uitloggen op alle andere apparaten', { 'current-password': password })
  t.match(b.text, /U was niet ingelogd op andere apparaten\./)
  const again = await signInWithApp(w, secret)
  await b.get('/beveiliging/andere-apparaten')
  await b.submit('Uitloggen op alle andere apparaten', { 'current-password': password })
  t.match(b.text, /U bent uitgelogd op 1 ander apparaat\./)
  t.notOk(await signedIn(again))
})

await t.test('an expired session is sent to sign in, not shown the page', async (t) => {
  const w = await world(t)
  const { b } = await onboard(w)
  await b.get('/beveiliging/wachtwoord')
  const token = csrfOf(b.html)!
  w.clock.advanceMinutes(16)
  await b.request({ method: 'POST', url: '/beveiliging/andere-apparaten', form: { _csrf: token, sessionsCurrentPassword: password } })
  t.equal(b.history[0]!.status, 303)
  t.equal(b.history[0]!.location, '/inloggen')
  t.match(b.text, /Uw sessie is verlopen/)
  t.equal((await w.audit((await w.account('jdevries')).id)).filter((e) => e.event === 'sessions_ended').length, 0)
  t.notOk(await signedIn(b))
  await b.get('/beveiliging')
  t.match(b.url, /^\/inloggen/)
})
