// Issue 19 item 2: an account's sign-ins at the practice's apps end whenever its sessions end, not only
// at the portal's own Uitloggen. For each way (Uitloggen op alle andere apparaten, a password change, the
// forgot-password path, the practice's factor reset, deactivation, erasure, and the operator's CLI): an
// app holds an access token from another browser; afterwards userinfo refuses it, the app's back-channel
// receiver got a logout token for that sign-in, and the provider's rows of the account are gone. "Other
// devices" and a password change keep this browser's own app sign-in. Deactivate then activate: the old
// token stays dead, also one whose provider session was gone already.
import t, { type Test } from 'tap'
import * as client from 'openid-client'
import { activate, deactivate, erase, resetSecondFactor } from '../src/domain/patients.ts'
import { sha256 } from '../src/domain/secrets.ts'
import { messages } from '../src/messages.ts'
import { subjectOf } from '../src/oidc/accounts.ts'
import { providerCookies } from '../src/oidc/cookies.ts'
import { admin } from './helpers/admin.ts'
import type { Browser } from './helpers/browser.ts'
import { authRequest, backchannelReceiver, leftTo, oidcWorld, redeem, registerApp, verifiedByJwks, type App, type OidcWorld } from './helpers/oidc.ts'
import { onboardWithApp, resetPassword, signInWithApp, startForgot, type AppPatient } from './helpers/patients.ts'
import { act, addStaff, anna, onboard } from './helpers/practice.ts'


interface Signed {
  token: string
  sub: string
  sid: string
}

/** The app's sign-in through the portal in `b` (signed in there already: single sign-on), redeemed. */
async function appSignIn(b: Browser, app: App): Promise<Signed> {
  const auth = await authRequest(app)
  await b.get(auth.url.href)
  const tokens = await redeem(app, leftTo(b), auth)
  const claims = tokens.claims()!
  return { token: tokens.access_token, sub: claims.sub, sid: String(claims.sid) }
}

const works = async (app: App, s: Signed) => (await client.fetchUserInfo(app.config, s.token, s.sub)).sub === s.sub
const refused = (app: App, s: Signed) => client.fetchUserInfo(app.config, s.token, s.sub).then(() => false, () => true)

/** The provider's rows that name the account (sessions, grants, tokens, codes), by model. */
async function providerRows(w: OidcWorld, sub: string): Promise<Record<string, number>> {
  // The payload is JSON kept as text: read here, not in SQL (whose JSON functions differ by engine).
  const rows = await w.sql.all<{ model: string; payload: string }>('select model, payload from oidc_artifacts')
  const counts: Record<string, number> = {}
  for (const row of rows) if ((JSON.parse(row.payload) as { accountId?: string }).accountId === sub) counts[row.model] = (counts[row.model] ?? 0) + 1
  return counts
}

/** The logout tokens the receiver got, checked against the published keys: their sub and sid. */
async function logoutsReceived(w: OidcWorld, received: { body: string }[]) {
  return await Promise.all(
    received.map(async (r) => {
      const { payload } = await verifiedByJwks(w.issuer, new URLSearchParams(r.body).get('logout_token')!)
      return { sub: payload.sub, sid: payload.sid, event: Boolean((payload.events as Record<string, unknown>)['http://schemas.openid.net/event/backchannel-logout']) }
    }),
  )
}

interface Setup {
  w: OidcWorld
  app: App
  received: { path: string; body: string }[]
  patient: AppPatient
  /** The app's sign-in from another browser (the one to end). */
  other: Signed
  otherBrowser: Browser
}

async function setup(t: Test): Promise<Setup> {
  const w = await oidcWorld(t)
  const { url, received } = await backchannelReceiver(t)
  const app = await registerApp(w, { name: 'Dossier', backchannelLogoutUri: url })
  const patient = await onboardWithApp(w)
  w.clock.advanceSeconds(30)
  const otherBrowser = await signInWithApp(w, w.browser(), patient)
  const other = await appSignIn(otherBrowser, app)
  t.ok(await works(app, other), 'the app reads the patient with its token')
  return { w, app, received, patient, other, otherBrowser }
}

