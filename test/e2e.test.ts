// The guide's walk in a real headless Chromium with JavaScript disabled: invitation, second mail in
// another browser, phone, password, app, home, and a second sign-in. Every screen on the way passes
// axe (WCAG 2.2 AA), has no script, labels every input, stays under 15 KB and fits 320 px.
import type { Page } from 'playwright-core'
import t from 'tap'
import { messages } from '../src/messages.ts'
import { checkScreen, htmlBudgetBytes, inspect, launchChromium, navigate, noScriptContext, pngInk, served, type Screen } from './helpers/chromium.ts'
import { csrfOf } from './helpers/browser.ts'
import { jan, world } from './helpers/world.ts'

/** The Dutch catalogue: the guide's words. */
const { label, text } = messages('nl')

const password = 'zonneschijn op het strand'


const browser = await launchChromium(t)

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const click = (page: Page, name: string) => navigate(page, () => button(page, name).click())
const heading = (s: Screen) => s.page.getByRole('heading', { level: 1 }).innerText()

await t.test('the whole walk, screen by screen, without JavaScript', async (t) => {
  const w = await world(t)
  const { base, axe } = await served(t, w, browser)
  await w.invite()

  // Stap 1: the invitation link (its path, on the real origin: PUBLIC_URL is not this test's port).
  const first = await noScriptContext(browser, base)
  t.teardown(() => first.close())
  const p1 = await first.newPage()
  let s = await navigate(p1, async () => p1.goto((await w.mail.lastLinkTo(jan.email, 'invite'))))
  await checkScreen(t, axe, s, 'invitation link')
  t.equal(await p1.getByLabel(label.username, { exact: true }).inputValue(), jan.username)
  t.equal(await p1.getByLabel(label.email, { exact: true }).inputValue(), jan.email)
  t.ok(await p1.getByLabel(label.email, { exact: true }).getAttribute('readonly') !== null, 'the e-mail address is read-only')
  s = await click(p1, label.next)
  await checkScreen(t, axe, s, 'e-mail verified')
  t.match(await heading(s), /geverifieerd/)

  // The second mail's link works in another browser.
  const second = await noScriptContext(browser, base)
  t.teardown(() => second.close())
  const p = await second.newPage()
  // It opens Stap 2 directly; 'Stuur verificatiecode' binds this browser and sends the SMS.
  s = await navigate(p, async () => p.goto((await w.mail.lastLinkTo(jan.email, 'continue'))))

  // Stap 2: the phone.
  await checkScreen(t, axe, s, 'phone verification (the second mail link)')
  t.equal(await heading(s), text.accountVerification)
  t.equal(await p.getByLabel(label.phone, { exact: true }).inputValue(), 'XXX-XXXX-1361')
  s = await click(p, label.sendCode)
  await checkScreen(t, axe, s, 'phone code sent')
  const code = p.getByLabel(label.code, { exact: true })
  t.equal(await code.getAttribute('autocomplete'), 'one-time-code')
  t.equal(await code.getAttribute('inputmode'), 'numeric')
  // A wrong code first: the error screen must pass the same checks.
  const right = await w.sms.lastCodeTo(jan.phone)
  await code.fill(right === '000000' ? '111111' : '000000')
  s = await click(p, label.verifyCode)
  // 422: a wrong code stays on the page, with the error.
  await checkScreen(t, axe, s, 'phone wrong code', 422)
  t.equal(await p.getByLabel(label.code, { exact: true }).getAttribute('aria-invalid'), 'true')
  t.equal(await p.getByRole('alert').count(), 1, 'the error summary is announced')
  await p.getByLabel(label.code, { exact: true }).fill(right)
  s = await click(p, label.verifyCode)

  // Stap 3: the password.
  await checkScreen(t, axe, s, 'set password')
  t.equal(await heading(s), text.passwordTitle)
  await p.getByLabel(label.newPassword, { exact: true }).fill(password)
  await p.getByLabel(label.confirmPassword, { exact: true }).fill(password)
  s = await click(p, label.next)
  await checkScreen(t, axe, s, 'password updated')
  t.match(await p.locator('main').innerText(), text.passwordUpdated)
  s = await click(p, label.next)

  // Stap 4: the method, the app checked by default.
  await checkScreen(t, axe, s, 'choose method')
  t.match(await p.locator('main').innerText(), text.methodTitle)
  t.ok(await p.getByLabel(label.methodApp, { exact: true }).isChecked(), 'the app is checked by default')
  s = await click(p, label.next)

  // Stap 5: the app. The QR is drawn on the server and visible without JavaScript.
  await checkScreen(t, axe, s, 'enroll app')
  t.equal(await heading(s), text.appTitle)
  const qr = p.locator('.qr img')
  const box = await qr.boundingBox()
  t.ok(box && box.width >= 100 && box.height >= 100, `the QR is drawn (${JSON.stringify(box)})`)
  const shot = await p.screenshot({ fullPage: true })
  t.ok(shot.length > 1000, 'a screenshot of the page')
  const ink = pngInk(await qr.screenshot())
  // A QR is roughly half dark modules on a light ground: a blank or hidden box has no dark pixels.
  t.ok(ink.dark > ink.width * ink.height * 0.2 && ink.light > ink.width * ink.height * 0.2, `the QR shows dark modules on light (${JSON.stringify(ink)})`)
  const uri = (await p.getByRole('link', { name: text.appOpenLink }).getAttribute('href'))!
  t.match(uri, /^otpauth:\/\/totp\//)
  const secret = new URL(uri).searchParams.get('secret')!
  t.equal((await p.locator('code.secret').innerText()).replace(/\s/g, ''), secret, 'the same secret as grouped text')
  await p.getByLabel(label.appCode, { exact: true }).fill(await w.totp(secret))
  s = await click(p, label.continue)

  // Signed in: home with the name.
  await checkScreen(t, axe, s, 'home')
  t.match(await p.locator('main').innerText(), /Welkom, Jan de Vries/)
  s = await click(p, label.logout)
  await checkScreen(t, axe, s, 'signed out')
  t.match(await p.locator('main').innerText(), text.loggedOut)

  // Stap 6: sign in again, with a new app code (the one used for enrolment is spent).
  await p.getByLabel(label.username, { exact: true }).fill(jan.username!)
  s = await click(p, label.next)
  await checkScreen(t, axe, s, 'password')
  t.ok(await p.getByRole('link', { name: label.forgot }).isVisible(), 'the forgot-password link')
  await p.getByLabel(label.password, { exact: true }).fill(password)
  s = await click(p, label.next)
  await checkScreen(t, axe, s, 'app code')
  w.clock.advanceSeconds(30)
  await p.getByLabel(label.code, { exact: true }).fill(await w.totp(secret))
  s = await click(p, label.verifyCode)
  await checkScreen(t, axe, s, 'home again')
  t.match(await p.locator('main').innerText(), /Welkom, Jan de Vries/)
  s = await click(p, label.logout)
  t.match(await p.locator('main').innerText(), text.loggedOut)
  t.match(new URL(p.url()).pathname, /^\/inloggen/)
})

await t.test('the screen checks catch a broken screen', async (t) => {
  const w = await world(t)
  const { base, axe } = await served(t, w, browser)
  const context = await noScriptContext(browser, base)
  t.teardown(() => context.close())
  const page = await context.newPage()
  // The real sign-in page with one of each fault a template could bring in.
  const good = await navigate(page, () => page.goto('/inloggen'))
  const broken = good.html.replace(
    '</h1>',
    '</h1><p style="color:#bbb">vaag</p><input id="los"><div style="width:40rem">breed</div><script>1</script>' +
      `<!-- ${'x'.repeat(16 * 1024)} -->`,
  )
  await page.route(`${base}/kapot`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: broken }))
  const f = await inspect(axe, await navigate(page, () => page.goto('/kapot')))
  t.match(f.violations.join('\n'), /^color-contrast/m, 'axe sees the faint text')
  t.match(f.violations.join('\n'), /^label/m, 'axe sees the unlabelled input')
  t.ok(f.scriptTags > 0 && f.scriptElements > 0, 'the script is found')
  t.same(f.unlabelled, ['los'], 'the unlabelled input is named')
  t.ok(f.bytes >= htmlBudgetBytes, 'the size is over budget')
  t.ok(f.scrollWidth > 320, 'the page scrolls sideways at 320 px')
  t.ok(f.wide.some((line) => line.startsWith('div')), 'the wide element is named')
  // And the real page passes, so the faults above are what the checks saw.
  const clean = await inspect(axe, await navigate(page, () => page.goto('/inloggen')))
  t.same([clean.violations, clean.scriptTags + clean.scriptElements, clean.unlabelled, clean.wide], [[], 0, [], []], 'the real page is clean')
  t.ok(clean.bytes < htmlBudgetBytes && clean.scrollWidth <= 320, 'small, and fits 320 px')
})

