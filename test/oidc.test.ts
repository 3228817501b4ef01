// The portal as an OpenID Connect provider, walked with openid-client as the app and the test browser
// as the patient: discovery, the code flow through our sign-in (app code and e-mail code), the
// id_token checked, userinfo, single sign-on, prompt=login and max_age, logout with back-channel.
import t from 'tap'
import * as client from 'openid-client'
import { subjectOf } from '../src/oidc/accounts.ts'
import { seedDemoApp } from '../src/oidc/dev-app.ts'
import { authRequest, backchannelReceiver, continueToApp, leftTo, oidcWorld, redeem, registerApp, verifiedByJwks } from './helpers/oidc.ts'
import { enterPassword, onboardWithApp, onboardWithEmail, resetPassword, secretOnPage, signInWithApp, startForgot } from './helpers/patients.ts'
import { jan } from './helpers/world.ts'

await t.test('discovery: code flow, PKCE S256, query only, RS256 and ES256, no none', async (t) => {
  const w = await oidcWorld(t)
  const app = await registerApp(w)
  const meta = app.config.serverMetadata()
  t.equal(meta.issuer, w.issuer)
  t.same(meta.response_types_supported, ['code'])
  t.same(meta.response_modes_supported, ['query'])
  t.same(meta.code_challenge_methods_supported, ['S256'])
  t.same([...(meta.id_token_signing_alg_values_supported ?? [])].sort(), ['ES256', 'RS256'])
  t.notOk(meta.registration_endpoint, 'no dynamic registration')
  t.ok(meta.end_session_endpoint)
  t.equal(meta.backchannel_logout_supported, true)
  t.ok(meta.scopes_supported?.includes('role'))
})

await t.test('the code flow through our sign-in with the app code', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  const app = await registerApp(w, { name: 'Dossier' })
  const b = w.browser()
  const auth = await authRequest(app)
  await b.get(auth.url.href)
  t.equal(b.url, '/inloggen', 'no portal session: to the sign-in')
  w.clock.advanceSeconds(30)
  const signedInAt = Math.floor(w.clock.ms / 1000)
  await enterPassword(b, patient.account.username, patient.password)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(patient.secret) })
  t.match(b.url, /^\/interaction\/[\w-]+\/verder$/, 'the last POST ends on a page of ours, not at the app')
  t.equal(b.status, 200)
  t.match(b.text, /Verder naar Dossier/)
  const callback = await continueToApp(b)
  t.equal(callback.origin + callback.pathname, app.redirectUri)
  t.notOk(callback.hash, 'response_mode query')

  const tokens = await redeem(app, callback, auth)
  const claims = tokens.claims()!
  t.equal(claims.iss, w.issuer)
  t.equal(claims.aud, app.id)
  t.equal(claims.nonce, auth.nonce)
  t.equal(claims.sub, await subjectOf(w.deps, patient.account.id))
  t.not(claims.sub, patient.account.username, 'sub is never the username')
  t.equal(claims.auth_time, signedInAt)
  t.same(claims.amr, ['pwd', 'otp', 'mfa'])
  const { header, payload } = await verifiedByJwks(w.issuer, tokens.id_token!)
  t.equal(header.alg, 'RS256')
  t.equal(payload.sub, claims.sub)

  const info = await client.fetchUserInfo(app.config, tokens.access_token, claims.sub)
  t.equal(info.name, 'Jan de Vries')
  t.equal(info.locale, 'nl', 'the account\'s language, as a BCP 47 tag')
  t.equal(info.email, 'jan@example.org')
  t.equal(info.email_verified, true)
  t.equal(info.phone_number, '+31612341361')
  t.equal(info.phone_number_verified, true)
  t.notOk('role' in info, 'role only under the role scope')

  const events = (await w.audit(patient.account.id)).filter((e) => e.event === 'oidc_authorization')
  t.equal(events.length, 1)
  t.match(JSON.parse(events[0]!.detail!), { client: 'Dossier', clientId: app.id })
})

