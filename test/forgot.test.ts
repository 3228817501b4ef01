// "Bent u uw wachtwoord vergeten of logt u voor de eerste keer in?": the phone by SMS, a temporary
// password by e-mail (system sender), a new password; then the second factor, never skipped.
import t from 'tap'
import { checkTemporaryPassword } from '../src/domain/reset.ts'
import { csrfOf, type Browser } from './helpers/browser.ts'
import {
  enterPassword,
  onboardWithApp,
  onboardWithEmail,
  resetPassword,
  signInWithApp,
  startForgot,
  temporaryPasswordIn,
  type AppPatient,
} from './helpers/patients.ts'
import { jan, origin, world, type World } from './helpers/world.ts'

const newPassword = 'lente in het bos bij de beek'
const temporaryWrong = /Het tijdelijke wachtwoord klopt niet of is verlopen\./

/** Walks the forgot path up to Wachtwoord wijzigen; returns the temporary password from the mail. */
async function toNewPasswordStep(w: World, b: Browser): Promise<string> {
  await startForgot(b, jan.username!, jan.email)
  await b.submit('Stuur verificatiecode')
  if (!/De verificatiecode is verstuurd/.test(b.text)) throw new Error(`No code sent:\n${b.text}`)
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  if (b.url !== '/account/nieuw-wachtwoord') throw new Error(`Not at Wachtwoord wijzigen: ${b.url}\n${b.text}`)
  return temporaryPasswordIn((await w.mail.lastTo(jan.email, 'temporary-password')).text)
}

async function submitNewPassword(b: Browser, temporary: string, password = newPassword, confirmation = password) {
  return await b.submit('Volgende', {
    'Tijdelijk wachtwoord (zie e-mail)': temporary,
    'Nieuw wachtwoord': password,
    'Bevestig het wachtwoord': confirmation,
  })
}

/** Does `password` get jdevries past the password step (to the second factor)? */
async function passwordWorks(w: World, password: string): Promise<boolean> {
  const b = await enterPassword(w.browser(), jan.username!, password)
  if (b.status === 429) throw new Error(`passwordWorks: throttled, the answer says nothing:\n${b.text}`)
  return b.url === '/inloggen/app-code'
}

await t.test('a first-time patient whose invitation expired walks the forgot path to a signed-in session', async (t) => {
  const w = await world(t)
  await w.invite()
  w.clock.advanceHours(73)
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  t.match(b.text, /Deze link is niet meer geldig/, 'the invitation link has expired')

  await b.get('/inloggen')
  await b.submit('Volgende', { Gebruikersnaam: 'jdevries' })
  const link = b.$('a').filter((_, a) => b.$(a).text().trim() === 'Bent u uw wachtwoord vergeten of logt u voor de eerste keer in?')
  await b.get(link.attr('href')!)
  t.equal(b.url, '/wachtwoord-vergeten')
  t.equal(b.field('E-mailadres').attr('autocomplete'), 'email')
  await b.submit('Volgende', { 'E-mailadres': jan.email })
  t.equal(b.url, '/account/telefoon')
  t.match(b.text, /Accountverificatie/)
  t.match(b.text, /Verificatie is noodzakelijk\. Klik op 'Stuur verificatiecode'\./)
  t.equal(b.field('Telefoonnummer').attr('value'), 'XXX-XXXX-1361')
  t.equal((await w.sms.count(jan.phone)), 0)
  await b.submit('Stuur verificatiecode')
  t.equal((await w.sms.count(jan.phone)), 1)
  t.equal((await w.mail.all()).filter((m) => m.kind === 'temporary-password').length, 0, 'no temporary password before the phone is proven')
  await b.submit('Verifieer code', { Verificatiecode: (await w.sms.lastCodeTo(jan.phone)) })

  t.equal(b.url, '/account/nieuw-wachtwoord')
  t.match(b.text, /Wachtwoord wijzigen/)
  t.equal(b.field('Tijdelijk wachtwoord (zie e-mail)').length, 1)
  t.equal(b.field('Nieuw wachtwoord').attr('autocomplete'), 'new-password')
  t.equal(b.field('Bevestig het wachtwoord').attr('autocomplete'), 'new-password')
  t.equal(b.field('Bevestiging wachtwoord').length, 0, 'the reset form says "Bevestig het wachtwoord"')
  const message = await w.mail.lastTo(jan.email, 'temporary-password')
  t.equal(message.from, w.config.senders.system, 'from the system sender')
  const temporary = temporaryPasswordIn(message.text)
  t.ok(temporary.length >= 12, 'a long random password')
  t.notOk(b.html.includes(temporary), 'the page never shows it')
  await submitNewPassword(b, temporary)
  t.match(b.text, /Het wachtwoord is bijgewerkt/)

  await b.submit('Volgende')
  t.match(b.text, /Selecteer MFA methode/, 'a first-time patient chooses a method')
  await b.submit('Volgende')
  t.match(b.text, /App koppelen/)
  const secret = new URL(b.$('a[href^="otpauth://"]').attr('href')!).searchParams.get('secret')!
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
  t.equal(b.url, '/')
  t.match(b.text, /Welkom, Jan de Vries\./)
  const account = await w.account('jdevries')
  t.ok(account.emailVerifiedAt && account.phoneVerifiedAt && account.passwordSetAt && account.mfaEnrolledAt, 'every onboarding fact is set')

  await b.submit('Uitloggen')
  w.clock.advanceSeconds(30)
  await signInWithApp(w, w.browser(), { account, browser: b, password: newPassword, secret })
  t.pass('the new password and the app sign in afterwards')
})

