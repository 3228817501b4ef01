// Send limits beyond the account (issue 11 finding 8, issue 12 item 4, docs/decisions/0011): SMS budgets
// per client and for the whole portal, audited and logged once; SMS only to allowed countries; e-mail
// sign-in codes with their own, higher cap; at any cap the page shows the message and the practice's
// contact (once the account is proven; before, "uw praktijk": issue 20) and no button that can not work. Issue 19.3: the caps are per sender (a client, or a browser
// with the device cookie), under a ceiling per account of which strangers get a share, so a stranger who
// knows username and e-mail address can not spend the patient's own recovery.
import t from 'tap'
import { updateAccount, type NewAccount } from '../src/domain/accounts.ts'
import { csrfOf, type Browser } from './helpers/browser.ts'
import { browserFrom, enterPassword, onboardWithApp, onboardWithEmail, resetPassword, startForgot } from './helpers/patients.ts'
import { jan, world, type World } from './helpers/world.ts'

const summary = (b: Browser) => b.$('.error-summary li').text().trim()
const sendButtons = (b: Browser) => b.$('button').filter((_, e) => /^Stuur/.test(b.$(e).text().trim())).length

async function forgotFrom(w: World, ip: string, username: string, email: string): Promise<Browser> {
  const b = browserFrom(w, ip)
  await startForgot(b, username, email)
  return b
}

await t.test('per client: a budget of SMS an hour over all accounts and decoys, audited and logged once', async (t) => {
  const w = await world(t, { env: { SMS_PER_CLIENT_PER_HOUR: '3', PRACTICE_CONTACT: '030 123 45 67' } })
  const warnings: string[] = []
  w.deps.warn = (message) => warnings.push(message)
  await w.invite()
  for (let i = 1; i <= 3; i++) {
    const b = await forgotFrom(w, '10.1.1.1', `onbekend${i}`, `iemand${i}@example.org`)
    await b.submit('Stuur verificatiecode')
    t.equal(b.status, 200, `decoy ${i} "sent"`)
  }
  const real = await forgotFrom(w, '10.1.1.1', 'jdevries', jan.email)
  await real.submit('Stuur verificatiecode')
  t.equal(real.status, 422, 'the fourth from this client is refused, for a real pair too')
  // The forgot path has proven nothing yet: no practice is named (issue 20), for a real pair as for a decoy.
  t.equal(summary(real), 'Er kan op dit moment geen sms worden verstuurd. Probeer het later opnieuw, of neem contact op met uw praktijk.')
  t.equal(sendButtons(real), 0, 'no button that can not work')
  t.equal((await w.sms.count(jan.phone)), 0)
  const decoy = await forgotFrom(w, '10.1.1.1', 'onbekend9', 'iemand9@example.org')
  await decoy.submit('Stuur verificatiecode')
  t.equal(summary(decoy), summary(real), 'a decoy is refused alike')
  t.equal((await w.audit()).filter((e) => e.event === 'sms_budget_reached').length, 1, 'audited once')
  t.equal(warnings.filter((m) => /sms-limiet/.test(m)).length, 1, 'and logged as a warning once')
  const elsewhere = await forgotFrom(w, '10.2.2.2', 'jdevries', jan.email)
  await elsewhere.submit('Stuur verificatiecode')
  t.equal((await w.sms.count(jan.phone)), 1, 'another client still gets its SMS')
  w.clock.advanceMinutes(61)
  const later = await forgotFrom(w, '10.1.1.1', 'jdevries', jan.email)
  await later.submit('Stuur verificatiecode')
  t.equal((await w.sms.count(jan.phone)), 2, 'an hour later the client may send again')
})

await t.test('the whole portal: a budget of SMS an hour; decoys do not spend it', async (t) => {
  const w = await world(t, { env: { SMS_PER_HOUR: '1' } })
  await w.invite()
  const kees: NewAccount = { name: 'Kees Bakker', email: 'kees@example.org', phone: '+31612345670', username: 'kbakker' }
  await w.invite(kees)
  for (let i = 1; i <= 3; i++) {
    const b = await forgotFrom(w, `10.3.${i}.1`, `onbekend${i}`, `iemand${i}@example.org`)
    await b.submit('Stuur verificatiecode')
  }
  const first = await forgotFrom(w, '10.4.0.1', 'jdevries', jan.email)
  await first.submit('Stuur verificatiecode')
  t.equal((await w.sms.count(jan.phone)), 1, 'three decoys spent nothing of the budget')
  const second = await forgotFrom(w, '10.4.0.2', 'kbakker', kees.email)
  await second.submit('Stuur verificatiecode')
  t.equal(second.status, 422)
  t.match(summary(second), /geen sms worden verstuurd/)
  t.equal((await w.sms.count(kees.phone)), 0)
  t.match((await w.audit()).find((e) => e.event === 'sms_budget_reached')?.detail ?? '', /"budget":"global"/)
})

