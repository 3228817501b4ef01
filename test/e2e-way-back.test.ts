// Issue 12 items 1, 2 and 5 walked in a real headless Chromium with JavaScript disabled: the second
// mail's link straight to Accountverificatie, the ways back in (a used or expired link, the footer
// during a flow, an expired flow session), and App koppelen on a phone-sized screen. Each page is
// checked for its title (h1), its message and its primary action. The same behaviour without a
// browser: test/way-back.test.ts.
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import t from 'tap'
import { messages } from '../src/messages.ts'
import { AxeChecker, checkScreen, launchChromium, navigate, noScriptContext, overflowAt, phone, type Screen } from './helpers/chromium.ts'
import { jan, world, type World } from './helpers/world.ts'

/** The Dutch catalogue: the guide's words. */
const { label, text } = messages('nl')

const password = 'blauwe fiets onder de brug'


const browser = await launchChromium(t)

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const click = (page: Page, name: string) => navigate(page, () => button(page, name).click())
const follow = (page: Page, name: string) => navigate(page, () => page.getByRole('link', { name, exact: true }).click())
const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).innerText()
const main = (page: Page) => page.locator('main').innerText()
const path = (page: Page) => new URL(page.url()).pathname

/**
 * The page's primary action: its first yellow button or button-link (not a secondary one), as the
 * patient reads it (without the brackets only a text browser shows) and where a link leads.
 */
async function primary(page: Page): Promise<{ text: string; href: string | null }> {
  const el = page.locator('main a.button-link:not(.secondary), main form button:not(.secondary):not(.link)').first()
  // None at all: say so at once rather than wait for one to appear.
  if ((await el.count()) === 0) return { text: '(no primary action)', href: null }
  // evaluate is the driver's, not the page's: it runs with JavaScript off.
  const said = await el.evaluate((e) => {
    const c = e.cloneNode(true) as Element
    c.querySelectorAll('.tb').forEach((x) => x.remove())
    return (c.textContent ?? '').trim()
  })
  return { text: said, href: await el.getAttribute('href') }
}

async function portal(t: Parameters<typeof world>[0]): Promise<{ w: World; base: string }> {
  const w = await world(t)
  await w.app.listen({ port: 0, host: '127.0.0.1' })
  return { w, base: `http://127.0.0.1:${(w.app.server.address() as AddressInfo).port}` }
}

/** A fresh no-JS browser profile (its own cookies), closed when the test ends. */
async function profile(t: Parameters<typeof world>[0], base: string, viewport?: { width: number; height: number }) {
  const context = viewport
    ? await browser.newContext({ javaScriptEnabled: false, baseURL: base, viewport, locale: 'nl-NL' })
    : await noScriptContext(browser, base)
  t.teardown(() => context.close())
  return await context.newPage()
}

/** Stap 1 in a browser of its own: the invitation's Volgende. Returns the second mail's link. */
async function secondLink(t: Parameters<typeof world>[0], w: World, base: string): Promise<string> {
  await w.invite()
  const first = await profile(t, base)
  await navigate(first, async () => first.goto((await w.mail.lastLinkTo(jan.email, 'invite'))))
  await click(first, label.next)
  return await w.mail.lastLinkTo(jan.email, 'continue')
}

/** Opens the second link in `page` and sends the SMS: on Accountverificatie with the code field. */
async function toPhoneCode(page: Page, link: string): Promise<Screen> {
  await navigate(page, () => page.goto(link))
  return await click(page, label.sendCode)
}