await t.test('the screens off the walk pass the same checks', async (t) => {
  const w = await world(t)
  const { base, axe } = await served(t, w, browser)
  await w.invite()
  const invite = await w.mail.lastLinkTo(jan.email, 'invite')
  const used = w.browser()
  await used.get(invite)
  await used.submit('Volgende')
  const context = await noScriptContext(browser, base)
  t.teardown(() => context.close())
  const p = await context.newPage()

  // In order, on one page: a used link, errors, the forgot-password path up to the new password.
  const screens: { name: string; status: number; go: () => Promise<Screen>; then?: () => Promise<void> }[] = [
    { name: 'used invitation link', status: 410, go: () => navigate(p, () => p.goto(invite)) },
    { name: 'page not found', status: 404, go: () => navigate(p, () => p.goto('/bestaat-niet')) },
    { name: 'disclaimer', status: 200, go: () => navigate(p, () => p.goto('/disclaimer')) },
    { name: 'sign-in, nothing typed', status: 422, go: async () => (await navigate(p, () => p.goto('/inloggen')), (await click(p, label.next))) },
    {
      name: 'wrong password',
      status: 422,
      go: async () => {
        await p.getByLabel(label.username, { exact: true }).fill(jan.username!)
        await click(p, label.next)
        await p.getByLabel(label.password, { exact: true }).fill('niet het goede wachtwoord')
        return await click(p, label.next)
      },
    },
    { name: 'forgot password', status: 200, go: () => navigate(p, () => p.getByRole('link', { name: label.forgot }).click()) },
    {
      name: 'forgot password, no e-mail',
      status: 422,
      go: () => click(p, label.next),
      then: async () => {
        t.equal(await p.getByLabel(label.email, { exact: true }).getAttribute('aria-invalid'), 'true')
      },
    },
    {
      name: 'reset: phone',
      status: 200,
      go: async () => {
        await p.getByLabel(label.email, { exact: true }).fill(jan.email)
        return await click(p, label.next)
      },
    },
    {
      name: 'reset: new password',
      status: 200,
      go: async () => {
        await click(p, label.sendCode)
        await p.getByLabel(label.code, { exact: true }).fill((await w.sms.lastCodeTo(jan.phone)))
        return await click(p, label.verifyCode)
      },
      then: async () => {
        t.ok(await p.getByLabel(label.temporaryPassword, { exact: true }).isVisible(), 'the temporary password field')
      },
    },
    {
      name: 'reset: new password, too short',
      status: 422,
      go: async () => {
        await p.getByLabel(label.newPassword, { exact: true }).fill('kort')
        return await click(p, label.next)
      },
    },
  ]
  for (const screen of screens) {
    await checkScreen(t, axe, await screen.go(), screen.name, screen.status)
    await screen.then?.()
  }
})

