// Issue 23.5: recovery codes (docs/decisions/0016). Made on Beveiliging with the current password,
// shown once, stored as keyed hashes; a new set voids the old; at the app-code step 'Ik heb mijn
// telefoon niet' takes one, signs in, mails a notice in the account's language, audits it and asks for
// a new app; counted with the second step's other guesses; gone with a reset, a switch to e-mail and
// erasure; an app is told `lookup`, never `otp`.
import t from 'tap'
import { updateAccount } from '../src/domain/accounts.ts'
import { erase, resetSecondFactor } from '../src/domain/patients.ts'
import { recoveryCodes } from '../src/db/tables.ts'
import type { Browser } from './helpers/browser.ts'
import { authRequest, continueToApp, oidcWorld, redeem, registerApp } from './helpers/oidc.ts'
import { browserFrom, enterPassword, onboardWithApp, onboardWithEmail, type AppPatient } from './helpers/patients.ts'
import { anna, staffBrowser } from './helpers/practice.ts'
import { jan, world, type World } from './helpers/world.ts'


const codeShape = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/
const h1 = (b: Browser) => b.$('h1').first().text().trim()
const rows = (w: World) => w.deps.db.select().from(recoveryCodes)

/** Beveiliging -> Herstelcodes -> the current password -> the ten codes, read off the page. */
async function makeCodes(b: Browser, password: string): Promise<string[]> {
  await b.get('/beveiliging')
  await b.get(b.$('a').filter((_, a) => b.$(a).text() === 'Herstelcodes').attr('href')!)
  const button = b.buttonLabels().find((l) => /herstelcodes maken/i.test(l))!
  await b.submit(button, { 'current-password': password })
  return b.$('ol.recovery-codes code').toArray().map((c) => b.$(c).text())
}

async function signOut(b: Browser): Promise<void> {
  await b.get('/')
  await b.submit('Uitloggen')
}

/** Username, password, then 'Ik heb mijn telefoon niet' and a recovery code. */
async function signInWithRecovery(w: World, p: AppPatient, code: string, b = w.browser()): Promise<Browser> {
  await enterPassword(b, p.account.username, p.password)
  await b.get(b.$('a').filter((_, a) => b.$(a).text() === 'Ik heb mijn telefoon niet').attr('href')!)
  return await b.submit('Inloggen met herstelcode', { Herstelcode: code })
}

await t.test('made on Beveiliging: the home page suggests it until done, the password asked, ten codes shown once, stored hashed', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  const b = p.browser
  await b.get('/')
  t.match(b.text, /Tip: maak herstelcodes/, 'the home page suggests them after onboarding')
  t.equal(b.$('a[href="/beveiliging/herstelcodes"]').length, 1)

  await b.get('/beveiliging/herstelcodes')
  t.equal(h1(b), 'Herstelcodes')
  t.match(b.text, /U heeft nog geen herstelcodes\./)
  await b.submit('Herstelcodes maken', { 'current-password': 'niet mijn wachtwoord' })
  t.equal(b.status, 422)
  t.match(b.text, /Uw huidige wachtwoord klopt niet/)
  t.equal((await rows(w)).length, 0, 'nothing made without the password')

  await b.submit('Herstelcodes maken', { 'current-password': p.password })
  t.equal(h1(b), 'Uw herstelcodes')
  const codes = b.$('ol.recovery-codes code').toArray().map((c) => b.$(c).text())
  t.equal(codes.length, 10)
  t.equal(new Set(codes).size, 10)
  for (const code of codes) t.match(code, codeShape, '16 characters of Crockford base32: 80 bits')
  t.match(b.text, /U ziet ze alleen nu/)
  t.ok(b.html.length < 15_000, `under 15 KB (${b.html.length})`)
  t.match(String(b.headers['cache-control']), /no-store/)

  // Stored as keyed hashes, nothing readable.
  const stored = await rows(w)
  t.equal(stored.length, 10)
  const dump = JSON.stringify(stored)
  for (const code of codes) {
    t.notOk(dump.includes(code) || dump.includes(code.replace(/-/g, '')), 'no code in the table')
  }
  for (const row of stored) t.match(row.codeHash, /^[0-9a-f]{64}$/)
  t.match((await w.mail.lastTo(jan.email, 'recovery-codes')).subject, /Nieuwe herstelcodes/)
  t.equal((await w.audit(p.account.id)).filter((e) => e.event === 'recovery_codes_created').length, 1)

  await b.get('/beveiliging/herstelcodes')
  t.notMatch(b.text, new RegExp(codes[0]!), 'shown once: the page does not show them again')
  t.match(b.text, /U heeft nog 10 van de 10 herstelcodes/)
  await b.get('/')
  t.notMatch(b.text, /Tip: maak herstelcodes/, 'no more suggestion once made')
})

