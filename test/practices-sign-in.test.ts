// Issue 20, "one sign-in for all": the patients of every practice sign in at the same address. Before
// the patient is proven, no page names a practice (being a patient of a therapy practice is itself
// health information), and the pages are the same, byte for byte, for a patient of A, a patient of B
// and a username nobody has. Once proven, the header, the pages, the mails and the SMS name the
// patient's own practice and its contact.
import { gsmSafe } from '../src/domain/sms-text.ts'
import t from 'tap'
import { hmac } from '../src/domain/secrets.ts'
import { changePhone } from '../src/domain/patients.ts'
import { csrfOf, type Browser } from './helpers/browser.ts'
import { browserFrom } from './helpers/patients.ts'
import { peopleOf, practiceA, practiceB, twoPractices } from './helpers/practices.ts'


/** Every way a page could name either practice. */
const practiceWords = [practiceA.name, practiceA.contact, 'Zonnebloem', 'Zoë', practiceB.contact, 'Linde']

/** The page with what differs per session (the CSRF token) and what the visitor typed taken out. */
function normal(b: Browser, typed: string[]): { status: number; url: string; body: string } {
  let body = b.html
  const csrf = csrfOf(b.html)
  if (csrf) body = body.replaceAll(csrf, '{csrf}')
  for (const value of typed) body = body.replaceAll(value, '{typed}')
  // The masked number: a decoy shows four digits derived from what was typed (decision 0005).
  body = body.replace(/XXX-XXXX-\d{4}/g, 'XXX-XXXX-{digits}')
  return { status: b.status, url: b.url, body }
}

await t.test('before proof: no practice named, and the same pages for a patient of A, of B and a stranger', async (t) => {
  const { w } = await twoPractices(t)
  // Usernames of one length: not even Content-Length tells them apart.
  const visitors = [
    { who: 'a patient of A', username: peopleOf.a.patient.username!, email: peopleOf.a.patient.email },
    { who: 'a patient of B', username: peopleOf.b.patient.username!, email: peopleOf.b.patient.email },
    { who: 'an unknown username', username: 'onbekend', email: 'iemand@example.org' },
  ]
  // Past the resend cooldown of the patients' onboarding SMS, so a real pair is not answered "wait".
  w.clock.advanceMinutes(2)
  const smsBefore = [await w.sms.count(peopleOf.a.patient.phone), await w.sms.count(peopleOf.b.patient.phone)]
  const walks: { status: number; url: string; body: string }[][] = []
  for (const [i, v] of visitors.entries()) {
    const b = browserFrom(w, `10.20.${i}.1`)
    const typed = [v.username, v.email]
    const pages: { status: number; url: string; body: string }[] = []
    const read = (what: string) => {
      for (const word of practiceWords) t.notOk(b.html.includes(word), `${v.who}, ${what}: no ${JSON.stringify(word)}`)
      pages.push(normal(b, typed))
    }
    await b.get('/inloggen')
    read('Gebruikersnaam')
    await b.submit('Volgende', { username: v.username })
    read('Wachtwoord')
    await b.submit('Volgende', { 'current-password': 'helemaal niet goed' })
    read('a wrong password')
    await b.get('/bestaat-niet')
    read('a page that does not exist')
    await b.get('/wachtwoord-vergeten')
    read('wachtwoord vergeten')
    await b.submit('Volgende', { 'E-mailadres': v.email })
    read('Accountverificatie')
    await b.submit('Stuur verificatiecode')
    read('Accountverificatie, code sent')
    await b.submit('Verifieer code', { 'one-time-code': '000000' })
    read('a wrong SMS code')
    await b.get('/wachtwoord-vergeten?terug=1')
    read('back to the forgot form ("Herkent u dit nummer niet?")')
    await b.request({ method: 'POST', url: '/wachtwoord-vergeten', form: { username: v.username, email: v.email } })
    read('a post without its token (403)')
    walks.push(pages)
  }
  t.equal(walks[0]!.length, 10)
  for (const [i, page] of walks[0]!.entries()) {
    t.same(walks[1]![i], page, `page ${i + 1} (${page.url}): a patient of B reads what a patient of A reads`)
    t.same(walks[2]![i], page, `page ${i + 1} (${page.url}): and so does an unknown username`)
  }
  t.equal((await w.sms.count(peopleOf.a.patient.phone)), smsBefore[0]! + 1, "the real pairs' SMS went out")
  t.equal((await w.sms.count(peopleOf.b.patient.phone)), smsBefore[1]! + 1)
})

