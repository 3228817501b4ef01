// Issue 19 item 4: what anonymous requests to the provider can make the portal store. Every parameter
// has a length limit, checked before anything is stored (too long: the provider's own error, back to
// the app or on our page); unknown parameters are dropped; request objects are refused; bodies are
// small. Each client address (and each app) starts a bounded number of interactions an hour, beyond that
// a 429 page and nothing stored; an interaction nobody opened expires after 10 minutes, and the sweeper
// removes what expired.
import t from 'tap'
import { sweepExpired } from '../src/domain/sweep.ts'
import { messages } from '../src/messages.ts'
import { authRequest, browserAt, continueToApp, leftTo, oidcWorld, redeem, registerApp, type App, type OidcWorld } from './helpers/oidc.ts'
import { enterPassword, onboardWithApp } from './helpers/patients.ts'

const nl = messages('nl')
const en = messages('en')

/** The provider's stored rows of one model: how many, and their payload bytes. */
async function stored(w: OidcWorld, model: string): Promise<{ rows: number; bytes: number }> {
  return {
    rows: await w.sql.count('select count(*) from oidc_artifacts where model = ?', model),
    bytes: await w.sql.count('select coalesce(sum(length(payload)), 0) from oidc_artifacts where model = ?', model),
  }
}

/** A redirect URI of exactly 1000 characters, the longest an app may register. */
const longRedirectUri = (n: number) => {
  const head = `http://localhost:9/callback-${n}/`
  return head + 'r'.repeat(1000 - head.length)
}

/** An authorization request with every parameter an app may send at its longest allowed value, and an unknown one. */
async function maximal(app: App): Promise<URL> {
  const auth = await authRequest(app, {
    state: 's'.repeat(1024),
    nonce: 'n'.repeat(256),
    login_hint: 'h'.repeat(256),
    ui_locales: `nl ${'x'.repeat(61)}`,
    claims_locales: 'c'.repeat(64),
    acr_values: 'a'.repeat(256),
    scope: `openid ${'z'.repeat(249)}`,
    display: 'page',
    max_age: '9999999999',
    // Unknown: dropped before anything is stored.
    onbekend: 'u'.repeat(4000),
  })
  return auth.url
}

await t.test('1000 anonymous authorization requests from one address store a bounded amount; the patient still signs in', async (t) => {
  const w = await oidcWorld(t)
  const app = await registerApp(w, { name: 'Dossier', redirectUris: [longRedirectUri(1)] })
  const attacker = '203.0.113.9'
  const statuses = new Map<number, number>()
  let refused = { body: '', retryAfter: '' }
  for (let i = 0; i < 1000; i++) {
    const url = await maximal(app)
    const form = i % 2 === 1
    const res = await w.app.inject({
      method: form ? 'POST' : 'GET',
      url: form ? url.pathname : url.pathname + url.search,
      headers: { host: w.config.publicUrl.host, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { payload: url.searchParams.toString() } : {}),
      remoteAddress: attacker,
    })
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
    if (res.statusCode === 429) refused = { body: res.body, retryAfter: String(res.headers['retry-after']) }
  }
  const interactions = await stored(w, 'Interaction')
  t.ok(interactions.rows <= 60, `at most 60 interactions stored for one address in an hour (stored: ${interactions.rows})`)
  t.ok(interactions.bytes <= 60 * 6000, `and at most 60 × 6 KB (stored: ${interactions.bytes} bytes)`)
  t.equal((await stored(w, 'Session')).rows, 0, 'no provider session for an anonymous request')
  t.equal(statuses.get(303), 60, 'the first 60 go on to the sign-in')
  t.equal(statuses.get(429), 940, 'the rest: 429')
  t.ok(refused.body.includes(nl.oidcText.errorTooManyClient), 'a page in Dutch that says why')
  t.ok(Number(refused.retryAfter) > 0 && Number(refused.retryAfter) <= 3600, `Retry-After: the rest of the hour (${refused.retryAfter} s)`)
  const reached = (await w.audit()).filter((e) => e.event === 'oidc_request_budget_reached')
  t.equal(reached.length, 1, 'audited once in the hour, not per refusal')
  t.match(JSON.parse(reached[0]!.detail!), { budget: 'client', limit: 60 })
  t.equal(await w.sql.count("select count(*) from throttles where key like 'oidc:%'"), 2, 'two counters: this address and this app')

  // The patient, at another address, meanwhile.
  const patient = await onboardWithApp(w)
  const b = w.browser()
  const auth = await authRequest(app)
  await b.get(auth.url.href)
  t.equal(b.url, '/inloggen')
  w.clock.advanceSeconds(30)
  await enterPassword(b, patient.account.username, patient.password)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(patient.secret) })
  const tokens = await redeem(app, await continueToApp(b), auth)
  t.ok(tokens.access_token, "the patient's own sign-in through the app works")

  // Nobody opened the attacker's interactions: gone after 10 minutes.
  w.clock.advanceMinutes(11)
  await sweepExpired(w.deps)
  t.equal((await stored(w, 'Interaction')).rows, 0, 'unopened interactions expire after 10 minutes and are swept')

  // A new hour: the address may start again.
  w.clock.advanceMinutes(50)
  const again = await maximal(app)
  const res = await w.app.inject({ method: 'GET', url: again.pathname + again.search, headers: { host: w.config.publicUrl.host }, remoteAddress: attacker })
  t.equal(res.statusCode, 303, 'after the hour: admitted again')
})