async function endedElsewhere(t: Test, s: Setup, kept?: Signed) {
  await s.w.deps.appSignIns.idle()
  t.ok(await refused(s.app, s.other), "userinfo refuses the other browser's token")
  const logouts = await logoutsReceived(s.w, s.received)
  t.same(logouts, [{ sub: s.other.sub, sid: s.other.sid, event: true }], 'the app got one logout token, for that sign-in')
  const rows = await providerRows(s.w, s.other.sub)
  if (kept) {
    t.ok(await works(s.app, kept), "this browser's own app sign-in stays")
    // (and its code, redeemed already, kept by the provider until it expires a minute later)
    t.same(rows, { Session: 1, Grant: 1, AccessToken: 1, AuthorizationCode: 1 }, "only this browser's provider session, grant, token and spent code remain")
  } else {
    t.same(rows, {}, 'no provider row of the account remains')
  }
  await s.otherBrowser.get('/')
  t.equal(s.otherBrowser.url, '/inloggen', 'the other browser is signed out of the portal too')
}

await t.test('Uitloggen op alle andere apparaten: the other browser\'s app sign-ins end, this one\'s stay', async (t) => {
  const s = await setup(t)
  const b = s.patient.browser
  const mine = await appSignIn(b, s.app)
  t.ok(b.cookies.has(providerCookies(s.w.config).names.session), 'this browser has a provider session')
  await b.get('/beveiliging/andere-apparaten')
  await b.submit('Uitloggen op alle andere apparaten', { 'current-password': s.patient.password })
  t.match(b.text, /Beveiliging/)
  await endedElsewhere(t, s, mine)
  const audit = await s.w.audit(s.patient.account.id)
  t.ok(audit.some((e) => e.event === 'oidc_sign_ins_ended' && e.detail!.includes('"via":"self"')), 'audited')
  t.ok(audit.some((e) => e.event === 'oidc_backchannel_logout' && e.outcome === 'success'), 'the back-channel call audited')
})

await t.test('Wachtwoord wijzigen: the other browser\'s app sign-ins end, this one\'s stay', async (t) => {
  const s = await setup(t)
  const b = s.patient.browser
  const mine = await appSignIn(b, s.app)
  const next = 'een heel nieuw wachtwoord voor jan'
  await b.get('/beveiliging/wachtwoord')
  await b.submit('Wachtwoord wijzigen', { 'current-password': s.patient.password, 'Nieuw wachtwoord': next, 'Bevestiging wachtwoord': next })
  t.match(b.text, /Uw wachtwoord is gewijzigd|wachtwoord is gewijzigd/i)
  await endedElsewhere(t, s, mine)
})

await t.test('the forgot-password path: every app sign-in of the account ends', async (t) => {
  const s = await setup(t)
  const c = s.w.browser()
  await startForgot(c, s.patient.account.username, s.patient.account.email)
  await resetPassword(s.w, c, s.patient.account, 'een heel nieuw wachtwoord voor jan')
  await endedElsewhere(t, s)
  await s.patient.browser.get('/')
  t.equal(s.patient.browser.url, '/inloggen', 'the first browser too')
})

for (const how of ['web', 'cli-domain'] as const) {
  await t.test(`the practice's factor reset (${how}): every app sign-in of the account ends`, async (t) => {
    const s = await setup(t)
    if (how === 'web') {
      await addStaff(s.w, anna)
      const staff = await onboard(s.w, anna)
      await staff.b.get(`/praktijk/clienten/${s.patient.account.id}`)
      await act(staff.b, messages('nl').label.resetMfa)
    } else {
      t.ok((await resetSecondFactor(s.w.deps, { actor: 'cli' }, s.w.practice.id, s.patient.account.id)).ok)
    }
    await endedElsewhere(t, s)
  })
}

