// Issue 12: no patient stuck. Each state a patient can land in, walked as a patient walks it; each
// page is checked for its title, its message and the one action that gets the patient further.
import t from 'tap'
import type { Browser } from './helpers/browser.ts'
import { onboardWithApp, onboardWithEmail, resetPassword, secretOnPage, startForgot } from './helpers/patients.ts'
import { jan, walkToPhone, world, type World } from './helpers/world.ts'
import { messages } from '../src/messages.ts'

/** The Dutch catalogue: the guide's words. */
const { error, label, text } = messages('nl')

const password = 'blauwe fiets onder de brug'
const h1 = (b: Browser) => b.$('h1').first().text().trim()
/** What a button or link says, without the brackets only a text browser shows ([Volgende]). */
const said = (b: Browser, el: Parameters<Browser['$']>[0]) => b.$(el).clone().find('.tb').remove().end().text().trim()
const buttons = (b: Browser) => b.$('form button').toArray().map((el) => said(b, el))
/** The page's primary action: its first yellow button or button-link (not a secondary one). */
const primary = (b: Browser) => {
  const el = b.$('main a.button-link:not(.secondary), main form button:not(.secondary):not(.link)').first()
  return { text: said(b, el), href: el.attr('href') }
}
const linkTo = (b: Browser, name: string) => b.$('a').filter((_, a) => b.$(a).text().trim() === name)
const linkRows = (w: World) => w.sql.all<{ purpose: string; usedAt: number | null }>('select purpose, used_at as "usedAt" from links order by id')

/** Stap 1 in one browser; returns the second mail's link. */
async function secondLink(w: World): Promise<string> {
  await w.invite()
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  return await w.mail.lastLinkTo(jan.email, 'continue')
}

await t.test('item 1: the second link opens Accountverificatie; Stuur verificatiecode binds and sends in one POST', async (t) => {
  const w = await world(t)
  const link = await secondLink(w)
  const before = await linkRows(w)

  const b = w.browser({ userAgent: 'Mozilla/5.0 (phone)' })
  await b.get(link)
  t.equal(b.status, 200)
  t.equal(b.url, link, 'no redirect: the link itself shows Stap 2')
  t.equal(h1(b), 'Accountverificatie')
  t.ok(b.text.includes("Verificatie is noodzakelijk. Klik op 'Stuur verificatiecode'."))
  t.equal(b.field('Telefoonnummer').attr('value'), 'XXX-XXXX-1361')
  t.same(buttons(b), ['Stuur verificatiecode'])
  t.equal(b.field('Verificatiecode').length, 0)
  t.notMatch(b.text, /Verder met het activeren/, 'no separate continue page')
  // Opening changed nothing: a mail scanner may have been here.
  t.same((await linkRows(w)), before, 'the link is not used by a GET')
  t.equal((await w.sms.count(jan.phone)), 0, 'no SMS on a GET')
  await b.get('/account')
  t.match(b.url, /^\/inloggen/, 'the GET bound nothing')

  await b.get(link)
  await b.submit('Stuur verificatiecode')
  t.equal(b.url, '/account/telefoon')
  t.equal(h1(b), 'Accountverificatie')
  t.match(b.text, /De verificatiecode is verstuurd naar uw telefoon/)
  t.equal(b.field('Verificatiecode').attr('autocomplete'), 'one-time-code')
  t.same(buttons(b), ['Verifieer code', 'Stuur een nieuwe code'])
  t.equal((await w.sms.count(jan.phone)), 1, 'one SMS, sent by the same POST')
  t.ok((await linkRows(w)).find((r) => r.purpose === 'continue')!.usedAt, 'the link is used')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.equal(h1(b), 'Wachtwoord wijzigen')

  // The used link in yet another browser: the invalid-link page.
  const late = w.browser()
  await late.get(link)
  t.equal(late.status, 410)
  t.equal(h1(late), text.linkInvalidTitle)
})

await t.test('item 1: staff, who can only use the app, skip the method page', async (t) => {
  const w = await world(t)
  const els = { name: 'Els Bakker', email: 'els@praktijk.example', phone: '+31612345678', username: 'ebakker', role: 'behandelaar' as const }
  await w.invite(els)
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(els.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(els.email, 'continue')))
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(els.phone)) })
  await b.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  await b.submit('Volgende')
  t.equal(b.url, '/account/app', 'straight to App koppelen')
  t.equal(h1(b), 'App koppelen')
  t.same(buttons(b), ['Doorgaan'], 'no "Andere methode kiezen" with one method')
  await b.get('/account/methode')
  t.equal(b.url, '/account/app', 'the method page is not due')
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secretOnPage(b)) })
  t.equal((await w.account('ebakker')).mfaMethod, 'app')
  t.equal(b.url, '/praktijk')
})

