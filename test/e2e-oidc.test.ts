// The OpenID Connect code flow in a real headless Chromium with JavaScript off, from the demo app
// (/dev/app, openid-client as the relying party) through the portal's own sign-in pages, over the
// /interaction/:uid/verder page's meta refresh, to the app's page with the verified claims, and back
// out through the provider's logout: the app and the portal both signed out.
import { hangGuardMs } from './helpers/patience.ts'
import type { ConsoleMessage, Response } from 'playwright-core'
import t from 'tap'
import { messages } from '../src/messages.ts'
import { subjectOf } from '../src/oidc/accounts.ts'
import { seedDemoApp } from '../src/oidc/dev-app.ts'
import { launchChromium, navigate, noScriptContext } from './helpers/chromium.ts'
import { freePort } from './helpers/net.ts'
import { onboardWithApp } from './helpers/patients.ts'
import { world } from './helpers/world.ts'

const { label, oidcText } = messages('nl')

const browser = await launchChromium(t)

await t.test('JS off: /dev/app -> portal sign-in -> /verder follows its meta refresh -> verified claims -> signed out of app and portal', async (t) => {
  // The portal in development mode on 127.0.0.1, PUBLIC_URL the very origin the browser uses: the
  // demo app (on the portal itself) discovers the provider over HTTP at PUBLIC_URL.
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  // oidc-provider reads Date.now() for its own times: the fake clock starts at the real time.
  const w = await world(t, { env: { NODE_ENV: 'development', PUBLIC_URL: base, HOST: '127.0.0.1', PORT: String(port) }, clockMs: Date.now() })
  t.equal(w.config.mode, 'development', 'development mode')
  t.ok(w.config.devOutbox, 'the dev app is available')
  await w.app.listen({ port, host: '127.0.0.1' })
  const clientId = await seedDemoApp(w.deps)
  t.ok(clientId, 'the demo app is registered for this origin, as server.ts does on an empty database')
  const patient = await onboardWithApp(w)

  const context = await noScriptContext(browser, base)
  t.teardown(() => context.close())
  const page = await context.newPage()
  const consoleLines: string[] = []
  page.on('console', (m: ConsoleMessage) => consoleLines.push(`${m.type()}: ${m.text()}`))
  const click = (name: string) => navigate(page, () => page.getByRole('button', { name, exact: true }).click())

  const start = await navigate(page, () => page.goto('/dev/app'))
  t.equal(start.response.status(), 200, '/dev/app answers')
  t.equal(await page.getByRole('heading', { level: 1 }).innerText(), oidcText.demoTitle, 'the demo app')

  const signInPage = await click(oidcText.demoSignIn)
  t.equal(new URL(signInPage.response.url()).pathname, '/inloggen', 'the app sent the browser to the portal sign-in')
  await page.getByLabel(label.username, { exact: true }).fill(patient.account.username)
  await click(label.next)
  await page.getByLabel(label.password, { exact: true }).fill(patient.password)
  await click(label.next)
  w.clock.advanceSeconds(30)
  await page.getByLabel(label.code, { exact: true }).fill(await w.totp(patient.secret))

  // Every document the browser loads from here on, in order.
  const documents: Response[] = []
  page.on('response', (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) documents.push(r)
  })
  const callbackPath = '/dev/app/terug'
  const isDocument = (r: Response, path: RegExp) => r.request().isNavigationRequest() && path.test(new URL(r.url()).pathname)
  // The meta refresh (delay 0) leaves /verder before Playwright could read its body, and Playwright's
  // routes skip a redirect's target: the DevTools protocol's Fetch domain holds the answer at the
  // response stage long enough to read it, then lets it through unchanged.
  let verderHtml = ''
  const cdp = await context.newCDPSession(page)
  cdp.on('Fetch.requestPaused', (e) => {
    void (async () => {
      const got = await cdp.send('Fetch.getResponseBody', { requestId: e.requestId })
      verderHtml = got.base64Encoded ? Buffer.from(got.body, 'base64').toString('utf8') : got.body
      await cdp.send('Fetch.continueRequest', { requestId: e.requestId })
    })()
  })
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/interaction/*/verder', requestStage: 'Response' }] })
  const atVerder = page.waitForResponse((r) => isDocument(r, /^\/interaction\/[^/]+\/verder$/), { timeout: hangGuardMs })
  const atApp = page.waitForResponse((r) => isDocument(r, /^\/dev\/app\/terug$/), { timeout: hangGuardMs })
  await page.getByRole('button', { name: label.verifyCode, exact: true }).click()
  const verder = await atVerder
  t.equal(verder.status(), 200, 'the sign-in ends on our /verder page')
  t.notOk((await verder.allHeaders()).refresh, 'no Refresh header: what moves the browser on is the meta refresh')
  t.match(verderHtml, /<meta http-equiv="refresh" content="0; url=/, 'with a meta refresh')
  t.match(verderHtml, new RegExp(oidcText.continueLink.replace('{app}', 'Demo-app')), 'and a link for browsers that ignore it')

  // No click: the meta refresh alone carries the browser on to the app.
  const landed = await atApp
  await page.waitForURL((u) => u.pathname === callbackPath, { timeout: hangGuardMs, waitUntil: 'load' })
  t.equal(landed.status(), 200, 'the app callback answers 200')
  const final = new URL(page.url())
  t.equal(final.origin, base, 'on the portal origin')
  t.equal(final.pathname, callbackPath, "the final URL is the app's callback")
  t.ok(final.searchParams.get('code'), 'with the authorization code')
  t.ok(final.searchParams.get('state'), 'and the state')
  const hops = documents.map((r) => `${r.status()} ${new URL(r.url()).pathname}`)
  t.match(hops.at(-1), /^200 \/dev\/app\/terug$/, `the last hop is the app's page (${hops.join(' -> ')})`)
  t.match(hops.join(' -> '), /^303 \/inloggen\/app-code -> 200 \/interaction\/[^/]+\/verder -> 303 \/oidc\/auth\/[^/]+ -> 200 \/dev\/app\/terug$/,
    'the form POST answers with our /verder page; its meta refresh (a GET, no form) goes through the provider to the app')
  t.ok(documents.every((r) => new URL(r.url()).origin === base), 'every hop on the origin the browser uses (PUBLIC_URL)')
  // Chromium reports a blocked hop on the console even with JavaScript off (checked by hand with a
  // form whose 303 led to another origin under form-action 'self': "... violates the following
  // Content Security Policy directive ... The request has been blocked.").
  t.same(consoleLines.filter((l) => /Content Security Policy|Refused to/i.test(l)), [], 'no CSP violation on the way')

  // The app's page with the verified claims.
  t.equal(await page.getByRole('heading', { level: 1 }).innerText(), oidcText.demoTitle, "the app's page")
  t.equal(await page.getByRole('status').innerText(), oidcText.demoSignedIn, 'signed in at the app')
  // Two lists: the id_token's claims (verified by openid-client), then the userinfo answer.
  const listed = async (nth: number) => {
    const list = page.locator('dl.claims').nth(nth)
    const names = await list.locator('dt').allInnerTexts()
    const values = await list.locator('dd').allInnerTexts()
    return Object.fromEntries(names.map((n, i) => [n, JSON.parse(values[i]!) as unknown])) as Record<string, unknown>
  }
  const claims = await listed(0)
  const userinfo = await listed(1)
  const sub = await subjectOf(w.deps, patient.account.id)
  t.equal(claims.sub, sub, 'id_token sub: the subject of the patient')
  t.same(claims.amr, ['pwd', 'otp', 'mfa'], 'id_token amr: password and app code')
  t.equal(claims.aud, clientId, 'id_token issued to the demo app')
  t.equal(claims.iss, base, 'by this portal')
  // The profile claims come with the access token, so oidc-provider puts them in userinfo, not the id_token.
  t.equal(userinfo.sub, sub, 'userinfo sub: the same patient')
  t.equal(userinfo.name, 'Jan de Vries', 'userinfo name')

  // Out: the app's button, the provider's question, and back at the app.
  const question = await click(oidcText.demoSignOut)
  t.match(new URL(question.response.url()).pathname, /^\/oidc\/session\/end/, "the provider's logout question")
  t.match(await page.locator('main').innerText(), /Demo-app/, 'naming the app')
  const back = await click(label.logout)
  t.equal(back.response.status(), 200, 'the confirmation lands with 200')
  t.equal(new URL(page.url()).href, `${base}/dev/app`, 'back at the demo app')
  t.equal(await page.getByRole('button', { name: oidcText.demoSignIn, exact: true }).count(), 1, 'signed out of the app: it offers to sign in again')
  t.same(consoleLines.filter((l) => /Content Security Policy|Refused to/i.test(l)), [], 'no CSP violation on the way out')

  const home = await navigate(page, () => page.goto('/'))
  t.equal(new URL(home.response.url()).pathname, '/inloggen', 'signed out of the portal too')
  t.ok((await w.audit(patient.account.id)).some((e) => e.event === 'logout' && e.detail?.includes('oidc')), 'the logout in the audit log')
})
