// Issue 23.4 and 23.6: the code pages (app code, e-mail code, SMS code) offer a way out when codes keep
// failing for a reason the patient cannot see, and say when and where a new code went; after five wrong
// temporary passwords the page links to the forgot path. Walked as a patient walks them.
import t, { type Test } from 'tap'
import type { Browser } from './helpers/browser.ts'
import { browserFrom, enterPassword, onboardWithApp, onboardWithEmail, startForgot } from './helpers/patients.ts'
import { jan, world } from './helpers/world.ts'


const contact = { PRACTICE_CONTACT: '030 123 45 67' }
const wrongPassword = 'dit is het echt niet'
const named = /Neem contact op met Praktijk De Linde \(030 123 45 67\)\./
const generic = /Neem contact op met uw praktijk\./
/** The "Lukt het niet?" block, its words only. */
const wayOut = (b: Browser) => b.$('section.way-out').text().replace(/\s+/g, ' ').trim()
const sessionCookie = (b: Browser) => b.cookies.get('mtd_session')

/** "Begin opnieuw": the flow ends, a new session id, back on the Gebruikersnaam page. */
async function startAgain(t: Test, b: Browser) {
  const before = sessionCookie(b)
  await b.submit('Begin opnieuw')
  t.equal(b.url, '/inloggen', 'back on the Gebruikersnaam page')
  t.equal(b.$('h1').text().trim(), 'Inloggen')
  t.not(sessionCookie(b), before, 'under a new session id')
  await b.get('/account')
  t.equal(b.url, '/inloggen', 'the walk is over: no step is due any more')
}

await t.test('the app-code page: after a wrong code, Begin opnieuw, the forgot path and whom to call (no practice before proof)', async (t) => {
  const w = await world(t, { env: contact })
  const p = await onboardWithApp(w)
  await p.browser.submit('Uitloggen')
  const b = await enterPassword(w.browser(), 'jdevries', p.password)
  t.equal(b.url, '/inloggen/app-code')
  t.equal(b.$('section.way-out').length, 0, 'no way out before anything failed')
  await b.submit('Verifieer code', { 'one-time-code': '000000' })
  t.equal(b.status, 422)
  t.match(wayOut(b), /^Lukt het niet\?/)
  t.ok(b.buttonLabels().includes('Begin opnieuw'))
  t.equal(b.$('section.way-out a').filter((_, a) => b.$(a).text() === 'Bent u uw wachtwoord vergeten of logt u voor de eerste keer in?').attr('href'), '/wachtwoord-vergeten')
  // A right password alone proves nothing (a password can leak; decision 0015): no practice named yet.
  t.match(wayOut(b), generic, 'before the second step: "uw praktijk"')
  t.notMatch(b.$('main').text(), /Praktijk De Linde|030 123 45 67/, 'no practice named before proof')
  t.notMatch(wayOut(b), /verkeerd getypt/, 'outside hidden mode the password is known to be right')
  await startAgain(t, b)
})

await t.test('hidden mode: a mistyped password reads the same way out as a right one, naming no practice', async (t) => {
  const w = await world(t, { env: contact })
  const p = await onboardWithApp(w)
  await p.browser.submit('Uitloggen')
  const room = '10.7.7.7'
  for (let i = 1; i <= 10; i++) await enterPassword(browserFrom(w, room), `gebruiker${i}`, wrongPassword)
  const typo = await enterPassword(browserFrom(w, room), 'jdevries', wrongPassword)
  const right = await enterPassword(browserFrom(w, room), 'jdevries', p.password)
  t.equal(typo.url, '/inloggen/app-code', 'hidden mode: the wrong password goes on to the code')
  for (const b of [typo, right]) await b.submit('Verifieer code', { 'one-time-code': '000000' })
  t.match(wayOut(typo), /Dan is uw wachtwoord misschien verkeerd getypt\./, 'the reason the patient cannot see, said')
  t.match(wayOut(typo), generic)
  t.notMatch(typo.$('main').text(), /Praktijk De Linde|030 123 45 67/, 'no practice named before proof')
  t.equal(wayOut(right), wayOut(typo), 'a right password reads the very same')
  await startAgain(t, typo)
  w.clock.advanceSeconds(30)
  const again = await enterPassword(typo, 'jdevries', p.password)
  await again.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.equal(again.url, '/', 'typed again, it signs in')
})