await t.test('item 2: the Gebruikersnaam page and the session-expired message name the way in', async (t) => {
  const w = await world(t)
  const b = w.browser()
  await b.get('/inloggen')
  t.equal(h1(b), 'Inloggen')
  t.equal(linkTo(b, label.forgot).attr('href'), '/wachtwoord-vergeten')

  // Mid-onboarding, the flow session expires; the next click lands on a page with the way back.
  await secondLink(w)
  const p = w.browser()
  await p.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await p.submit('Stuur verificatiecode')
  w.clock.advanceMinutes(w.config.limits.flowIdleMinutes + 1)
  await p.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.equal(h1(p), 'Inloggen', `landed on ${p.url}`)
  t.match(p.text, /Uw sessie is verlopen/)
  t.match(p.text, /Was u bezig met het activeren van uw account/)
  const forgot = linkTo(p, label.forgot)
  t.equal(forgot.attr('href'), '/wachtwoord-vergeten', `the way in on ${p.url} (${p.status})`)
  await p.get(forgot.attr('href')!)
  t.equal(h1(p), text.forgotTitle)
  t.same(buttons(p), ['Volgende'])
})

await t.test('item 2: a used or expired link: the forgot path is the primary button, the second mail is mentioned', async (t) => {
  const w = await world(t)
  const link = await secondLink(w)
  const rows: [string, () => Promise<void>][] = [
    ['used', async () => {
      const used = w.browser()
      await used.get(link)
      await used.submit('Stuur verificatiecode')
    }],
    ['expired', async () => w.clock.advanceHours(w.config.limits.continueLinkTtlHours + 1)],
  ]
  for (const [name, make] of rows) {
    await make()
    const b = w.browser()
    await b.get(link)
    t.equal(b.status, 410, name)
    t.equal(h1(b), 'Deze link is niet meer geldig', name)
    t.match(b.text, /tweede e-mail/, `${name}: the second mail's link is mentioned`)
    t.same(primary(b), { text: label.forgot, href: '/wachtwoord-vergeten' }, `${name}: primary action`)
    await b.get(primary(b).href!)
    t.equal(h1(b), text.forgotTitle, name)
  }
})

await t.test('item 2: footer, error and header pages offer "Terug naar waar u was" while a flow is active', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = await walkToPhone(w)
  await b.submit('Stuur verificatiecode')
  t.equal(b.url, '/account/telefoon')

  for (const footer of ['disclaimer', 'privacy']) {
    await b.get(b.$(`footer a:contains("${footer}")`).attr('href')!)
    t.equal(b.status, 200, footer)
    t.same(primary(b), { text: 'Terug naar waar u was', href: '/account/telefoon' }, `${footer}: primary action`)
  }
  await b.get('/bestaat-niet')
  t.equal(b.status, 404)
  t.equal(h1(b), text.notFoundTitle)
  t.equal(primary(b).text, 'Terug naar waar u was')
  await b.get(primary(b).href!)
  t.equal(b.url, '/account/telefoon', 'the error page leads back to the due step')
  t.equal(h1(b), 'Accountverificatie')
  t.match(b.text, /De verificatiecode is verstuurd/, 'where the patient was: the code field')

  // The header link: the sign-in page, with the way back.
  await b.get(b.$('header a').attr('href')!)
  t.equal(b.url, '/inloggen')
  t.equal(linkTo(b, 'Terug naar waar u was').attr('href'), '/account/telefoon')
  await b.get('/account/telefoon')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.equal(h1(b), 'Wachtwoord wijzigen', 'the flow went on where it was')

  // Without a flow, none of this is offered.
  const fresh = w.browser()
  for (const url of ['/disclaimer', '/bestaat-niet', '/inloggen']) {
    await fresh.get(url)
    t.equal(linkTo(fresh, 'Terug naar waar u was').length, 0, url)
  }
})

