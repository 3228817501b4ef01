// Issue 20, "apps know the practice": the `practice` scope puts { id, name } of the account's practice
// in the id_token and userinfo, so one dossier app for every practice opens the right dossier; an app
// limited to one practice tells a patient of another, after the full sign-in, that it is not for their
// practice, and nothing is issued (no code), also when they were already signed in (single sign-on).
import t from 'tap'
import * as client from 'openid-client'
import type { NewAccount } from '../src/domain/accounts.ts'
import { authRequest, continueToApp, leftTo, oidcWorld, redeem, registerApp, type OidcWorld } from './helpers/oidc.ts'
import { enterPassword, onboardWithApp, signInWithApp, type AppPatient } from './helpers/patients.ts'

const piet: NewAccount = { name: 'Piet Peters', email: 'piet@example.org', phone: '+31612341371', username: 'ppeters' }

async function setUp(t: Parameters<typeof oidcWorld>[0]) {
  const w = await oidcWorld(t, { PRACTICE_NAME: 'Praktijk De Linde', PRACTICE_CONTACT: '030 111 11 11' })
  const zonnebloem = await w.addPractice({ name: 'Praktijk Zonnebloem', contact: '020 222 22 22', slug: 'zonnebloem' })
  const jan = await onboardWithApp(w)
  const pietP = await onboardWithApp(w, piet, undefined, zonnebloem.id)
  await jan.browser.submit('Uitloggen')
  await pietP.browser.submit('Uitloggen')
  return { w, linde: w.practice, zonnebloem, jan, piet: pietP }
}

/** The password and the app code, on whatever browser the app sent to the sign-in. */
async function signIn(w: OidcWorld, b: Parameters<typeof enterPassword>[0], p: AppPatient) {
  w.clock.advanceSeconds(30)
  await enterPassword(b, p.account.username, p.password)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
}

const codes = (w: OidcWorld) => w.sql.count("select count(*) from oidc_artifacts where model = 'AuthorizationCode'")

await t.test('the practice scope: { id, name } in the id_token and userinfo, listed in discovery', async (t) => {
  const { w, piet, jan } = await setUp(t)
  const app = await registerApp(w, { name: 'Dossier' })
  const meta = app.config.serverMetadata()
  t.ok(meta.scopes_supported?.includes('practice'), 'discovery lists the scope')
  t.ok((meta.claims_supported as string[] | undefined)?.includes('practice'), 'and the claim')

  for (const [patient, practice] of [[piet, { id: 'zonnebloem', name: 'Praktijk Zonnebloem' }], [jan, { id: 'praktijk', name: 'Praktijk De Linde' }]] as const) {
    const b = w.browser()
    const auth = await authRequest(app, { scope: 'openid practice' })
    await b.get(auth.url.href)
    await signIn(w, b, patient)
    const tokens = await redeem(app, await continueToApp(b), auth)
    t.same(tokens.claims()!.practice, practice, `${patient.account.username}: the id_token names the practice`)
    const info = await client.fetchUserInfo(app.config, tokens.access_token, tokens.claims()!.sub)
    t.same(info.practice, practice, `${patient.account.username}: and userinfo`)
  }

  // Without the scope, neither says it.
  const b = w.browser()
  const auth = await authRequest(app, { scope: 'openid profile' })
  await b.get(auth.url.href)
  await signIn(w, b, piet)
  const tokens = await redeem(app, await continueToApp(b), auth)
  t.notOk('practice' in tokens.claims()!, 'not in the id_token without the scope')
  const info = await client.fetchUserInfo(app.config, tokens.access_token, tokens.claims()!.sub)
  t.notOk('practice' in info, 'nor in userinfo')
})

