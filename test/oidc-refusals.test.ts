// What the provider refuses, one row each: requests that never reach the app (Dutch pages of ours
// without a redirect), requests answered to the app with an error, and token requests that fail.
import t from 'tap'
import * as client from 'openid-client'
import { deactivate } from '../src/domain/patients.ts'
import { messages } from '../src/messages.ts'
import { authRequest, leftTo, oidcWorld, redeem, registerApp, withSecret } from './helpers/oidc.ts'
import { onboardWithApp } from './helpers/patients.ts'

const { oidcText } = messages('nl')

await t.test('refused with a Dutch page of ours, never a redirect', async (t) => {
  const w = await oidcWorld(t)
  const app = await registerApp(w, { name: 'Dossier' })
  const rows: [string, (u: URL) => void, string][] = [
    ['an unregistered redirect URI', (u) => u.searchParams.set('redirect_uri', 'https://evil.example/callback'), oidcText.errorRedirectUri],
    ['a redirect URI that only starts the same', (u) => u.searchParams.set('redirect_uri', `${app.redirectUri}/extra`), oidcText.errorRedirectUri],
    ['an unknown client', (u) => u.searchParams.set('client_id', 'onbekend'), oidcText.errorUnknownClient],
    ['response_mode=form_post', (u) => u.searchParams.set('response_mode', 'form_post'), oidcText.errorResponseMode],
    ['response_mode=fragment', (u) => u.searchParams.set('response_mode', 'fragment'), oidcText.errorResponseMode],
  ]
  for (const [what, change, message] of rows) {
    const auth = await authRequest(app)
    change(auth.url)
    const b = w.browser()
    await b.get(auth.url.href)
    t.equal(b.status, 400, `${what}: 400`)
    t.notOk(b.headers.location, `${what}: no redirect`)
    t.ok(b.text.includes(message), `${what}: the Dutch explanation`)
    t.match(String(b.headers['content-security-policy']), /form-action 'self'/, `${what}: the portal's CSP`)
  }
})

await t.test('a POSTed authorization request for form_post: our page, no self-posting form', async (t) => {
  const w = await oidcWorld(t)
  const app = await registerApp(w)
  const auth = await authRequest(app)
  const body = new URLSearchParams(auth.url.searchParams)
  body.set('response_mode', 'form_post')
  const res = await fetch(`${w.issuer}/oidc/auth`, { method: 'POST', body, redirect: 'manual' })
  const html = await res.text()
  t.equal(res.status, 400)
  t.notOk(res.headers.get('location'))
  t.notMatch(html, /<script/)
  t.ok(html.includes(oidcText.errorResponseMode))
})

await t.test('refused back to the app with an error, and no code', async (t) => {
  const w = await oidcWorld(t)
  const app = await registerApp(w)
  const rows: [string, (u: URL) => void, string][] = [
    ['no PKCE', (u) => (u.searchParams.delete('code_challenge'), u.searchParams.delete('code_challenge_method')), 'invalid_request'],
    ['plain PKCE', (u) => u.searchParams.set('code_challenge_method', 'plain'), 'invalid_request'],
    // Implicit and hybrid answer in the fragment by default, which no app is registered for; a response
    // type other than code is not offered at all (discovery lists only code).
    ['implicit (id_token)', (u) => u.searchParams.set('response_type', 'id_token'), 'invalid_request'],
    ['hybrid (code id_token)', (u) => u.searchParams.set('response_type', 'code id_token'), 'invalid_request'],
    ['implicit asking for the query', (u) => (u.searchParams.set('response_type', 'id_token'), u.searchParams.set('response_mode', 'query')), 'invalid_request'],
    ['an unknown scope only', (u) => u.searchParams.set('scope', 'profile'), 'invalid_request'],
  ]
  for (const [what, change, code] of rows) {
    const auth = await authRequest(app)
    change(auth.url)
    const b = w.browser()
    await b.get(auth.url.href)
    const back = leftTo(b)
    t.equal(back.origin + back.pathname, app.redirectUri, `${what}: back to the registered URI`)
    const params = new URLSearchParams(back.search || back.hash.slice(1))
    t.equal(params.get('error'), code, `${what}: ${code}`)
    t.notOk(params.get('code'), `${what}: no code`)
    t.notOk(params.get('id_token'), `${what}: no id_token`)
  }
})

