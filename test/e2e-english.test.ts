// Issue 14: an English-speaking patient walks the whole guide in a real headless Chromium with
// JavaScript off, reading only English: the invitation in English, onboarding, sign-in, the forgot
// path; buttons and fields found by their English labels, written out here (not read from the
// catalogue) so a wrong or missing English label fails. Every screen passes the same checks as the
// Dutch walk (axe WCAG 2.2 AA, no script, labelled inputs, under 15 KB, 320 px).
import type { Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { createAccount, updateAccount } from '../src/domain/accounts.ts'
import { sendInvitation } from '../src/domain/invitations.ts'
import { AxeChecker, checkScreen, launchChromium, navigate, noScriptContext, served, type Screen } from './helpers/chromium.ts'
import { temporaryPasswordIn } from './helpers/patients.ts'
import { jan, world } from './helpers/world.ts'


const browser = await launchChromium(t)

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const click = (page: Page, name: string) => navigate(page, () => button(page, name).click())
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true })
const heading = (s: Screen) => s.page.getByRole('heading', { level: 1 }).innerText()

/** Dutch words a page in English must not show (the practice's and the portal's names are names). */
const dutch = /\b(uw|het|een|niet|Volgende|Klik|wachtwoord|Gebruikersnaam|verificatiecode|Inloggen|Uitloggen|Beste)\b/
const main = async (p: Page) => (await p.locator('body').innerText()).replace(/Mijn Therapie Dossier|Praktijk De Linde|Jan de Vries/g, '')

async function englishScreen(t: Test, axe: AxeChecker, s: Screen, name: string, status = 200) {
  await checkScreen(t, axe, s, name, status)
  t.equal(await s.page.locator('html').getAttribute('lang'), 'en', `${name}: <html lang="en">`)
  t.notMatch(await main(s.page), dutch, `${name}: no Dutch on the page`)
  t.equal(await s.page.getByRole('link', { name: 'Nederlands', exact: true }).count(), 1, `${name}: the way back to Dutch`)
}