await t.test('a reset never bypasses the second factor', async (t) => {
  const rows = [
    { method: 'app', onboard: onboardWithApp, step: '/inloggen/app-code' },
    { method: 'email', onboard: onboardWithEmail, step: '/inloggen/email-code' },
  ] as const
  for (const row of rows) {
    await t.test(row.method, async (t) => {
      const w = await world(t)
      const p = await row.onboard(w)
      await p.browser.submit('Uitloggen')
      w.clock.advanceMinutes(1)

      const b = w.browser()
      await startForgot(b, 'jdevries', jan.email)
      await resetPassword(w, b, jan, newPassword)
      await b.submit('Volgende')
      t.equal(b.url, row.step, 'the second factor is due')
      t.equal((await b.get('/')).url, '/inloggen', 'not signed in')
      t.equal((await b.get('/account')).url, row.step, 'still due')

      if (row.method === 'app') {
        w.clock.advanceSeconds(30)
        await b.submit('Verifieer code', { 'one-time-code': await w.totp((p as AppPatient).secret) })
      } else {
        await b.submit('Stuur verificatiecode')
        await b.submit('Verifieer code', { 'one-time-code': (await w.mail.lastCodeTo(jan.email)) })
      }
      t.equal(b.url, '/')
      t.match(b.text, /Welkom, Jan de Vries\./)
      const signIn = (await w.audit(p.account.id)).find((e) => e.event === 'sign_in')!
      t.same(JSON.parse(signIn.detail!), { via: 'reset', method: row.method })
    })
  }
})

await t.test('the temporary password is valid for one hour', async (t) => {
  const rows = [
    { minutes: 59, accepted: true },
    { minutes: 61, accepted: false },
  ]
  for (const row of rows) {
    await t.test(`after ${row.minutes} minutes`, async (t) => {
      const w = await world(t)
      const p = await onboardWithApp(w)
      await p.browser.submit('Uitloggen')
      w.clock.advanceMinutes(1) // past the SMS resend cooldown of onboarding's code
      const b = w.browser()
      const temporary = await toNewPasswordStep(w, b)
      // The page stays open: a reload now and then keeps the flow session alive (idle limit 30 min).
      for (let left = row.minutes; left > 0; left -= 20) {
        w.clock.advanceMinutes(Math.min(20, left))
        if (left > 20) await b.get('/account')
      }
      await submitNewPassword(b, temporary)
      if (row.accepted) {
        t.match(b.text, /Het wachtwoord is bijgewerkt/)
        t.ok(await passwordWorks(w, newPassword))
      } else {
        t.equal(b.status, 422)
        t.equal(b.url, '/account/nieuw-wachtwoord')
        t.match(b.text, temporaryWrong)
        t.notOk(await passwordWorks(w, newPassword), 'the new password was not set')
        t.ok(await passwordWorks(w, p.password), 'the old one still works')
      }
    })
  }
})

await t.test('the temporary password works once', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  await p.browser.submit('Uitloggen')
  w.clock.advanceMinutes(1) // past the SMS resend cooldown of onboarding's code
  const b = w.browser()
  const temporary = await toNewPasswordStep(w, b)
  await submitNewPassword(b, temporary)
  t.match(b.text, /Het wachtwoord is bijgewerkt/)
  t.equal((await checkTemporaryPassword(w.deps, (await w.account('jdevries')), temporary)), 'wrong', 'spent in the database')

  // The same form again, posted by hand: the step is done, the runner sends the browser on.
  const third = 'herfstbladeren op de stoep'
  await b.get('/account') // a page with this session's CSRF token (the confirmation's Volgende is a GET form)
  await b.request({
    method: 'POST',
    url: '/account/nieuw-wachtwoord',
    headers: { origin },
    form: { _csrf: csrfOf(b.html)!, temporaryPassword: temporary, newPassword: third, confirmPassword: third },
  })
  t.equal(b.history[0]!.status, 303)
  t.not(b.url, '/account/nieuw-wachtwoord')
  t.notOk(await passwordWorks(w, third), 'the second post changed nothing')

  // A second forgot walk: the old temporary password is refused, the new one works.
  w.clock.advanceMinutes(2)
  const again = w.browser()
  const second = await toNewPasswordStep(w, again)
  t.not(second, temporary)
  await submitNewPassword(again, temporary, third)
  t.equal(again.status, 422)
  t.match(again.text, temporaryWrong)
  await submitNewPassword(again, second, third)
  t.match(again.text, /Het wachtwoord is bijgewerkt/)
  t.ok(await passwordWorks(w, third))
  t.notOk(await passwordWorks(w, newPassword))
})