await t.test('item 1: the second mail link opens Accountverificatie; only the button sends the SMS', async (t) => {
  const { w, base } = await portal(t)
  const axe = await AxeChecker.open(browser as Browser)
  t.teardown(() => axe.close())
  const link = await secondLink(t, w, base)
  const smsBefore = await w.sms.count(jan.phone)

  // Another browser, as on the phone: the link itself shows Stap 2.
  const p = await profile(t, base)
  let s = await navigate(p, () => p.goto(link))
  await checkScreen(t, axe, s, 'second mail link')
  t.equal(path(p), link, 'no redirect: the link itself shows Stap 2')
  t.equal(await h1(p), text.accountVerification)
  t.match(await main(p), "Verificatie is noodzakelijk. Klik op 'Stuur verificatiecode'.", 'the message')
  t.notMatch(await main(p), /Verder met het activeren/, 'no separate continue page')
  t.equal(await p.getByLabel(label.phone, { exact: true }).inputValue(), 'XXX-XXXX-1361', 'the masked number')
  t.equal(await p.locator('main').getByRole('button').count(), 1, 'exactly one button')
  t.equal(await button(p, label.sendCode).count(), 1, 'and it is Stuur verificatiecode')
  t.same(await primary(p), { text: label.sendCode, href: null }, 'primary action')
  t.equal(await p.getByLabel(label.code, { exact: true }).count(), 0, 'no code field yet')
  t.equal((await w.sms.count(jan.phone)), smsBefore, 'opening the link sends no SMS')

  // Pressing the button sends one SMS and shows the code field.
  s = await click(p, label.sendCode)
  await checkScreen(t, axe, s, 'phone code sent')
  t.equal(path(p), '/account/telefoon')
  t.equal(await h1(p), text.accountVerification)
  t.match(await main(p), /De verificatiecode is verstuurd naar uw telefoon/, 'the message')
  t.ok(await p.getByLabel(label.code, { exact: true }).isVisible(), 'the Verificatiecode field')
  t.same(await primary(p), { text: label.verifyCode, href: null }, 'primary action')
  t.equal((await w.sms.count(jan.phone)), smsBefore + 1, 'one SMS, sent by the button')
  await p.getByLabel(label.code, { exact: true }).fill((await w.sms.lastCodeTo(jan.phone)))
  await click(p, label.verifyCode)
  t.equal(await h1(p), text.passwordTitle, 'on to Stap 3')
})

await t.test('item 2: a used or an expired link: the forgot path is the primary action', async (t) => {
  for (const name of ['used', 'expired']) {
    await t.test(name, async (t) => {
      const { w, base } = await portal(t)
      const link = await secondLink(t, w, base)
      if (name === 'used') await toPhoneCode(await profile(t, base), link)
      else w.clock.advanceHours(w.config.limits.continueLinkTtlHours + 1)

      const p = await profile(t, base)
      const s = await navigate(p, () => p.goto(link))
      t.equal(s.response.status(), 410)
      t.equal(await h1(p), text.linkInvalidTitle)
      const body = await main(p)
      t.match(body, /tweede e-mail/, "the second e-mail's link is mentioned")
      t.match(body, text.linkInvalidSecondMail)
      t.same(await primary(p), { text: label.forgot, href: '/wachtwoord-vergeten' }, 'primary action')
      t.equal(await p.getByRole('link', { name: text.resumeLink }).count(), 0, 'no flow here: no way back')
      await navigate(p, () => p.locator('main a.button-link').filter({ hasText: label.forgot }).click())
      t.equal(path(p), '/wachtwoord-vergeten')
      t.equal(await h1(p), text.forgotTitle, 'the forgot form')
      t.ok(await p.getByLabel(label.email, { exact: true }).isVisible(), 'with its e-mail field')
      t.same(await primary(p), { text: label.next, href: null })
    })
  }
})

await t.test('item 2: during a flow the disclaimer offers "Terug naar waar u was", back to the due step', async (t) => {
  const { w, base } = await portal(t)
  const link = await secondLink(t, w, base)
  const p = await profile(t, base)
  await toPhoneCode(p, link)
  t.equal(path(p), '/account/telefoon')

  await follow(p, label.disclaimer)
  t.equal(path(p), '/disclaimer')
  t.equal(await h1(p), text.disclaimerTitle)
  t.match(await main(p), text.disclaimerDefault, 'the page text')
  t.same(await primary(p), { text: text.resumeLink, href: '/account/telefoon' }, 'primary action')
  await follow(p, text.resumeLink)
  t.equal(path(p), '/account/telefoon', 'back at the due step')
  t.equal(await h1(p), text.accountVerification)
  t.match(await main(p), /De verificatiecode is verstuurd/, 'where the patient was')
  t.same(await primary(p), { text: label.verifyCode, href: null })
  await p.getByLabel(label.code, { exact: true }).fill((await w.sms.lastCodeTo(jan.phone)))
  await click(p, label.verifyCode)
  t.equal(await h1(p), text.passwordTitle, 'the flow goes on where it was')
})

