// Issue 14: one catalogue per language with the same keys and placeholders; the reader's language on
// every page (the switch link, its cookie, Accept-Language, <html lang>); the account's language for
// its mails and SMS, chosen by the practice and changed on Beveiliging.
import t from 'tap'
import { en } from '../src/i18n/en.ts'
import { nl } from '../src/i18n/nl.ts'
import { fill, formatDateTime, messages, negotiateLanguage, type Catalogue } from '../src/messages.ts'
import { csrfOf } from './helpers/browser.ts'
import { jan, walkToMethodChoice, world, type World } from './helpers/world.ts'

type Node = unknown

/** Every leaf of a catalogue by its path: strings, and functions (mails, SMS) as what they use. */
function leaves(node: Node, path = ''): Map<string, string[]> {
  const found = new Map<string, string[]>()
  if (typeof node === 'string') found.set(path, [...node.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort())
  else if (typeof node === 'function') found.set(path, fieldsUsed(node as (v: Record<string, string>) => unknown))
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) for (const [p, v] of leaves(value, path ? `${path}.${key}` : key)) found.set(p, v)
  }
  return found
}

/** Which fields of its argument a mail or SMS function puts in its text: each field is a unique marker. */
function fieldsUsed(fn: (v: Record<string, string>) => unknown): string[] {
  const asked = new Set<string>()
  const values = new Proxy({} as Record<string, string>, {
    get: (_target, key) => {
      if (typeof key === 'string') asked.add(key)
      return `⟦${String(key)}⟧`
    },
  })
  const out = JSON.stringify(fn(values))
  return [...asked].filter((key) => out.includes(`⟦${key}⟧`)).sort()
}

await t.test('the catalogues: the same keys, the same placeholders, the same mail fields', async (t) => {
  const dutch = leaves(nl)
  const english = leaves(en)
  t.ok(dutch.size > 400, `the Dutch catalogue has its ${dutch.size} texts`)
  t.same([...english.keys()].filter((k) => !dutch.has(k)), [], 'no key only in English')
  t.same([...dutch.keys()].filter((k) => !english.has(k)), [], 'no key only in Dutch')
  const differ = [...dutch].filter(([key, uses]) => JSON.stringify(english.get(key)) !== JSON.stringify(uses))
  t.same(differ.map(([key, uses]) => `${key}: nl ${uses.join(',')} / en ${english.get(key)?.join(',')}`), [], 'every placeholder and mail field in both')
  t.ok((dutch.get('mail.invite') ?? []).includes('link'), 'the check sees the fields a mail uses')

  // The check itself: a placeholder dropped in one language is found.
  const broken = leaves({ ...en, error: { ...en.error, codeCooldown: 'Try again later.' } })
  t.not(JSON.stringify(broken.get('error.codeCooldown')), JSON.stringify(dutch.get('error.codeCooldown')), 'a dropped placeholder is seen')
  const brokenMail = leaves({ ...en, mail: { ...en.mail, invite: (v: { name: string }) => ({ subject: 'x', text: v.name }) } })
  t.not(JSON.stringify(brokenMail.get('mail.invite')), JSON.stringify(dutch.get('mail.invite')), 'a mail without its link is seen')
})

await t.test('English is written, not copied: most texts differ from the Dutch', async (t) => {
  const dutch = leaves(nl)
  const same = [...leaves(en)].filter(([key]) => typeof key === 'string').filter(([key]) => {
    const value = key.split('.').reduce<Node>((node, part) => (node as Record<string, Node>)[part], en)
    const dutchValue = key.split('.').reduce<Node>((node, part) => (node as Record<string, Node>)[part], nl)
    return typeof value === 'string' && value === dutchValue && dutch.has(key)
  })
  // Names stay as they are in both (Nederlands, English, App, disclaimer, privacy, iPhone...).
  t.ok(same.length < 20, `at most a few texts are the same in both languages: ${same.map(([k]) => k).join(', ')}`)
  t.equal(en.label.next, 'Next')
  t.equal(nl.label.next, 'Volgende', 'the Dutch stays as the guide has it')
})

await t.test('dates and times per language, in Europe/Amsterdam', async (t) => {
  const summer = new Date('2026-07-01T10:30:00Z')
  t.match(formatDateTime(summer, 'nl'), /1 juli 2026.*12:30/)
  t.match(formatDateTime(summer, 'en'), /1 July 2026.*12:30/)
})

