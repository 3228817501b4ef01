// An app's ui_locales (OpenID Connect): the portal's sign-in pages in the language the app asks for
// while its sign-in is walked, unless this browser chose a language with the switch link. It is the
// app's hint, not the patient's choice: never saved on the account, and once the account is proven its
// own language shows (docs/decisions/0012-languages.md).
import { eq } from 'drizzle-orm'
import { createHash } from 'node:crypto'
import * as client from 'openid-client'
import t from 'tap'
import { accounts } from '../src/db/tables.ts'
import { messages } from '../src/messages.ts'
import type { Browser } from './helpers/browser.ts'
import { authRequest, continueToApp, oidcWorld, redeem, registerApp, type OidcWorld } from './helpers/oidc.ts'
import { onboardWithApp, type AppPatient } from './helpers/patients.ts'

const english = messages('en')
const dutch = messages('nl')
const htmlLang = (b: Browser) => b.$('html').attr('lang')

/** Username, password and app code with the labels of `lang`'s pages. */
async function signIn(w: OidcWorld, b: Browser, patient: AppPatient, words = english) {
  w.clock.advanceSeconds(30)
  await b.submit(words.label.next, { username: patient.account.username })
  await b.submit(words.label.next, { 'current-password': patient.password })
  await b.submit(words.label.verifyCode, { 'one-time-code': await w.totp(patient.secret) })
}

await t.test('discovery names the languages of the sign-in pages', async (t) => {
  const w = await oidcWorld(t)
  const app = await registerApp(w)
  t.same(app.config.serverMetadata().ui_locales_supported, ['nl', 'en'])
})

await t.test("ui_locales=en on a Dutch browser: the sign-in in English; the account's Dutch once it is proven, and kept", async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  const app = await registerApp(w, { name: 'Dossier' })
  const b = w.browser()
  await b.get('/inloggen')
  t.equal(htmlLang(b), 'nl', 'this browser reads Dutch by itself')

  const auth = await authRequest(app, { ui_locales: 'en-GB nl' })
  await b.get(auth.url.href)
  t.equal(b.url, '/inloggen')
  t.equal(htmlLang(b), 'en', "the app's first language of ours")
  t.ok(b.$('button').toArray().some((n) => b.$(n).text().includes(english.label.next)), 'English labels')
  w.clock.advanceSeconds(30)
  await b.submit(english.label.next, { username: patient.account.username })
  t.equal(htmlLang(b), 'en', 'the password page too')
  await b.submit(english.label.next, { 'current-password': patient.password })
  t.equal(b.url, '/inloggen/app-code')
  t.equal(htmlLang(b), 'en', 'and the app-code page, after the password step gave a new session id')
  await b.submit(english.label.verifyCode, { 'one-time-code': await w.totp(patient.secret) })
  t.match(b.url, /^\/interaction\/[\w-]+\/verder$/)
  t.equal(htmlLang(b), 'nl', "signed in: the account's language")
  t.match(b.text, /Verder naar Dossier/)
  t.notOk(b.cookies.has('mtd_lang'), 'no choice was made: no language cookie, this browser reads Dutch by itself')
  t.equal((await w.account(patient.account.username)).language, 'nl', "the app's hint is not saved on the account")
  const tokens = await redeem(app, await continueToApp(b), auth)
  const info = await client.fetchUserInfo(app.config, tokens.access_token, tokens.claims()!.sub)
  t.equal(info.locale, 'nl', "the app is told the account's language (profile scope)")

  await b.get('/')
  t.equal(htmlLang(b), 'nl', 'the home page after the app sign-in: Dutch')
})

await t.test("an English account signed in through an app that asks for Dutch: Dutch until proven, then the account's English", async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  await w.deps.db.update(accounts).set({ language: 'en' }).where(eq(accounts.id, patient.account.id))
  const app = await registerApp(w, { name: 'Dossier' })
  const b = w.browser()
  await b.get((await authRequest(app, { ui_locales: 'nl' })).url.href)
  t.equal(htmlLang(b), 'nl')
  await signIn(w, b, patient, dutch)
  t.match(b.url, /^\/interaction\/[\w-]+\/verder$/)
  t.equal(htmlLang(b), 'en', "the account's language once proven")
  t.match(b.text, /Continue to Dossier/)
  t.equal(b.cookies.get('mtd_lang'), 'en', 'kept in a cookie: this browser would read Dutch by itself')
  await b.get('/')
  t.equal(htmlLang(b), 'en')
})

await t.test("a language this browser chose outranks the app's; a language of none of ours changes nothing", async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  const app = await registerApp(w)

  const chose = w.browser()
  await chose.get('/taal/nl?terug=/inloggen')
  await chose.get((await authRequest(app, { ui_locales: 'en' })).url.href)
  t.equal(chose.url, '/inloggen')
  t.equal(htmlLang(chose), 'nl', 'the switch link was used: Dutch, whatever the app asks')

  const french = w.browser()
  await french.get((await authRequest(app, { ui_locales: 'fr-FR de' })).url.href, { 'accept-language': 'en' })
  t.equal(french.url, '/inloggen')
  t.equal(htmlLang(french), 'en', 'no language of ours asked for: Accept-Language decides (the header of the last request)')

  // A hint only lives with its app sign-in: a finished sign-in leaves none behind.
  const done = w.browser()
  await done.get((await authRequest(app, { ui_locales: 'en' })).url.href)
  await signIn(w, done, patient)
  t.equal(htmlLang(done), 'nl')
  const id = decodeURIComponent(done.cookies.get('mtd_session')!).split('.')[0]!
  const row = (await w.sql.get<{ data: string }>('select data from sessions where id = ?', createHash('sha256').update(id).digest('hex')))!
  t.match(JSON.parse(row.data), { accountId: patient.account.id }, "the signed-in session's row")
  t.notOk('uiLocale' in JSON.parse(row.data), 'keeps no hint')
})