await t.test('item 2: both mails carry the portal address', async (t) => {
  const w = await world(t)
  await secondLink(w)
  for (const kind of ['invite', 'continue']) {
    const mail = await w.mail.lastTo(jan.email, kind)
    t.match(mail.text, /\nhttp:\/\/localhost:3000\/inloggen\n/, `${kind}: PUBLIC_URL on a line of its own`)
    t.match(mail.text, /Bent u uw wachtwoord vergeten of logt u voor de eerste keer in\?/, kind)
  }
  t.match((await w.mail.lastLinkTo(jan.email, 'continue')), /^\/verder\//, 'the link still comes first')
})

await t.test('item 2: an old invitation of an active patient says so and sends nothing', async (t) => {
  const w = await world(t)
  await w.invite()
  const invite = await w.mail.lastLinkTo(jan.email, 'invite')
  // A tab with the invitation's page, left open.
  const tab = w.browser()
  await tab.get(invite)
  t.equal(h1(tab), 'E-mailadres bevestigen')
  // Jan never pressed Volgende there: he came in through the first-login path and finished with the app.
  const b = w.browser()
  await startForgot(b, 'jdevries', jan.email)
  await resetPassword(w, b, jan, password)
  await b.submit('Volgende')
  await b.submit('Volgende')
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secretOnPage(b)) })
  t.match(b.text, /Welkom, Jan de Vries/)
  const mails = (await w.mail.all()).length

  const old = w.browser()
  await old.get(invite)
  t.equal(h1(old), 'Uw account is al actief')
  t.match(old.text, /er is niets verstuurd/)
  t.same(primary(old), { text: 'Naar inloggen', href: '/inloggen' })
  t.equal(old.$('form[action^="/uitnodiging"]').length, 0, 'no Volgende to post')
  await tab.submit('Volgende')
  t.equal(h1(tab), 'Uw account is al actief', 'the POST of the old page says so too')
  t.same(primary(tab), { text: 'Naar inloggen', href: '/inloggen' })
  t.equal((await w.mail.all()).length, mails, 'nothing sent')
  t.equal((await w.mail.all()).filter((m) => m.kind === 'continue').length, 0, 'no second mail')
})

await t.test('item 3: a superseded SMS code and a superseded e-mail code get their own message', async (t) => {
  const w = await world(t)
  const link = await secondLink(w)
  const b = w.browser()
  await b.get(link)
  await b.submit('Stuur verificatiecode')
  const first = await w.sms.lastCodeTo(jan.phone)
  w.clock.advanceSeconds(31)
  await b.submit('Stuur een nieuwe code')
  const second = await w.sms.lastCodeTo(jan.phone)
  t.not(first, second)
  await b.submit('Verifieer code', { 'one-time-code': first })
  t.equal(b.status, 422)
  t.equal(h1(b), 'Accountverificatie')
  t.match(b.$('.error-summary').text(), error.codeSuperseded)
  // Issue 23.4: under a failing code, the way out (test/code-pages.test.ts).
  t.same(buttons(b), ['Verifieer code', 'Stuur een nieuwe code', 'Begin opnieuw'])
  await b.submit('Verifieer code', { 'one-time-code': second })
  t.equal(h1(b), 'Wachtwoord wijzigen', 'the newest code works')

  // E-mail codes at sign-in, the same way.
  const w2 = await world(t)
  const p = await onboardWithEmail(w2)
  const s = w2.browser()
  await s.get('/inloggen')
  await s.submit('Volgende', { username: 'jdevries' })
  await s.submit('Volgende', { 'current-password': p.password })
  w2.clock.advanceSeconds(31)
  await s.submit('Stuur verificatiecode')
  const old = await w2.mail.lastCodeTo(jan.email)
  w2.clock.advanceSeconds(31)
  await s.submit('Stuur een nieuwe code')
  await s.submit('Verifieer code', { 'one-time-code': old })
  t.equal(s.status, 422)
  t.match(s.$('.error-summary').text(), error.codeSuperseded)
  await s.submit('Verifieer code', { 'one-time-code': (await w2.mail.lastCodeTo(jan.email)) })
  t.match(s.text, /Welkom, Jan de Vries/)
})

await t.test('item 3: an app code that was just used gets its own message', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  w.clock.advanceSeconds(30)
  const code = await w.totp(p.secret)
  const first = w.browser()
  await first.get('/inloggen')
  await first.submit('Volgende', { username: 'jdevries' })
  await first.submit('Volgende', { 'current-password': p.password })
  await first.submit('Verifieer code', { 'one-time-code': code })
  t.match(first.text, /Welkom, Jan de Vries/)

  const again = w.browser()
  await again.get('/inloggen')
  await again.submit('Volgende', { username: 'jdevries' })
  await again.submit('Volgende', { 'current-password': p.password })
  await again.submit('Verifieer code', { 'one-time-code': code })
  t.equal(again.status, 422)
  t.equal(h1(again), 'Inloggen')
  t.match(again.$('.error-summary').text(), error.appCodeUsed)
  t.same(buttons(again), ['Verifieer code', 'Begin opnieuw'])
  // A plainly wrong code still reads as wrong.
  const wrong = code === '000000' ? '111111' : '000000'
  await again.submit('Verifieer code', { 'one-time-code': wrong })
  t.match(again.$('.error-summary').text(), error.appCodeWrong)
  w.clock.advanceSeconds(30)
  await again.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.match(again.text, /Welkom, Jan de Vries/)
})