await t.test('an English-speaking patient: invitation, onboarding, sign-in and the forgot path, in English', async (t) => {
  const w = await world(t)
  const { base, axe } = await served(t, w, browser)

  // The practice invites Jan in English.
  const created = await createAccount(w.deps, { actor: 'cli' }, w.practice.id, jan)
  if (!created.ok) throw new Error(JSON.stringify(created.errors))
  await updateAccount(w.deps, created.account.id, { language: 'en' })
  await sendInvitation(w.deps, { actor: 'cli' }, created.account.id)
  const invite = await w.mail.lastTo(jan.email, 'invite')
  t.equal(invite.subject, 'Your account for Mijn Therapie Dossier')
  // Issue 23.7: one line says, in Dutch, that the portal is in Dutch too (test/language-context.test.ts).
  const otherLanguage = /^Het portaal is er ook in het Nederlands: .*$/m
  t.match(invite.text, otherLanguage)
  t.notMatch(invite.text.replace(otherLanguage, '').replace(/Mijn Therapie Dossier|Praktijk De Linde|Jan de Vries/g, ''), dutch, 'the rest of the invitation is English')

  // Stap 1, in a browser set to English.
  const first = await noScriptContext(browser, base, 'en-GB')
  t.teardown(() => first.close())
  const p1 = await first.newPage()
  let s = await navigate(p1, async () => p1.goto((await w.mail.lastLinkTo(jan.email, 'invite'))))
  await englishScreen(t, axe, s, 'invitation link')
  t.equal(await field(p1, 'Username').inputValue(), jan.username)
  t.equal(await field(p1, 'Email address').inputValue(), jan.email)
  s = await click(p1, 'Next')
  await englishScreen(t, axe, s, 'email verified')
  t.equal(await heading(s), 'Your email address has been verified')
  t.notMatch((await w.mail.lastTo(jan.email, 'continue')).text, dutch, 'the second mail is English')

  // The second mail's link in another browser, one set to Dutch: the account's language wins there,
  // since that browser never chose one.
  const second = await noScriptContext(browser, base, 'nl-NL')
  t.teardown(() => second.close())
  const p = await second.newPage()
  s = await navigate(p, async () => p.goto((await w.mail.lastLinkTo(jan.email, 'continue'))))
  await englishScreen(t, axe, s, 'phone verification')
  t.equal(await heading(s), 'Account verification')
  s = await click(p, 'Send verification code')
  await englishScreen(t, axe, s, 'phone code sent')
  const sms = (await w.sms.all()).filter((m) => m.to === jan.phone).at(-1)!
  t.notMatch(sms.text, /verificatiecode|Deel/, 'the SMS is English')
  t.match(sms.text, /code/i)
  await field(p, 'Verification code').fill('000000' === (await w.sms.lastCodeTo(jan.phone)) ? '111111' : '000000')
  s = await click(p, 'Verify code')
  await englishScreen(t, axe, s, 'phone wrong code', 422)
  t.equal(await p.getByRole('alert').count(), 1, 'the error summary is announced')
  await field(p, 'Verification code').fill((await w.sms.lastCodeTo(jan.phone)))
  s = await click(p, 'Verify code')

  const password = 'sunshine on the beach at noon'
  await englishScreen(t, axe, s, 'set password')
  await field(p, 'New password').fill(password)
  await field(p, 'Confirm password').fill(password)
  s = await click(p, 'Next')
  await englishScreen(t, axe, s, 'password updated')
  s = await click(p, 'Next')
  await englishScreen(t, axe, s, 'choose method')
  t.ok(await field(p, 'With an authenticator app').isChecked(), 'the app is checked by default')
  s = await click(p, 'Next')
  await englishScreen(t, axe, s, 'enroll app')
  const uri = (await p.getByRole('link', { name: 'Open the authenticator app' }).getAttribute('href'))!
  const secret = new URL(uri).searchParams.get('secret')!
  t.match(decodeURIComponent(uri), /issuer=Mijn Therapie Dossier/, 'the app’s label stays the portal’s name')
  await field(p, 'Code from the app').fill(await w.totp(secret))
  s = await click(p, 'Continue')
  await englishScreen(t, axe, s, 'home')
  t.match(await p.locator('main').innerText(), /Welcome, Jan de Vries/)
  t.notMatch((await w.mail.lastTo(jan.email, 'mfa-enrolled')).text, dutch, 'the second-step mail is English')
  s = await click(p, 'Sign out')
  await englishScreen(t, axe, s, 'signed out')
  t.match(await p.locator('main').innerText(), /You have signed out/)

  // Stap 6: signing in again.
  await field(p, 'Username').fill(jan.username!)
  s = await click(p, 'Next')
  await englishScreen(t, axe, s, 'password')
  await field(p, 'Password').fill('not the right password')
  s = await click(p, 'Next')
  await englishScreen(t, axe, s, 'wrong password', 422)
  await field(p, 'Password').fill(password)
  s = await click(p, 'Next')
  await englishScreen(t, axe, s, 'app code')
  w.clock.advanceSeconds(30)
  await field(p, 'Verification code').fill(await w.totp(secret))
  s = await click(p, 'Verify code')
  await englishScreen(t, axe, s, 'home again')
  s = await click(p, 'Sign out')

  // The forgot path.
  await field(p, 'Username').fill(jan.username!)
  s = await click(p, 'Next')
  s = await navigate(p, () => p.getByRole('link', { name: 'Forgotten your password, or signing in for the first time?', exact: true }).click())
  await englishScreen(t, axe, s, 'forgotten password')
  await field(p, 'Email address').fill(jan.email)
  s = await click(p, 'Next')
  await englishScreen(t, axe, s, 'forgot: phone')
  s = await click(p, 'Send verification code')
  await field(p, 'Verification code').fill((await w.sms.lastCodeTo(jan.phone)))
  s = await click(p, 'Verify code')
  await englishScreen(t, axe, s, 'forgot: new password')
  const mail = await w.mail.lastTo(jan.email, 'temporary-password')
  t.notMatch(mail.text.replace(/Mijn Therapie Dossier|Praktijk De Linde|Jan de Vries/g, ''), dutch, 'the temporary password mail is English')
  const newPassword = 'spring in the woods by the brook'
  await field(p, 'Temporary password (see email)').fill(temporaryPasswordIn(mail.text))
  await field(p, 'New password').fill(newPassword)
  await field(p, 'Confirm new password').fill(newPassword)
  s = await click(p, 'Next')
  await englishScreen(t, axe, s, 'forgot: password updated')
  s = await click(p, 'Next')
  await englishScreen(t, axe, s, 'forgot: app code')
  w.clock.advanceSeconds(30)
  await field(p, 'Verification code').fill(await w.totp(secret))
  s = await click(p, 'Verify code')
  await englishScreen(t, axe, s, 'signed in after the reset')
  t.match(await p.locator('main').innerText(), /Welcome, Jan de Vries/)
})

await t.test('the switch in the middle of a flow, in Chromium: Nederlands and back, nothing lost', async (t) => {
  const w = await world(t)
  const { base, axe } = await served(t, w, browser)
  await w.invite()
  const context = await noScriptContext(browser, base, 'nl-NL')
  t.teardown(() => context.close())
  const p = await context.newPage()
  await navigate(p, async () => p.goto((await w.mail.lastLinkTo(jan.email, 'invite'))))
  await click(p, 'Volgende')
  let s = await navigate(p, async () => p.goto((await w.mail.lastLinkTo(jan.email, 'continue'))))
  s = await click(p, 'Stuur verificatiecode')
  t.equal(await p.locator('html').getAttribute('lang'), 'nl')
  s = await navigate(p, () => p.getByRole('link', { name: 'English', exact: true }).click())
  await englishScreen(t, axe, s, 'phone code sent, switched to English')
  t.match(await p.locator('main').innerText(), /sent/i, 'still the step with the code sent')
  await field(p, 'Verification code').fill((await w.sms.lastCodeTo(jan.phone)))
  s = await click(p, 'Verify code')
  t.equal(await heading(s), 'Change password', 'the code counted: on to the password, in English')
  s = await navigate(p, () => p.getByRole('link', { name: 'Nederlands', exact: true }).click())
  t.equal(await p.locator('html').getAttribute('lang'), 'nl')
  t.equal(await heading(s), 'Wachtwoord wijzigen', 'and back in Dutch on the same step')
  await checkScreen(t, axe, s, 'set password, back in Dutch')
})