await t.test('the e-mail code page and the SMS code page have the same way out', async (t) => {
  const w = await world(t, { env: contact })
  const p = await onboardWithEmail(w)
  await p.browser.submit('Uitloggen')
  w.clock.advanceMinutes(1)
  const b = await enterPassword(w.browser(), 'jdevries', p.password)
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': '000000' })
  t.equal(b.url, '/inloggen/email-code')
  t.match(wayOut(b), /Lukt het niet\?/)
  t.match(wayOut(b), generic, 'a sign-in before its second step names no practice')
  t.notMatch(b.$('main').text(), /Praktijk De Linde|030 123 45 67/)
  await startAgain(t, b)

  // The forgot path's SMS step, before the phone is proven: generic words.
  const r = await startForgot(w.browser(), 'jdevries', jan.email)
  await r.submit('Stuur verificatiecode')
  await r.submit('Verifieer code', { 'one-time-code': '000000' })
  t.equal(r.url, '/account/telefoon')
  t.match(wayOut(r), generic)
  t.notMatch(r.$('main').text(), /030 123 45 67/)
  t.ok(r.buttonLabels().includes('Begin opnieuw'))

  // The onboarding's SMS step: the link proved the account.
  const other = { name: 'Piet Peters', email: 'piet@example.org', phone: '+31687654321', username: 'ppeters' }
  await w.invite(other)
  const o = w.browser()
  await o.get((await w.mail.lastLinkTo(other.email, 'invite')))
  await o.submit('Volgende')
  await o.get((await w.mail.lastLinkTo(other.email, 'continue')))
  await o.submit('Stuur verificatiecode')
  await o.submit('Verifieer code', { 'one-time-code': '000000' })
  t.match(wayOut(o), named)
})

await t.test('five wrong temporary passwords: the page links to the forgot path instead of naming it', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  await p.browser.submit('Uitloggen')
  w.clock.advanceMinutes(1)
  const b = await startForgot(w.browser(), 'jdevries', jan.email)
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  const fill = { 'Tijdelijk wachtwoord (zie e-mail)': 'verkeerdverkeerd', 'Nieuw wachtwoord': 'herfstbladeren op de stoep', 'Bevestig het wachtwoord': 'herfstbladeren op de stoep' }
  for (let i = 1; i <= 4; i++) {
    await b.submit('Volgende', fill)
    t.equal(b.status, 422, `wrong temporary password ${i}`)
    t.match(b.text, /Het tijdelijke wachtwoord klopt niet/)
  }
  await b.submit('Volgende', fill)
  t.match(b.text, /vijf keer verkeerd ingevuld en werkt daarom niet meer/)
  t.equal(b.field('Tijdelijk wachtwoord (zie e-mail)').length, 0, 'no form that can not work')
  const link = b.$('main a.button-link')
  t.equal(link.text().trim(), 'Nieuw tijdelijk wachtwoord aanvragen')
  t.equal(link.attr('href'), '/wachtwoord-vergeten', 'a link, not a name to look for')
  await b.get('/account')
  t.equal(b.url, '/account/nieuw-wachtwoord', 'reloaded, the step asks again')
  await b.submit('Volgende', { ...fill, 'Tijdelijk wachtwoord (zie e-mail)': 'nogmaalsverkeerd' })
  t.match(b.text, /werkt daarom niet meer/, 'and says again that it is spent')
  await b.get('/wachtwoord-vergeten')
  await b.submit('Volgende', { 'E-mailadres': jan.email })
  t.equal(b.url, '/account/telefoon', 'the forgot path starts afresh')
})


const sentLine = (b: Browser) => b.$('p.notice-ok[role="status"]').text().trim()

