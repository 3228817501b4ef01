// What a staff member's changes to a patient's account can and cannot open (issue 11, findings 9
// and 10): after a practice reset, e-mail becomes the factor only with an e-mail code; contact
// changes are told to the old address and number too; and for a while after a change by staff,
// the forgot-password path and a new enrollment wait, unless the patient proves what they had.
import t, { type Test } from 'tap'
import { getAccount } from '../src/domain/accounts.ts'
import { act, onboard, password, staffBrowser, startSignIn } from './helpers/practice.ts'
import { anna } from './helpers/practice.ts'
import { jan, world } from './helpers/world.ts'

t.setTimeout(300_000)

/** Anna (beheerder) signed in on Jan's page, and Jan onboarded with the app. */
async function practiceWithJan(t: Test, env: Record<string, string> = {}) {
  const w = await world(t, { env })
  const staff = await staffBrowser(w, anna)
  const account = w.invite()
  const patient = await onboard(w, jan)
  await staff.b.get(`/praktijk/clienten/${account.id}`)
  return { w, b: staff.b, jan: account, p: patient.b, secret: patient.secret }
}

t.test('after a practice reset, password + SMS + "Met e-mail" asks an e-mail code before signing in', async (t) => {
  const { w, b, p, jan: patient } = await practiceWithJan(t)
  await act(b, 'Tweede factor resetten')
  t.match(b.text, /De tweede factor is gereset/)

  w.clock.advanceSeconds(30)
  await startSignIn(w, 'jdevries', password, p)
  t.equal(p.url, '/account/telefoon')
  await p.submit('Stuur verificatiecode')
  await p.submit('Verifieer code', { 'one-time-code': w.sms.lastCodeTo(jan.phone) })
  t.match(p.text, /Selecteer MFA methode/)
  p.choose('Met e-mail')
  await p.submit('Volgende')
  t.equal(p.url, '/inloggen/email-code', 'password and SMS alone do not sign in')
  await p.get('/')
  t.match(p.url, /^\/(inloggen|account)/, 'not signed in')
  t.notOk(/Welkom, /.test(p.text))

  await p.get('/account')
  await p.submit('Stuur verificatiecode')
  const code = w.mail.lastCodeTo(jan.email)
  const wrong = code === '000000' ? '111111' : '000000'
  await p.submit('Verifieer code', { 'one-time-code': wrong })
  t.equal(p.status, 422, 'a wrong code stays')
  t.equal(p.url, '/inloggen/email-code')
  await p.submit('Verifieer code', { 'one-time-code': code })
  t.match(p.text, /Welkom, Jan de Vries/, 'the right code signs in')
  t.equal(getAccount(w.deps, patient.id)!.mfaMethod, 'email')
})