await t.test('the e-mail code: amr pwd + mail; an ES256 app; the role scope', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithEmail(w)
  const app = await registerApp(w, { name: 'Agenda', idTokenAlg: 'ES256' })
  const b = w.browser()
  const auth = await authRequest(app, { scope: 'openid role' })
  await b.get(auth.url.href)
  w.clock.advanceSeconds(31)
  await enterPassword(b, patient.account.username, patient.password)
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.mail.lastCodeTo(patient.account.email)) })
  const tokens = await redeem(app, await continueToApp(b), auth)
  const claims = tokens.claims()!
  t.same(claims.amr, ['pwd', 'mail', 'mfa'])
  const { header } = await verifiedByJwks(w.issuer, tokens.id_token!)
  t.equal(header.alg, 'ES256')
  const info = await client.fetchUserInfo(app.config, tokens.access_token, claims.sub)
  t.equal(info.role, 'patient')
  t.notOk('email' in info, 'no email without the email scope')
})

await t.test('single sign-on on a second app; prompt=login and max_age ask again', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  const dossier = await registerApp(w, { name: 'Dossier' })
  const agenda = await registerApp(w, { name: 'Agenda' })
  const b = patient.browser // signed in to the portal by the onboarding

  // Signed in to the portal: straight back, no page in between (GETs only, so no form-action issue).
  const first = await authRequest(dossier)
  await b.get(first.url.href)
  t.notOk(b.history.some((h) => h.url.startsWith('/inloggen')), 'no sign-in asked')
  const firstTokens = await redeem(dossier, leftTo(b), first)
  const sub = firstTokens.claims()!.sub

  const second = await authRequest(agenda)
  await b.get(second.url.href)
  t.notOk(b.history.some((h) => h.url.startsWith('/inloggen') || h.url.startsWith('/interaction')), 'the second app: no interaction at all')
  const secondTokens = await redeem(agenda, leftTo(b), second)
  t.equal(secondTokens.claims()!.sub, sub, 'the same sub at both apps')
  await b.get('/beveiliging')
  const apps = b.$('#apps + p + table td:first-child').map((_, td) => b.$(td).text()).get()
  t.same(apps.sort(), ['Agenda', 'Dossier'], 'Beveiliging lists the apps signed in to')

  // prompt=login: password and second factor again, auth_time moves.
  w.clock.advanceSeconds(60)
  const again = await authRequest(dossier, { prompt: 'login' })
  await b.get(again.url.href)
  t.equal(b.url, '/inloggen', 'prompt=login: to the sign-in')
  await b.get('/')
  t.match(b.text, /Welkom, Jan de Vries/, 'the portal session stays until the fresh sign-in completes (test/oidc-prompts.test.ts)')
  await enterPassword(b, patient.account.username, patient.password)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(patient.secret) })
  const freshTokens = await redeem(dossier, await continueToApp(b), again)
  t.equal(freshTokens.claims()!.auth_time, Math.floor(w.clock.ms / 1000))
  const signedInAt = Math.floor(w.clock.ms / 1000)

  // max_age: within it, straight back; past it (by the portal's clock), asked again.
  w.clock.advanceSeconds(600)
  const young = await authRequest(dossier, { max_age: '3600' })
  await b.get(young.url.href)
  const youngTokens = await redeem(dossier, leftTo(b), young, { maxAge: 3600 })
  t.equal(youngTokens.claims()!.auth_time, signedInAt, 'within max_age: the same sign-in')
  const old = await authRequest(dossier, { max_age: '300' })
  await b.get(old.url.href)
  t.equal(b.url, '/inloggen', 'past max_age: to the sign-in')
  w.clock.advanceSeconds(30)
  await enterPassword(b, patient.account.username, patient.password)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(patient.secret) })
  const oldTokens = await redeem(dossier, await continueToApp(b), old, { maxAge: 300 })
  t.equal(oldTokens.claims()!.auth_time, Math.floor(w.clock.ms / 1000))
})

await t.test('signed out of the portal: the next app sign-in asks again', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  const app = await registerApp(w)
  const b = patient.browser
  const first = await authRequest(app)
  await b.get(first.url.href)
  await redeem(app, leftTo(b), first)
  await b.get('/')
  await b.submit('Uitloggen')
  const next = await authRequest(app)
  await b.get(next.url.href)
  t.equal(b.url, '/inloggen', "the provider's own session does not outlive the portal's")
})

