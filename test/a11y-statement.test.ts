// Issue 24 #3: the accessibility statement (/toegankelijkheid) in the shape of the Dutch model
// statement, in Dutch and English, linked from the footer of every page, naming no practice; its
// audit date can not go stale silently.
import { execFileSync } from 'node:child_process'
import t from 'tap'
import { accessibilityAuditDate, statementPath } from '../src/flows/pages/accessibility.ts'
import { messages } from '../src/messages.ts'
import type { Browser } from './helpers/browser.ts'
import { anna, password, staffBrowser } from './helpers/practice.ts'
import { practiceA, practiceB } from './helpers/practices.ts'
import { jan, walkToPhone, world } from './helpers/world.ts'

const nl = messages('nl')
const en = messages('en')

/** The page's own footer (the contentinfo landmark: a <footer> outside <main>) and its statement link. */
function statementLink(b: Browser): string | undefined {
  return b.$('body > footer a').filter((_, el) => b.$(el).text().trim() === (b.$('html').attr('lang') === 'en' ? en : nl).text.statementLink).attr('href')
}

await t.test('from the footer of every page, in both languages', async (t) => {
  const w = await world(t, { env: { PRACTICE_CONTACT: '030 111 11 11' } })
  await w.invite()
  const visited: string[] = []
  const check = async (b: Browser, name: string) => {
    const href = statementLink(b)
    t.equal(href, statementPath, `${name} (${b.url}): the statement in the page's footer`)
    visited.push(name)
  }
  const b = w.browser()
  for (const path of ['/inloggen', '/wachtwoord-vergeten', '/disclaimer', '/privacy', statementPath, '/bestaat-niet']) {
    await b.get(path)
    await check(b, path)
  }
  await b.get('/inloggen')
  await b.submit(nl.label.next)
  await check(b, 'a refused form')
  const p = await walkToPhone(w)
  await check(p, 'Accountverificatie')
  await p.submit(nl.label.sendCode)
  await p.submit(nl.label.verifyCode, { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  await check(p, 'Wachtwoord wijzigen')
  await p.submit(nl.label.next, { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  await check(p, 'Het wachtwoord is bijgewerkt')
  await p.submit(nl.label.next)
  await check(p, 'Methode kiezen')
  await p.submit(nl.label.next)
  await check(p, 'App koppelen')
  const staff = await staffBrowser(w, anna)
  for (const path of ['/praktijk', '/praktijk/clienten/nieuw', '/praktijk/auditlog', '/beveiliging', '/']) {
    await staff.b.get(path)
    await check(staff.b, path)
  }
  // Followed, in each language: the statement.
  for (const [lang, words] of [['nl', nl], ['en', en]] as const) {
    const reader = w.browser()
    await reader.get(`/taal/${lang}?terug=%2Finloggen`)
    await reader.get(statementLink(reader)!)
    t.equal(reader.status, 200)
    t.equal(reader.$('h1').text(), words.text.statementTitle, `${lang}: the statement`)
  }
  t.ok(visited.length >= 17, `${visited.length} pages`)
  // The plain page of a request refused before routing (a malformed URL) has the link too.
  const plain = await w.app.inject({ method: 'GET', url: '/%E0%A4%A' })
  t.equal(plain.statusCode, 400)
  t.match(plain.body, `<footer><p><a href="${statementPath}">${nl.text.statementLink}</a></p></footer>`, 'the plain error page')
})

await t.test('the model statement: standard, status, how and when checked, known issues, how to report', async (t) => {
  const w = await world(t, { env: { PRACTICE_CONTACT: '030 111 11 11' } })
  for (const [lang, words] of [['nl', nl], ['en', en]] as const) {
    const b = w.browser()
    await b.get(`/taal/${lang}?terug=${encodeURIComponent(statementPath)}`)
    const { text } = words
    const headings = b.$('h2').toArray().map((h) => b.$(h).text())
    t.same(headings, [text.statementStandardHeading, text.statementStatusHeading, text.statementCheckedHeading, text.statementDeviationsHeading, text.statementReportHeading], `${lang}: the model's sections`)
    t.match(b.text, 'WCAG) 2.2', `${lang}: the standard`)
    t.match(b.text, lang === 'nl' ? /voldoet gedeeltelijk/ : /partially complies/, `${lang}: the honest status`)
    t.notMatch(b.text, lang === 'nl' ? /voldoet volledig/ : /fully complies with/, `${lang}: not "fully"`)
    const day = new Intl.DateTimeFormat(words.locale, { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(new Date(`${accessibilityAuditDate}T12:00:00Z`))
    t.match(b.text, day, `${lang}: the audit's date (${day})`)
    t.equal(b.$('main ul').first().find('li').length, text.statementChecks.length, `${lang}: what was checked`)
    t.match(b.text, String(w.config.limits.codeTtlMinutes), `${lang}: the known issues name the real times`)
    t.match(b.text, '030 111 11 11', `${lang}: one practice: its contact, to report a problem`)
    t.notMatch(b.text, w.practice.name, `${lang}: and not its name (read before any proof)`)
  }
})

await t.test('the contact: ACCESSIBILITY_CONTACT, else the only practice, else "your practice"; never a practice name', async (t) => {
  const set = await world(t, { env: { ACCESSIBILITY_CONTACT: 'toegankelijkheid@portaal.example', PRACTICE_CONTACT: '030 111 11 11' } })
  const b = set.browser()
  await b.get(statementPath)
  t.match(b.text, 'toegankelijkheid@portaal.example')
  t.notMatch(b.text, '030 111 11 11')

  const many = await world(t)
  await many.addPractice(practiceB)
  const c = many.browser()
  await c.get(statementPath)
  t.match(c.text, nl.text.statementReportPractice, 'several practices, no setting: "your practice"')
  for (const name of [practiceA.name, practiceB.name, 'Zoë']) t.notMatch(c.text, name, `no practice named (${name})`)
})

await t.test('the audit date is not older than the last change to the pages or the stylesheet', async (t) => {
  t.match(accessibilityAuditDate, /^\d{4}-\d{2}-\d{2}$/)
  t.ok(new Date(`${accessibilityAuditDate}T00:00:00Z`).getTime() <= Date.now(), 'not in the future')
  let lastChange: string
  try {
    lastChange = execFileSync('git', ['log', '-1', '--format=%cs', '--', 'templates', 'static'], { cwd: import.meta.dirname, encoding: 'utf8' }).trim()
  } catch {
    // A copy without its history (an unpacked release): there is no change to compare with.
    t.comment('no git history here: the date is checked where the code is changed')
    return
  }
  t.ok(lastChange === '' || lastChange <= accessibilityAuditDate, `templates/ or static/ changed on ${lastChange}, after the audit of ${accessibilityAuditDate}: run test/a11y-*.test.ts and update accessibilityAuditDate in src/flows/pages/accessibility.ts (and docs/accessibility.md)`)
})
