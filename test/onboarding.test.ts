// The invitation onboarding, walked the way a patient walks it: the mails, every screen of Stap 1-5
// with its Dutch title, labels and hints, both second-factor methods, the home page and Uitloggen,
// the audit trail, and the password rules with their reasons.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import type { Test } from 'tap'
import type { Browser } from './helpers/browser.ts'
import { jan, walkToMethodChoice, world, type World } from './helpers/world.ts'
import { messages } from '../src/messages.ts'

/** The Dutch catalogue: the guide's words. */
const { text } = messages('nl')

const password = 'blauwe fiets onder de brug'

/** Every page carries the confidentiality notice with its disclaimer and privacy links. */
function checkNotice(t: Test, b: Browser) {
  t.ok(b.text.includes(text.confidential), `notice on ${b.url}`)
  t.equal(b.$('a[href="/disclaimer"]').text().trim(), 'disclaimer', `disclaimer link on ${b.url}`)
  t.equal(b.$('a[href="/privacy"]').text().trim(), 'privacy', `privacy link on ${b.url}`)
}

/** Every visible input has a visible label bound to it. */
function checkLabels(t: Test, b: Browser) {
  const inputs = b.$('input').toArray().filter((el) => !['hidden', 'submit'].includes((b.$(el).attr('type') ?? 'text').toLowerCase()))
  for (const el of inputs) {
    const id = b.$(el).attr('id')
    t.ok(id && b.$(`label[for="${id}"]`).text().trim().length > 0, `input ${b.$(el).attr('name')} on ${b.url} has a label`)
  }
}

/** The one field found by its visible label, with the attributes the spec asks for. */
function checkField(t: Test, b: Browser, label: string, attrs: Record<string, string | boolean>) {
  const field = b.field(label)
  t.equal(field.length, 1, `one field labelled ${label} on ${b.url}`)
  for (const [name, want] of Object.entries(attrs)) {
    if (typeof want === 'boolean') t.equal(field.is(`[${name}]`), want, `${label}: ${name} ${want ? 'set' : 'absent'}`)
    else t.equal(field.attr(name), want, `${label}: ${name}="${want}"`)
  }
}

const buttons = (b: Browser) => b.buttonLabels()
const h1 = (b: Browser) => b.$('h1').first().text().trim()

/** A six-digit code that the app does not show now nor one step ago. */
async function wrongTotp(w: World, secret: string): Promise<string> {
  const valid = new Set([await w.totp(secret), await w.totp(secret, -30)])
  let n = Number(await w.totp(secret))
  let code: string
  do {
    n = (n + 1) % 1_000_000
    code = String(n).padStart(6, '0')
  } while (valid.has(code))
  return code
}

/** The session id inside the signed cookie value `s:<id>.<signature>`. */
const sessionIdOf = (b: Browser) => {
  const raw = [...b.cookies].find(([name]) => name.endsWith('mtd_session'))?.[1] ?? ''
  return decodeURIComponent(raw).replace(/^s:/, '').split('.')[0] ?? ''
}

