// Issue 23's new pages in a real headless Chromium with JavaScript disabled, each checked with axe
// (WCAG 2.2 AA), for scripts, labels, its size (under 15 KB) and at 320 px: the way out under a failing
// code, 'Ik heb mijn telefoon niet', the recovery codes (and their paper), the page after a use, the
// home page's suggestion, the patient list as a table (and as a list on a phone), the phone step with
// a number the portal will not text, the forgot path's SMS page, and five wrong temporary passwords.
// A state is reached quickly with the test browser; its cookies then go to Chromium.
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { updateAccount } from '../src/domain/accounts.ts'
import { messages } from '../src/messages.ts'
import type { Browser as TestBrowser } from './helpers/browser.ts'
import { AxeChecker, checkScreen, launchChromium, navigate, noScriptContext, phone } from './helpers/chromium.ts'
import { enterPassword, onboardWithApp, startForgot } from './helpers/patients.ts'
import { anna, piet, staffBrowser } from './helpers/practice.ts'
import { jan, world, type World } from './helpers/world.ts'

const { label, text } = messages('nl')

const browser = await launchChromium(t)

const click = (page: Page, name: string) => navigate(page, () => page.getByRole('button', { name, exact: true }).click())
const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).innerText()

async function portal(t: Test): Promise<{ w: World; base: string; axe: AxeChecker }> {
  const w = await world(t)
  await w.app.listen({ port: 0, host: '127.0.0.1' })
  const axe = await AxeChecker.open(browser)
  t.teardown(() => axe.close())
  return { w, base: `http://127.0.0.1:${(w.app.server.address() as AddressInfo).port}`, axe }
}

/** A Chromium page that carries on where the test browser `b` is (its cookies: session, CSRF). */
async function carryOn(t: Test, base: string, b: TestBrowser): Promise<Page> {
  const context = await noScriptContext(browser, base)
  t.teardown(() => context.close())
  await context.addCookies([...b.cookies].map(([name, value]) => ({ name, value, url: base, httpOnly: true, sameSite: 'Lax' as const })))
  return await context.newPage()
}

await t.test('recovery codes: the suggestion, the task, the codes and their paper, a sign-in without the phone', async (t) => {
  const { w, base, axe } = await portal(t)
  const p = await onboardWithApp(w)
  const page = await carryOn(t, base, p.browser)
  let s = await navigate(page, () => page.goto('/'))
  await checkScreen(t, axe, s, 'home with the suggestion')
  t.match(await page.locator('main').innerText(), /Tip: maak herstelcodes/)
  s = await navigate(page, () => page.getByRole('link', { name: label.makeRecoveryCodes, exact: true }).click())
  await checkScreen(t, axe, s, 'Herstelcodes')
  await page.getByLabel(label.currentPassword, { exact: true }).fill(p.password)
  s = await click(page, label.makeRecoveryCodes)
  await checkScreen(t, axe, s, 'the new codes')
  t.equal(await h1(page), text.recoveryNewTitle)
  const codes = await page.locator('ol.recovery-codes code').allInnerTexts()
  t.equal(codes.length, 10)
  // On paper: the codes and their explanation; no header, links or footer.
  await page.emulateMedia({ media: 'print' })
  const printed = await page.evaluate(() => ['header', 'footer.notice', 'p.no-print', 'ol.recovery-codes'].map((sel) => getComputedStyle(document.querySelector(sel)!).display))
  t.same(printed, ['none', 'none', 'none', 'block'], 'printed: only the codes and their explanation')
  await page.emulateMedia({ media: 'screen' })

  // A sign-in without the phone.
  await navigate(page, () => page.goto('/'))
  await click(page, label.logout)
  w.clock.advanceSeconds(30)
  const half = await enterPassword(w.browser(), 'jdevries', p.password)
  const next = await carryOn(t, base, half)
  await navigate(next, () => next.goto('/inloggen/app-code'))
  await next.getByLabel(label.code, { exact: true }).fill('000000')
  s = await click(next, label.verifyCode)
  await checkScreen(t, axe, s, 'a wrong app code, with the way out', 422)
  t.match(await next.locator('section.way-out').innerText(), /Lukt het niet\?/)
  t.equal(await next.getByRole('button', { name: label.startAgain, exact: true }).count(), 1)
  await next.locator('details summary').click()
  t.match(await next.locator('details').innerText(), /Ik heb mijn telefoon niet/, 'the disclosure opens without JavaScript')
  s = await navigate(next, () => next.getByRole('link', { name: label.noPhone, exact: true }).click())
  await checkScreen(t, axe, s, 'Ik heb mijn telefoon niet')
  await next.getByLabel(label.recoveryCode, { exact: true }).fill(codes[0]!)
  s = await click(next, label.signInWithRecoveryCode)
  await checkScreen(t, axe, s, 'signed in with a recovery code')
  t.equal(await h1(next), text.recoveryUsedTitle)
  t.equal(await next.locator('main a.button-link').innerText(), label.reenrollApp)
})