/** The OAuth error code a request failed with, or null when it did not fail. */
async function errorOf(request: Promise<unknown>): Promise<string | null> {
  try {
    await request
    return null
  } catch (err) {
    // A userinfo refusal is a WWW-Authenticate challenge: its error is in the challenge's parameters.
    const e = err as { error?: string; cause?: { parameters?: { error?: string } }[] }
    return e.error ?? e.cause?.[0]?.parameters?.error ?? String(err)
  }
}

/** A signed-in patient's code for `app`, with the request it answers. */
async function codeFor(w: Awaited<ReturnType<typeof oidcWorld>>, b: Parameters<typeof leftTo>[0], app: Awaited<ReturnType<typeof registerApp>>) {
  const auth = await authRequest(app)
  await b.get(auth.url.href)
  return { auth, callback: leftTo(b) }
}

await t.test('token requests: a reused code revokes its tokens, a wrong secret, an expired code', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  const app = await registerApp(w)
  const b = patient.browser

  const { auth, callback } = await codeFor(w, b, app)
  const tokens = await redeem(app, callback, auth)
  const sub = tokens.claims()!.sub
  t.ok(await client.fetchUserInfo(app.config, tokens.access_token, sub), 'the access token works')
  t.equal(await errorOf(redeem(app, callback, auth)), 'invalid_grant', 'the code a second time: refused')
  t.equal(await errorOf(client.fetchUserInfo(app.config, tokens.access_token, sub)), 'invalid_token', 'and the tokens issued from it are revoked')
  t.equal(await w.sql.count("select count(*) from oidc_artifacts where model in ('AccessToken', 'AuthorizationCode', 'Grant')"), 0, 'the code, its tokens and its grant are gone from the table')

  const wrong = await codeFor(w, b, app)
  const wrongSecret = await withSecret(w, app, 'niet-het-geheim')
  const grant = client.authorizationCodeGrant(wrongSecret, wrong.callback, { pkceCodeVerifier: wrong.auth.verifier, expectedNonce: wrong.auth.nonce, expectedState: wrong.auth.state })
  t.equal(await errorOf(grant), 'invalid_client', 'a wrong client secret')

  const wrongVerifier = await codeFor(w, b, app)
  t.equal(await errorOf(redeem(app, wrongVerifier.callback, { ...wrongVerifier.auth, verifier: client.randomPKCECodeVerifier() })), 'invalid_grant', 'a wrong PKCE verifier')

  // oidc-provider reads Date.now() itself and takes no clock; our adapter stores the expiry by the
  // portal's clock and finds nothing past it, so moving the fake clock expires the code.
  const late = await codeFor(w, b, app)
  w.clock.advanceSeconds(61)
  t.equal(await errorOf(redeem(app, late.callback, late.auth)), 'invalid_grant', 'a code older than 60 seconds')
})

await t.test('a patient deactivated mid-session: tokens stop working, no single sign-on', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  const app = await registerApp(w)
  const b = patient.browser
  const { auth, callback } = await codeFor(w, b, app)
  const tokens = await redeem(app, callback, auth)
  const pending = await codeFor(w, b, app)
  await deactivate(w.deps, { actor: 'cli' }, w.practice.id, patient.account.id)
  t.equal(await errorOf(client.fetchUserInfo(app.config, tokens.access_token, tokens.claims()!.sub)), 'invalid_token', 'userinfo refused')
  t.equal(await errorOf(redeem(app, pending.callback, pending.auth)), 'invalid_grant', 'a code issued before: refused')
  const next = await authRequest(app)
  await b.get(next.url.href)
  t.equal(b.url, '/inloggen', 'the next app sign-in asks again')
})

await t.test("the provider's URLs are PUBLIC_URL's, whatever Host or X-Forwarded-Host a client sends", async (t) => {
  const w = await oidcWorld(t)
  for (const headers of [{ host: 'evil.example' }, { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }]) {
    const res = await w.app.inject({ method: 'GET', url: '/.well-known/openid-configuration', headers })
    const meta = JSON.parse(res.body) as Record<string, string>
    t.equal(meta.issuer, w.issuer)
    t.equal(meta.authorization_endpoint, `${w.issuer}/oidc/auth`, JSON.stringify(headers))
    t.equal(meta.jwks_uri, `${w.issuer}/oidc/jwks`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', "the portal's headers")
  }
})