await t.test("the portal's Uitloggen leaves another account's provider session in this browser alone, cookie and all", async (t) => {
  const w = await oidcWorld(t)
  const app = await registerApp(w, { name: 'Dossier' })
  const els = await onboardWithApp(w, { name: 'Els Bakker', email: 'els@example.org', phone: '+31612340099', username: 'ebakker' })
  const b = els.browser
  const auth = await authRequest(app)
  await b.get(auth.url.href)
  await redeem(app, leftTo(b), auth)
  // Els walks away from the shared computer: her portal session lapses, her provider session does not.
  w.clock.advanceSeconds((w.config.limits.sessionIdleMinutes + 1) * 60)
  const jan = await onboardWithApp(w)
  w.clock.advanceSeconds(30)
  await signInWithApp(w, b, jan)
  const providerSessions = () => w.sql.count("select count(*) from oidc_artifacts where model = 'Session'")
  t.equal(await providerSessions(), 1, "Els's provider session, in Jan's browser")
  await b.get('/')
  await b.submit('Uitloggen')
  t.equal(b.url, '/inloggen?uitgelogd=1', 'Jan is signed out')
  t.equal(await providerSessions(), 1, "Els's provider session stays: not Jan's to end")
  t.ok(b.cookies.has('mtd_oidc_session'), 'and so does its cookie')
})