await t.test('Accept-Language picks the first visit’s language; Dutch when neither is asked for', async (t) => {
  t.equal(negotiateLanguage(undefined), 'nl')
  t.equal(negotiateLanguage('en-GB,en;q=0.9'), 'en')
  t.equal(negotiateLanguage('de-DE,de;q=0.9,en;q=0.5,nl;q=0.8'), 'nl', 'q-values count')
  t.equal(negotiateLanguage('fr'), 'nl')
  t.equal(negotiateLanguage('*'), 'nl')
  t.equal(negotiateLanguage('en-US;q=0'), 'nl', 'q=0 means no')
  t.equal(negotiateLanguage(',,;;q=x'), 'nl', 'nonsense is Dutch, not an error')
})

const langOf = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1]

await t.test('every page: <html lang>, and a link to the other language that comes back to the same page', async (t) => {
  const w = await world(t)
  const b = w.browser()
  await b.get('/inloggen')
  t.equal(langOf(b.html), 'nl')
  t.equal(b.$('h1').text(), nl.text.signInTitle)
  const toEnglish = b.$('a[hreflang="en"]')
  t.equal(toEnglish.text(), 'English')
  t.equal(toEnglish.attr('lang'), 'en', 'the link’s name is read out in English')
  t.equal(toEnglish.attr('href'), '/taal/en?terug=%2Finloggen')

  await b.get(toEnglish.attr('href')!)
  t.equal(b.url, '/inloggen', 'back on the same page')
  t.equal(langOf(b.html), 'en')
  t.equal(b.$('h1').text(), en.text.signInTitle)
  t.equal(b.$('a[hreflang="nl"]').text(), 'Nederlands')
  t.match(b.lastSetCookies.join('\n') + b.history.flatMap((h) => h.setCookies).join('\n'), /mtd_lang=en; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax/)

  // Remembered: the next pages, the error pages, the static pages.
  await b.get('/wachtwoord-vergeten')
  t.equal(langOf(b.html), 'en')
  await b.get('/bestaat-niet')
  t.equal(b.status, 404)
  t.equal(langOf(b.html), 'en')
  t.equal(b.$('h1').text(), en.text.notFoundTitle)
  await b.get('/privacy')
  t.equal(langOf(b.html), 'en')

  // A fresh browser asking for English gets it at once; one asking for German gets Dutch.
  const english = w.browser()
  await english.get('/inloggen', { 'accept-language': 'en-GB,en;q=0.8' })
  t.equal(langOf(english.html), 'en')
  const german = w.browser()
  await german.get('/inloggen', { 'accept-language': 'de' })
  t.equal(langOf(german.html), 'nl')
  // The choice beats the browser's header.
  await b.get('/inloggen', { 'accept-language': 'nl' })
  t.equal(langOf(b.html), 'en')

  // The plain page for a request refused before routing (a malformed URL) reads the header too.
  await english.get('/%FF', { 'accept-language': 'en' })
  t.equal(english.status, 400)
  t.equal(langOf(english.html), 'en')
  t.equal(english.$('h1').text(), en.text.badRequestTitle)
  t.equal(english.$('a[hreflang="nl"]').attr('href'), '/taal/nl?terug=%2F')
})