// What a real browser sends with a form post under `Referrer-Policy: no-referrer`: `Origin: null`
// (Chromium did, in the walk above), with `Sec-Fetch-Site: same-origin`, or with no Sec-Fetch-Site at
// all from an old browser. Both are the patient's own form (the token decides); a Sec-Fetch-Site that
// names another site is refused. Through inject: no browser needed.
await t.test('Origin: null is a form post of this site unless Sec-Fetch-Site says otherwise', async (t) => {
  const w = await world(t)
  const rows: { headers: Record<string, string>; status: number }[] = [
    { headers: { origin: 'null', 'sec-fetch-site': 'same-origin' }, status: 303 },
    { headers: { origin: 'null' }, status: 303 },
    { headers: { origin: 'null', 'sec-fetch-site': 'same-site' }, status: 403 },
    { headers: { origin: 'null', 'sec-fetch-site': 'cross-site' }, status: 403 },
    { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }, status: 403 },
  ]
  for (const row of rows) {
    const b = w.browser({ followRedirects: false })
    await b.get('/inloggen')
    await b.request({ method: 'POST', url: '/inloggen', headers: row.headers, form: { _csrf: csrfOf(b.html)!, username: 'jdevries' } })
    t.equal(b.status, row.status, JSON.stringify(row.headers))
  }
})
