// Issue 24 #1: the accessibility audit beyond axe, as a keyboard-only walk of the guide and of the
// practice side in Chromium with JavaScript off, in Dutch and in English. Every field is filled and
// every button and link pressed with Tab, typing and Enter alone; every screen on the way is checked
// for the keyboard, the accessibility tree, the language of parts and reflow (test/helpers/a11y.ts).
// axe runs on the same screens in the e2e tests; the colour contrast is a141-contrast's own test.
import type { Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { messages, type Lang } from '../src/messages.ts'
import { audit, press, Reflow, tabTo, typeInto } from './helpers/a11y.ts'
import { launchChromium, navigate, noScriptContext, served, type Screen } from './helpers/chromium.ts'
import { addStaff, anna } from './helpers/practice.ts'
import { jan, world, type World } from './helpers/world.ts'

const browser = await launchChromium(t)
const locales: Record<Lang, string> = { nl: 'nl-NL', en: 'en-GB' }
const passwords: Record<Lang, string> = { nl: 'zonneschijn op het strand', en: 'sunshine on the beach at noon' }

const button = (p: Page, name: string) => p.getByRole('button', { name, exact: true })
const link = (p: Page, name: string) => p.getByRole('link', { name, exact: true })
const field = (p: Page, name: string) => p.getByLabel(name, { exact: true })
const h1 = (s: Screen) => s.page.getByRole('heading', { level: 1 }).innerText()

async function open(t: Test, w: World, lang: Lang) {
  const { base } = await served(t, w, browser)
  const reflow = await Reflow.open(browser, locales[lang])
  t.teardown(() => reflow.close())
  const context = await noScriptContext(browser, base, locales[lang])
  t.teardown(() => context.close())
  return { reflow, context }
}

for (const lang of ['nl', 'en'] as const) {
  const { label, text } = messages(lang)
  const password = passwords[lang]

  await t.test(`${lang}: the guide with the keyboard alone, every screen audited`, async (t) => {
    const w = await world(t)
    const { reflow, context } = await open(t, w, lang)
    // The invitation's pages speak the account's language: the practice invites Jan in this one.
    await w.invite({ ...jan, language: lang })
    const p = await context.newPage()
    const check = (s: Screen, name: string) => audit(t, reflow, s, `${lang} ${name}`, lang)

    // Stap 1: the invitation and its Volgende.
    let s = await navigate(p, async () => p.goto((await w.mail.lastLinkTo(jan.email, 'invite'))))
    await check(s, 'invitation link')
    s = await press(p, button(p, label.next))
    await check(s, 'e-mail verified')

    // Stap 2, from the second mail: a refused code first (the error summary takes the focus).
    s = await navigate(p, async () => p.goto((await w.mail.lastLinkTo(jan.email, 'continue'))))
    await check(s, 'phone verification')
    s = await press(p, button(p, label.sendCode))
    await check(s, 'phone code sent')
    const right = await w.sms.lastCodeTo(jan.phone)
    await typeInto(p, field(p, label.code), right === '000000' ? '111111' : '000000')
    s = await press(p, button(p, label.verifyCode))
    t.equal(s.response.status(), 422)
    t.match(await p.title(), new RegExp(`^${text.errorWord}: `), `${lang}: the title starts with "${text.errorWord}:"`)
    t.equal(await p.evaluate(() => document.activeElement?.className), 'error-summary', `${lang}: the error summary has the focus after a refused form`)
    // From the summary, its link leads to the field (Tab, Enter) and the code is typed there.
    await p.keyboard.press('Tab')
    await p.keyboard.press('Enter')
    t.equal(await p.evaluate(() => document.activeElement?.id), 'code', `${lang}: the summary's link puts the focus in the field`)
    await check(s, 'phone, wrong code')
    await typeInto(p, field(p, label.code), right)
    s = await press(p, button(p, label.verifyCode))

    // Stap 3: a mismatch first, then the password.
    t.equal(await h1(s), text.passwordTitle)
    await check(s, 'set password')
    await typeInto(p, field(p, label.newPassword), password)
    await typeInto(p, field(p, label.confirmPassword), password + ' x')
    s = await press(p, button(p, label.next))
    t.equal(s.response.status(), 422)
    await check(s, 'set password, refused')
    await typeInto(p, field(p, label.newPassword), password)
    await typeInto(p, field(p, label.confirmPassword), password)
    s = await press(p, button(p, label.next))
    await check(s, 'password updated')
    s = await press(p, button(p, label.next))

    // Stap 4 and 5: the method (radios with the arrow keys) and the app.
    await check(s, 'choose method')
    await tabTo(p, field(p, label.methodApp))
    await p.keyboard.press('ArrowDown')
    t.ok(await field(p, label.methodEmail).isChecked(), `${lang}: the arrow key moves the choice`)
    await p.keyboard.press('ArrowUp')
    t.ok(await field(p, label.methodApp).isChecked())
    s = await press(p, button(p, label.next))
    await check(s, 'enrol app')
    const secret = new URL((await p.locator('a[href^="otpauth://"]').getAttribute('href'))!).searchParams.get('secret')!
    await typeInto(p, field(p, label.appCode), await w.totp(secret))
    s = await press(p, button(p, label.continue))
    await check(s, 'home')

    // Stap 6: sign out, a refused username, and in again.
    s = await press(p, button(p, label.logout))
    await check(s, 'signed out')
    s = await press(p, button(p, label.next))
    t.equal(s.response.status(), 422)
    await check(s, 'username refused')
    await typeInto(p, field(p, label.username), jan.username!)
    s = await press(p, button(p, label.next))
    await check(s, 'password')
    await typeInto(p, field(p, label.password), password)
    s = await press(p, button(p, label.next))
    await check(s, 'app code')
    // A wrong code: the way-out block (issue 23); then the recovery-code page and back.
    await typeInto(p, field(p, label.code), '000000')
    s = await press(p, button(p, label.verifyCode))
    t.equal(s.response.status(), 422)
    await check(s, 'app code, refused, with the way out')
    s = await press(p, link(p, label.noPhone))
    await check(s, 'recovery code instead')
    s = await press(p, link(p, text.recoveryBackToApp))
    w.clock.advanceSeconds(30)
    await typeInto(p, field(p, label.code), await w.totp(secret))
    s = await press(p, button(p, label.verifyCode))
    t.match(await p.locator('main').innerText(), jan.name)
    // Recovery codes from the home page's tip: the page, then the codes made.
    s = await press(p, link(p, label.makeRecoveryCodes))
    await check(s, 'recovery codes')
    await typeInto(p, field(p, label.currentPassword), password)
    s = await press(p, button(p, label.makeRecoveryCodes))
    await check(s, 'recovery codes made')
    s = await press(p, link(p, text.securityBackToOverview))
    await check(s, 'Beveiliging')
    s = await press(p, link(p, w.config.portalName))
    s = await press(p, button(p, label.logout))

    // The forgot-password path's first page, the statement, the disclaimer: each from its link.
    s = await press(p, link(p, label.forgot))
    await check(s, 'forgot password')
    s = await press(p, link(p, text.statementLink))
    t.equal(await h1(s), text.statementTitle)
    await check(s, 'accessibility statement')
    s = await press(p, link(p, label.disclaimer))
    await check(s, 'disclaimer')
    s = await navigate(p, () => p.goto('/bestaat-niet'))
    await check(s, 'page not found')
  })

  await t.test(`${lang}: the practice side with the keyboard alone, every screen audited`, async (t) => {
    const w = await world(t)
    const { reflow, context } = await open(t, w, lang)
    await addStaff(w, { ...anna, language: lang })
    const p = await context.newPage()
    const check = (s: Screen, name: string) => audit(t, reflow, s, `${lang} practice: ${name}`, lang)

    // Anna's onboarding (the same screens as the patient's, audited above), then signed in.
    let s = await navigate(p, async () => p.goto((await w.mail.lastLinkTo(anna.email, 'invite'))))
    s = await press(p, button(p, label.next))
    s = await navigate(p, async () => p.goto((await w.mail.lastLinkTo(anna.email, 'continue'))))
    s = await press(p, button(p, label.sendCode))
    await typeInto(p, field(p, label.code), (await w.sms.lastCodeTo(anna.phone)))
    s = await press(p, button(p, label.verifyCode))
    await typeInto(p, field(p, label.newPassword), password)
    await typeInto(p, field(p, label.confirmPassword), password)
    s = await press(p, button(p, label.next))
    s = await press(p, button(p, label.next))
    const secret = new URL((await p.locator('a[href^="otpauth://"]').getAttribute('href'))!).searchParams.get('secret')!
    await typeInto(p, field(p, label.appCode), await w.totp(secret))
    s = await press(p, button(p, label.continue))
    t.equal(new URL(p.url()).pathname, '/praktijk')
    await check(s, 'patient list (empty)')

    s = await press(p, link(p, label.newPatient))
    await check(s, 'Nieuwe cliënt')
    await typeInto(p, field(p, label.name), jan.name)
    await typeInto(p, field(p, label.email), 'jan@')
    await typeInto(p, field(p, label.mobile), jan.phone)
    s = await press(p, button(p, label.invite))
    t.equal(s.response.status(), 422)
    t.equal(await p.evaluate(() => document.activeElement?.className), 'error-summary', `${lang}: the error summary has the focus`)
    await check(s, 'Nieuwe cliënt, refused')
    await typeInto(p, field(p, label.email), jan.email)
    s = await press(p, button(p, label.invite))
    t.equal(await h1(s), jan.name)
    await check(s, 'the patient')
    s = await press(p, button(p, label.resendInvite))
    await check(s, 'confirm re-invitation')
    s = await press(p, link(p, label.backToAccount))
    s = await press(p, link(p, label.patients))
    await check(s, 'patient list')
    s = await press(p, link(p, label.auditLog))
    await check(s, 'audit log')
    s = await press(p, link(p, label.staff))
    await check(s, 'staff list')
    s = await press(p, button(p, label.newStaff))
    await check(s, 'Nieuwe medewerker')
  })
}