await t.test('the switch link goes back only to a page of ours', async (t) => {
  const w = await world(t)
  const b = w.browser({ followRedirects: false })
  for (const [back, expected] of [
    ['/inloggen/wachtwoord', '/inloggen/wachtwoord'],
    ['/wachtwoord-vergeten?terug=1', '/wachtwoord-vergeten?terug=1'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['/%0d%0aSet-Cookie:x=1', '/%0d%0aSet-Cookie:x=1'],
    ['/ met spatie', '/'],
    ['', '/'],
  ] as const) {
    await b.get(`/taal/en?terug=${encodeURIComponent(back)}`)
    t.equal(b.status, 303, `${back}: 303`)
    t.equal(b.headers.location, expected, `${JSON.stringify(back)} goes to ${expected}`)
  }
  await b.get('/taal/fr?terug=%2Finloggen')
  t.equal(b.status, 303)
  t.equal(b.headers.location, '/', 'an unknown language changes nothing')
  t.notMatch(String(b.headers['set-cookie'] ?? ''), /mtd_lang/)
  await b.get('/taal/en?terug=a&terug=b')
  t.equal(b.status, 303, 'a repeated parameter is not a 500')
})

await t.test('the switch in the middle of a flow keeps the step and what the form keeps', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = await walkToMethodChoice(w)
  // Sign-in: the typed username stays on the password page in the other language.
  const s = w.browser()
  await s.get('/inloggen')
  await s.submit(nl.label.next, { username: jan.username! })
  t.equal(s.url, '/inloggen/wachtwoord')
  await s.get(s.$('a[hreflang="en"]').attr('href')!)
  t.equal(s.url, '/inloggen/wachtwoord', 'still on the password step')
  t.equal(langOf(s.html), 'en')
  t.equal(s.field('username').val(), jan.username, 'the username is still there')
  t.equal(s.buttonLabels().join(','), en.label.next)

  // Onboarding: on Stap 4, switching keeps the method choice page, in English.
  t.equal(b.url, '/account/methode')
  await b.get(b.$('a[hreflang="en"]').attr('href')!)
  t.equal(b.url, '/account/methode')
  t.equal(b.$('h1').text(), en.text.accountVerification)
  t.equal(langOf(b.html), 'en')

  // A page that answers a POST (a wrong password) switches back to the same step by its GET.
  await s.submit(en.label.next, { password: 'niet het goede wachtwoord' })
  t.equal(s.status, 422)
  t.equal(s.$('a[hreflang="nl"]').attr('href'), '/taal/nl?terug=%2Finloggen%2Fwachtwoord')
})

/** Walks jan (invited in `lang`) to a signed-in session with the app, in a browser that never chose. */
async function onboardWithApp(w: World, b: ReturnType<World['browser']>, l: Catalogue) {
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit(l.label.next)
  await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await b.submit(l.label.sendCode)
  await b.submit(l.label.verifyCode, { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  const password = 'zonneschijn op het strand'
  await b.submit(l.label.next, { [l.label.newPassword]: password, [l.label.confirmPassword]: password })
  await b.submit(l.label.next)
  await b.submit(l.label.next)
  const secret = new URL(b.$('a[href^="otpauth:"]').attr('href')!).searchParams.get('secret')!
  await b.submit(l.label.continue, { 'one-time-code': await w.totp(secret) })
  return { password, secret }
}

await t.test('an account invited in English: its links open in English, its mails and SMS are English', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  await w.sql.run("update accounts set language = 'en' where id = ?", account.id)
  // The invitation was sent before: send it again in English, as the practice would after the choice.
  const { sendInvitation } = await import('../src/domain/invitations.ts')
  await sendInvitation(w.deps, { actor: 'cli' }, account.id)
  const invite = await w.mail.lastTo(jan.email, 'invite')
  t.equal(invite.subject, en.mail.invite({ name: '', practice: '', contact: '', portal: w.config.portalName, address: '', username: '', link: '', validUntil: '' }).subject)
  t.notMatch(invite.text, /Beste|Klik/, 'no Dutch in the English invitation')

  // A browser that asks for Dutch and never chose: the link came in English, so the page is English.
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')), { 'accept-language': 'nl' })
  t.equal(langOf(b.html), 'en')
  const { secret } = await onboardWithApp(w, b, en)
  t.equal(b.url, '/')
  t.equal(langOf(b.html), 'en', 'home in English')
  t.match(b.text, fill(en.text.homeWelcome, { name: jan.name }))
  const continued = await w.mail.lastTo(jan.email, 'continue')
  t.notMatch(continued.text, /Beste/, 'the second mail in English')
  const sms = (await w.sms.all()).filter((m) => m.to === jan.phone).at(-1)!
  t.match(sms.text, en.mail.smsCode({ code: '', portal: w.config.portalName, minutes: w.config.limits.codeTtlMinutes }).split(' ')[0]!, 'the SMS in English')
  t.notMatch(sms.text, /verificatiecode/)
  const enrolled = await w.mail.lastTo(jan.email, 'mfa-enrolled')
  t.match(enrolled.text, en.words.mailMethodApp, 'the second-factor mail in English, with its English method name')
  t.ok(secret, 'enrolled')
  t.equal((await w.account(jan.username!)).language, 'en', 'the account kept its language')
})

await t.test('a choice made in the browser is saved on the account when it becomes known', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = w.browser()
  await b.get('/taal/en?terug=%2F')
  await onboardWithApp(w, b, en)
  t.equal((await w.account(jan.username!)).language, 'en', 'saved at the first step that proved the account (the invitation’s Volgende)')
  t.notMatch((await w.mail.lastTo(jan.email, 'continue')).text, /Beste/, 'so the second mail was English already')

  // Signed in, from one of our own pages (Sec-Fetch-Site: same-origin): the account follows the switch.
  await b.get('/taal/nl?terug=%2F', { 'sec-fetch-site': 'same-origin' })
  t.equal((await w.account(jan.username!)).language, 'nl')
  // From another site (a link elsewhere, or an old browser that does not say): only this browser switches.
  await b.get('/taal/en?terug=%2F', { 'sec-fetch-site': 'cross-site' })
  t.equal(langOf(b.html), 'en')
  t.equal((await w.account(jan.username!)).language, 'nl', 'a link on another site does not change the account')
  await b.get('/taal/en?terug=%2F')
  t.equal((await w.account(jan.username!)).language, 'nl', 'nor does a request that does not say where it comes from')
})