await t.test('onboarding with the app: every screen, both mails, another browser, audit without secrets', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  const secrets: string[] = [password]

  // The invitation: from the practice, with the username and a link.
  const invite = await w.mail.lastTo(jan.email, 'invite')
  t.equal(invite.from, 'no-reply@praktijk.example', 'invitation from the practice sender’s address')
  t.equal(invite.fromName, 'Praktijk De Linde', 'under the name of the patient’s practice')
  t.match(invite.text, /Uw gebruikersnaam is:\s*\njdevries\n/, 'username on its own line')
  t.match(invite.text, /http:\/\/localhost:3000\/uitnodiging\/[A-Za-z0-9_-]{43}\n/, 'a link from PUBLIC_URL')
  const inviteLink = await w.mail.lastLinkTo(jan.email, 'invite')
  secrets.push(inviteLink.split('/').pop()!)

  // Stap 1: the link shows username and e-mail, read-only, and Volgende.
  const first = w.browser()
  await first.get(inviteLink)
  t.equal(first.status, 200)
  t.equal(h1(first), 'E-mailadres bevestigen')
  checkField(t, first, 'Gebruikersnaam', { value: 'jdevries', autocomplete: 'username', readonly: true })
  checkField(t, first, 'E-mailadres', { value: jan.email, autocomplete: 'email', readonly: true })
  t.same(buttons(first), ['Volgende'])
  checkLabels(t, first)
  checkNotice(t, first)

  await first.submit('Volgende')
  t.equal(first.status, 200)
  t.equal(h1(first), 'Uw e-mailadres is geverifieerd')
  t.match(first.text, /tweede e-mail/)
  t.match(first.text, /scherm nu sluiten/)
  t.ok((await w.account('jdevries')).emailVerifiedAt, 'the address is verified by the POST')

  // The second mail: from the system sender, with a new link.
  const second = await w.mail.lastTo(jan.email, 'continue')
  t.equal(second.from, w.config.senders.system, 'second mail from the system sender')
  t.not(second.from, invite.from)
  const continueLink = await w.mail.lastLinkTo(jan.email, 'continue')
  t.match(continueLink, /^\/verder\/[A-Za-z0-9_-]{43}$/)
  secrets.push(continueLink.split('/').pop()!)

  // It works in another browser (a fresh cookie jar), and opens Stap 2, Accountverificatie, directly.
  const b = w.browser({ userAgent: 'Mozilla/5.0 (other device)' })
  await b.get(continueLink)
  t.equal(b.status, 200)
  t.equal(b.url, continueLink)
  t.equal(h1(b), 'Accountverificatie')
  t.ok(b.text.includes("Verificatie is noodzakelijk. Klik op 'Stuur verificatiecode'."))
  checkField(t, b, 'Telefoonnummer', { value: 'XXX-XXXX-1361', readonly: true })
  t.notOk(b.html.includes('612341361'), 'the number is masked to its last four digits')
  t.notOk(b.html.includes('612341'), 'no more than four digits shown')
  t.same(buttons(b), ['Stuur verificatiecode'])
  t.equal(b.field('Verificatiecode').length, 0, 'no code field before a code was sent')
  checkLabels(t, b)
  checkNotice(t, b)

  // The first browser has nothing to continue.
  for (const path of ['/account', '/account/telefoon', '/account/wachtwoord']) {
    await first.get(path)
    t.equal(first.history[0]!.status, 303, `first browser: ${path}`)
    t.equal(first.history[0]!.location, '/inloggen', `first browser: ${path} -> /inloggen`)
  }

  // 'Stuur verificatiecode' uses the link, binds this browser and sends the SMS in one POST.
  await b.submit('Stuur verificatiecode')
  secrets.push(sessionIdOf(b))
  t.equal(b.status, 200)
  t.equal(b.url, '/account/telefoon')
  t.ok(b.text.includes('De verificatiecode is verstuurd naar uw telefoon'))
  checkField(t, b, 'Verificatiecode', { autocomplete: 'one-time-code', inputmode: 'numeric' })
  t.same(buttons(b), ['Verifieer code', 'Stuur een nieuwe code'])
  checkLabels(t, b)
  const smsCode = await w.sms.lastCodeTo(jan.phone)
  secrets.push(smsCode)
  await b.submit('Verifieer code', { 'one-time-code': smsCode })

  // Stap 3: Wachtwoord wijzigen.
  t.equal(b.url, '/account/wachtwoord')
  t.equal(h1(b), 'Wachtwoord wijzigen')
  checkField(t, b, 'Nieuw wachtwoord', { autocomplete: 'new-password', type: 'password' })
  checkField(t, b, 'Bevestiging wachtwoord', { autocomplete: 'new-password', type: 'password' })
  t.same(buttons(b), ['Volgende'])
  checkLabels(t, b)
  checkNotice(t, b)
  await b.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  t.equal(b.status, 200)
  t.ok(b.text.includes('Het wachtwoord is bijgewerkt'))
  t.notOk(b.html.includes(password), 'the password is not echoed')
  t.same(buttons(b), ['Volgende'])
  await b.submit('Volgende')

  // Stap 4: Selecteer MFA methode, the app checked by default.
  t.equal(b.url, '/account/methode')
  t.ok(b.text.includes('Selecteer MFA methode'))
  const app = b.$('input[type=radio][value=app]')
  const mail = b.$('input[type=radio][value=email]')
  t.equal(b.$(`label[for="${app.attr('id')}"]`).text().trim(), 'Met authenticatie app')
  t.equal(b.$(`label[for="${mail.attr('id')}"]`).text().trim(), 'Met e-mail')
  t.ok(app.is('[checked]'), 'the app is checked by default')
  t.notOk(mail.is('[checked]'))
  t.same(buttons(b), ['Volgende'])
  checkNotice(t, b)
  await b.submit('Volgende')

  // Stap 5: App koppelen: an inline SVG QR code, the URI, the grouped secret, the code field.
  t.equal(b.url, '/account/app')
  // Issue 23.10: an image drawn here (an SVG data URI), with an alt text that points to the key below.
  t.equal(b.$('.qr img').length, 1, 'the QR code is an image')
  t.match(b.$('.qr img').attr('src'), /^data:image\/svg\+xml;base64,/, 'drawn on the server')
  t.match(b.$('.qr img').attr('alt'), /Gebruik dan de sleutel hieronder\.$/)
  t.equal(b.$('img').filter((_, img) => !(b.$(img).attr('src') ?? '').startsWith('data:')).length, 0, 'no image to load from elsewhere')
  const uri = b.$('a[href^="otpauth://"]').attr('href')!
  const parsed = new URL(uri)
  t.equal(parsed.protocol, 'otpauth:')
  t.equal(parsed.host, 'totp')
  t.equal(decodeURIComponent(parsed.pathname), `/${w.config.portalName}:jdevries`, 'label: issuer and account name')
  t.equal(parsed.searchParams.get('issuer'), w.config.portalName)
  const secret = parsed.searchParams.get('secret')!
  t.match(secret, /^[A-Z2-7]{32,}$/, '160-bit base32 secret')
  t.equal(parsed.searchParams.get('period'), '30')
  t.equal(parsed.searchParams.get('digits'), '6')
  const shown = b.$('code.secret').text().trim()
  t.match(shown, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, 'the secret shown in groups of four')
  t.equal(shown.replace(/ /g, ''), secret)
  checkField(t, b, 'Code uit de app', { autocomplete: 'one-time-code', inputmode: 'numeric' })
  t.same(buttons(b), ['Doorgaan', 'Andere methode kiezen'])
  checkLabels(t, b)
  checkNotice(t, b)
  secrets.push(secret)

  // A wrong code: 422, still not enrolled.
  const wrong = await wrongTotp(w, secret)
  await b.submit('Doorgaan', { 'one-time-code': wrong })
  t.equal(b.status, 422)
  t.equal(b.url, '/account/app')
  t.ok(b.text.includes('Deze code klopt niet'))
  t.equal((await w.account('jdevries')).mfaEnrolledAt, null, 'not enrolled after a wrong code')
  t.equal((await w.account('jdevries')).totpSecretEnc, null, 'no active secret after a wrong code')

  const right = await w.totp(secret)
  secrets.push(right)
  await b.submit('Doorgaan', { 'one-time-code': right })
  t.equal(b.status, 200)
  t.equal(b.url, '/')
  t.equal(h1(b), 'Mijn Therapie Dossier')
  t.ok(b.text.includes('Welkom, Jan de Vries.'))
  t.ok(buttons(b).includes('Uitloggen'), 'an Uitloggen button')
  const enrolled = await w.account('jdevries')
  t.equal(enrolled.mfaMethod, 'app')
  t.ok(enrolled.mfaEnrolledAt)
  t.equal((await w.totpSecretOf('jdevries')), secret, 'the secret shown is the one enrolled')
  secrets.push(sessionIdOf(b))

  // Uitloggen ends the session on the server: the old cookie replayed is not signed in.
  const jar = new Map(b.cookies)
  await b.submit('Uitloggen')
  t.equal(b.url, '/inloggen?uitgelogd=1')
  t.ok(b.text.includes('U bent uitgelogd.'))
  const replay = w.browser()
  replay.cookies = jar
  await replay.get('/')
  t.equal(replay.history[0]!.status, 303)
  t.equal(replay.history[0]!.location, '/inloggen', 'the old cookie opens nothing')

  // The audit trail, step by step, and not one secret in it.
  const events = (await w.audit(account.id)).map((e) => e.event)
  for (const event of ['invite', 'email_verified', 'link_opened', 'code_sent', 'phone_verified', 'password_set', 'mfa_failed', 'mfa_enrolled', 'sign_in', 'logout']) {
    t.ok(events.includes(event as never), `audit has ${event}`)
  }
  const rows = await w.audit()
  const signIn = rows.find((r) => r.event === 'sign_in')!
  t.equal(signIn.userAgent, 'Mozilla/5.0 (other device)', 'the audit keeps the user agent')
  t.ok(signIn.ip, 'and the address')
  const dump = JSON.stringify(rows)
  for (const s of secrets) {
    t.ok(s.length >= 6, 'a real secret')
    t.notOk(dump.includes(s), `no secret in the audit log (${s.length} chars)`)
  }
})

