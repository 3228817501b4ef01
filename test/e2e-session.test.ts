// The session and CSRF plugins in a real headless Chromium with JavaScript off: a cookie planted
// before the visit never becomes the patient's session, and a form on another site that posts to the
// portal is refused while the patient stays signed in.
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { BrowserContext, Page } from 'playwright-core'
import t from 'tap'
import { messages } from '../src/messages.ts'
import { launchChromium, navigate, noScriptContext } from './helpers/chromium.ts'
import { onboardWithApp } from './helpers/patients.ts'
import { world, type World } from './helpers/world.ts'

/** The Dutch catalogue: the guide's words. */
const { label } = messages('nl')

const browser = await launchChromium(t)

const click = (page: Page, name: string) => navigate(page, () => page.getByRole('button', { name, exact: true }).click())

async function portal(t: Parameters<typeof world>[0]): Promise<{ w: World; base: string }> {
  const w = await world(t)
  await w.app.listen({ port: 0, host: '127.0.0.1' })
  return { w, base: `http://127.0.0.1:${(w.app.server.address() as AddressInfo).port}` }
}

/** Signs in with password and app code in `context`; ends on the home page. */
async function signIn(w: World, context: BrowserContext, p: Awaited<ReturnType<typeof onboardWithApp>>): Promise<Page> {
  const page = await context.newPage()
  await navigate(page, () => page.goto('/inloggen'))
  await page.getByLabel(label.username, { exact: true }).fill(p.account.username)
  await click(page, label.next)
  await page.getByLabel(label.password, { exact: true }).fill(p.password)
  await click(page, label.next)
  w.clock.advanceSeconds(30)
  await page.getByLabel(label.code, { exact: true }).fill(await w.totp(p.secret))
  await click(page, label.verifyCode)
  return page
}

const sessionCookie = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === 'mtd_session')

await t.test('a planted session cookie never becomes the session', async (t) => {
  const { w, base } = await portal(t)
  const patient = await onboardWithApp(w)
  // A signed cookie of a real, still valid session of someone else (the attacker's own), planted.
  const attacker = w.browser()
  await attacker.get('/inloggen')
  await attacker.submit(label.next, { username: 'wie-dan-ook' })
  const planted = attacker.cookies.get('mtd_session')!
  const plantedId = decodeURIComponent(planted).split('.')[0]!

  const context = await noScriptContext(browser, base)
  t.teardown(() => context.close())
  await context.addCookies([{ name: 'mtd_session', value: planted, url: base, httpOnly: true, sameSite: 'Lax' }])
  const page = await signIn(w, context, patient)
  t.match(await page.getByRole('heading', { level: 1 }).innerText(), /Mijn Therapie Dossier/)
  t.match(await page.locator('main').innerText(), /Welkom, Jan de Vries/, 'signed in')
  const now = await sessionCookie(context)
  t.ok(now, 'the browser holds a session cookie')
  t.not(decodeURIComponent(now!.value).split('.')[0], plantedId, 'not the planted id: a new one at sign-in')
  const rows = await w.sql.all<{ accountId: number | null }>('select account_id as "accountId" from sessions where id = ?', createHash('sha256').update(plantedId).digest('hex'))
  t.notOk(rows.some((r) => r.accountId === patient.account.id), 'the planted id is not signed in as the patient')
})

await t.test('a form on another site that posts to the portal is refused; the patient stays signed in', async (t) => {
  const { w, base } = await portal(t)
  const patient = await onboardWithApp(w)
  // Another site: localhost instead of 127.0.0.1 is another site to the browser.
  const evil = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.end(`<!doctype html><title>Win een prijs</title><form method="post" action="${base}/uitloggen"><input type="hidden" name="_csrf" value="geraden"><button>Claim uw prijs</button></form>`)
  })
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve))
  t.teardown(() => evil.close())
  const evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`

  const context = await noScriptContext(browser, base)
  t.teardown(() => context.close())
  const page = await signIn(w, context, patient)
  t.match(await page.locator('main').innerText(), /Welkom, Jan de Vries/)
  const before = (await sessionCookie(context))!.value

  await navigate(page, () => page.goto(evilUrl))
  const refused = await click(page, 'Claim uw prijs')
  t.equal(refused.response.status(), 403, 'the cross-site post is refused')
  t.match(await page.locator('main').innerText(), /Formulier verlopen/, 'with the Dutch page')

  const home = await navigate(page, () => page.goto(`${base}/`))
  t.equal(home.response.url(), `${base}/`, 'still on the home page')
  t.match(await page.locator('main').innerText(), /Welkom, Jan de Vries/, 'still signed in')
  t.equal((await sessionCookie(context))!.value, before, 'the same session')
  t.notOk((await w.audit()).some((e) => e.event === 'logout'), 'no sign-out happened')
})
