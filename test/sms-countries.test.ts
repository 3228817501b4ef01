// Issue 23.1: a number the portal will not text is refused where it is typed (Nieuwe cliënt, Mobiel
// nummer wijzigen, the CLI's invite, create-staff and change-phone), with the allowed countries named;
// a patient who still meets such a number (an account made before, or SMS_COUNTRIES narrowed since)
// gets no code field that can never be filled, only whom to call.
import t from 'tap'
import { updateAccount } from '../src/domain/accounts.ts'
import { admin } from './helpers/admin.ts'
import type { Browser } from './helpers/browser.ts'
import { startForgot } from './helpers/patients.ts'
import { anna, staffBrowser } from './helpers/practice.ts'
import { jan, walkToPhone, world } from './helpers/world.ts'


const british = '+447400123456'
const allowed = /Gebruik een mobiel nummer uit Nederland, België of Duitsland\./
const fieldError = (b: Browser, name: string) => b.$(`#${name}-error`).text().replace(/^Fout: /, '').trim()
const h1 = (b: Browser) => b.$('h1').first().text().trim()
/** A page without a form has no token: the session's token from a page that has one (the sign-in page). */
async function tokenOf(b: Browser): Promise<string> {
  const back = b.url
  await b.get('/inloggen')
  const token = b.$('input[name="_csrf"]').attr('value') ?? ''
  await b.get(back)
  return token
}

await t.test('the practice: Nieuwe cliënt and Mobiel nummer wijzigen refuse a British number, naming the countries', async (t) => {
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  await b.get('/praktijk/clienten/nieuw')
  await b.submit('Uitnodigen', { Naam: 'Harry Jones', 'E-mailadres': 'harry@example.org', 'Mobiel nummer': british })
  t.equal(b.status, 422)
  t.match(fieldError(b, 'phone'), /^Naar dit nummer kan het portaal geen sms sturen\./)
  t.match(fieldError(b, 'phone'), allowed)
  t.equal((await w.mail.all()).filter((m) => m.to === 'harry@example.org').length, 0, 'no invitation went out')
  await b.submit('Uitnodigen', { Naam: 'Harry Jones', 'E-mailadres': 'harry@example.org', 'Mobiel nummer': '+32470123456' })
  t.equal(b.status, 200, 'a Belgian number is fine')
  t.match(b.text, /Uitnodiging verstuurd naar harry@example.org/)

  // The same on the account page's Mobiel nummer wijzigen, in English for an English reader.
  await b.get('/taal/en?terug=%2Fpraktijk')
  const harry = await w.account('hjones')
  await b.get(`/praktijk/clienten/${harry.id}/telefoon`)
  await b.submit('Change mobile number', { 'New mobile number': british })
  t.equal(b.status, 422)
  t.match(b.text, /The portal cannot send text messages to this number\. Use a mobile number from Netherlands, Belgium or Germany\./)
  t.equal((await w.account('hjones')).phone, '+32470123456', 'the number is unchanged')
})

await t.test('the CLI: invite, create-staff and change-phone refuse it too', async (t) => {
  const w = await world(t)
  await w.invite()
  const invite = await admin(w.databasePath, ['invite', '--name', 'Harry Jones', '--email', 'harry@example.org', '--phone', british])
  t.equal(invite.code, 1)
  t.match(invite.stderr, allowed)
  const staff = await admin(w.databasePath, ['create-staff', '--name', 'Els Bakker', '--email', 'els@praktijk.example', '--phone', british, '--role', 'behandelaar'])
  t.equal(staff.code, 1)
  t.match(staff.stderr, allowed)
  const change = await admin(w.databasePath, ['change-phone', 'jdevries', '--phone', british])
  t.equal(change.code, 1)
  t.match(change.stderr, allowed)
  t.equal((await w.account('jdevries')).phone, jan.phone)
  // SMS_COUNTRIES is the operator's to set: with GB in it the same number is fine.
  const open = await admin(w.databasePath, ['change-phone', 'jdevries', '--phone', british], { SMS_COUNTRIES: 'NL,GB' })
  t.equal(open.code, 0, open.stderr)
  t.equal((await w.account('jdevries')).phone, british)
})

await t.test('an old account with such a number: Accountverificatie offers no code field, only whom to call', async (t) => {
  const w = await world(t, { env: { PRACTICE_CONTACT: '030 123 45 67' } })
  const account = await w.invite()
  // Made before the form refused such numbers (or SMS_COUNTRIES narrowed since).
  await updateAccount(w.deps, account.id, { phone: british })
  const b = await walkToPhone(w)
  t.equal(h1(b), 'Accountverificatie')
  t.equal(b.buttonLabels().length, 0, 'no Stuur verificatiecode that can never work')
  t.equal(b.field('Verificatiecode').length, 0, 'no code field')
  t.match(b.text, /kan het portaal geen sms sturen/)
  t.match(b.text, /Vraag uw praktijk om een mobiel nummer uit Nederland, België of Duitsland in te stellen\./)
  // A link page before its POST proves nothing to this browser (a mail scanner opens links too;
  // decision 0015), and this POST is refused: "uw praktijk", as the mails name the practice.
  t.match(b.text, /Neem contact op met uw praktijk\./, 'no practice named before proof')
  t.notMatch(b.text, /Praktijk De Linde|030 123 45 67/)
  t.match(b.text, /XXX-XXXX-3456/)

  // A POST from an old page uses nothing and sends nothing.
  const link = await w.mail.lastLinkTo(jan.email, 'continue')
  await b.request({ method: 'POST', url: link, form: { _csrf: await tokenOf(b), actie: 'verstuur' } })
  t.equal(b.status, 422)
  t.equal((await w.sms.count(british)), 0)
  t.equal(b.field('Verificatiecode').length, 0)
})

await t.test('the forgot path with such a number: the same, in words that name no practice before proof', async (t) => {
  const w = await world(t, { env: { PRACTICE_CONTACT: '030 123 45 67' } })
  const account = await w.invite()
  await updateAccount(w.deps, account.id, { phone: british })
  const b = await startForgot(w.browser(), 'jdevries', jan.email)
  t.equal(b.url, '/account/telefoon')
  t.equal(b.buttonLabels().length, 0)
  t.match(b.text, /kan het portaal geen sms sturen/)
  t.match(b.text, /Neem contact op met uw praktijk\./)
  t.notMatch(b.$('main').text(), /Praktijk De Linde|030 123 45 67/, 'before proof the page names no practice')
  await b.request({ method: 'POST', url: '/account/telefoon', form: { _csrf: await tokenOf(b), actie: 'verstuur' } })
  t.equal(b.status, 422, 'refused at the send, as before')
  t.equal((await w.sms.count(british)), 0, 'nothing is sent')
  t.equal(b.field('Verificatiecode').length, 0, 'and still no code field')
})