await t.test('deactivation revokes every grant, also one whose provider session is gone; activate does not bring a token back', async (t) => {
  const s = await setup(t)
  // A sign-in whose provider session is gone already (swept, or ended by the provider): its grant and
  // token rows are still there. (oidc-provider refuses such a token already: it expires with its session.)
  await appSignIn(s.patient.browser, s.app)
  const sessionCookie = s.patient.browser.cookies.get(providerCookies(s.w.config).names.session)!
  await s.w.sql.run("delete from oidc_artifacts where model = 'Session' and id = ?", sha256(sessionCookie))
  t.same(await providerRows(s.w, s.other.sub), { Session: 1, Grant: 2, AccessToken: 2, AuthorizationCode: 2 }, 'two grants, one of them without a session')

  t.ok((await deactivate(s.w.deps, { actor: 'cli' }, s.w.practice.id, s.patient.account.id)).ok)
  await endedElsewhere(t, s)
  t.ok((await activate(s.w.deps, { actor: 'cli' }, s.w.practice.id, s.patient.account.id)).ok)
  t.ok(await refused(s.app, s.other), 'after activation the old token stays dead')
})

await t.test('erasure: every app sign-in of the account ends', async (t) => {
  const s = await setup(t)
  const sub = await subjectOf(s.w.deps, s.patient.account.id)
  t.ok((await erase(s.w.deps, { actor: 'cli' }, s.w.practice.id, s.patient.account.id)).ok)
  await endedElsewhere(t, s)
  t.same(await providerRows(s.w, sub), {})
})

for (const command of ['deactivate', 'reset-mfa'] as const) {
  await t.test(`the operator's CLI (${command}, a process without the server's provider): rows revoked, the app told`, async (t) => {
    const s = await setup(t)
    const run = await admin(s.w.databasePath, [command, s.patient.account.username], { PUBLIC_URL: s.w.issuer })
    t.equal(run.code, 0, run.stderr)
    // The CLI has told the app before it exited: nothing to wait for here.
    t.equal(s.received.length, 1, 'the back-channel call came from the CLI')
    await endedElsewhere(t, s)
    if (command === 'deactivate') {
      t.ok((await activate(s.w.deps, { actor: 'cli' }, s.w.practice.id, s.patient.account.id)).ok)
      t.ok(await refused(s.app, s.other), 'activated again: the token stays dead')
    }
  })
}

await t.test('an app sign-in the portal finished but the app has not yet taken back is void too', async (t) => {
  const s = await setup(t)
  // The other browser's portal session in a tab without its provider cookies (so the provider asks our
  // interaction), its app sign-in stopped just before the provider's resume would make a code.
  const raw = s.w.browser({ followRedirects: false })
  raw.cookies = new Map([...s.otherBrowser.cookies].filter(([name]) => !name.startsWith('mtd_oidc')))
  const auth = await authRequest(s.app)
  await raw.get(auth.url.href)
  const interaction = raw.history.at(-1)!.location!
  t.match(interaction, /^\/interaction\//)
  await raw.get(interaction)
  const resume = new URL(raw.history.at(-1)!.location!, s.w.issuer)
  t.match(resume.pathname, /^\/oidc\/auth\//, 'the sign-in is finished; the resume is next')
  const pending = async () =>
    (await s.w.sql.all<{ payload: string }>("select payload from oidc_artifacts where model = 'Interaction'")).filter((r) => (JSON.parse(r.payload) as { result?: { login?: unknown } }).result?.login != null).length
  t.equal(await pending(), 1)

  await s.patient.browser.get('/beveiliging/andere-apparaten')
  await s.patient.browser.submit('Uitloggen op alle andere apparaten', { 'current-password': s.patient.password })
  t.equal(await pending(), 0, 'the finished sign-in is gone')
  await raw.get(resume.pathname + resume.search)
  const to = raw.history.at(-1)!.location ?? ''
  t.notMatch(to, /[?&]code=/, 'the resume makes no code for the app')
})
