// Issue 23.9: the practice's pages. The patient list is a real table (one row per patient, <th scope>);
// the unlock confirmation names what is locked; staff and patients read one word, "tweede stap"; and a
// deactivated patient on the forgot path is told on the same page what to do when no SMS comes.
import t from 'tap'
import { deactivate } from '../src/domain/patients.ts'
import { beginFactorGuess, factorWrong } from '../src/domain/throttle.ts'
import { messages } from '../src/messages.ts'
import { admin } from './helpers/admin.ts'
import { onboardWithApp, startForgot } from './helpers/patients.ts'
import { act, anna, piet, rowIn, staffBrowser } from './helpers/practice.ts'
import { jan, world } from './helpers/world.ts'


await t.test('the patient list: a table with one row per patient, its headers scoped', async (t) => {
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  await w.invite()
  await w.invite(piet)
  await b.get('/praktijk')
  const table = b.$('main table.accounts')
  t.equal(table.length, 1, 'a real <table>')
  t.same(
    table.find('thead th').toArray().map((th) => [b.$(th).attr('scope'), b.$(th).text().trim()]),
    [['col', 'Naam'], ['col', 'Status'], ['col', 'Gebruikersnaam'], ['col', 'E-mailadres'], ['col', 'Uitnodiging geldig tot'], ['col', 'Laatst ingelogd']],
  )
  const rows = table.find('tbody tr')
  t.equal(rows.length, 2, 'one row per patient')
  t.same(rows.toArray().map((tr) => b.$(tr).find('th[scope="row"]').text().trim()), ['Jan de Vries', 'Piet Peters'])
  t.equal(rows.first().find('th[scope="row"] a').attr('href'), `/praktijk/clienten/${(await w.account('jdevries')).id}`)
  t.match(rowIn(b, 'Jan de Vries'), { Status: 'uitgenodigd', Gebruikersnaam: 'jdevries', 'E-mailadres': 'jan@example.org', 'Laatst ingelogd': 'nog nooit' })
  // On a phone each cell says what it is (portal.css: td::before with its data-label).
  t.same(rows.first().find('td').toArray().map((td) => b.$(td).attr('data-label')), ['Status', 'Gebruikersnaam', 'E-mailadres', 'Uitnodiging geldig tot', 'Laatst ingelogd'])
  t.equal(b.$('main').attr('class'), 'wrap wide', 'the desktop width for a table')
  t.ok(Buffer.byteLength(b.html) < 15 * 1024)

  // The staff list has the role column too.
  await b.get('/praktijk/medewerkers')
  t.ok(b.$('table.accounts thead th').toArray().some((th) => b.$(th).text().trim() === 'Rol'))
  t.match(rowIn(b, 'Anna Bakker'), { Rol: 'beheerder' })
})

await t.test('unlock: the confirmation and the notice name what is locked, the password or the second step', async (t) => {
  const w = await world(t, { env: { LOCK_AFTER_FAILURES: '3' } })
  const { b } = await staffBrowser(w, anna)
  const p = await onboardWithApp(w)
  // Wrong codes after the right password lock the second step (decision 0011; 100 by default, 3 here).
  for (let i = 0; i < w.config.limits.lockAfterFailures; i++) {
    await beginFactorGuess(w.deps, { actor: 'self' }, p.account.id, 'app', { device: null, client: '10.1.1.1' })
    await factorWrong(w.deps, { actor: 'self' }, p.account, 'app', null)
  }
  await b.get(`/praktijk/clienten/${p.account.id}`)
  t.match(b.text, /Vergrendeld\s*de tweede stap \(te veel verkeerde codes\)/)
  await b.submit('Ontgrendelen')
  t.match(b.text, /De tweede stap is vergrendeld na te veel verkeerde codes\./)
  t.notMatch(b.text, /wachtwoord is vergrendeld/)
  await b.submit('Ontgrendelen')
  t.match(b.text, /De tweede stap is ontgrendeld: inloggen kan weer\./)

  // Nothing locked: it says so, and that a waiting time is cleared.
  await act(b, 'Ontgrendelen')
  t.match(b.text, /Er was niets vergrendeld; een eventuele wachttijd is gewist\./)
})

await t.test('one word: "tweede stap" on the practice pages, in the CLI and the catalogue', async (t) => {
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  const p = await onboardWithApp(w)
  await b.get(`/praktijk/clienten/${p.account.id}`)
  t.match(b.text, /Tweede stap\s*authenticatie app, sinds/)
  t.ok(b.buttonLabels().includes('Tweede stap resetten'))
  for (const lang of ['nl', 'en'] as const) {
    const flat = JSON.stringify(messages(lang), (_k, v: unknown) => (typeof v === 'function' ? String(v) : v))
    t.notMatch(flat, lang === 'nl' ? /[Tt]weede factor/ : /[Ss]econd factor/, `${lang}: no second word for the second step`)
  }
  const help = await admin(w.databasePath, ['reset-mfa', '--help'])
  t.match(help.stdout, /Reset de tweede stap/)
  t.notMatch(help.stdout, /tweede factor/)
})

await t.test('a deactivated patient on the forgot path: "sent" never stands alone, the same page says what to do', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  await deactivate(w.deps, { actor: 'cli' }, p.account.practiceId, p.account.id)
  const d = await startForgot(w.browser(), 'jdevries', jan.email)
  await d.submit('Stuur verificatiecode')
  t.match(d.text, /De verificatiecode is verstuurd/)
  t.match(d.text, /Krijgt u binnen een paar minuten geen sms\?.*gedeactiveerd is: neem dan contact op met uw praktijk\./)
  t.equal((await w.sms.count(jan.phone)), 1, 'only the onboarding SMS: none was sent now')
  // The same words for an active account (nothing to tell the two apart).
  await onboardWithApp(w, piet)
  w.clock.advanceMinutes(1)
  const r = await startForgot(w.browser(), 'ppeters', piet.email)
  await r.submit('Stuur verificatiecode')
  t.equal(r.$('main p').filter((_, el) => /binnen een paar minuten/.test(r.$(el).text())).text(), d.$('main p').filter((_, el) => /binnen een paar minuten/.test(d.$(el).text())).text())
})