await t.test('onboarding with e-mail: signed in straight away', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = await walkToMethodChoice(w, password)
  t.equal(b.url, '/account/methode')
  b.choose('Met e-mail')
  await b.submit('Volgende')
  t.equal(b.url, '/')
  t.ok(b.text.includes('Welkom, Jan de Vries.'))
  const account = await w.account('jdevries')
  t.equal(account.mfaMethod, 'email')
  t.ok(account.mfaEnrolledAt)
  t.equal(account.totpSecretEnc, null)
  const events = (await w.audit(account.id)).map((e) => e.event)
  t.ok(events.includes('mfa_enrolled'))
  t.ok(events.includes('sign_in'))
  t.equal((await w.mail.lastTo(jan.email, 'mfa-enrolled')).from, w.config.senders.system, 'the patient is told, by the system sender')
})

await t.test("'Andere methode kiezen' goes back to the method page; a new secret follows", async (t) => {
  const w = await world(t)
  await w.invite()
  const b = await walkToMethodChoice(w, password)
  await b.submit('Volgende')
  t.equal(b.url, '/account/app')
  const firstSecret = new URL(b.$('a[href^="otpauth://"]').attr('href')!).searchParams.get('secret')!

  await b.submit('Andere methode kiezen')
  t.equal(b.url, '/account/methode')
  t.ok(b.text.includes('Selecteer MFA methode'))
  t.equal((await w.account('jdevries')).totpPendingSecretEnc, null, 'the pending secret is dropped')
  t.equal((await w.account('jdevries')).mfaEnrolledAt, null)

  await b.submit('Volgende')
  t.equal(b.url, '/account/app')
  const secret = new URL(b.$('a[href^="otpauth://"]').attr('href')!).searchParams.get('secret')!
  t.not(secret, firstSecret, 'a new secret')
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
  t.equal(b.url, '/')
  t.equal((await w.totpSecretOf('jdevries')), secret)
})

