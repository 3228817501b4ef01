// A beheerder, created the way the CLI creates one, onboards and invites a patient in a real
// headless Chromium with JavaScript disabled; every practice screen on the way passes axe (WCAG 2.2
// AA), has no script, labels every input, stays under 15 KB and fits 320 px. The patient's
// invitation then opens in another browser.
import type { Page } from 'playwright-core'
import t from 'tap'
import { messages } from '../src/messages.ts'
import { checkScreen, launchChromium, navigate, noScriptContext, served, type Screen } from './helpers/chromium.ts'
import { addStaff, anna, password } from './helpers/practice.ts'
import { jan, world } from './helpers/world.ts'

const { label, text } = messages('nl')


const browser = await launchChromium(t)

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const click = (page: Page, name: string) => navigate(page, () => button(page, name).click())
const heading = (s: Screen) => s.page.getByRole('heading', { level: 1 }).innerText()
const field = (page: Page, name: string) => page.getByLabel(name, { exact: true })

await t.test('a beheerder onboards, invites a patient, re-invites, and reads the audit log; no JavaScript', async (t) => {
  const w = await world(t)
  const { base, axe } = await served(t, w, browser)
  await addStaff(w, anna)

  // The beheerder's own onboarding: the same invitation flow, always with the app.
  const context = await noScriptContext(browser, base)
  t.teardown(() => context.close())
  const p = await context.newPage()
  let s = await navigate(p, async () => p.goto((await w.mail.lastLinkTo(anna.email, 'invite'))))
  s = await click(p, label.next)
  s = await navigate(p, async () => p.goto((await w.mail.lastLinkTo(anna.email, 'continue'))))
  s = await click(p, label.sendCode)
  await field(p, label.code).fill((await w.sms.lastCodeTo(anna.phone)))
  s = await click(p, label.verifyCode)
  await field(p, label.newPassword).fill(password)
  await field(p, label.confirmPassword).fill(password)
  s = await click(p, label.next)
  s = await click(p, label.next)
  // The app is the only method for staff: no method page, straight to App koppelen.
  t.equal(await p.getByLabel(label.methodEmail).count(), 0, 'staff are offered the app only')
  const secret = new URL((await p.locator('a[href^="otpauth://"]').getAttribute('href'))!).searchParams.get('secret')!
  await field(p, label.appCode).fill(await w.totp(secret))
  s = await click(p, label.continue)

  // Signed in: the patient list.
  t.equal(new URL(p.url()).pathname, '/praktijk')
  await checkScreen(t, axe, s, 'patient list (empty)')
  t.equal(await heading(s), label.patients)

  // Nieuwe cliënt, first with mistakes.
  s = await click(p, label.newPatient)
  await checkScreen(t, axe, s, 'Nieuwe cliënt')
  await field(p, label.name).fill(jan.name)
  await field(p, label.email).fill('jan@')
  await field(p, label.mobile).fill(jan.phone)
  s = await click(p, label.invite)
  await checkScreen(t, axe, s, 'Nieuwe cliënt with errors', 422)
  t.equal(await field(p, label.username).inputValue(), 'jdevries', 'the username suggested from the name')
  t.match(await p.locator('#email-error').innerText(), /geldig e-mailadres/)
  await field(p, label.email).fill(jan.email)
  s = await click(p, label.invite)
  await checkScreen(t, axe, s, 'the new patient')
  t.equal(await heading(s), jan.name)
  t.match(await p.getByRole('status').innerText(), /Uitnodiging verstuurd naar jan@example\.org/)
  const firstLink = await w.mail.lastLinkTo(jan.email, 'invite')

  // Uitnodiging opnieuw versturen: the confirmation page, then the POST.
  s = await click(p, label.resendInvite)
  await checkScreen(t, axe, s, 'confirm re-invitation')
  s = await click(p, label.resendInvite)
  t.match(await p.getByRole('status').innerText(), /Nieuwe uitnodiging verstuurd/)
  const secondLink = await w.mail.lastLinkTo(jan.email, 'invite')
  t.not(secondLink, firstLink)

  // Every other practice screen passes the same checks.
  s = await click(p, label.changePhone)
  await field(p, label.newMobile).fill('020-1234567')
  s = await click(p, label.changePhone)
  await checkScreen(t, axe, s, 'change phone with an error', 422)
  s = await navigate(p, () => p.getByRole('link', { name: label.backToAccount }).click())
  s = await navigate(p, () => p.getByRole('link', { name: label.patients, exact: true }).click())
  await checkScreen(t, axe, s, 'patient list')
  t.match(await p.locator('table.accounts tbody tr').first().innerText(), /uitgenodigd/)
  s = await navigate(p, () => p.getByRole('link', { name: label.auditLog, exact: true }).click())
  await checkScreen(t, axe, s, 'audit log')
  await p.getByLabel(label.eventType).selectOption('invite')
  s = await click(p, label.filter)
  await checkScreen(t, axe, s, 'audit log, filtered')
  t.equal(await p.locator('article').count(), 3, 'three invitations: Anna, Jan, Jan again')
  s = await navigate(p, () => p.getByRole('link', { name: label.staff, exact: true }).click())
  await checkScreen(t, axe, s, 'staff list')
  s = await click(p, label.newStaff)
  await checkScreen(t, axe, s, 'Nieuwe medewerker')

  // The patient's side: the first link is void, the second one works, in another browser.
  const patient = await noScriptContext(browser, base)
  t.teardown(() => patient.close())
  const pp = await patient.newPage()
  s = await navigate(pp, () => pp.goto(firstLink))
  t.equal(s.response.status(), 410)
  t.equal(await heading(s), text.linkInvalidTitle)
  s = await navigate(pp, () => pp.goto(secondLink))
  t.equal(s.response.status(), 200)
  t.equal(await field(pp, label.username).inputValue(), 'jdevries')
  s = await click(pp, label.next)
  t.match(await heading(s), /geverifieerd/)
})
