import t from 'tap'
import { jan, walkToMethodChoice, world } from './helpers/world.ts'

t.test('smoke: onboarding with the app', async (t) => {
  const w = await world(t)
  w.invite()
  const b = w.browser()
  await b.get(w.mail.lastLinkTo(jan.email, 'invite'))
  t.equal(b.status, 200, b.text)
  t.equal(b.field('username').attr('value'), 'jdevries')
  await b.submit('Volgende')
  t.match(b.text, /geverifieerd/, b.text)
  const b2 = w.browser()
  await b2.get(w.mail.lastLinkTo(jan.email, 'continue'))
  await b2.submit('Volgende')
  t.match(b2.text, /Accountverificatie/, b2.text)
  t.equal(b2.field('Telefoonnummer').attr('value'), 'XXX-XXXX-1361')
  await b2.submit('Stuur verificatiecode')
  t.match(b2.text, /De verificatiecode is verstuurd/, b2.text)
  await b2.submit('Verifieer code', { 'one-time-code': w.sms.lastCodeTo(jan.phone) })
  t.match(b2.text, /Wachtwoord wijzigen/, b2.text)
  await b2.submit('Volgende', { 'Nieuw wachtwoord': 'zonneschijn op het strand', 'Bevestiging wachtwoord': 'zonneschijn op het strand' })
  t.match(b2.text, /Het wachtwoord is bijgewerkt/, b2.text)
  await b2.submit('Volgende')
  t.match(b2.text, /Selecteer MFA methode/, b2.text)
  await b2.submit('Volgende')
  t.match(b2.text, /App koppelen/, b2.text)
  const uri = b2.$('a[href^="otpauth://"]').attr('href')!
  const secret = new URL(uri).searchParams.get('secret')!
  await b2.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
  t.match(b2.text, /Welkom, Jan de Vries/, b2.text)
  await b2.submit('Uitloggen')
  t.match(b2.text, /U bent uitgelogd/, b2.text)
})

t.test('smoke: e-mail method', async (t) => {
  const w = await world(t)
  w.invite()
  const b = await walkToMethodChoice(w)
  b.choose('Met e-mail')
  await b.submit('Volgende')
  t.match(b.text, /Welkom, Jan de Vries/, b.text)
})