await t.test('at the app-code step: one code signs in once, mails a notice, is audited and asks for a new app', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  const codes = await makeCodes(p.browser, p.password)
  await signOut(p.browser)

  const b = await enterPassword(w.browser(), 'jdevries', p.password)
  t.equal(b.url, '/inloggen/app-code')
  t.match(b.$('details summary').text(), /Telefoon kwijt of nieuwe telefoon\?/)
  t.match(b.$('details').text(), /Ik heb mijn telefoon niet/, 'it explains the recovery code')
  t.match(b.$('details').text(), /tweede stap resetten/, 'and otherwise the practice')
  await b.get(b.$('a').filter((_, a) => b.$(a).text() === 'Ik heb mijn telefoon niet').attr('href')!)
  t.equal(b.field('Herstelcode').attr('autocomplete'), 'one-time-code')
  await b.submit('Inloggen met herstelcode', { Herstelcode: 'nonsense' })
  t.match(b.text, /Een herstelcode heeft 16 letters en cijfers/)
  // Typed from paper: lower case, spaces instead of dashes, an O for a zero.
  const typed = codes[0]!.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o')
  await b.submit('Inloggen met herstelcode', { Herstelcode: typed })
  t.equal(b.url, '/beveiliging/herstelcode-gebruikt')
  t.equal(h1(b), 'Ingelogd met een herstelcode')
  t.match(b.text, /u heeft er nog 9 over/)
  const newApp = b.$('main a.button-link')
  t.equal(newApp.text(), 'Nieuwe app koppelen', 'the first action: link a new app')
  t.equal(newApp.attr('href'), '/beveiliging/tweede-stap')
  const notice = await w.mail.lastTo(jan.email, 'recovery-code-used')
  t.match(notice.subject, /Ingelogd met een herstelcode/)
  t.match(notice.text, /u heeft er nog 9 over/)
  t.match(notice.text, /Nieuwe app koppelen/)
  const used = (await w.audit(p.account.id)).find((e) => e.event === 'recovery_code_used')!
  t.same(JSON.parse(used.detail!), { left: 9 })
  t.match(JSON.parse((await w.audit(p.account.id)).find((e) => e.event === 'sign_in')!.detail!), { method: 'recovery' })
  await b.get('/')
  t.match(b.text, /Welkom, Jan de Vries/, 'signed in')

  // The new app, as asked: Tweede stap wijzigen with the current password, then the new app's code.
  await b.get('/beveiliging/tweede-stap')
  await b.submit('Tweede stap wijzigen', { 'current-password': p.password })
  t.equal(b.url, '/beveiliging/app')

  // Single use: the same code again is refused.
  await signOut(b)
  const again = await signInWithRecovery(w, p, codes[0]!)
  t.equal(again.url, '/inloggen/app-code')
  t.match(again.text, /Deze herstelcode klopt niet of is al gebruikt/)
  t.ok(again.buttonLabels().includes('Begin opnieuw'), 'with the way out')
})

await t.test('the notice is in the account’s language; a new set voids the old one', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  await updateAccount(w.deps, p.account.id, { language: 'en' })
  const first = await makeCodes(p.browser, p.password)
  await p.browser.get('/beveiliging/herstelcodes')
  t.match(p.browser.text, /Maakt u nieuwe herstelcodes, dan werken de oude niet meer\./, 'the page warns before a new set')
  const second = await makeCodes(p.browser, p.password)
  t.equal((await rows(w)).length, 10, 'one set at a time')
  t.same(JSON.parse((await w.audit(p.account.id)).find((e) => e.event === 'recovery_codes_created')!.detail!), { count: 10, replaced: 10 })
  await signOut(p.browser)
  const old = await signInWithRecovery(w, p, first[3]!)
  t.equal(old.url, '/inloggen/app-code', 'a code of the old set no longer works')
  const fresh = await signInWithRecovery(w, p, second[3]!)
  t.equal(fresh.url, '/beveiliging/herstelcode-gebruikt')
  const notice = await w.mail.lastTo(jan.email, 'recovery-code-used')
  t.match(notice.subject, /Signed in with a recovery code/)
  t.match(notice.text, /you have 9 left/)
})

await t.test('counted with the second step’s other guesses: five wrong ones, then a wait, a mail; app codes count on the same counter', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  const codes = await makeCodes(p.browser, p.password)
  await signOut(p.browser)
  const b = await enterPassword(w.browser(), 'jdevries', p.password)
  await b.submit('Verifieer code', { 'one-time-code': '000000' })
  await b.submit('Verifieer code', { 'one-time-code': '111111' })
  await b.get('/inloggen/app-code?zonder-telefoon=1')
  for (let i = 0; i < 3; i++) await b.submit('Inloggen met herstelcode', { Herstelcode: `ABCD-EFGH-JKMN-PQR${i}` })
  t.equal((await w.mail.all()).filter((m) => m.kind === 'factor-failures').length, 1, 'two app codes and three recovery codes: the fifth failure mails the patient')
  await b.submit('Inloggen met herstelcode', { Herstelcode: codes[0]! })
  t.equal(b.url, '/inloggen/app-code', 'the right code waits too')
  t.match(b.text, /te veel pogingen/i)
  t.equal((await rows(w)).filter((r) => r.usedAt !== null).length, 0, 'and was not spent')
  w.clock.advanceMinutes(16)
  await b.get('/account')
  await b.get('/inloggen/app-code?zonder-telefoon=1')
  await b.submit('Inloggen met herstelcode', { Herstelcode: codes[0]! })
  t.equal(b.url, '/beveiliging/herstelcode-gebruikt', 'after the wait it signs in')
})