await t.test('the 429 page in English, for the app budget across addresses', async (t) => {
  const w = await oidcWorld(t, { OIDC_INTERACTIONS_PER_APP_PER_HOUR: '100', OIDC_INTERACTIONS_PER_CLIENT_PER_HOUR: '1000' })
  const app = await registerApp(w)
  const other = await registerApp(w)
  let last = { statusCode: 0, body: '' }
  for (let i = 0; i < 101; i++) {
    const url = (await authRequest(app)).url
    last = await w.app.inject({ method: 'GET', url: url.pathname + url.search, headers: { host: w.config.publicUrl.host, 'accept-language': 'en' }, remoteAddress: `198.51.100.${i}` })
  }
  t.equal(last.statusCode, 429, 'the 101st in the hour for this app, from the 101st address')
  t.ok(last.body.includes(en.oidcText.errorTooManyApp), 'in English')
  t.match(last.body, /<html lang="en"/)
  t.equal((await stored(w, 'Interaction')).rows, 100)
  const url = (await authRequest(other)).url
  const res = await w.app.inject({ method: 'GET', url: url.pathname + url.search, headers: { host: w.config.publicUrl.host }, remoteAddress: '198.51.100.200' })
  t.equal(res.statusCode, 303, 'another app is not held up')
  t.match(JSON.parse((await w.audit()).find((e) => e.event === 'oidc_request_budget_reached')!.detail!), { budget: 'app', clientId: app.id })
})

await t.test('too long: refused with the provider error before anything is stored', async (t) => {
  const w = await oidcWorld(t)
  const app = await registerApp(w)
  const rows: [string, Record<string, string>][] = [
    ['state', { state: 's'.repeat(1025) }],
    ['nonce', { nonce: 'n'.repeat(257) }],
    ['login_hint', { login_hint: 'h'.repeat(257) }],
    ['ui_locales', { ui_locales: 'u'.repeat(65) }],
    ['claims_locales', { claims_locales: 'c'.repeat(65) }],
    ['acr_values', { acr_values: 'a'.repeat(257) }],
    // oidc-provider keeps only the scopes it knows; the limit is on what the app sent.
    ['scope', { scope: `openid ${'z'.repeat(250)}` }],
    ['display', { display: 'd'.repeat(17) }],
    ['prompt', { prompt: 'login '.repeat(11) }],
    ['max_age', { max_age: '12345678901' }],
    ['id_token_hint', { id_token_hint: 'i'.repeat(2049) }],
    ['code_challenge of 42 characters', { code_challenge: 'c'.repeat(42) }],
    ['code_challenge of 44 characters', { code_challenge: 'c'.repeat(44) }],
    ['code_challenge of 128 characters (valid for plain, not for S256)', { code_challenge: 'c'.repeat(128) }],
  ]
  for (const [what, params] of rows) {
    const auth = await authRequest(app, params)
    const b = w.browser()
    await b.get(auth.url.href)
    t.notOk(b.url.startsWith('/inloggen'), `${what}: not on to the sign-in`)
    if (!b.url.startsWith('/inloggen')) {
      const back = leftTo(b)
      t.equal(back.origin + back.pathname, app.redirectUri, `${what}: back to the app`)
      t.equal(back.searchParams.get('error'), 'invalid_request', `${what}: invalid_request`)
      t.notOk(back.searchParams.get('code'), `${what}: no code`)
    }
  }
  // A redirect URI longer than any an app may register: our page, never a redirect.
  const auth = await authRequest(app)
  auth.url.searchParams.set('redirect_uri', `${app.redirectUri}?${'r'.repeat(1000)}`)
  const b = w.browser()
  await b.get(auth.url.href)
  t.equal(b.status, 400, 'a too long redirect_uri: 400')
  t.notOk(b.headers.location, 'no redirect')
  t.equal((await stored(w, 'Interaction')).rows, 0, 'nothing stored for any of them')
})