await t.test('password rules at Stap 3, each with its reason, never echoed', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.equal(b.url, '/account/wachtwoord')

  const refused: { name: string; password: string; confirm?: string; reason: RegExp }[] = [
    { name: '11 code points', password: 'zonnebloem1', reason: /te kort: gebruik minimaal 12 tekens \(nu 11\)/ },
    { name: '11 emoji count as 11', password: '🌻'.repeat(11), reason: /te kort: gebruik minimaal 12 tekens \(nu 11\)/ },
    { name: '257 characters', password: 'k7Qm'.repeat(64) + 'z', reason: /te lang: gebruik maximaal 256 tekens/ },
    { name: 'contains the username', password: 'mooie jdevries zomer', reason: /uw gebruikersnaam niet bevatten/ },
    { name: 'contains the name', password: 'mooie vries wolken 88', reason: /uw naam niet bevatten/ },
    { name: 'contains the e-mail', password: 'mijn jan@example.org wachtwoord', reason: /uw e-mailadres niet bevatten/ },
    { name: 'contains the practice name', password: 'PraktijkDeLinde2025', reason: /naam van de praktijk/ },
    { name: 'contains the portal name', password: 'TherapieDossier gr00t', reason: /naam van de praktijk of van Mijn Therapie Dossier/ },
    { name: 'a common password', password: 'password1234', reason: /veelgebruikte of gelekte wachtwoorden/ },
    { name: 'a common Dutch password', password: 'wachtwoord123', reason: /veelgebruikte of gelekte wachtwoorden/ },
    { name: 'confirmation differs', password, confirm: password + '!', reason: /De wachtwoorden zijn niet gelijk/ },
  ]
  for (const row of refused) {
    await b.submit('Volgende', { 'Nieuw wachtwoord': row.password, 'Bevestiging wachtwoord': row.confirm ?? row.password })
    t.equal(b.status, 422, `${row.name}: 422`)
    t.equal(b.url, '/account/wachtwoord', `${row.name}: stays`)
    t.match(b.text, row.reason, `${row.name}: reason shown`)
    t.notOk(b.html.includes(row.password), `${row.name}: not echoed`)
    t.notOk(b.html.includes(encodeURIComponent(row.password)), `${row.name}: not echoed encoded`)
    t.equal(b.field('Nieuw wachtwoord').attr('value'), undefined, `${row.name}: field empty`)
    t.equal((await w.account('jdevries')).passwordSetAt, null, `${row.name}: nothing set`)
  }
  const rejected = (await w.audit()).filter((e) => e.event === 'password_rejected')
  t.ok(rejected.length >= 10, 'refusals are audited')
  const dump = JSON.stringify((await w.audit()))
  for (const row of refused) t.notOk(dump.includes(row.password), `${row.name}: not in the audit log`)

  // Exactly 12 code points is enough.
  const twelve = 'kx7#Qm2!vLp9'
  t.equal([...twelve].length, 12)
  await b.submit('Volgende', { 'Nieuw wachtwoord': twelve, 'Bevestiging wachtwoord': twelve })
  t.equal(b.status, 200)
  t.ok(b.text.includes('Het wachtwoord is bijgewerkt'))
  t.ok((await w.account('jdevries')).passwordSetAt)
})

await t.test('12 emoji and 256 characters are accepted', async (t) => {
  for (const [name, value] of [
    ['12 emoji', '🌻🐝🍀🌈🦋🌙⭐🍓🐢🎈🌵🍉'],
    ['256 characters', randomBytes(192).toString('base64')],
  ] as const) {
    const w = await world(t)
    await w.invite()
    const b = w.browser()
    await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
    await b.submit('Volgende')
    await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
    await b.submit('Stuur verificatiecode')
    await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
    t.equal([...value].length, name === '12 emoji' ? 12 : 256)
    await b.submit('Volgende', { 'Nieuw wachtwoord': value, 'Bevestiging wachtwoord': value })
    t.equal(b.status, 200, name)
    t.ok(b.text.includes('Het wachtwoord is bijgewerkt'), name)
    t.ok((await w.account('jdevries')).passwordSetAt, `${name}: set`)
  }
})