await t.test('SMS only to numbers of the allowed countries (NL, BE, DE by default)', async (t) => {
  const w = await world(t)
  const belg: NewAccount = { name: 'Anna Peeters', email: 'anna@example.org', phone: '+32470123456', username: 'apeeters' }
  const frans: NewAccount = { name: 'Luc Martin', email: 'luc@example.org', phone: '+33612345678', username: 'lmartin' }
  await w.invite(belg)
  // A French number is refused where it is typed (issue 23.1, test/sms-countries.test.ts); an account
  // made before that still has one.
  await t.rejects(w.invite(frans), /mobileCountry/)
  await w.invite({ ...frans, phone: '+31612349999' })
  await updateAccount(w.deps, (await w.account('lmartin')).id, { phone: frans.phone })
  const be = await forgotFrom(w, '10.5.0.1', 'apeeters', belg.email)
  await be.submit('Stuur verificatiecode')
  t.equal((await w.sms.count(belg.phone)), 1, 'Belgium is allowed')
  const fr = await forgotFrom(w, '10.5.0.2', 'lmartin', frans.email)
  t.equal(sendButtons(fr), 0, 'France is not: no button that can not work')
  t.match(fr.text, /kan het portaal geen sms sturen/)
  t.equal((await w.sms.count(frans.phone)), 0)
  // The forgot path proves no account to this browser (decision 0015): no practice named.
  t.match(fr.text, /Neem contact op met uw praktijk\./)
  t.notMatch(fr.text, /De Linde/)
  const only = await world(t, { env: { SMS_COUNTRIES: 'NL' } })
  await t.rejects(only.invite(belg), /mobileCountry/, 'SMS_COUNTRIES=NL leaves Belgium out')
})

await t.test('e-mail sign-in codes have their own cap, well above the SMS cap', async (t) => {
  const w = await world(t)
  const p = await onboardWithEmail(w)
  await p.browser.submit('Uitloggen')
  w.clock.advanceMinutes(1)
  const b = await enterPassword(w.browser(), 'jdevries', p.password)
  t.equal(b.url, '/inloggen/email-code')
  const before = (await w.mail.all()).filter((m) => m.kind === 'mfa-code').length
  for (let i = 0; i < 20; i++) {
    if (i > 0) w.clock.advanceSeconds(31)
    await b.request({ method: 'POST', url: '/inloggen/email-code', form: { _csrf: b.$('input[name="_csrf"]').attr('value') ?? '', actie: 'opnieuw' } })
    t.equal(b.status, 200, `e-mail code ${i + 1} sent`)
  }
  t.equal((await w.mail.all()).filter((m) => m.kind === 'mfa-code').length - before, 20, 'twenty codes in the hour, four times the SMS cap')
  w.clock.advanceSeconds(31)
  await b.submit('Stuur een nieuwe code')
  t.equal(b.status, 422, 'the 21st is refused')
  // Password without the second factor proves no account: no practice named (issue 20).
  t.match(summary(b), /maximum aantal codes voor dit uur bereikt.*Lukt het niet\? Neem contact op met uw praktijk\./)
  t.equal(sendButtons(b), 0, 'no send button at the cap')
  await b.submit('Verifieer code', { 'one-time-code': (await w.mail.lastCodeTo(jan.email)) })
  t.equal(b.url, '/', 'the code already sent still signs in')
})

/** 'Stuur een nieuwe code' as a script sends it (also where the page offers no button): the answer's message, or 'sent'. */
async function send(b: Browser, path: string): Promise<string> {
  await b.request({ method: 'POST', url: path, form: { _csrf: csrfOf(b.html) ?? '', actie: 'opnieuw' } })
  return b.status === 200 ? 'sent' : summary(b)
}

/** A stranger who knows the pair: the forgot path from `addresses` clients, six sends from each, 31 s apart. */
async function spendFrom(w: World, addresses: string[], email: string): Promise<string[]> {
  const seen: string[] = []
  for (const [n, ip] of addresses.entries()) {
    const b = await forgotFrom(w, ip, 'jdevries', email)
    for (let i = 0; i < 6; i++) {
      seen.push(`address ${n + 1}, send ${i + 1}: ${await send(b, '/account/telefoon')}`)
      w.clock.advanceSeconds(31)
    }
  }
  return seen
}

