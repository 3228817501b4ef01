// The portal as an OpenID Connect provider, walked with openid-client as the app and the test browser
// as the patient: discovery, the code flow through our sign-in (app code and e-mail code), the
// id_token checked, userinfo, single sign-on, prompt=login and max_age, logout with back-channel.
import t from 'tap'
import * as client from 'openid-client'
import { subjectOf } from '../src/oidc/accounts.ts'
import { authRequest, continueToApp, leftTo, oidcWorld, redeem, registerApp, verifiedByJwks } from './helpers/oidc.ts'
import { enterPassword, onboardWithApp, onboardWithEmail } from './helpers/patients.ts'

t.test('discovery: code flow, PKCE S256, query only, RS256 and ES256, no none', async (t) => {
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

t.test('the code flow through our sign-in with the app code', async (t) => {
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
  t.equal(claims.sub, subjectOf(w.deps, patient.account.id))
  t.not(claims.sub, patient.account.username, 'sub is never the username')
  t.equal(claims.auth_time, signedInAt)
  t.same(claims.amr, ['pwd', 'otp', 'mfa'])
  const { header, payload } = await verifiedByJwks(w.issuer, tokens.id_token!)
  t.equal(header.alg, 'RS256')
  t.equal(payload.sub, claims.sub)

  const info = await client.fetchUserInfo(app.config, tokens.access_token, claims.sub)
  t.equal(info.name, 'Jan de Vries')
  t.equal(info.email, 'jan@example.org')
  t.equal(info.email_verified, true)
  t.equal(info.phone_number, '+31612341361')
  t.equal(info.phone_number_verified, true)
  t.notOk('role' in info, 'role only under the role scope')

  const events = w.audit(patient.account.id).filter((e) => e.event === 'oidc_authorization')
  t.equal(events.length, 1)
  t.match(JSON.parse(events[0]!.detail!), { client: 'Dossier', clientId: app.id })
})

t.test('the e-mail code: amr pwd + mail; an ES256 app; the role scope', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithEmail(w)
  const app = await registerApp(w, { name: 'Agenda', idTokenAlg: 'ES256' })
  const b = w.browser()
  const auth = await authRequest(app, { scope: 'openid role' })
  await b.get(auth.url.href)
  w.clock.advanceSeconds(31)
  await enterPassword(b, patient.account.username, patient.password)
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': w.mail.lastCodeTo(patient.account.email) })
  const tokens = await redeem(app, await continueToApp(b), auth)
  const claims = tokens.claims()!
  t.same(claims.amr, ['pwd', 'mail', 'mfa'])
  const { header } = await verifiedByJwks(w.issuer, tokens.id_token!)
  t.equal(header.alg, 'ES256')
  const info = await client.fetchUserInfo(app.config, tokens.access_token, claims.sub)
  t.equal(info.role, 'patient')
  t.notOk('email' in info, 'no email without the email scope')
})