await t.test('Stuur een nieuwe code: that a new code went out, when, and to the masked number (never more than four digits)', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await b.submit('Stuur verificatiecode')
  t.equal(sentLine(b), 'De code is verstuurd op 2 maart 2026 om 10:00 naar XXX-XXXX-1361.')
  w.clock.advanceMinutes(2)
  await b.submit('Stuur een nieuwe code')
  t.equal(sentLine(b), 'Er is een nieuwe code verstuurd op 2 maart 2026 om 10:02 naar XXX-XXXX-1361. Alleen de nieuwste code werkt.')
  t.notMatch(b.html, /612341361|0612|\+316/, 'no more than the last four digits anywhere on the page')
  await b.get('/account')
  t.match(sentLine(b), /nieuwe code verstuurd op 2 maart 2026 om 10:02/, 'a reload says the same: it is what happened, not a flash')
  await b.get('/taal/en?terug=%2Faccount%2Ftelefoon')
  t.equal(sentLine(b), 'A new code was sent on 2 March 2026 at 10:02 to XXX-XXXX-1361. Only the newest code works.')

  // The forgot path's decoy (a wrong address) reads the same, with its own four digits.
  w.clock.advanceMinutes(1)
  const real = await startForgot(w.browser(), 'jdevries', jan.email)
  const decoy = await startForgot(w.browser(), 'jdevries', 'iemand@example.org')
  for (const x of [real, decoy]) {
    await x.submit('Stuur verificatiecode')
    w.clock.advanceSeconds(31)
    await x.submit('Stuur een nieuwe code')
  }
  t.match(sentLine(decoy), /^Er is een nieuwe code verstuurd op 2 maart 2026 om \d\d:\d\d naar XXX-XXXX-\d{4}\. Alleen de nieuwste code werkt\.$/)
  t.equal(sentLine(decoy).replace(/\d\d:\d\d|\d{4}\./g, ''), sentLine(real).replace(/\d\d:\d\d|\d{4}\./g, ''))
})

await t.test('the e-mail code: the masked address once the password is proven; in hidden mode only "uw e-mailadres"', async (t) => {
  const w = await world(t)
  const p = await onboardWithEmail(w)
  await p.browser.submit('Uitloggen')
  w.clock.advanceMinutes(1)
  const b = await enterPassword(w.browser(), 'jdevries', p.password)
  await b.submit('Stuur verificatiecode')
  t.match(sentLine(b), /^De code is verstuurd op 2 maart 2026 om \d\d:\d\d naar j\*\*\*@example\.org\.$/)
  w.clock.advanceSeconds(31)
  await b.submit('Stuur een nieuwe code')
  t.match(sentLine(b), /^Er is een nieuwe code verstuurd .* naar j\*\*\*@example\.org\./)
  t.notMatch(b.html, /jan@example\.org/)

  const room = '10.9.9.9'
  for (let i = 1; i <= 10; i++) await enterPassword(browserFrom(w, room), `gebruiker${i}`, wrongPassword)
  w.clock.advanceMinutes(1)
  const typo = await enterPassword(browserFrom(w, room), 'jdevries', wrongPassword)
  const right = await enterPassword(browserFrom(w, room), 'jdevries', p.password)
  await typo.submit('Stuur verificatiecode')
  // A decoy of a real account uses its limits, the resend cooldown among them (decision 0011).
  w.clock.advanceSeconds(31)
  await right.submit('Stuur verificatiecode')
  t.match(sentLine(typo), /naar uw e-mailadres\.$/)
  t.equal(sentLine(right).replace(/\d\d:\d\d/, ''), sentLine(typo).replace(/\d\d:\d\d/, ''), 'a right password in hidden mode reads the same')
})

await t.test('Overstappen op e-mail and Nieuwe app koppelen: the new code said; the old app entry to be removed, on the page and in the mail', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  const b = p.browser
  await b.get('/beveiliging/tweede-stap')
  await b.submit('Tweede stap wijzigen', { factor: 'email', 'current-password': p.password })
  t.match(sentLine(b), /^De code is verstuurd op .* naar j\*\*\*@example\.org\.$/)
  w.clock.advanceSeconds(31)
  await b.submit('Stuur een nieuwe code')
  t.match(sentLine(b), /^Er is een nieuwe code verstuurd .* naar j\*\*\*@example\.org\./)
  await b.submit('Annuleren')

  await b.get('/beveiliging/tweede-stap')
  await b.submit('Tweede stap wijzigen', { factor: 'app', 'current-password': p.password })
  t.equal(b.url, '/beveiliging/app')
  t.match(b.text, /Verwijder daarna het oude item ‘Mijn Therapie Dossier \(jdevries\)’ uit de app/)
  const secret = new URL(b.$('a[href^="otpauth://"]').attr('href')!).searchParams.get('secret')!
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
  const mail = await w.mail.lastTo(jan.email, 'mfa-changed')
  t.match(mail.subject, /Nieuwe app gekoppeld/)
  t.match(mail.text, /Verwijder daarom het oude item "Mijn Therapie Dossier \(jdevries\)"/)
})