await t.test('hidden mode: a wrong password meets the same page, and even a good code does not sign in', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  const codes = await makeCodes(p.browser, p.password)
  await signOut(p.browser)
  const room = '10.8.8.8'
  for (let i = 1; i <= 10; i++) await enterPassword(browserFrom(w, room), `gebruiker${i}`, 'dit is het echt niet')
  const stranger = await enterPassword(browserFrom(w, room), 'jdevries', 'dit is het echt niet')
  t.equal(stranger.url, '/inloggen/app-code')
  await stranger.get('/inloggen/app-code?zonder-telefoon=1')
  await stranger.submit('Inloggen met herstelcode', { Herstelcode: codes[5]! })
  t.match(stranger.text, /Deze herstelcode klopt niet of is al gebruikt/)
  t.equal((await stranger.get('/')).url, '/inloggen', 'not signed in')
  t.equal((await rows(w)).filter((r) => r.usedAt !== null).length, 0, 'the code is not spent')
})

await t.test('not for e-mail codes; gone with a switch to e-mail, a reset of the second step and erasure; the practice sees whether they exist', async (t) => {
  const w = await world(t)
  const mail = await onboardWithEmail(w, { name: 'Piet Peters', email: 'piet@example.org', phone: '+31687654321', username: 'ppeters' })
  await mail.browser.get('/beveiliging')
  t.equal(mail.browser.$('a[href="/beveiliging/herstelcodes"]').length, 0, 'no task for an e-mail patient')
  await mail.browser.get('/beveiliging/herstelcodes')
  t.equal(mail.browser.url, '/beveiliging')
  await mail.browser.get('/')
  t.notMatch(mail.browser.text, /herstelcodes/i, 'and no suggestion')

  const p = await onboardWithApp(w)
  await makeCodes(p.browser, p.password)
  const staff = await staffBrowser(w, anna)
  await staff.b.get(`/praktijk/clienten/${p.account.id}`)
  t.match(staff.b.text, /Herstelcodes\s*10 van 10 ongebruikt/)
  t.notMatch(staff.b.html, /ol class="recovery-codes"/)

  // Switching to e-mail codes removes them.
  await p.browser.get('/beveiliging/tweede-stap')
  await p.browser.submit('Tweede stap wijzigen', { factor: 'email', 'current-password': p.password })
  await p.browser.submit('Verifieer code', { 'one-time-code': (await w.mail.lastCodeTo(jan.email)) })
  t.equal((await w.account('jdevries')).mfaMethod, 'email')
  t.equal((await rows(w)).filter((r) => r.accountId === p.account.id).length, 0, 'a switch to e-mail')

  // A reset of the second step by the practice, and erasure.
  const q = await onboardWithApp(w, { name: 'Kees Bakker', email: 'kees@example.org', phone: '+31612340099', username: 'kbakker' })
  await makeCodes(q.browser, q.password)
  await resetSecondFactor(w.deps, { actor: 'cli' }, q.account.practiceId, q.account.id)
  t.equal((await rows(w)).filter((r) => r.accountId === q.account.id).length, 0, 'a reset')
  await staff.b.get(`/praktijk/clienten/${q.account.id}`)
  t.match(staff.b.text, /Herstelcodes\s*geen/)
  const r = await onboardWithApp(w, { name: 'Ria Smit', email: 'ria@example.org', phone: '+31612340098', username: 'rsmit' })
  await makeCodes(r.browser, r.password)
  await erase(w.deps, { actor: 'cli' }, r.account.practiceId, r.account.id)
  t.equal((await rows(w)).filter((x) => x.accountId === r.account.id).length, 0, 'erasure')
})

await t.test('an app is told amr lookup, never otp', async (t) => {
  const w = await oidcWorld(t)
  const p = await onboardWithApp(w)
  const codes = await makeCodes(p.browser, p.password)
  await signOut(p.browser)
  const app = await registerApp(w, { name: 'Dossier' })
  const b = w.browser()
  const auth = await authRequest(app)
  await b.get(auth.url.href)
  await signInWithRecovery(w, p, codes[0]!, b)
  t.equal(b.url, '/beveiliging/herstelcode-gebruikt', 'first the question about a new app')
  await b.get(b.$('a').filter((_, a) => /^Later/.test(b.$(a).text())).attr('href')!)
  t.match(b.url, /^\/interaction\/[\w-]+\/verder$/, 'then on to the app')
  const tokens = await redeem(app, await continueToApp(b), auth)
  t.same(tokens.claims()!.amr, ['pwd', 'lookup', 'mfa'])
})
