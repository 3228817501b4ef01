// Issue 14, the practice's side: the practice chooses the language of a new account (the web form and
// the CLI's --language), the account page says which it is, and the practice's and the provider's
// own pages are in the reader's language, with the switch link to the other.
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { listEvents } from '../src/domain/audit.ts'
import type { Browser } from './helpers/browser.ts'
import { anna, follow, staffBrowser } from './helpers/practice.ts'
import { origin, testSecretKey, world, type World } from './helpers/world.ts'


const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function cli(w: World, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', DATABASE_PATH: w.databasePath, SECRET_KEY: testSecretKey, PUBLIC_URL: origin, DEV_OUTBOX: 'on' }
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'src', 'admin.ts'), ...args], { cwd: root, env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
    })
  })
}

/** The facts on an account page, as label -> value. */
function facts(b: Browser): Record<string, string> {
  const out: Record<string, string> = {}
  b.$('.message').first().find('dt').each((_, dt) => {
    out[b.$(dt).text().trim()] = b.$(dt).next('dd').text().trim()
  })
  return out
}

const htmlLang = (b: Browser) => b.$('html').attr('lang')
const switchLink = (b: Browser) => ({ text: b.$('a.lang').text().trim(), lang: b.$('a.lang').attr('lang'), href: b.$('a.lang').attr('href') })

const carla = { Naam: 'Carla Smit', 'E-mailadres': 'carla@example.org', 'Mobiel nummer': '0612340003' }
const dirk = { Naam: 'Dirk de Boer', 'E-mailadres': 'dirk@example.org', 'Mobiel nummer': '0612340004' }

await t.test('Nieuwe cliënt: the practice chooses Nederlands or English; stored on the account and shown on its page', async (t) => {
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  await b.submit('Nieuwe cliënt')
  t.equal(b.$('fieldset#language legend').text(), 'Taal', 'a group with a visible name')
  t.equal(b.field('Nederlands').attr('checked'), 'checked', 'Dutch is chosen unless the practice says otherwise')
  t.equal(b.field('English').attr('checked'), undefined)
  t.equal(b.$('label[for="language-en"]').attr('lang'), 'en', 'each choice in its own language')
  t.equal(b.$('fieldset#language').attr('aria-describedby'), 'language-hint', 'the hint is linked')

  b.choose('English')
  await b.submit('Uitnodigen', carla)
  t.match(b.url, /^\/praktijk\/clienten\/\d+$/)
  t.equal((await w.account('csmit')).language, 'en', 'stored on the account')
  t.match(facts(b), { Taal: 'Engels' }, 'the account page says so')

  await b.get('/praktijk/clienten/nieuw')
  await b.submit('Uitnodigen', dirk)
  t.equal((await w.account('ddeboer')).language, 'nl', 'Dutch when the choice is left alone')
  t.match(facts(b), { Taal: 'Nederlands' })
})

await t.test('Nieuwe cliënt: a language that is neither is refused beside the field, and nothing is created', async (t) => {
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  await b.submit('Nieuwe cliënt')
  const form = b.formFor('Uitnodigen')
  const body = Object.fromEntries(form.fields)
  await b.request({ method: 'POST', url: '/praktijk/clienten/nieuw', form: { ...body, name: carla.Naam, email: carla['E-mailadres'], phone: '', language: 'fr' } })
  t.equal(b.status, 422)
  const summary = b.$('.error-summary li a').map((_, a) => [[b.$(a).attr('href'), b.$(a).text()]]).get()
  t.same(summary, [['#phone', 'Vul het mobiele nummer in.'], ['#language', 'Kies Nederlands of English.']], 'every problem at once, each linked to its field')
  t.equal(b.$('fieldset#language').attr('aria-describedby'), 'language-hint language-error', 'the error is linked to the group')
  t.match(b.$('#language-error').text(), /Kies Nederlands of English\./)
  t.equal(b.$('input[name="language"][checked]').length, 0, 'no choice is made for the practice')
  t.equal(b.field('Naam').attr('value'), carla.Naam, 'what was typed stays')
  t.same((await listEvents(w.deps, { event: 'account_created' })).length, 1, 'only Anna exists')
})

await t.test('Nieuwe medewerker: the same choice', async (t) => {
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  await b.get('/praktijk/medewerkers/nieuw')
  b.choose('English')
  await b.submit('Uitnodigen', { Naam: 'Bert Jansen', 'E-mailadres': 'bert@praktijk.example', 'Mobiel nummer': '0612340002' })
  t.match(b.url, /^\/praktijk\/medewerkers\/\d+$/)
  t.equal((await w.account('bjansen')).language, 'en')
  t.equal((await w.account('bjansen')).role, 'behandelaar')
})