await t.test('the temporary password can not be kept as the new password', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  await p.browser.submit('Uitloggen')
  w.clock.advanceMinutes(1) // past the SMS resend cooldown of onboarding's code
  const b = w.browser()
  const temporary = await toNewPasswordStep(w, b)
  const rows = [
    { name: 'as typed', value: temporary },
    { name: 'with spaces around it', value: ` ${temporary} ` },
    // NFKC makes full-width letters plain ones, and the hash is taken after NFKC: the same password.
    { name: 'in full-width letters', value: [...temporary].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('') },
  ]
  for (const row of rows) {
    await submitNewPassword(b, temporary, row.value)
    t.equal(b.status, 422, row.name)
    t.match(b.text, /het tijdelijke wachtwoord kunt u niet houden/, row.name)
  }
  t.notOk(await passwordWorks(w, temporary), 'the temporary password did not become the password')
  await submitNewPassword(b, temporary)
  t.match(b.text, /Het wachtwoord is bijgewerkt/, 'the refusals did not spend it')
})

await t.test('five wrong temporary passwords void it', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  await p.browser.submit('Uitloggen')
  w.clock.advanceMinutes(1) // past the SMS resend cooldown of onboarding's code
  const b = w.browser()
  const temporary = await toNewPasswordStep(w, b)
  // The last character replaced by one the temporary alphabet never uses (0, 1, i, l, o): never the right one.
  for (let i = 1; i <= 5; i++) {
    const wrong = `${temporary.slice(0, -1)}${'01ilo'[i - 1]}`
    t.not(wrong, temporary)
    await submitNewPassword(b, wrong)
    if (i === 5) break
    t.equal(b.status, 422, `wrong try ${i}`)
    t.match(b.text, temporaryWrong, `wrong try ${i}`)
  }
  // The fifth voids it: the page says so and links to a new one (issue 23.4, test/code-pages.test.ts).
  const spent = /vijf keer verkeerd ingevuld en werkt daarom niet meer/
  t.match(b.text, spent, 'wrong try 5')
  w.clock.advanceSeconds(31) // past the throttle's first delay
  await b.get('/account')
  await submitNewPassword(b, temporary)
  t.match(b.text, spent, 'the right one is refused now')
  w.clock.advanceMinutes(2) // six failures: past the throttle's second delay
  t.ok(await passwordWorks(w, p.password), 'the password is unchanged')
  t.notOk(await passwordWorks(w, newPassword))

  // A new walk brings a new temporary password.
  w.clock.advanceMinutes(5)
  const again = w.browser()
  const fresh = await toNewPasswordStep(w, again)
  await submitNewPassword(again, fresh)
  t.match(again.text, /Het wachtwoord is bijgewerkt/)
})

await t.test('a reset ends every other session of the patient and sends the notice', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  const first = p.browser // signed in since onboarding
  w.clock.advanceSeconds(30)
  const second = await signInWithApp(w, w.browser(), p)
  w.clock.advanceSeconds(30)
  // Half signed in with the old password, at the app code step.
  const half = await enterPassword(w.browser(), 'jdevries', p.password)
  t.equal(half.url, '/inloggen/app-code')
  t.equal((await w.mail.all()).filter((m) => m.kind === 'password-changed').length, 0)

  w.clock.advanceMinutes(1)
  const r = w.browser()
  await startForgot(r, 'jdevries', jan.email)
  await resetPassword(w, r, jan, newPassword)

  t.equal((await first.get('/')).url, '/inloggen', 'the first session ended')
  t.equal((await second.get('/')).url, '/inloggen', 'the second session ended')
  w.clock.advanceSeconds(30)
  await half.get('/account')
  if (half.url === '/inloggen/app-code') await half.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.equal((await half.get('/')).url, '/inloggen', 'a sign-in begun with the old password can not be finished')

  const notices = (await w.mail.all()).filter((m) => m.kind === 'password-changed')
  t.equal(notices.length, 1)
  t.equal(notices[0]!.to, jan.email)
  t.equal(notices[0]!.from, w.config.senders.system)
  t.match(notices[0]!.text, /gewijzigd/)
  t.ok((await w.audit(p.account.id)).some((e) => e.event === 'password_set' && e.detail === JSON.stringify({ via: 'reset' })))

  // The browser that reset carries on to the second factor, and signs in.
  await r.submit('Volgende')
  w.clock.advanceSeconds(30)
  await r.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.equal(r.url, '/')
})