await t.test('Beveiliging: the patient changes the language of pages, mails and SMS', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = w.browser()
  const { password } = await onboardWithApp(w, b, nl)
  await b.get('/beveiliging')
  t.match(b.text, fill(nl.text.languageNow, { language: 'Nederlands' }))
  await b.get(b.$('#taal-link').attr('href')!)
  t.equal(b.url, '/beveiliging/taal')
  t.equal(b.$('h1').text(), nl.text.languageTitle)
  t.ok(b.field('Nederlands').is(':checked'), 'the current language is checked')

  // Nothing chosen: a clear message linked to the fieldset, nothing saved.
  const token = csrfOf(b.html)!
  await b.request({ method: 'POST', url: '/beveiliging/taal', form: { _csrf: token }, headers: { origin: w.config.publicUrl.origin } })
  t.equal(b.status, 422)
  t.equal(b.$('.error-summary a').attr('href'), '#taal')
  t.equal(b.$('#taal-error').text().replace(/^Fout: /, ''), nl.error.languageRequired)
  await b.request({ method: 'POST', url: '/beveiliging/taal', form: { _csrf: csrfOf(b.html)!, taal: 'de' }, headers: { origin: w.config.publicUrl.origin } })
  t.equal(b.status, 422, 'a language we do not have is refused the same way')

  b.choose('English')
  await b.submit(nl.label.saveLanguage)
  t.equal(b.url, '/beveiliging')
  t.equal(langOf(b.html), 'en', 'the pages switch at once')
  t.match(b.text, en.text.noticeLanguage)
  t.equal((await w.account(jan.username!)).language, 'en')

  // The next mail is English: a password change's notice.
  await b.get('/beveiliging/wachtwoord')
  const newPassword = 'een heel ander wachtwoord'
  await b.submit(en.label.changePassword, { [en.label.currentPassword]: password, [en.label.newPassword]: newPassword, [en.label.confirmPassword]: newPassword })
  const notice = await w.mail.lastTo(jan.email, 'password-changed')
  t.notMatch(notice.text, /Beste/, 'the notice of the password change is in English')
  t.match(notice.subject!, /password/i)

  // The CSRF token guards it like every form.
  await b.request({ method: 'POST', url: '/beveiliging/taal', form: { taal: 'nl' }, headers: { origin: w.config.publicUrl.origin } })
  t.equal(b.status, 403)
  t.equal((await w.account(jan.username!)).language, 'en')
})

await t.test('the language never tells whose account a username is', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  await w.sql.run("update accounts set language = 'en' where id = ?", account.id)
  // A Dutch browser types an English account's username and a wrong password: all stays Dutch.
  const b = w.browser()
  await b.get('/inloggen')
  await b.submit(nl.label.next, { username: jan.username! })
  t.equal(langOf(b.html), 'nl')
  await b.submit(nl.label.next, { password: 'fout fout fout fout' })
  t.equal(langOf(b.html), 'nl')
  await b.get('/wachtwoord-vergeten')
  await b.submit(nl.label.next, { username: jan.username!, email: jan.email })
  t.equal(langOf(b.html), 'nl', 'the forgot path does not switch on a matching pair either')
  t.equal(messages('nl').text.signInTitle, nl.text.signInTitle)
})