await t.test('the patient list: a table on a desktop, labelled lines on a phone', async (t) => {
  const { w, base, axe } = await portal(t)
  const staff = await staffBrowser(w, anna)
  await w.invite()
  await w.invite(piet)
  const page = await carryOn(t, base, staff.b)
  const s = await navigate(page, () => page.goto('/praktijk'))
  await checkScreen(t, axe, s, 'the patient list')
  const layout = () => page.evaluate(() => ({
    table: getComputedStyle(document.querySelector('table.accounts')!).display,
    row: getComputedStyle(document.querySelector('table.accounts tbody tr')!).display,
    header: getComputedStyle(document.querySelector('table.accounts thead')!).position,
    label: getComputedStyle(document.querySelector('table.accounts tbody td')!, '::before').content,
    rows: Array.from(document.querySelectorAll('table.accounts tbody tr')).map((tr) => Math.round(tr.getBoundingClientRect().height)),
  }))
  const desktop = await layout()
  t.match(desktop, { table: 'table', row: 'table-row', header: 'static' }, 'a table at 1280 px')
  t.ok(desktop.rows.every((h) => h < 90), `one line-ish row per patient (${desktop.rows})`)
  await page.setViewportSize(phone)
  const small = await layout()
  t.match(small, { table: 'block', row: 'block', label: '"Status: "' }, 'at 320 px each cell says what it is')
  await page.setViewportSize({ width: 1280, height: 800 })
})

await t.test('the phone step without a number to text, the forgot path’s SMS page, five wrong temporary passwords', async (t) => {
  const { w, base, axe } = await portal(t)
  const account = await w.invite()
  const link = async () => {
    const b = w.browser()
    await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
    await b.submit(label.next)
    return await w.mail.lastLinkTo(jan.email, 'continue')
  }
  await updateAccount(w.deps, account.id, { phone: '+447400123456' })
  const continueLink = await link()
  const page = await carryOn(t, base, w.browser())
  let s = await navigate(page, () => page.goto(continueLink))
  await checkScreen(t, axe, s, 'Accountverificatie, a number the portal will not text')
  t.equal(await page.getByRole('button').count(), 0, 'no button that can not work')

  await updateAccount(w.deps, account.id, { phone: jan.phone })
  const p = await onboardWithApp(w, piet)
  await p.browser.submit(label.logout)
  w.clock.advanceMinutes(1)
  const forgot = await startForgot(w.browser(), 'ppeters', piet.email!)
  await forgot.submit(label.sendCode)
  const sms = await carryOn(t, base, forgot)
  s = await navigate(sms, () => sms.goto('/account/telefoon'))
  await checkScreen(t, axe, s, 'the forgot path, code sent')
  t.match(await sms.locator('main').innerText(), /De code is verstuurd op .* naar XXX-XXXX-4321\./)
  t.match(await sms.locator('main').innerText(), /Krijgt u binnen een paar minuten geen sms\?/)

  await forgot.submit(label.verifyCode, { 'one-time-code': (await w.sms.lastCodeTo(piet.phone)) })
  const fill = { 'Tijdelijk wachtwoord (zie e-mail)': 'verkeerdverkeerd', 'Nieuw wachtwoord': 'herfstbladeren op de stoep', 'Bevestig het wachtwoord': 'herfstbladeren op de stoep' }
  for (let i = 0; i < 4; i++) await forgot.submit(label.next, fill)
  const reset = await carryOn(t, base, forgot)
  await navigate(reset, () => reset.goto('/account/nieuw-wachtwoord'))
  await reset.getByLabel(label.temporaryPassword, { exact: true }).fill('verkeerdverkeerd')
  await reset.getByLabel(label.newPassword, { exact: true }).fill('herfstbladeren op de stoep')
  await reset.getByLabel(label.confirmPasswordReset, { exact: true }).fill('herfstbladeren op de stoep')
  s = await click(reset, label.next)
  await checkScreen(t, axe, s, 'the temporary password spent')
  t.equal(await reset.locator('main a.button-link').getAttribute('href'), '/wachtwoord-vergeten')
})