await t.test('logout from the app: the portal session ends and the app hears it on its back channel', async (t) => {
  const w = await oidcWorld(t)
  const { url: backchannel, received } = await backchannelReceiver(t)
  const app = await registerApp(w, { name: 'Dossier', backchannelLogoutUri: backchannel, postLogoutUris: ['http://localhost:9/bye'] })
  const patient = await onboardWithApp(w)
  const b = patient.browser
  const auth = await authRequest(app)
  await b.get(auth.url.href)
  const tokens = await redeem(app, leftTo(b), auth)
  const claims = tokens.claims()!
  t.ok(claims.sid, 'a sid for the back channel')

  await b.get(client.buildEndSessionUrl(app.config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://localhost:9/bye', state: 'tot-ziens' }).href)
  t.equal(b.status, 200)
  t.match(b.text, /Dossier/)
  // The confirmation's 303 goes to the app: this page's form-action allows exactly that origin.
  t.match(String(b.headers['content-security-policy']), /form-action 'self' http:\/\/localhost:9;/)
  await b.submit('Uitloggen')
  t.equal(leftTo(b).href, 'http://localhost:9/bye?state=tot-ziens')

  t.equal(received.length, 1, 'one back-channel call')
  t.equal(received[0]!.path, '/backchannel')
  const token = new URLSearchParams(received[0]!.body).get('logout_token')!
  const { payload } = await verifiedByJwks(w.issuer, token)
  t.equal(payload.sub, claims.sub)
  t.equal(payload.sid, claims.sid)
  t.equal(payload.aud, app.id)
  t.ok((payload.events as Record<string, unknown>)['http://schemas.openid.net/event/backchannel-logout'])

  await b.get('/')
  t.equal(b.url, '/inloggen', 'the portal session has ended too')
  await t.rejects(client.fetchUserInfo(app.config, tokens.access_token, claims.sub), 'the access token is revoked')
  t.ok((await w.audit(patient.account.id)).some((e) => e.event === 'logout' && e.detail?.includes('oidc')))
})

await t.test("the portal's own Uitloggen ends the app sign-ins too: back-channel call, tokens revoked, audited", async (t) => {
  const w = await oidcWorld(t)
  const { url: backchannel, received } = await backchannelReceiver(t)
  const withChannel = await registerApp(w, { name: 'Dossier', backchannelLogoutUri: backchannel })
  const without = await registerApp(w, { name: 'Agenda' })
  const patient = await onboardWithApp(w)
  const b = patient.browser
  const first = await authRequest(withChannel)
  await b.get(first.url.href)
  const tokens = await redeem(withChannel, leftTo(b), first)
  const claims = tokens.claims()!
  const second = await authRequest(without)
  await b.get(second.url.href)
  const agendaTokens = await redeem(without, leftTo(b), second)

  // Another patient's provider session, at another computer: untouched.
  const other = await onboardWithApp(w, { name: 'Els Bakker', email: 'els@example.org', phone: '+31612340099', username: 'ebakker' })
  const third = await authRequest(withChannel)
  await other.browser.get(third.url.href)
  const otherTokens = await redeem(withChannel, leftTo(other.browser), third)

  const providerSessions = () => w.sql.count("select count(*) from oidc_artifacts where model = 'Session'")
  t.equal(await providerSessions(), 2, "two provider sessions: Jan's and Els's")
  const providerCookies = () => [...b.cookies.keys()].filter((name) => name.startsWith('mtd_oidc_session')).sort()
  t.same(providerCookies(), ['mtd_oidc_session', 'mtd_oidc_session.sig'], "this browser holds the provider's session cookie, signed")
  await b.get('/')
  await b.submit('Uitloggen')
  t.equal(b.url, '/inloggen?uitgelogd=1')
  t.same(providerCookies(), [], 'the Uitloggen ended them too: no trace of the ended provider session')
  t.equal(await providerSessions(), 1, "Jan's provider session is gone, Els's stays")
  t.equal(received.length, 1, 'one back-channel call: the app that registered a URI')
  const { payload } = await verifiedByJwks(w.issuer, new URLSearchParams(received[0]!.body).get('logout_token')!)
  t.equal(payload.sub, claims.sub)
  t.equal(payload.sid, claims.sid)
  t.equal(payload.aud, withChannel.id)
  await t.rejects(client.fetchUserInfo(withChannel.config, tokens.access_token, claims.sub), "the app's access token is revoked")
  await t.rejects(client.fetchUserInfo(without.config, agendaTokens.access_token, claims.sub), 'so is the other app’s')
  const info = await client.fetchUserInfo(withChannel.config, otherTokens.access_token, otherTokens.claims()!.sub)
  t.equal(info.name, 'Els Bakker', "another patient's sign-in stays")
  const events = (await w.audit(patient.account.id)).filter((e) => e.event === 'oidc_backchannel_logout')
  t.equal(events.length, 1)
  t.match(JSON.parse(events[0]!.detail!), { client: 'Dossier', clientId: withChannel.id })
  t.equal(events[0]!.outcome, 'success')

  // The apps ask again: a new authorization request goes to the sign-in, not straight back.
  const again = await authRequest(withChannel)
  await b.get(again.url.href)
  t.equal(b.url, '/inloggen', 'no single sign-on left in this browser')
})

await t.test('/dev/app: the demo app signs in through the portal, shows the verified claims, signs out', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  t.ok((await seedDemoApp(w.deps)), 'the demo app is registered on a database without apps')
  t.equal((await seedDemoApp(w.deps)), null, 'and only once')
  const b = w.browser()
  await b.get('/dev/app')
  await b.submit('Inloggen bij de demo-app')
  t.equal(b.url, '/inloggen')
  w.clock.advanceSeconds(30)
  await enterPassword(b, patient.account.username, patient.password)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(patient.secret) })
  const refresh = /url=(.+)$/.exec(b.$('meta[http-equiv="refresh"]').attr('content') ?? '')?.[1]
  await b.get(refresh!)
  t.match(b.url, /^\/dev\/app\/terug\?/)
  t.equal(b.status, 200, b.text)
  t.match(b.text, /Ingelogd bij de demo-app/)
  t.match(b.text, new RegExp(await subjectOf(w.deps, patient.account.id)))
  t.match(b.text, /"Jan de Vries"/)
  t.match(b.text, /amr/)

  await b.submit('Uitloggen bij de demo-app')
  t.match(b.url, /^\/oidc\/session\/end/)
  t.match(b.text, /Demo-app/)
  await b.submit('Uitloggen')
  t.equal(b.url, '/dev/app', 'back at the demo app')
  await b.get('/')
  t.equal(b.url, '/inloggen', 'signed out of the portal too')
})