await t.test('an app limited to practice A, tried by a patient of B: told after the sign-in, nothing issued', async (t) => {
  const { w, linde, jan, piet } = await setUp(t)
  const app = await registerApp(w, { name: 'Linde-dossier', practiceId: linde.id })
  const before = await codes(w)

  const b = w.browser()
  const auth = await authRequest(app, { scope: 'openid practice' })
  await b.get(auth.url.href)
  t.equal(b.url, '/inloggen', 'the sign-in, as for any app')
  // The walk names the app the browser came from (issue 23.7: its registered name, here 'Linde-dossier'),
  // never a practice: that says nothing of the account typed next.
  t.match(b.$('h1').text(), /^Inloggen bij Linde-dossier$/, 'the app, by its registered name')
  t.notMatch(b.text, /Praktijk De Linde|Zonnebloem|030 111|020 222/, 'which names no practice')
  await enterPassword(b, piet.account.username, piet.password)
  t.notMatch(b.text, /Praktijk De Linde|Zonnebloem|030 111|020 222|niet voor uw praktijk/, 'nothing told before the second factor')
  w.clock.advanceSeconds(30)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(piet.secret) })
  t.equal(b.status, 403)
  t.equal(b.$('h1').text(), 'Deze app is niet voor uw praktijk')
  t.match(b.text, /Linde-dossier is een app van een andere praktijk/, 'told plainly')
  t.match(b.text, /Vraag Praktijk Zonnebloem \(020 222 22 22\) welke app u kunt gebruiken/, "with the patient's own practice and contact")
  t.notMatch(b.text, /Linde \(|030 111/, "never the app's practice")
  t.equal(await codes(w), before, 'no code issued')
  t.equal((await w.audit(piet.account.id)).filter((e) => e.event === 'oidc_authorization').length, 0, 'no authorization')
  const refusal = (await w.audit(piet.account.id)).filter((e) => e.event === 'oidc_wrong_practice')
  t.equal(refusal.length, 1, 'the refusal is audited')
  t.match(JSON.parse(refusal[0]!.detail!), { clientId: app.id, client: 'Linde-dossier' })
  // "Terug naar de app": the app hears access_denied, and gets no code.
  const back = b.$('a').filter((_, a) => b.$(a).text() === 'Terug naar de app').attr('href')!
  await b.get(back)
  const callback = leftTo(b)
  t.equal(callback.searchParams.get('error'), 'access_denied')
  t.notOk(callback.searchParams.get('code'))
  t.equal(await codes(w), before, 'still no code')
  // The patient is signed in to the portal: their own home page works.
  await b.get('/')
  t.match(b.text, /Welkom, Piet Peters/)

  // A patient of A gets in.
  const a = w.browser()
  const authA = await authRequest(app, { scope: 'openid practice' })
  await a.get(authA.url.href)
  await signIn(w, a, jan)
  const tokens = await redeem(app, await continueToApp(a), authA)
  t.same(tokens.claims()!.practice, { id: 'praktijk', name: 'Praktijk De Linde' })
})

await t.test('single sign-on to an app of another practice: refused too, from the portal session or the provider session', async (t) => {
  const { w, linde, piet } = await setUp(t)
  const forAll = await registerApp(w, { name: 'Agenda' })
  const lindeOnly = await registerApp(w, { name: 'Linde-dossier', practiceId: linde.id })
  const b = w.browser()
  // Signed in to the portal, and to an app for every practice (a provider session for piet).
  const first = await authRequest(forAll)
  await b.get(first.url.href)
  await signIn(w, b, piet)
  await redeem(forAll, await continueToApp(b), first)
  const before = await codes(w)
  // Then A's app: no sign-in page, but no code either.
  const auth = await authRequest(lindeOnly)
  await b.get(auth.url.href)
  t.equal(b.status, 403, 'the provider session does not answer for another practice')
  t.equal(b.$('h1').text(), 'Deze app is niet voor uw praktijk')
  t.equal(await codes(w), before, 'no code issued')
  t.equal((await w.audit(piet.account.id)).filter((e) => e.event === 'oidc_wrong_practice').length, 1)

  // Signed in to the portal only (a fresh browser, no provider session yet).
  const c = w.browser()
  w.clock.advanceSeconds(30)
  await signInWithApp(w, c, piet)
  const again = await authRequest(lindeOnly)
  await c.get(again.url.href)
  t.equal(c.status, 403)
  t.equal(await codes(w), before, 'no code issued')
  t.equal((await w.audit(piet.account.id)).filter((e) => e.event === 'oidc_wrong_practice').length, 2)
})
