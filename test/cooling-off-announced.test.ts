// Issue 23 item 2: after the practice resets a second factor, everyone is told from when a new one can be
// set up (the cooling-off, domain/cooling-off.ts) instead of "the next time you sign in" or "ready for
// use": the staff's confirmation page and notice, the patient's mail and SMS (in the patient's language),
// the staff status on the patient's page and in the list, and the CLI's output. The same for the forgot
// path's wait after a contact change. Where no wait follows, the old words stay true and stay.
import t, { type Test } from 'tap'
import { hours } from '../src/domain/deps.ts'
import { formatDateTime, formatShortDateTime, messages, type Lang } from '../src/messages.ts'
import { admin } from './helpers/admin.ts'
import type { Browser } from './helpers/browser.ts'
import { updateAccount } from '../src/domain/accounts.ts'
import { act, addStaff, anna, onboard, signIn } from './helpers/practice.ts'
import { jan, world, type World } from './helpers/world.ts'


const nl = messages('nl')
const en = messages('en')

/** What a page shows in its first .message block: each <dt> with its <dd>. */
function facts(b: Browser): Record<string, string> {
  const out: Record<string, string> = {}
  b.$('.message').first().find('dt').each((_, dt) => {
    out[b.$(dt).text().trim()] = b.$(dt).next('dd').text().trim()
  })
  return out
}

/**
 * Anna (beheerder) on the page of Jan (patient), both onboarded with the app; then Anna's browser reads
 * `staffLang` (the switch link) and Jan's account speaks `patientLang` (its mails and SMS).
 */
async function practice(t: Test, opts: { env?: Record<string, string>; staffLang?: Lang; patientLang?: Lang } = {}) {
  const w = await world(t, { env: opts.env ?? {} })
  await addStaff(w, anna)
  const staff = await onboard(w, anna)
  await w.invite(jan)
  await onboard(w, jan)
  const id = (await w.account(jan.username!)).id
  if (opts.patientLang) await updateAccount(w.deps, id, { language: opts.patientLang })
  const page = `/praktijk/clienten/${id}`
  await staff.b.get(opts.staffLang ? `/taal/${opts.staffLang}?terug=${encodeURIComponent(page)}` : page)
  return { w, b: staff.b, id, staffSecret: staff.secret }
}

/** The end of the wait for a change made at `from`, as `lang` writes it. */
const endOf = (w: World, from: Date, lang: Lang = 'nl') => formatDateTime(new Date(from.getTime() + hours(w.config.limits.staffChangeCoolingHours)), lang)

await t.test('a practice reset: the confirmation, the notice, the status, the mail and the SMS say from when', async (t) => {
  const { w, b, id, staffSecret } = await practice(t)
  await b.submit(nl.label.resetMfa)
  const ifNow = endOf(w, w.clock.now())
  t.match(b.text, `kan Jan de Vries pas vanaf ${ifNow} een nieuwe tweede stap instellen (als u nu reset)`, 'the confirmation page')
  t.notMatch(b.text, /Bij de volgende keer inloggen/, 'not "the next time they sign in"')
  w.clock.advanceMinutes(3) // the button is pressed a little later: the notice gives the real time
  await b.submit(nl.label.resetMfa)
  const until = endOf(w, (await w.account(jan.username!)).staffMfaResetAt!)
  t.not(until, ifNow)
  t.match(b.text, `De tweede stap is gereset. Jan de Vries kan vanaf ${until} een nieuwe tweede stap instellen.`, 'the notice')

  const shown = facts(b)
  t.equal(shown['Volgende stap'], `Wachten: de tweede stap is gereset. Vanaf ${until} stelt de cliënt bij het inloggen een nieuwe tweede stap in.`, 'the status, not "klaar voor gebruik"')
  t.notMatch(b.text, /klaar voor gebruik/)
  t.equal(shown['Tweede stap'], `gereset; een nieuwe kan vanaf ${until}`)
  t.match(b.text, `Kan pas vanaf ${until} een nieuwe tweede stap instellen`, 'what is pending')
  await b.get('/praktijk')
  t.match(b.text, `Kan pas vanaf ${until} een nieuwe tweede stap instellen`, 'the patient list too')

  const mail = (await w.mail.lastTo(jan.email, 'mfa-reset')).text
  t.match(mail, `pas vanaf ${until} een nieuwe tweede stap instellen`, 'the mail')
  t.notMatch(mail, /De volgende keer dat u inlogt/)
  const sms = (await w.sms.all()).find((m) => m.to === jan.phone && m.kind === 'mfa-reset')!.text
  // The SMS says the moment short, to stay one segment (issue 24 #4).
  t.match(sms, `Opnieuw instellen kan vanaf ${formatShortDateTime(new Date((await w.account(jan.username!)).staffMfaResetAt!.getTime() + hours(w.config.limits.staffChangeCoolingHours)), 'nl')}.`, 'the SMS')

  // The wait's end passes: the status says what it said without a wait (Anna signs in again).
  w.clock.advanceHours(25)
  await signIn(w, anna.username, staffSecret, undefined, b)
  await b.get(`/praktijk/clienten/${id}`)
  t.equal(facts(b)['Tweede stap'], 'nog niet')
  t.match(b.text, nl.text.pendingLabels.mfa)
})

