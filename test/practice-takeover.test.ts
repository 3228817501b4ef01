// What a staff member's changes to a patient's account can and cannot open (issue 11, findings 9
// and 10): after a practice reset, e-mail becomes the factor only with an e-mail code; contact
// changes are told to the old address and number too; and for a while after a change by staff,
// the forgot-password path and a new enrollment wait, unless the patient proves what they had.
import t, { type Test } from 'tap'
import { getAccount } from '../src/domain/accounts.ts'
import { countEvents } from '../src/domain/audit.ts'
import { ConfigError, loadConfig } from '../src/config.ts'
import { act, anna, bert, onboard, password, staffBrowser, startSignIn } from './helpers/practice.ts'
import { startForgot, temporaryPasswordIn } from './helpers/patients.ts'
import { csrfOf } from './helpers/browser.ts'
import { jan, world } from './helpers/world.ts'
import { testSecretKey } from './helpers/world.ts'


/** Anna (beheerder) signed in on Jan's page, and Jan onboarded with the app. */
async function practiceWithJan(t: Test, env: Record<string, string> = {}, who: typeof anna | typeof bert = anna) {
  const w = await world(t, { env })
  const staff = await staffBrowser(w, who)
  const account = await w.invite()
  const patient = await onboard(w, jan)
  await staff.b.get(`/praktijk/clienten/${account.id}`)
  return { w, b: staff.b, jan: account, p: patient.b, secret: patient.secret }
}

await t.test('after a practice reset, password + SMS + "Met e-mail" asks an e-mail code before signing in', async (t) => {
  const { w, b, p, jan: patient } = await practiceWithJan(t)
  await act(b, 'Tweede stap resetten')
  t.match(b.text, /De tweede stap is gereset/)

  w.clock.advanceHours(25) // past the cooling-off of finding 10
  await startSignIn(w, 'jdevries', password, p)
  t.equal(p.url, '/account/telefoon')
  await p.submit('Stuur verificatiecode')
  await p.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.match(p.text, /Selecteer MFA methode/)
  p.choose('Met e-mail')
  await p.submit('Volgende')
  t.equal(p.url, '/inloggen/email-code', 'password and SMS alone do not sign in')
  await p.get('/')
  t.match(p.url, /^\/(inloggen|account)/, 'not signed in')
  t.notOk(/Welkom, /.test(p.text))

  await p.get('/account')
  await p.submit('Stuur verificatiecode')
  const code = await w.mail.lastCodeTo(jan.email)
  const wrong = code === '000000' ? '111111' : '000000'
  await p.submit('Verifieer code', { 'one-time-code': wrong })
  t.equal(p.status, 422, 'a wrong code stays')
  t.equal(p.url, '/inloggen/email-code')
  await p.submit('Verifieer code', { 'one-time-code': code })
  t.match(p.text, /Welkom, Jan de Vries/, 'the right code signs in')
  t.equal((await getAccount(w.deps, patient.id))!.mfaMethod, 'email')
})

await t.test('a sign-in that confirmed a changed address by e-mail code has proven the mailbox: e-mail counts at once', async (t) => {
  const { w, b, p } = await practiceWithJan(t)
  const fresh = 'jan.nieuw@example.org'
  await act(b, 'E-mailadres wijzigen', { 'Nieuw e-mailadres': fresh })
  await act(b, 'Tweede stap resetten')
  w.clock.advanceHours(25)
  await startSignIn(w, 'jdevries', password, p)
  t.equal(p.url, '/account/e-mail')
  await p.submit('Stuur verificatiecode')
  const code = /\b(\d{6})\b/.exec((await w.mail.lastTo(fresh, 'email-verify-code')).text)![1]!
  await p.submit('Verifieer code', { 'one-time-code': code })
  await p.submit('Stuur verificatiecode')
  await p.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  p.choose('Met e-mail')
  await p.submit('Volgende')
  t.match(p.text, /Welkom, Jan de Vries/, 'no second e-mail code: this flow proved the mailbox')
  t.notOk((await w.mail.all()).some((m) => m.kind === 'mfa-code'))
})

const mallory = { email: 'mallory@example.net', phone: '+31655501234' }

await t.test('a contact change by staff is told to the old address and number as well as the new', async (t) => {
  const { w, b } = await practiceWithJan(t, {}, bert)
  await act(b, 'E-mailadres wijzigen', { 'Nieuw e-mailadres': mallory.email })
  t.match((await w.mail.lastTo(jan.email, 'email-changed')).text, /heeft het e-mailadres van uw account gewijzigd/, 'the old address')
  t.match((await w.mail.lastTo(mallory.email, 'email-changed')).text, /dit adres ingesteld/, 'the new address')
  t.match((await w.sms.all()).find((m) => m.to === jan.phone && m.kind === 'email-changed')?.text, /e-mailadres van uw account gewijzigd/, 'and the number, by SMS')

  await act(b, 'Mobiel nummer wijzigen', { 'Nieuw mobiel nummer': mallory.phone })
  t.match((await w.sms.all()).find((m) => m.to === jan.phone && m.kind === 'phone-changed')?.text, /nu eindigend op 1234/, 'the old number')
  t.match((await w.sms.all()).find((m) => m.to === mallory.phone && m.kind === 'phone-changed')?.text, /Dit is nu het mobiele nummer van uw account/, 'the new number')

  await act(b, 'Tweede stap resetten')
  t.ok((await w.sms.all()).some((m) => m.to === mallory.phone && m.kind === 'mfa-reset'), 'the reset is told by SMS too')
})