await t.test('the forgot path spent by a stranger: the patient at her own address, and with her device cookie, still gets her SMS', async (t) => {
  const w = await world(t, { env: { PRACTICE_CONTACT: '030 123 45 67' } })
  const p = await onboardWithApp(w) // signed in from 127.0.0.1, the address of w.browser(): her own
  await p.browser.submit('Uitloggen')
  w.clock.advanceMinutes(61) // her onboarding SMS is out of the hour
  const strangers = Array.from({ length: 5 }, (_, i) => `10.66.${i}.1`)
  const seen = await spendFrom(w, strangers, jan.email)
  const sent = seen.filter((s) => s.endsWith(': sent')).length
  t.equal(sent, 15, 'strangers together get 15 SMS an hour for the account (SMS_PER_ACCOUNT_PER_HOUR 20 minus one sender\'s 5)')
  t.match(seen[5]!, /maximum aantal codes voor dit uur bereikt/, 'each address: five, then its own cap')
  t.match(seen[18]!, /Voor dit account zijn het afgelopen uur te veel codes aangevraagd\. Probeer het over \d+ minuten opnieuw\. Lukt het niet\? Neem contact op met uw praktijk\./, 'then the account, told when and whom to call (not named before proof, issue 20)')
  t.equal((await w.sms.count(jan.phone)), 1 + 15, 'her onboarding SMS and the 15')

  // The patient, at the address she signed in from, in a new browser without the device cookie.
  const own = await forgotFrom(w, '127.0.0.1', 'jdevries', jan.email)
  await resetPassword(w, own, jan, 'lente in het bos bij de beek')
  t.equal((await w.sms.count(jan.phone)), 17, 'she gets her SMS and resets her password')
  // And with her device cookie, anywhere.
  const device = p.browser
  const trip = browserFrom(w, '198.51.100.40')
  trip.cookies = new Map(device.cookies)
  await startForgot(trip, 'jdevries', jan.email)
  t.equal(await send(trip, '/account/telefoon'), 'sent', 'the browser with her device cookie gets its SMS at any address')
  t.equal((await w.sms.count(jan.phone)), 18)

  // A new browser at a new address is a stranger too: it shares the strangers' part, spent now.
  const phone = await forgotFrom(w, '198.51.100.50', 'jdevries', jan.email)
  t.match(await send(phone, '/account/telefoon'), /te veel codes aangevraagd/)
  // The account's ceiling holds for everyone: 20 SMS an hour at most (toll fraud).
  const again = await forgotFrom(w, '127.0.0.1', 'jdevries', jan.email)
  const more: string[] = []
  for (let i = 0; i < 4; i++) {
    w.clock.advanceSeconds(31)
    more.push(await send(again, '/account/telefoon'))
  }
  t.same(more.slice(0, 3), ['sent', 'sent', 'sent'], 'her own address sends on')
  t.match(more[3]!, /te veel codes aangevraagd/, 'until the account has had 20')
  t.equal((await w.sms.count(jan.phone)) - 1, 20, 'never more than 20 in the hour')
  w.clock.advanceSeconds(31)
  t.match(await send(trip, '/account/telefoon'), /te veel codes aangevraagd/, 'the ceiling holds for the device cookie too')
  w.clock.advanceMinutes(61)
  const later = await forgotFrom(w, '198.51.100.50', 'jdevries', jan.email)
  t.equal(await send(later, '/account/telefoon'), 'sent', 'an hour later the new phone gets its SMS')
})

await t.test('the senders of a decoy walk meet the same limits: a wrong pair reads what the right pair reads', async (t) => {
  const w = await world(t)
  await onboardWithApp(w)
  w.clock.advanceMinutes(61) // the onboarding SMS is out of the hour
  const wrong = await spendFrom(w, Array.from({ length: 5 }, (_, i) => `10.77.${i}.1`), 'iemand@example.org')
  const right = await spendFrom(w, Array.from({ length: 5 }, (_, i) => `10.88.${i}.1`), jan.email)
  t.same(wrong, right, 'send by send, address by address')
  t.equal(right.filter((s) => s.endsWith(': sent')).length, 15)
})

await t.test('a stranger in hidden mode can not spend the patient\'s e-mail codes, nor void the code she was sent', async (t) => {
  const w = await world(t)
  const p = await onboardWithEmail(w)
  await p.browser.submit('Uitloggen')
  // The stranger's address sprayed ten other usernames: hidden mode (as every untrusted address is past
  // 25 failures of the username), so a wrong password reaches the account's (pretend) e-mail step, where
  // "sending" counts like a real send.
  for (let i = 0; i < 10; i++) await enterPassword(browserFrom(w, '10.9.9.9'), `gebruiker${i}`, 'dit is het echt niet')
  const stranger = await enterPassword(browserFrom(w, '10.9.9.9'), 'jdevries', 'dit is het echt niet')
  t.equal(stranger.url, '/inloggen/email-code')
  let pretended = 0
  for (let i = 0; i < 25; i++) {
    if ((await send(stranger, '/inloggen/email-code')) === 'sent') pretended++
    w.clock.advanceSeconds(31)
  }
  t.equal(pretended, 20, 'the stranger "sent" his own twenty')
  const patient = await enterPassword(browserFrom(w, '192.168.1.7'), 'jdevries', p.password)
  await patient.submit('Stuur verificatiecode')
  t.equal(patient.status, 200, 'the patient on a new browser is sent her code')
  const code = await w.mail.lastCodeTo(jan.email)
  w.clock.advanceSeconds(31)
  await send(stranger, '/inloggen/email-code')
  await patient.submit('Verifieer code', { 'one-time-code': code })
  t.equal(patient.url, '/', "her code still signs her in after the stranger's send")
})
