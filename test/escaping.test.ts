// Every text field that comes back in the page comes back escaped (issue 11, "Tests that are missing"):
// a hostile value typed into each form is found in the HTML only as &lt;b&gt;x&quot;&#39;&amp;, never
// raw. Turning Eta's autoEscape off in src/web/render.ts makes this file fail.
import t, { type Test } from 'tap'
import type { Browser } from './helpers/browser.ts'
import { anna, piet, staffBrowser } from './helpers/practice.ts'
import { world } from './helpers/world.ts'

const hostile = `<b>x"'&`
const escaped = '&lt;b&gt;x&quot;&#39;&amp;'

/** The raw value nowhere in the HTML, the escaped one `times` times at least. */
function echoedSafely(t: Test, b: Browser, where: string, times = 1): void {
  t.notOk(b.html.includes(hostile), `${where}: never raw`)
  t.notOk(b.html.includes('<b>x'), `${where}: no raw tag`)
  const found = b.html.split(escaped).length - 1
  t.ok(found >= times, `${where}: echoed escaped (${found} of at least ${times})`)
}

await t.test('the patient forms: sign-in and forgot password', async (t) => {
  const w = await world(t)
  const b = w.browser()
  await b.get('/inloggen')
  await b.submit('Volgende', { username: hostile })
  // Any typed username goes on to the password page (no enumeration): shown there, read-only.
  echoedSafely(t, b, 'Gebruikersnaam on the password page')
  await b.get('/wachtwoord-vergeten')
  await b.submit('Volgende', { username: hostile, 'E-mailadres': hostile })
  t.equal(b.status, 422, 'an address that is not one: the form again')
  echoedSafely(t, b, 'Gebruikersnaam and E-mailadres on Wachtwoord vergeten', 2)
})

await t.test('the practice forms: new patient, search, audit filter, change e-mail and phone', async (t) => {
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  const patient = await w.invite(piet)

  await b.submit('Nieuwe cliënt')
  await b.submit('Uitnodigen', { Naam: hostile, 'E-mailadres': hostile, 'Mobiel nummer': hostile, Gebruikersnaam: hostile })
  t.equal(b.status, 422)
  echoedSafely(t, b, 'Nieuwe cliënt: Naam, E-mailadres, Mobiel nummer, Gebruikersnaam', 4)

  await b.get('/praktijk')
  await b.submit('Zoeken', { 'Zoek op naam, gebruikersnaam of e-mailadres': hostile })
  echoedSafely(t, b, 'the search field')

  await b.get('/praktijk/auditlog')
  await b.submit('Filteren', { Gebruikersnaam: hostile, 'Van (datum)': hostile, 'Tot en met (datum)': hostile })
  echoedSafely(t, b, 'the audit filter: Gebruikersnaam, Van, Tot en met', 3)

  for (const [action, field] of [['E-mailadres wijzigen', 'Nieuw e-mailadres'], ['Mobiel nummer wijzigen', 'Nieuw mobiel nummer']] as const) {
    await b.get(`/praktijk/clienten/${patient.id}`)
    await b.submit(action)
    await b.submit(action, { [field]: hostile })
    t.equal(b.status, 422, `${action}: refused`)
    echoedSafely(t, b, `${action}: ${field}`)
  }

  // A name with markup is a valid name: it is shown escaped on every page that names the patient.
  await b.get('/praktijk')
  await b.submit('Nieuwe cliënt')
  await b.submit('Uitnodigen', { Naam: `Jan ${hostile}`, 'E-mailadres': 'jan3@example.org', 'Mobiel nummer': '06-11223355', Gebruikersnaam: 'jan3' })
  t.match(b.url, /^\/praktijk\/clienten\/\d+$/, 'created')
  echoedSafely(t, b, 'the new account page')
  await b.get('/praktijk')
  echoedSafely(t, b, 'the patient list')
})