await t.test('in English: the staff pages in the reader\'s language, the mail and SMS in the patient\'s', async (t) => {
  const { w, b } = await practice(t, { staffLang: 'en', patientLang: 'en' })
  await b.submit(en.label.resetMfa)
  t.match(b.text, `can only set up a new second step from ${endOf(w, w.clock.now(), 'en')} (if you reset now)`)
  await b.submit(en.label.resetMfa)
  const until = endOf(w, (await w.account(jan.username!)).staffMfaResetAt!, 'en')
  t.match(until, /^\d+ \w+ 2026 at \d\d:\d\d$/)
  t.match(b.text, `The second step has been reset. Jan de Vries can set up a new second step from ${until}.`)
  t.equal(facts(b)['Next step'], `Waiting: the second step has been reset. From ${until} the client sets up a new second step when they sign in.`)
  t.match((await w.mail.lastTo(jan.email, 'mfa-reset')).text, `you can only set up a new second step from ${until}`)
  const short = formatShortDateTime(new Date((await w.account(jan.username!)).staffMfaResetAt!.getTime() + hours(w.config.limits.staffChangeCoolingHours)), 'en')
  t.match((await w.sms.all()).find((m) => m.to === jan.phone && m.kind === 'mfa-reset')!.text, `You can set up a new one from ${short}.`, 'the SMS, its moment short (one segment)')
})

await t.test('a contact change: the confirmation, the notice, the status and the mails say from when the forgot path works again', async (t) => {
  const { w, b } = await practice(t)
  await b.submit(nl.label.changeEmail)
  t.match(b.text, `werkt ‘wachtwoord vergeten’ daarna pas weer vanaf ${endOf(w, w.clock.now())} (als u nu wijzigt)`, 'the confirmation page')
  await b.submit(nl.label.changeEmail, { [nl.label.newEmail]: 'jan.nieuw@example.org' })
  const until = endOf(w, (await w.account(jan.username!)).staffContactChangedAt!)
  t.match(b.text, `Het e-mailadres is gewijzigd. ‘Wachtwoord vergeten’ werkt voor dit account weer vanaf ${until}.`, 'the notice')
  t.equal(facts(b)['Wachtwoord vergeten'], `werkt weer vanaf ${until} (wachttijd na de wijziging van e-mailadres of mobiel nummer)`, 'the status')
  for (const to of [jan.email, 'jan.nieuw@example.org']) {
    t.match((await w.mail.lastTo(to, 'email-changed')).text, `werkt 'wachtwoord vergeten' pas weer vanaf ${until}`, `the mail to ${to}`)
  }
  w.clock.advanceMinutes(5)
  await act(b, nl.label.changePhone, { [nl.label.newMobile]: '+31655501234' })
  const later = endOf(w, (await w.account(jan.username!)).staffContactChangedAt!)
  t.match(b.text, `Het mobiele nummer is gewijzigd. ‘Wachtwoord vergeten’ werkt voor dit account weer vanaf ${later}.`)
  t.match((await w.mail.lastTo('jan.nieuw@example.org', 'phone-changed')).text, `pas weer vanaf ${later}`, 'the mail about the number')
})

await t.test("the CLI's output says from when (reset-mfa, change-email, change-phone)", async (t) => {
  const w = await world(t)
  await w.invite(jan)
  await onboard(w, jan)
  const cli = (...args: string[]) => admin(w.databasePath, args)
  // The CLI runs on the real clock: its dates follow from the times it stored.
  const reset = await cli('reset-mfa', 'jdevries')
  t.equal(reset.code, 0, reset.stderr)
  t.match(reset.stdout, `De tweede stap van jdevries is gereset. Een nieuwe tweede stap instellen kan vanaf ${endOf(w, (await w.account('jdevries')).staffMfaResetAt!)}`)
  const email = await cli('change-email', 'jdevries', '--email', 'jan.nieuw@example.org')
  t.equal(email.code, 0, email.stderr)
  t.match(email.stdout, `'Wachtwoord vergeten' werkt voor dit account weer vanaf ${endOf(w, (await w.account('jdevries')).staffContactChangedAt!)}`)
  const phone = await cli('change-phone', 'jdevries', '--phone', '+31655501234')
  t.match(phone.stdout, `'Wachtwoord vergeten' werkt voor dit account weer vanaf ${endOf(w, (await w.account('jdevries')).staffContactChangedAt!)}`)
  const listed = JSON.parse((await cli('list', '--json', '--search', 'jdevries')).stdout) as { factorWaitUntil: string; contactWaitUntil: string }[]
  t.equal(listed[0]!.factorWaitUntil, new Date((await w.account('jdevries')).staffMfaResetAt!.getTime() + hours(24)).toISOString(), 'list --json names the ends too')
  t.match(listed[0]!.contactWaitUntil, /^\d{4}-/)
})

await t.test('no wait, no date: a cooling-off of 0 hours keeps "the next time they sign in", which is then true', async (t) => {
  const { w, b } = await practice(t, { env: { STAFF_CHANGE_COOLING_HOURS: '0' } })
  await b.submit(nl.label.resetMfa)
  t.match(b.text, /Bij de volgende keer inloggen verifieert Jan de Vries het telefoonnummer/)
  await b.submit(nl.label.resetMfa)
  t.match(b.text, /De tweede stap is gereset\./)
  t.equal(facts(b)['Tweede stap'], 'nog niet')
  t.match((await w.mail.lastTo(jan.email, 'mfa-reset')).text, /De volgende keer dat u inlogt/)
  t.notMatch((await w.sms.all()).find((m) => m.to === jan.phone && m.kind === 'mfa-reset')!.text, /kan vanaf/)
  await act(b, nl.label.changeEmail, { [nl.label.newEmail]: 'jan.nieuw@example.org' })
  t.notMatch((await w.mail.lastTo(jan.email, 'email-changed')).text, /wachtwoord vergeten/i)
  t.equal(facts(b)['Wachtwoord vergeten'], undefined)
})