await t.test('unknown parameters dropped; request objects and registration refused; a small body', async (t) => {
  const w = await oidcWorld(t)
  const app = await registerApp(w)
  const known = await authRequest(app, { onbekend: 'u'.repeat(2000) })
  const b = w.browser()
  await b.get(known.url.href)
  t.equal(b.url, '/inloggen', 'an unknown parameter does not stop the sign-in')
  const payloads = await w.sql.all<{ payload: string }>("select payload from oidc_artifacts where model = 'Interaction'")
  t.equal(payloads.length, 1)
  t.notOk(payloads[0]!.payload.includes('onbekend'), 'and is not stored')

  for (const [param, error] of [['request', 'request_not_supported'], ['request_uri', 'request_uri_not_supported'], ['registration', 'registration_not_supported']] as const) {
    const auth = await authRequest(app, { [param]: param === 'request_uri' ? 'https://evil.example/request.jwt' : 'eyJhbGciOiJub25lIn0.e30.' })
    const c = w.browser()
    await c.get(auth.url.href)
    t.equal(leftTo(c).searchParams.get('error'), error, `${param}: ${error}`)
  }
  t.equal((await stored(w, 'Interaction')).rows, 1, 'nothing more stored')

  const auth = await authRequest(app, { state: 's'.repeat(1000) })
  const body = new URLSearchParams(auth.url.searchParams)
  body.set('padding', 'p'.repeat(8 * 1024))
  const res = await fetch(`${w.issuer}/oidc/auth`, { method: 'POST', body, redirect: 'manual' })
  t.equal(res.status, 413, 'a POSTed authorization request over 8 KB: 413')
  t.match(await res.text(), new RegExp(nl.text.tooLargeTitle))
  t.equal((await stored(w, 'Interaction')).rows, 1, 'nothing stored')

  const token = await fetch(`${w.issuer}/oidc/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', padding: 'p'.repeat(9000) }), redirect: 'manual' })
  t.equal(token.status, 413, 'a token request over 8 KB: 413')
  t.match(await token.json(), { error: 'invalid_request' }, 'as an OAuth error in JSON')
})

await t.test('an interaction lives for the sign-in once opened; an unopened one goes after 10 minutes', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  const app = await registerApp(w)
  // Started, never opened (the browser did not follow the redirect).
  const unopened = await authRequest(app)
  const res = await w.app.inject({ method: 'GET', url: unopened.url.pathname + unopened.url.search, headers: { host: w.config.publicUrl.host } })
  t.equal(res.statusCode, 303)
  // Started and opened: the patient is signing in, slowly.
  const b = browserAt(w, '192.0.2.44')
  const auth = await authRequest(app)
  await b.get(auth.url.href)
  t.equal(b.url, '/inloggen')
  t.equal((await stored(w, 'Interaction')).rows, 2)
  w.clock.advanceMinutes(11)
  await sweepExpired(w.deps)
  t.equal((await stored(w, 'Interaction')).rows, 1, 'the unopened one is gone, the opened one stays')
  w.clock.advanceMinutes(9)
  await enterPassword(b, patient.account.username, patient.password)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(patient.secret) })
  const tokens = await redeem(app, await continueToApp(b), auth)
  t.ok(tokens.access_token, '20 minutes after the app asked, the sign-in still returns to it')
})

await t.test('logout requests: parameters capped, a question without a sign-in kept for 10 minutes only', async (t) => {
  const w = await oidcWorld(t)
  const app = await registerApp(w, { postLogoutUris: ['http://localhost:9/bye'] })
  const tooLong = new URL(`${w.issuer}/oidc/session/end`)
  tooLong.searchParams.set('client_id', app.id)
  tooLong.searchParams.set('state', 's'.repeat(1025))
  const b = w.browser()
  await b.get(tooLong.href)
  t.equal(b.status, 400, 'a too long state: 400')
  t.notOk(b.headers.location)
  const posted = await fetch(`${w.issuer}/oidc/session/end`, { method: 'POST', body: new URLSearchParams({ client_id: app.id, state: 's'.repeat(1025) }), redirect: 'manual' })
  t.equal(posted.status, 400, 'POSTed: 400 too')
  t.equal((await stored(w, 'Session')).rows, 0, 'nothing stored')

  const fine = new URL(`${w.issuer}/oidc/session/end`)
  fine.searchParams.set('client_id', app.id)
  fine.searchParams.set('state', 's'.repeat(1024))
  await w.browser().get(fine.href)
  t.equal((await stored(w, 'Session')).rows, 1, 'a logout question without a sign-in keeps its state')
  w.clock.advanceMinutes(11)
  await sweepExpired(w.deps)
  t.equal((await stored(w, 'Session')).rows, 0, 'for 10 minutes')
})
