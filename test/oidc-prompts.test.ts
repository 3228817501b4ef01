// Issue 19 items 5 and 6: what an app's authorization request may do to the portal session.
// prompt=login or max_age=0 from a link on another site asks for a fresh sign-in but ends nothing: the
// portal session stays until that sign-in completes, and a sign-in that proves another account
// replaces it only then. An id_token_hint naming another patient than the one signed in is refused
// (login_required), never answered with a code for the one signed in.
import t from 'tap'
import { subjectOf } from '../src/oidc/accounts.ts'
import { authRequest, continueToApp, leftTo, oidcWorld, redeem, registerApp, type App, type OidcWorld } from './helpers/oidc.ts'
import { enterPassword, onboardWithApp, type AppPatient } from './helpers/patients.ts'
import type { Browser } from './helpers/browser.ts'

const els = { name: 'Els Bakker', email: 'els@example.org', phone: '+31612340099', username: 'ebakker' }

/** A cross-site navigation, as a browser sends it when a link on another site is followed. */
const crossSite = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }

async function signIn(w: OidcWorld, b: Browser, p: AppPatient): Promise<void> {
  w.clock.advanceSeconds(30)
  await enterPassword(b, p.account.username, p.password)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
}

for (const [what, params] of [['prompt=login', { prompt: 'login' }], ['max_age=0', { max_age: '0' }]] as const) {
  await t.test(`${what} from another site, abandoned: the patient stays signed in to the portal`, async (t) => {
    const w = await oidcWorld(t)
    const jan = await onboardWithApp(w)
    const app = await registerApp(w, { name: 'Dossier' })
    const b = jan.browser
    const auth = await authRequest(app, params)
    await b.get(auth.url.href, crossSite)
    t.equal(b.url, '/inloggen', 'the app asked for a fresh sign-in: the sign-in page')
    t.notOk((await w.audit(jan.account.id)).some((e) => e.event === 'logout'), 'nobody was signed out')
    await b.get('/')
    t.equal(b.url, '/', 'the home page, not the sign-in')
    t.match(b.text, /Welkom, Jan de Vries/, 'still signed in')
    // Single sign-on for an ordinary request still answers at once.
    const next = await authRequest(app)
    await b.get(next.url.href)
    const tokens = await redeem(app, leftTo(b), next)
    t.equal(tokens.claims()!.sub, await subjectOf(w.deps, jan.account.id))
  })
}

await t.test('prompt=login completed by the same patient: a fresh auth_time; by another: replaced only then', async (t) => {
  const w = await oidcWorld(t)
  const jan = await onboardWithApp(w)
  const other = await onboardWithApp(w, els)
  const app = await registerApp(w, { name: 'Dossier' })
  const b = jan.browser

  const same = await authRequest(app, { prompt: 'login' })
  await b.get(same.url.href, crossSite)
  t.equal(b.url, '/inloggen')
  await enterPassword(b, jan.account.username, jan.password)
  await b.get('/')
  t.match(b.text, /Welkom, Jan de Vries/, 'the password alone changes nothing: still Jan')
  await b.get('/account')
  t.equal(b.url, '/inloggen/app-code', 'then the second factor')
  w.clock.advanceSeconds(30)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(jan.secret) })
  const fresh = await redeem(app, await continueToApp(b), same)
  t.equal(fresh.claims()!.sub, await subjectOf(w.deps, jan.account.id))
  t.equal(fresh.claims()!.auth_time, Math.floor(w.clock.ms / 1000), 'auth_time is the fresh sign-in')

  const another = await authRequest(app, { prompt: 'login' })
  await b.get(another.url.href, crossSite)
  await signIn(w, b, other)
  const tokens = await redeem(app, await continueToApp(b), another)
  t.equal(tokens.claims()!.sub, await subjectOf(w.deps, other.account.id), 'the app gets Els, who signed in')
  await b.get('/')
  t.match(b.text, /Welkom, Els Bakker/, 'and the portal session is hers now')
})

/** An id_token of `p` from `app`, as the app keeps it after a sign-in. */
async function idTokenOf(w: OidcWorld, app: App, p: AppPatient): Promise<string> {
  const auth = await authRequest(app)
  await p.browser.get(auth.url.href)
  return (await redeem(app, leftTo(p.browser), auth)).id_token!
}

await t.test('id_token_hint: another patient than the one signed in is refused, in both directions', async (t) => {
  const w = await oidcWorld(t)
  const jan = await onboardWithApp(w)
  const other = await onboardWithApp(w, els)
  const app = await registerApp(w, { name: 'Dossier' })
  const hints = { jan: await idTokenOf(w, app, jan), els: await idTokenOf(w, app, other) }
  const rows: [string, AppPatient, string, AppPatient][] = [
    ['Jan signed in, the hint names Els', jan, hints.els, other],
    ['Els signed in, the hint names Jan', other, hints.jan, jan],
  ]
  for (const [what, signedIn, hint, named] of rows) {
    const auth = await authRequest(app, { id_token_hint: hint })
    await signedIn.browser.get(auth.url.href)
    const back = leftTo(signedIn.browser)
    t.equal(back.searchParams.get('error'), 'login_required', `${what}: login_required`)
    t.notOk(back.searchParams.get('code'), `${what}: no code`)
    await signedIn.browser.get('/')
    t.match(signedIn.browser.text, new RegExp(`Welkom, ${signedIn.account.name}`), `${what}: still signed in as before`)
    // The hint naming the one signed in: single sign-on as usual.
    const own = await authRequest(app, { id_token_hint: hint })
    await named.browser.get(own.url.href)
    const tokens = await redeem(app, leftTo(named.browser), own)
    t.equal(tokens.claims()!.sub, await subjectOf(w.deps, named.account.id), `${what}: the named patient's own browser gets a code`)
  }

  // Nobody signed in: whoever signs in must be the one the hint names.
  const c = w.browser()
  const wrong = await authRequest(app, { id_token_hint: hints.els })
  await c.get(wrong.url.href)
  t.equal(c.url, '/inloggen')
  await signIn(w, c, jan)
  const refused = await continueToApp(c)
  t.equal(refused.searchParams.get('error'), 'login_required', 'Jan signs in for a hint naming Els: login_required')
  t.notOk(refused.searchParams.get('code'))
  const d = w.browser()
  const right = await authRequest(app, { id_token_hint: hints.jan })
  await d.get(right.url.href)
  await signIn(w, d, jan)
  const tokens = await redeem(app, await continueToApp(d), right)
  t.equal(tokens.claims()!.sub, await subjectOf(w.deps, jan.account.id), 'Jan signs in for a hint naming Jan: a code')
})