await t.test('item 2: a flow whose session expired ends on Inloggen with the way in', async (t) => {
  const { w, base } = await portal(t)
  const link = await secondLink(t, w, base)
  const p = await profile(t, base)
  await toPhoneCode(p, link)
  w.clock.advanceMinutes(w.config.limits.flowIdleMinutes + 1)
  await p.getByLabel(label.code, { exact: true }).fill((await w.sms.lastCodeTo(jan.phone)))
  await click(p, label.verifyCode)
  t.equal(await h1(p), 'Inloggen', `landed on ${path(p)}`)
  const body = await main(p)
  t.match(body, /Uw sessie is verlopen/, 'the session-expired message')
  t.match(body, /Was u bezig met het activeren van uw account/)
  const forgot = p.getByRole('link', { name: label.forgot, exact: true })
  t.equal(await forgot.getAttribute('href'), '/wachtwoord-vergeten', 'the forgot link')
  t.ok(await forgot.isVisible(), 'visible')
  t.equal(await p.getByRole('link', { name: text.resumeLink }).count(), 0, 'no way back to a flow that ended')
  await follow(p, label.forgot)
  t.equal(await h1(p), text.forgotTitle)
  t.same(await primary(p), { text: label.next, href: null })
})

await t.test('item 5: App koppelen on a 320 px phone: the app link, the key, no autofocus, errors on top', async (t) => {
  const { w, base } = await portal(t)
  const link = await secondLink(t, w, base)
  const p = await profile(t, base, phone)
  await toPhoneCode(p, link)
  await p.getByLabel(label.code, { exact: true }).fill((await w.sms.lastCodeTo(jan.phone)))
  await click(p, label.verifyCode)
  await p.getByLabel(label.newPassword, { exact: true }).fill(password)
  await p.getByLabel(label.confirmPassword, { exact: true }).fill(password)
  await click(p, label.next)
  await click(p, label.next)
  t.match(await main(p), text.methodTitle)
  await click(p, label.next)

  const check = async (where: string) => {
    t.equal(await h1(p), text.appTitle, `${where}: title`)
    t.match(await main(p), /Ziet u deze pagina op de telefoon met de app\?/, `${where}: the phone case`)
    t.match(await main(p), /Ziet u deze pagina op een computer of tablet\?/, `${where}: the computer case`)
    const open = p.getByRole('link', { name: text.appOpenLink, exact: true })
    t.equal(await open.count(), 1, `${where}: the open-the-app link`)
    t.match(await open.getAttribute('href'), /^otpauth:\/\/totp\//, `${where}: an otpauth:// link`)
    t.ok(await open.isVisible(), `${where}: visible`)
    const box = await open.boundingBox()
    t.ok(box && box.x >= 0 && box.x + box.width <= phone.width, `${where}: within the screen's width (${JSON.stringify(box)})`)
    const key = p.locator('code.secret')
    t.ok(await key.isVisible(), `${where}: the key to type over is shown`)
    const secret = new URL((await open.getAttribute('href'))!).searchParams.get('secret')
    t.equal((await key.innerText()).replace(/\s/g, ''), secret, `${where}: the same key as in the link`)
    // No field takes the focus; after an error the summary at the top does (issue 24 #1).
    t.equal(await p.locator('[autofocus]:not(.error-summary)').count(), 0, `${where}: no autofocus on a field`)
    t.equal(await p.evaluate(() => window.scrollY), 0, `${where}: nothing scrolled the page`)
    t.same(await primary(p), { text: label.continue, href: null }, `${where}: primary action`)
    const { scrollWidth, wide } = await overflowAt(p, phone.width)
    t.ok(scrollWidth <= phone.width, `${where}: no horizontal scrolling (scrollWidth ${scrollWidth})`)
    t.same(wide, [], `${where}: nothing past the right edge`)
  }
  await check('GET')
  t.equal(await p.locator('.error-summary').count(), 0, 'no error summary yet')

  const secret = new URL((await p.getByRole('link', { name: text.appOpenLink }).getAttribute('href'))!).searchParams.get('secret')!
  const right = await w.totp(secret)
  await p.getByLabel(label.appCode, { exact: true }).fill(right === '000000' ? '111111' : '000000')
  const s = await click(p, label.continue)
  t.equal(s.response.status(), 422, 'a wrong code stays on the page')
  await check('after a wrong code')
  const summary = p.locator('.error-summary')
  t.ok(await summary.isVisible(), 'the error summary')
  const top = await summary.boundingBox()
  const qr = await p.locator('.qr').boundingBox()
  const steps = await p.locator('main h2').filter({ hasText: 'Ziet u deze pagina op een computer of tablet?' }).boundingBox()
  t.ok(top && qr && top.y + top.height <= qr.y, `the error summary is above the QR (${JSON.stringify({ top, qr })})`)
  t.ok(top && steps && top.y + top.height <= steps.y, 'and above the setup steps')
  t.ok(top && top.y < phone.height, 'in view at the top of the card')

  await p.getByLabel(label.appCode, { exact: true }).fill(await w.totp(secret))
  await click(p, label.continue)
  t.match(await main(p), /Welkom, Jan de Vries/, 'signed in with the app')
})
