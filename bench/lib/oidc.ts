// A complete OpenID Connect sign-in against the portal (issue 13's bench figure): a relying party built
// with openid-client (the library the tests and /dev/app use) and a browser (the bench's Visitor)
// walking authorize -> /interaction/:uid -> the portal's sign-in forms (username, password, app code)
// -> /interaction/:uid/verder -> the resume -> the callback's code -> the token endpoint (client_secret)
// -> userinfo. 12 requests to the portal, one argon2id.
//
// openid-client runs in the load generator (its PKCE, state, nonce and the id_token's claims checks
// cost the client's core, not the server's). Its discovery runs once per portal, not per sign-in; its
// HTTP goes through the bench's own keep-alive client (customFetch), to 127.0.0.1 behind the same
// pretend TLS proxy as every other request, since the issuer is the https PUBLIC_URL.
import * as client from 'openid-client'
import { generate } from 'otplib'
import { addClient } from '../../src/oidc/clients.ts'
import type { Config } from '../../src/config.ts'
import { createRuntime } from '../../src/runtime.ts'
import { send, Visitor } from './http.ts'
import { benchPassword, benchPublicUrl, proxyHeaders, type Patient } from './prepare.ts'

/** Where the bench's app says it lives; nothing listens there: the bench reads the code from the Location. */
export const benchRedirectUri = 'https://rp.bench.test/callback'

export interface BenchApp {
  id: string
  secret: string
}

/** Registers the bench's app on the prepared database, as `npm run admin -- client add --first-party` would. */
export async function prepareOidcApp(config: Config): Promise<BenchApp> {
  const runtime = await createRuntime(config, { log: () => {} })
  try {
    const added = await addClient(runtime.deps, { actor: 'cli' }, { name: 'Bench-app', redirectUris: [benchRedirectUri], firstParty: true })
    if (!added.ok) throw new Error(`bench app: ${added.problems.join('; ')}`)
    return { id: added.value.client.id, secret: added.value.secret }
  } finally {
    await runtime.close()
  }
}

/** openid-client's fetch, through the bench's HTTP client to the portal on 127.0.0.1. */
function portalFetch(port: number): client.CustomFetch {
  return async (url, options) => {
    const u = new URL(url)
    if (u.origin !== benchPublicUrl) throw new Error(`the bench app fetched ${u.origin}, not the portal`)
    const headers: Record<string, string> = { ...options.headers, ...proxyHeaders }
    const body = options.body === undefined || options.body === null ? undefined : String(options.body)
    const res = await send(port, { method: options.method, path: u.pathname + u.search, headers, ...(body !== undefined ? { body } : {}) })
    const out = new Headers()
    for (const [name, value] of Object.entries(res.headers)) {
      if (Array.isArray(value)) for (const v of value) out.append(name, v)
      else if (value !== undefined) out.set(name, String(value))
    }
    return new Response(res.status === 204 || res.status === 304 ? null : res.body, { status: res.status, headers: out })
  }
}

/** The bench's app at one portal: its discovery made once. */
export async function connectApp(port: number, app: BenchApp): Promise<client.Configuration> {
  const fetcher = portalFetch(port)
  const config = await client.discovery(new URL(benchPublicUrl), app.id, app.secret, client.ClientSecretBasic(app.secret), { [client.customFetch]: fetcher })
  config[client.customFetch] = fetcher
  return config
}

const pathOf = (location: string | string[] | undefined): string => {
  const l = String(location ?? '')
  return l.startsWith(benchPublicUrl) ? l.slice(benchPublicUrl.length) : l
}

/** One patient's complete OIDC sign-in; every answer checked. `address`: the browser's (X-Forwarded-For), as in signIn. */
export async function oidcSignIn(port: number, config: client.Configuration, patient: Patient, address?: string): Promise<{ ok: boolean; step: string }> {
  const verifier = client.randomPKCECodeVerifier()
  const nonce = client.randomNonce()
  const state = client.randomState()
  const auth = client.buildAuthorizationUrl(config, {
    redirect_uri: benchRedirectUri,
    scope: 'openid profile email phone',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
  })
  const v = new Visitor(port, benchPublicUrl, address)
  const authorize = await v.get(auth.pathname + auth.search)
  const toInteraction = pathOf(authorize.headers.location)
  if (authorize.status !== 303 || !toInteraction.startsWith('/interaction/')) return { ok: false, step: `GET /oidc/auth (${authorize.status})` }
  const interaction = await v.get(toInteraction)
  if (interaction.status !== 303 || pathOf(interaction.headers.location) !== '/inloggen') return { ok: false, step: `GET /interaction/:uid (${interaction.status})` }
  if ((await v.get('/inloggen')).status !== 200) return { ok: false, step: 'GET /inloggen' }
  if ((await v.post('/inloggen', { username: patient.username })).status !== 303) return { ok: false, step: 'POST /inloggen' }
  if ((await v.get('/inloggen/wachtwoord')).status !== 200) return { ok: false, step: 'GET /inloggen/wachtwoord' }
  const passed = await v.post('/inloggen/wachtwoord', { password: benchPassword })
  if (passed.status !== 303 || passed.headers.location !== '/inloggen/app-code') return { ok: false, step: 'POST /inloggen/wachtwoord' }
  if ((await v.get('/inloggen/app-code')).status !== 200) return { ok: false, step: 'GET /inloggen/app-code' }
  const code = await generate({ secret: patient.secret, epoch: Math.floor(Date.now() / 1000) })
  const done = await v.post('/inloggen/app-code', { code })
  const toContinue = pathOf(done.headers.location)
  if (done.status !== 303 || !/^\/interaction\/[\w-]+\/verder$/.test(toContinue)) return { ok: false, step: `POST /inloggen/app-code (${done.status})` }
  const page = await v.get(toContinue)
  const refresh = /http-equiv="refresh" content="0; url=([^"]+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&')
  if (page.status !== 200 || !refresh) return { ok: false, step: `GET /interaction/:uid/verder (${page.status})` }
  const resumed = await v.get(pathOf(refresh))
  const callback = String(resumed.headers.location ?? '')
  if (resumed.status !== 303 || !callback.startsWith(`${benchRedirectUri}?`)) return { ok: false, step: `GET /oidc/auth/:uid (${resumed.status})` }
  let tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers
  try {
    tokens = await client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true })
  } catch (err) {
    return { ok: false, step: `POST /oidc/token: ${(err as Error).message}` }
  }
  const sub = tokens.claims()?.sub
  if (!sub) return { ok: false, step: 'id_token without sub' }
  try {
    const info = await client.fetchUserInfo(config, tokens.access_token, sub)
    if (info.name !== patient.name) return { ok: false, step: 'GET /oidc/me: another name' }
  } catch (err) {
    return { ok: false, step: `GET /oidc/me: ${(err as Error).message}` }
  }
  return { ok: true, step: '' }
}
