// Issue 19 item 8: the provider's cookies follow the portal's cookie rules (under an https PUBLIC_URL a
// __Host- or __Secure- name and Secure, whatever the proxy reports; HttpOnly; SameSite=Lax), its
// endpoints refuse plain http under an https PUBLIC_URL (a 4xx, never a redirect that repeats the
// parameters), and discovery lists only what the provider really does.
import { createHash, randomBytes } from 'node:crypto'
import t from 'tap'
import * as client from 'openid-client'
import { messages } from '../src/messages.ts'
import { addClient } from '../src/oidc/clients.ts'
import { Browser, injectFrom, type Inject } from './helpers/browser.ts'
import { authRequest, backchannelReceiver, leftTo, oidcWorld, redeem, registerApp, verifiedByJwks } from './helpers/oidc.ts'
import { onboardWithApp, secretOnPage } from './helpers/patients.ts'
import { jan, world, type World } from './helpers/world.ts'

const attributesOf = (set: string) => set.split(';').slice(1).map((a) => a.trim().toLowerCase())
const https = 'https://portal.example'

/** A browser behind the TLS proxy: the proxy says https (X-Forwarded-Proto), PUBLIC_URL's host. */
function proxied(w: World, proto = 'https'): Browser {
  const inject: Inject = (opts) => injectFrom(w.app)({ ...opts, headers: { host: 'portal.example', 'x-forwarded-proto': proto, ...opts.headers } })
  return new Browser(inject, { origin: https })
}

/** An authorization request of a registered app, by hand (openid-client can not reach portal.example). */
function authUrl(clientId: string, redirectUri: string): string {
  const verifier = randomBytes(32).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  const q = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', state: 'st', nonce: 'no' })
  return `/oidc/auth?${q}`
}

await t.test('under https: __Host-/__Secure- names, Secure, HttpOnly, SameSite=Lax; the portal sign-out finds the session', async (t) => {
  const w = await world(t, { env: { PUBLIC_URL: https, TRUST_PROXY: 'true' }, clockMs: Date.now() })
  const added = await addClient(w.deps, { actor: 'cli' }, { name: 'Dossier', redirectUris: ['https://dossier.example/cb'], firstParty: true })
  if (!added.ok) throw new Error(added.problems.join())
  const app = added.value.client
  await w.invite()
  const b = proxied(w)
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  await b.submit('Volgende', { 'Nieuw wachtwoord': 'zonneschijn op het strand', 'Bevestiging wachtwoord': 'zonneschijn op het strand' })
  await b.submit('Volgende')
  await b.submit('Volgende')
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secretOnPage(b)) })
  t.match(b.text, /Welkom, Jan de Vries/)

  // Signed out of the provider first: an interaction, then single sign-on sets the provider session.
  const c = proxied(w)
  await c.get(authUrl(app.id, 'https://dossier.example/cb'))
  const interactionCookies = c.history.flatMap((h) => h.setCookies).filter((s) => s.includes('mtd_oidc'))
  t.ok(interactionCookies.some((s) => s.startsWith('__Secure-mtd_oidc_interaction=')), 'the interaction cookie: __Secure- (its path is the interaction)')
  t.ok(interactionCookies.some((s) => s.startsWith('__Secure-mtd_oidc_resume=')), 'the resume cookie: __Secure-')
  await b.get(authUrl(app.id, 'https://dossier.example/cb'))
  t.match(String(b.history.at(-1)?.location), /^https:\/\/dossier\.example\/cb\?code=/, 'single sign-on to the app')
  const all = [...interactionCookies, ...b.history.flatMap((h) => h.setCookies).filter((s) => s.includes('mtd_oidc'))]
  t.ok(all.some((s) => s.startsWith('__Host-mtd_oidc_session=')), 'the provider session cookie: __Host-')
  t.notOk(all.some((s) => /^mtd_oidc/.test(s)), 'no unprefixed provider cookie')
  for (const line of all) {
    const name = line.split('=')[0]
    const attrs = attributesOf(line)
    t.ok(attrs.includes('secure'), `${name}: Secure`)
    t.ok(attrs.includes('httponly'), `${name}: HttpOnly`)
    t.ok(attrs.includes('samesite=lax'), `${name}: SameSite=Lax`)
    t.notOk(attrs.some((a) => a.startsWith('domain=')), `${name}: no Domain`)
    if (name!.startsWith('__Host-')) t.ok(attrs.includes('path=/'), `${name}: Path=/`)
  }
  const sessions = () => w.sql.count("select count(*) from oidc_artifacts where model = 'Session'")
  t.equal(await sessions(), 1)
  await b.get('/')
  await b.submit('Uitloggen')
  t.equal(await sessions(), 0, "the portal's Uitloggen ends the provider session by its prefixed cookie")
  // And the cookie itself, with the attributes a browser needs to replace a __Host- cookie.
  const cleared = b.history.flatMap((h) => h.setCookies).filter((s) => s.startsWith('__Host-mtd_oidc_session'))
  t.same(cleared.map((s) => s.split('=')[0]).sort(), ['__Host-mtd_oidc_session', '__Host-mtd_oidc_session.sig'], 'the cookie and its signature are ended')
  for (const line of cleared) {
    const attrs = attributesOf(line)
    t.ok(attrs.includes('secure') && attrs.includes('path=/') && !attrs.some((a) => a.startsWith('domain=')), `${line.split('=')[0]}: Secure, Path=/, no Domain`)
    t.ok(attrs.some((a) => a.startsWith('expires=thu, 01 jan 1970')), `${line.split('=')[0]}: expired`)
  }
  t.notOk([...b.cookies.keys()].some((name) => name.includes('mtd_oidc_session')), 'none left in the browser')
})