await t.test('a behandelaar who changes e-mail and phone can not use the forgot path until the cooling-off has passed', async (t) => {
  const { w, b, p, secret, jan: patient } = await practiceWithJan(t, {}, bert)
  await act(b, 'E-mailadres wijzigen', { 'Nieuw e-mailadres': mallory.email })
  await act(b, 'Mobiel nummer wijzigen', { 'Nieuw mobiel nummer': mallory.phone })
  w.clock.advanceHours(23)

  const m = w.browser()
  await startForgot(m, 'jdevries', mallory.email)
  t.equal(m.url, '/account/telefoon', 'the start looks like any other (no enumeration)')
  await m.submit('Stuur verificatiecode')
  await m.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(mallory.phone)) })
  t.match(m.text, /werkt .wachtwoord vergeten. pas weer vanaf 3 maart 2026/, 'the page says from when')
  t.match(m.text, /Bel dan uw praktijk\./, 'and that the practice can be called (not named: the forgot path proves no account, issue 20)')
  t.notOk((await w.mail.all()).some((x) => x.kind === 'temporary-password'), 'no temporary password was sent')
  t.equal((await countEvents(w.deps, { accountId: patient.id, event: 'cooling_off' })), 1, 'the refusal is audited')
  await m.get('/account')
  t.equal(m.url, '/inloggen', 'the flow has ended')

  // The patient, who knows the password and holds the app, is not held up: the new contacts are
  // proven in that sign-in, and the old factor closes it.
  await p.submit('Uitloggen')
  w.clock.advanceSeconds(30)
  await startSignIn(w, 'jdevries', password, p)
  t.equal(p.url, '/account/e-mail')

  w.clock.advanceHours(2)
  const later = w.browser()
  await startForgot(later, 'jdevries', mallory.email)
  await later.submit('Stuur verificatiecode')
  await later.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(mallory.phone)) })
  t.match(later.text, /Wachtwoord wijzigen/, 'after the cooling-off the path goes on')
  t.ok(temporaryPasswordIn((await w.mail.lastTo(mallory.email, 'temporary-password')).text))
  void secret
})

await t.test('a beheerder who resets the factor: no new factor can be chosen until the cooling-off has passed', async (t) => {
  const { w, b, p } = await practiceWithJan(t, { STAFF_CHANGE_COOLING_HOURS: '12' })
  await act(b, 'Tweede stap resetten')
  w.clock.advanceHours(11)
  await startSignIn(w, 'jdevries', password, p)
  await p.submit('Stuur verificatiecode')
  const csrf = csrfOf(p.html)!
  await p.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.equal(p.url, '/account/methode')
  t.match(p.text, /kunt u pas vanaf 2 maart 2026 .* een nieuwe tweede stap instellen/, 'the page says from when')
  t.match(p.text, /Bel dan uw praktijk\./, 'the practice, not named before the sign-in is complete (issue 20)')
  t.equal(p.$('input[name="methode"]').length, 0, 'no choice offered')
  // A POST anyway (the form of an earlier visit): refused, the flow ends.
  await p.request({ method: 'POST', url: '/account/methode', form: { _csrf: csrf, methode: 'app' } })
  t.match(p.text, /een nieuwe tweede stap instellen/)
  t.equal((await w.account('jdevries')).totpPendingSecretEnc, null, 'nothing enrolled')

  w.clock.advanceHours(2)
  await startSignIn(w, 'jdevries', password, p)
  await p.submit('Stuur verificatiecode')
  await p.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.match(p.text, /Selecteer MFA methode/, 'after the cooling-off the choice is back')
  t.equal(p.$('input[name="methode"]').length > 0, true)
})

await t.test('the cooling-off: configurable, 24 h by default, at least 12 h and at most a week in production', async (t) => {
  const base = { DATABASE_PATH: '/nonexistent/portal.db', SECRET_KEY: testSecretKey }
  t.equal(loadConfig({ ...base, NODE_ENV: 'test' }).limits.staffChangeCoolingHours, 24)
  t.equal(loadConfig({ ...base, NODE_ENV: 'test', STAFF_CHANGE_COOLING_HOURS: '0' }).limits.staffChangeCoolingHours, 0, 'off outside production')
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, NODE_ENV: 'production', ...env })
      return []
    } catch (err) {
      return (err as ConfigError).problems.filter((p) => p.includes('STAFF_CHANGE_COOLING_HOURS'))
    }
  }
  t.equal(problems({ STAFF_CHANGE_COOLING_HOURS: '11' }).length, 1, 'under the production floor')
  t.equal(problems({ STAFF_CHANGE_COOLING_HOURS: '169' }).length, 1, 'over the ceiling')
  t.equal(problems({ STAFF_CHANGE_COOLING_HOURS: '12' }).length, 0)
  t.equal(problems({}).length, 0)
})