await t.test('item 3: the forgot path phone step leads back to the filled-in form, real and decoy alike', async (t) => {
  const w = await world(t)
  await onboardWithApp(w)
  const rows: [string, string][] = [['real', jan.email], ['decoy (e-mail typo)', 'jan@exmaple.org']]
  const seen: string[] = []
  for (const [name, email] of rows) {
    const b = w.browser()
    await startForgot(b, 'jdevries', email)
    t.equal(h1(b), 'Accountverificatie', name)
    const back = linkTo(b, 'Herkent u dit nummer niet, of krijgt u geen sms?')
    t.equal(back.length, 1, `${name}: the way back`)
    await b.submit('Stuur verificatiecode')
    t.equal(linkTo(b, 'Herkent u dit nummer niet, of krijgt u geen sms?').length, 1, `${name}: also after sending`)
    await b.get(back.attr('href')!)
    t.equal(h1(b), text.forgotTitle, name)
    t.equal(b.field('E-mailadres').attr('value'), email, `${name}: the typed address is filled in`)
    t.equal(b.field('Gebruikersnaam').attr('value'), 'jdevries', name)
    t.match(b.text, /Controleer uw gebruikersnaam en e-mailadres/, name)
    t.same(buttons(b), ['Volgende'])
    seen.push(b.html.replace(/value="[^"]*"/g, ''))
  }
  t.equal(seen[0], seen[1], 'the real and the decoy page look the same')
})

await t.test('item 3: every "fill in this field" message names the field', async (t) => {
  const w = await world(t)
  const b = w.browser()
  await b.get('/inloggen')
  await b.submit('Volgende', { username: '' })
  t.match(b.$('.error-summary').text(), 'Vul uw gebruikersnaam in.')
  await b.get('/wachtwoord-vergeten')
  await b.submit('Volgende', { Gebruikersnaam: '', 'E-mailadres': '' })
  t.match(b.$('.error-summary').text(), 'Vul uw gebruikersnaam in.')
  t.match(b.$('.error-summary').text(), 'Vul uw e-mailadres in.')

  await w.invite()
  const p = await walkToPhone(w)
  await p.submit('Stuur verificatiecode')
  await p.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  await p.submit('Volgende', { 'Nieuw wachtwoord': '', 'Bevestiging wachtwoord': '' })
  t.match(p.$('.error-summary').text(), 'Vul een nieuw wachtwoord in.')
  await p.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': '' })
  t.match(p.$('.error-summary').text(), 'Vul het nieuwe wachtwoord nog een keer in.')
  t.notMatch(p.text, /Vul dit veld in/)
})

await t.test('item 5: App koppelen covers the computer and the phone itself; errors at the top; no autofocus', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = await walkToPhone(w)
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  await b.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  await b.submit('Volgende')
  t.equal(h1(b), 'Accountverificatie')
  t.match(b.text, /een tweede stap: een code die alleen u kunt krijgen/, 'the method page explains the second step')
  await b.submit('Volgende')

  const check = (where: string) => {
    t.equal(h1(b), 'App koppelen', where)
    t.match(b.text, /Ziet u deze pagina op een computer of tablet\?/, where)
    t.match(b.text, /Ziet u deze pagina op de telefoon met de app\?/, where)
    t.ok(b.$('.qr img').length, `${where}: the QR code`)
    const open = b.$('a[href^="otpauth://totp/"]')
    t.equal(open.text().trim(), 'Open de authenticatie app', `${where}: a button that opens the app`)
    t.ok(open.hasClass('button-link'), `${where}: it reads as a button`)
    t.match(b.$('code.secret').text(), /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, `${where}: the key, grouped`)
    // No field takes the focus (that would scroll the steps out of view); after a refused form the error
    // summary does, and it sits at the top, above the steps (issue 24 #1).
    t.equal(b.$('[autofocus]:not(.error-summary)').length, 0, `${where}: no autofocus on a field`)
    // Navigation to otpauth: is not a fetch: no CSP directive governs it (no navigate-to).
    t.notMatch(String(b.headers['content-security-policy']), /navigate-to/, where)
    t.equal(primary(b).text, 'Doorgaan', `${where}: primary action`)
  }
  check('GET')
  await b.submit('Doorgaan', { 'one-time-code': '12' })
  t.equal(b.status, 422)
  check('after an error')
  const html = b.html
  t.ok(html.indexOf('error-summary') > 0 && html.indexOf('error-summary') < html.indexOf('class="qr"'), 'the error summary sits at the top of the card')
  t.ok(html.indexOf('error-summary') < html.indexOf('Ziet u deze pagina'), 'above the steps')
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secretOnPage(b)) })
  t.match(b.text, /Welkom, Jan de Vries/)
})