await t.test('under https, plain http is refused: 403, no redirect, no cookie, nothing stored', async (t) => {
  const rows: [string, Record<string, string>][] = [
    ['the proxy says http', { TRUST_PROXY: 'true' }],
    ['no trusted proxy (a client claiming https is not believed)', {}],
  ]
  for (const [what, env] of rows) {
    const w = await world(t, { env: { PUBLIC_URL: https, ...env }, clockMs: Date.now() })
    const added = await addClient(w.deps, { actor: 'cli' }, { name: 'Dossier', redirectUris: ['https://dossier.example/cb'], firstParty: true })
    if (!added.ok) throw new Error(added.problems.join())
    const b = proxied(w, env.TRUST_PROXY ? 'http' : 'https')
    const auth = authUrl(added.value.client.id, 'https://dossier.example/cb')
    for (const url of [auth, '/oidc/session/end', '/.well-known/openid-configuration', '/oidc/jwks']) {
      await b.get(url)
      t.equal(b.status, 403, `${what}: GET ${url.split('?')[0]}: 403`)
      t.notOk(b.headers.location, `${what}: no redirect`)
      t.same(b.lastSetCookies, [], `${what}: no cookie`)
      if (url === auth) t.ok(b.text.includes(messages('nl').oidcText.errorHttps), `${what}: a page that says why`)
      else if (!url.startsWith('/oidc/session')) t.match(JSON.parse(b.text), { error: 'invalid_request' }, `${what}: an OAuth error for an app`)
    }
    const token = await w.app.inject({ method: 'POST', url: '/oidc/token', headers: { host: 'portal.example', 'x-forwarded-proto': 'http', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=authorization_code&code=x' })
    t.equal(token.statusCode, 403, `${what}: the token endpoint: 403`)
    t.match(JSON.parse(token.body), { error: 'invalid_request' }, `${what}: as an OAuth error`)
    t.equal(await w.sql.count('select count(*) from oidc_artifacts'), 0, `${what}: nothing stored`)
  }
})

await t.test('discovery lists what is true, and only that', async (t) => {
  const w = await oidcWorld(t)
  const meta = (await (await fetch(`${w.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>
  const endpoint = (path: string) => `${w.issuer}${path}`
  t.same(meta, {
    issuer: w.issuer,
    authorization_endpoint: endpoint('/oidc/auth'),
    token_endpoint: endpoint('/oidc/token'),
    userinfo_endpoint: endpoint('/oidc/me'),
    jwks_uri: endpoint('/oidc/jwks'),
    end_session_endpoint: endpoint('/oidc/session/end'),
    revocation_endpoint: endpoint('/oidc/token/revocation'),
    // No refresh tokens are issued: only the code grant.
    grant_types_supported: ['authorization_code'],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'profile', 'email', 'phone', 'role', 'practice'],
    claims_supported: ['sub', 'auth_time', 'amr', 'practice', 'name', 'locale', 'email', 'email_verified', 'phone_number', 'phone_number_verified', 'role', 'sid', 'iss'],
    claim_types_supported: ['normal'],
    claims_parameter_supported: false,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256', 'RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    ui_locales_supported: ['nl', 'en'],
  }, 'exactly these members')

  // grant_types_supported: the refresh token and client credentials grants are refused as unsupported.
  const app = await registerApp(w)
  for (const grant of ['refresh_token', 'client_credentials']) {
    const res = await fetch(endpoint('/oidc/token'), {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${app.id}:${app.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: grant, refresh_token: 'x', scope: 'openid' }),
    })
    t.match(await res.json(), { error: 'unsupported_grant_type' }, `${grant}: unsupported_grant_type`)
  }

  // claims_supported: every claim listed is given, in the id_token or at userinfo, to an app that asks.
  const { url: backchannel } = await backchannelReceiver(t)
  const withSid = await registerApp(w, { backchannelLogoutUri: backchannel })
  const patient = await onboardWithApp(w)
  const auth = await authRequest(withSid, { scope: 'openid profile email phone role practice' })
  await patient.browser.get(auth.url.href)
  const tokens = await redeem(withSid, leftTo(patient.browser), auth)
  const { payload } = await verifiedByJwks(w.issuer, tokens.id_token!)
  const info = await client.fetchUserInfo(withSid.config, tokens.access_token, tokens.claims()!.sub)
  const given = new Set([...Object.keys(payload), ...Object.keys(info)])
  for (const claim of meta.claims_supported as string[]) t.ok(given.has(claim), `${claim} is given`)
})