await t.test('the practice read in English: <html lang="en">, the switch link back to Nederlands', async (t) => {
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  await b.submit('Nieuwe cliënt')
  await b.submit('Uitnodigen', carla)
  const accountPage = b.url
  t.equal(htmlLang(b), 'nl')
  t.same(switchLink(b), { text: 'English', lang: 'en', href: `/taal/en?terug=${encodeURIComponent(accountPage)}` })

  await follow(b, 'English')
  t.equal(b.url, accountPage, 'the switch returns to the same page')
  t.equal(htmlLang(b), 'en')
  t.same(switchLink(b), { text: 'Nederlands', lang: 'nl', href: `/taal/nl?terug=${encodeURIComponent(accountPage)}` })
  t.match(facts(b), { Language: 'Dutch' }, 'the facts in English')
  t.equal(b.status, 200)
  t.equal(b.$('h1').text(), 'Carla Smit', 'the account page itself')

  await b.get('/praktijk/clienten/nieuw')
  t.equal(htmlLang(b), 'en')
  t.equal(b.$('fieldset#language legend').text(), 'Language')
  t.equal(b.field('Nederlands').attr('checked'), 'checked', 'the same two choices, each in its own language')
  t.ok(b.field('English').length === 1)

  // A page that answers a POST switches back to the GET of its own path: the form again.
  const form = Object.fromEntries(b.formFor('Invite').fields)
  await b.request({ method: 'POST', url: '/praktijk/clienten/nieuw', form: { ...form, language: 'fr' } })
  t.equal(b.status, 422)
  t.equal(htmlLang(b), 'en')
  t.match(b.$('#language-error').text(), /Choose Nederlands or English\./)
  t.match(b.$('#phone-error').text(), /Enter the mobile number\./, "the domain's refusals in the reader's language too")
  t.equal(switchLink(b).href, `/taal/nl?terug=${encodeURIComponent('/praktijk/clienten/nieuw')}`)

  // The heaviest page, the audit log, stays under the page-weight limit in English too.
  await b.get('/praktijk/auditlog')
  t.equal(b.status, 200)
  t.equal(htmlLang(b), 'en')
  t.equal(b.$('h1').text(), 'Audit log')
  t.ok(b.$('article.message').length >= 3, 'with entries')
  t.ok(Buffer.byteLength(b.html) < 15 * 1024, `the English audit log is ${Buffer.byteLength(b.html)} bytes, under 15 KB`)

  await b.get('/dev/outbox')
  t.equal(htmlLang(b), 'en')
  t.ok(b.$('h2').toArray().some((h) => b.$(h).text() === 'Email to carla@example.org'), 'the outbox in English')
  t.ok(b.$('dt').toArray().some((dt) => b.$(dt).text() === 'Subject'))

  await follow(b, 'Nederlands')
  t.equal(htmlLang(b), 'nl')
  t.ok(b.$('h2').toArray().some((h) => b.$(h).text() === 'E-mail aan carla@example.org'), 'and back in Dutch, as before')
  t.ok(b.$('dt').toArray().some((dt) => b.$(dt).text() === 'Onderwerp'))
})

await t.test("the provider's own pages follow the reader's language", async (t) => {
  const w = await world(t)
  const unknownClient = '/oidc/auth?client_id=onbekend&response_type=code&scope=openid&redirect_uri=http%3A%2F%2Flocalhost%3A9%2Fcb'
  const b = w.browser()
  await b.get(unknownClient)
  t.equal(b.status, 400)
  t.equal(htmlLang(b), 'nl')
  t.same(switchLink(b), { text: 'English', lang: 'en', href: `/taal/en?terug=${encodeURIComponent(unknownClient)}` })

  await follow(b, 'English')
  t.equal(b.url, unknownClient, 'back to the same request')
  t.equal(b.status, 400)
  t.equal(htmlLang(b), 'en', "oidc-provider's error page, in English")
  t.equal(switchLink(b).text, 'Nederlands')

  // Refused before oidc-provider sees it (routes.ts): the same.
  await b.get(`${unknownClient}&response_mode=form_post`)
  t.equal(b.status, 400)
  t.equal(htmlLang(b), 'en')
  t.equal(switchLink(b).text, 'Nederlands')
})

await t.test('the CLI: invite --language en, create-staff --language en, and a language it does not know', async (t) => {
  const w = await world(t)
  const help = await cli(w, 'invite', '--help')
  t.match(help.stdout, /\[--language nl\|en\]/, '--help names the option')
  const overview = await cli(w, 'help')
  t.match(overview.stdout, /invite .*\[--language nl\|en\]/)

  const wrong = await cli(w, 'invite', '--name', 'Carla Smit', '--email', 'carla@example.org', '--phone', '0612340003', '--language', 'fr')
  t.equal(wrong.code, 1, 'a usage error')
  // (After the line naming the database the CLI works on.)
  t.match(wrong.stderr, /^Onbekende taal: fr\. Kies nl \(Nederlands\) of en \(Engels\)\./m, 'said in Dutch')
  t.match(wrong.stderr, /Gebruik: npm run admin -- invite/, 'with the command’s help')
  t.same((await listEvents(w.deps, { event: 'account_created' })), [], 'nothing was created')

  const english = await cli(w, 'invite', '--name', 'Carla Smit', '--email', 'carla@example.org', '--phone', '0612340003', '--language', 'en')
  t.equal(english.code, 0, english.stderr)
  t.equal(english.stdout, 'csmit\n')
  t.match(english.stderr, /Uitnodiging voor Carla Smit <carla@example\.org> \(Engels\), geldig tot/)
  t.equal((await w.account('csmit')).language, 'en')

  const dutch = await cli(w, 'invite', '--name', 'Dirk de Boer', '--email', 'dirk@example.org', '--phone', '0612340004')
  t.equal(dutch.code, 0, dutch.stderr)
  t.equal((await w.account('ddeboer')).language, 'nl', 'Dutch without --language')
  t.match(dutch.stderr, /^Uitnodiging voor Dirk de Boer <dirk@example\.org>, geldig tot/m, 'the Dutch line as before')

  const staff = await cli(w, 'create-staff', '--name', 'Bert Jansen', '--email', 'bert@praktijk.example', '--phone', '0612340002', '--role', 'behandelaar', '--language', 'en')
  t.equal(staff.code, 0, staff.stderr)
  t.equal((await w.account('bjansen')).language, 'en')
  const staffWrong = await cli(w, 'create-staff', '--name', 'Eva Visser', '--email', 'eva@praktijk.example', '--phone', '0612340005', '--role', 'behandelaar', '--language', 'EN')
  t.equal(staffWrong.code, 1)
  t.match(staffWrong.stderr, /Onbekende taal: EN\./)
})