await t.test('the onboarding and the forgot path come back to the app too', async (t) => {
  const w = await oidcWorld(t)
  const app = await registerApp(w, { name: 'Dossier' })

  // A new patient: the app sends them here, they open the invitation in the same browser and onboard.
  await w.invite(jan)
  const b = w.browser()
  const auth = await authRequest(app)
  await b.get(auth.url.href)
  t.equal(b.url, '/inloggen')
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  await b.submit('Volgende', { 'Nieuw wachtwoord': 'zonneschijn op het strand', 'Bevestiging wachtwoord': 'zonneschijn op het strand' })
  await b.submit('Volgende')
  await b.submit('Volgende') // Met authenticatie app
  const secret = secretOnPage(b)
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
  t.match(b.url, /^\/interaction\/[\w-]+\/verder$/, 'the onboarding ends at the app, not at the home page')
  const tokens = await redeem(app, await continueToApp(b), auth)
  t.equal(tokens.claims()!.sub, await subjectOf(w.deps, (await w.account('jdevries')).id))

  // The forgot path, in a fresh browser, with an app waiting.
  const c = w.browser()
  const second = await authRequest(app)
  await c.get(second.url.href)
  w.clock.advanceSeconds(60)
  await startForgot(c, 'jdevries', jan.email)
  await resetPassword(w, c, jan, 'een heel nieuw wachtwoord voor jan')
  await c.submit('Volgende')
  await c.submit('Verifieer code', { 'one-time-code': await w.totp(secret) })
  t.match(c.url, /^\/interaction\/[\w-]+\/verder$/, 'the forgot path ends at the app')
  await redeem(app, await continueToApp(c), second)
})

await t.test('an app of others: a Dutch consent page naming the app and the claims; Weigeren says no', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  const app = await registerApp(w, { name: 'Beeldbellen', firstParty: false })
  const b = patient.browser

  const refused = await authRequest(app)
  await b.get(refused.url.href)
  t.match(b.url, /^\/interaction\//)
  t.equal(b.$('h1').text(), 'Toestemming geven')
  t.match(b.text, /Beeldbellen wil weten wie u bent/)
  t.match(b.text, /uw naam/)
  t.match(b.text, /uw e-mailadres/)
  t.match(b.text, /uw mobiele nummer/)
  t.notMatch(b.text, /uw rol/, 'only what the app asked for')
  await b.submit('Weigeren')
  t.match(b.url, /\/verder$/)
  const no = await continueToApp(b)
  t.equal(no.searchParams.get('error'), 'access_denied')
  t.notOk(no.searchParams.get('code'))

  const allowed = await authRequest(app)
  await b.get(allowed.url.href)
  await b.submit('Toestemming geven')
  const tokens = await redeem(app, await continueToApp(b), allowed)
  t.ok(tokens.access_token)

  const again = await authRequest(app)
  await b.get(again.url.href)
  t.notOk(b.history.some((h) => h.url.startsWith('/interaction')), 'consent is remembered for the session')
  await redeem(app, leftTo(b), again)
  const consents = (await w.audit(patient.account.id)).filter((e) => e.event === 'oidc_consent').map((e) => e.outcome)
  t.same(consents, ['success', 'failure'], 'both answers audited')
})

await t.test('an app sign-in that expired meanwhile: the sign-in still ends at the home page', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  const app = await registerApp(w)
  const b = w.browser()
  await b.get((await authRequest(app)).url.href)
  t.equal(b.url, '/inloggen')
  // As if the app's request had expired: this browser no longer holds the provider's interaction.
  for (const name of [...b.cookies.keys()]) if (name.startsWith('mtd_oidc_interaction')) b.cookies.delete(name)
  w.clock.advanceSeconds(30)
  await enterPassword(b, patient.account.username, patient.password)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(patient.secret) })
  t.equal(b.url, '/')
  t.match(b.text, /Welkom, Jan de Vries/)
  await b.get('/interaction/AAAAAAAAAAAAAAAAAAAAA')
  t.equal(b.status, 400, 'an unknown interaction otherwise: the Dutch error page')
  t.match(b.text, /verlopen/)
})