await t.test('before proof: the link pages before their POST, hidden mode and a right password without the second factor', async (t) => {
  const { w, a, b } = await twoPractices(t, { env: { IP_FAILURES_BEFORE_DELAY: '1' } })
  // The invitation's and the second mail's link pages, opened (a mail scanner would): nothing named.
  for (const [who, email] of [['A', peopleOf.a.invited.email], ['B', peopleOf.b.invited.email]] as const) {
    const browser = w.browser()
    await browser.get((await w.mail.lastLinkTo(email, 'invite')))
    t.equal(browser.status, 200)
    for (const word of practiceWords) t.notOk(browser.html.includes(word), `the invitation link of ${who}, before Volgende: no ${word}`)
    await browser.submit('Volgende')
    await browser.get((await w.mail.lastLinkTo(email, 'continue')))
    t.equal(browser.status, 200)
    for (const word of practiceWords) t.notOk(browser.html.includes(word), `the second mail's link of ${who}, before its POST: no ${word}`)
  }

  // A right password, the second factor still due: no practice on the code page, nor in hidden mode.
  const pages: string[] = []
  for (const [i, patient] of [a.patient, b.patient].entries()) {
    const visitor = browserFrom(w, `10.30.${i}.1`)
    await visitor.get('/inloggen')
    await visitor.submit('Volgende', { username: patient.account.username })
    await visitor.submit('Volgende', { 'current-password': patient.password })
    t.equal(visitor.url, '/inloggen/app-code')
    for (const word of practiceWords) t.notOk(visitor.html.includes(word), `the app-code step of ${patient.account.username}: no ${word}`)
    pages.push(normal(visitor, [patient.account.username]).body)
  }
  t.equal(pages[1], pages[0], 'the same app-code page for a patient of A and of B')

  // Hidden mode: a client that failed before. Right password or not, a second-factor step; no practice.
  // A stranger whose decoy shows the app step: chosen as src/flows/sign-in/password.ts chooses, under the installation's decoy key.
  const stranger = ['onbekend', 'niemand1', 'niemand2', 'niemand3', 'niemand4'].find((u) => parseInt(hmac(w.deps.keys.decoy, `method:${u}`).slice(0, 2), 16) >= 64)!
  const hidden: string[] = []
  const tries: [string, string][] = [
    [a.patient.account.username, a.patient.password],
    [b.patient.account.username, b.patient.password],
    [stranger, 'wat dan ook'],
  ]
  for (const [i, [username, password]] of tries.entries()) {
    const visitor = browserFrom(w, `10.40.${i}.1`)
    await visitor.get('/inloggen')
    await visitor.submit('Volgende', { username: 'iemandanders' })
    await visitor.submit('Volgende', { 'current-password': 'fout wachtwoord' })
    await visitor.submit('Volgende', { username: 'iemandanders2' })
    await visitor.submit('Volgende', { 'current-password': 'fout wachtwoord' })
    await visitor.get('/inloggen')
    await visitor.submit('Volgende', { username })
    await visitor.submit('Volgende', { 'current-password': password })
    t.equal(visitor.url, '/inloggen/app-code', `${username}: hidden mode shows a second-factor step`)
    for (const word of practiceWords) t.notOk(visitor.html.includes(word), `hidden mode, ${username}: no ${word}`)
    hidden.push(normal(visitor, [username]).body)
  }
  t.equal(hidden[1], hidden[0], 'hidden mode: the same page for a patient of A and of B')
  t.equal(hidden[2], hidden[0], 'and for a decoy')
})

await t.test('once proven: the header, the pages, the mails and the SMS name the patient’s own practice', async (t) => {
  const { w, a, b } = await twoPractices(t)
  for (const [team, practice] of [[a, practiceA], [b, practiceB]] as const) {
    const home = team.patient.browser
    await home.get('/')
    t.equal(home.$('header .practice').text(), practice.name, `${team.practice.slug}: the header names the patient's practice`)
    t.match(home.text, `Praktijk: ${practice.name} (${practice.contact})`, 'the home page names it with its contact')
    const other = team === a ? practiceB : practiceA
    t.notOk(home.text.includes(other.name), 'never the other practice')
    // The staff's pages too.
    await team.beheerder.b.get('/praktijk')
    t.equal(team.beheerder.b.$('header .practice').text(), practice.name, `${team.practice.slug}: the staff header`)
  }
  // Escaped like any text: B's name has quotes.
  t.ok(b.patient.browser.html.includes('<p class="practice">Praktijk &quot;Zonnebloem&quot; – Zoë</p>'), 'the name is HTML-escaped in the header')

  // The onboarding from the second mail's link is proven: its pages name the practice.
  const onboarding = w.browser()
  await onboarding.get((await w.mail.lastLinkTo(peopleOf.b.invited.email, 'invite')))
  await onboarding.submit('Volgende')
  await onboarding.get((await w.mail.lastLinkTo(peopleOf.b.invited.email, 'continue')))
  await onboarding.submit('Stuur verificatiecode')
  t.equal(onboarding.url, '/account/telefoon')
  t.equal(onboarding.$('header .practice').text(), practiceB.name, 'an onboarding names its practice')

  // Mails: the invitation under the practice's name, from the installation's practice address.
  for (const [who, practice] of [[peopleOf.a.invited, practiceA], [peopleOf.b.invited, practiceB]] as const) {
    const invite = await w.mail.lastTo(who.email, 'invite')
    t.equal(invite.from, 'no-reply@praktijk.example', `${who.username}: the installation's practice address`)
    t.equal(invite.fromName, practice.name, `${who.username}: under the practice's name`)
    t.match(invite.text, `${practice.name} heeft een account voor u aangemaakt`, 'the text names it')
    t.match(invite.text, `Neem dan contact op met ${practice.name} (${practice.contact}).`, 'with its contact')
  }
  // SMS: a change by staff, told on the old number, names the patient's practice and contact.
  await changePhone(w.deps, { actor: `staff:${b.beheerder.account.id}` }, b.practice.id, b.patient.account.id, '06-11112222')
  const notice = (await w.sms.all()).find((m) => m.to === peopleOf.b.patient.phone && m.kind === 'phone-changed')!
  // In GSM-7 (issue 24 #4): 'Zoë' is written 'Zoe', the dash plainly.
  t.match(notice.text, `${gsmSafe(practiceB.name)} heeft uw mobiele nummer gewijzigd`)
  t.match(notice.text, `Bel ${practiceB.contact}.`)
  t.notOk(notice.text.includes(practiceA.name))
})
