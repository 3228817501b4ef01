// OpenID Connect tests: the portal listening on a free port (openid-client, the relying party, talks
// HTTP to it), the patient's browser over inject with the same host, and an app registered the way
// the CLI registers one.
import { createPublicKey, verify } from 'node:crypto'
import { createServer } from 'node:http'
import type { Test } from 'tap'
import * as client from 'openid-client'
import { addClient, type NewClient } from '../../src/oidc/clients.ts'
import { Browser, type Inject } from './browser.ts'
import { freePort } from './net.ts'
import { world, type World } from './world.ts'

export interface OidcWorld extends World {
  issuer: string
}

export async function oidcWorld(t: Test, env: Record<string, string> = {}): Promise<OidcWorld> {
  const port = await freePort()
  // oidc-provider reads Date.now() for its own times: the fake clock starts at the real time.
  const w = await world(t, { env: { PUBLIC_URL: `http://localhost:${port}`, ...env }, clockMs: Date.now() })
  await w.app.listen({ port, host: 'localhost' })
  return Object.assign(w, { issuer: `http://localhost:${port}` })
}

/** A browser whose requests come from `ip` (req.ip: light-my-request's remoteAddress), with PUBLIC_URL's host as world.browser() sends. */
export function browserAt(w: OidcWorld, ip: string): Browser {
  const inject: Inject = async (opts) => {
    const res = await w.app.inject({ ...opts, headers: { host: w.config.publicUrl.host, ...opts.headers }, remoteAddress: ip })
    return { statusCode: res.statusCode, headers: res.headers, body: res.body }
  }
  return new Browser(inject, { origin: w.config.publicUrl.origin })
}

export interface App {
  id: string
  secret: string
  name: string
  redirectUri: string
  config: client.Configuration
}

let appCount = 0

export async function registerApp(w: OidcWorld, input: Partial<NewClient> = {}, secretOverride?: string): Promise<App> {
  appCount++
  const redirectUri = input.redirectUris?.[0] ?? `http://localhost:9/callback-${appCount}`
  const added = await addClient(w.deps, { actor: 'cli' }, { name: `App ${appCount}`, firstParty: true, ...input, redirectUris: [redirectUri] })
  if (!added.ok) throw new Error(added.problems.join('\n'))
  const { client: c, secret } = added.value
  const config = await client.discovery(new URL(w.issuer), c.id, secretOverride ?? secret, sendsSecret(c.authMethod, secretOverride ?? secret), {
    execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
  })
  return { id: c.id, secret, name: c.name, redirectUri, config }
}

/** The client authentication an app registered with `method` uses (openid-client's default is post). */
const sendsSecret = (method: NewClient['authMethod'], secret: string) => (method === 'client_secret_post' ? client.ClientSecretPost(secret) : client.ClientSecretBasic(secret))

/** The same app with another secret (the RP side only). */
export async function withSecret(w: OidcWorld, app: App, secret: string): Promise<client.Configuration> {
  return await client.discovery(new URL(w.issuer), app.id, secret, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] })
}

export interface AuthRequest {
  url: URL
  verifier: string
  nonce: string
  state: string
}

export async function authRequest(app: App, params: Record<string, string> = {}): Promise<AuthRequest> {
  const verifier = client.randomPKCECodeVerifier()
  const nonce = client.randomNonce()
  const state = client.randomState()
  const url = client.buildAuthorizationUrl(app.config, {
    redirect_uri: app.redirectUri,
    scope: 'openid profile email phone',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...params,
  })
  return { url, verifier, nonce, state }
}

/** Where the browser was sent when it left the portal (the app's redirect URI with code or error). */
export function leftTo(b: Browser): URL {
  const last = b.history.at(-1)
  if (!last?.location || !/^https?:/.test(last.location)) throw new Error(`The browser did not leave the portal: ${b.history.map((h) => `${h.status} ${h.url}`).join(' -> ')}\n${b.text}`)
  return new URL(last.location)
}

/** Follows the "Verder naar ..." page (its meta refresh, as a browser would) back to the app. */
export async function continueToApp(b: Browser): Promise<URL> {
  const refresh = b.$('meta[http-equiv="refresh"]').attr('content') ?? ''
  const target = /url=(.+)$/i.exec(refresh)?.[1]
  if (!target) throw new Error(`No meta refresh on ${b.url}:\n${b.text}`)
  await b.get(target)
  return leftTo(b)
}

export async function redeem(app: App, callback: URL, auth: AuthRequest, extra: { maxAge?: number } = {}) {
  return await client.authorizationCodeGrant(app.config, callback, {
    pkceCodeVerifier: auth.verifier,
    expectedNonce: auth.nonce,
    expectedState: auth.state,
    idTokenExpected: true,
    ...(extra.maxAge !== undefined ? { maxAge: extra.maxAge } : {}),
  })
}

/** Checks a JWS against the portal's published JWKS with node:crypto, independently of openid-client. */
export async function verifiedByJwks(issuer: string, jwt: string): Promise<{ header: Record<string, unknown>; payload: Record<string, unknown> }> {
  const [h, p, s] = jwt.split('.') as [string, string, string]
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string; alg: string }
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string }
  const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] }
  const jwk = jwks.keys.find((k) => k.kid === header.kid)
  if (!jwk) throw new Error(`kid ${header.kid} not in the JWKS`)
  const key = createPublicKey({ key: jwk as never, format: 'jwk' })
  const ok = verify(header.alg === 'RS256' ? 'sha256' : 'sha256', Buffer.from(`${h}.${p}`), header.alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key, Buffer.from(s, 'base64url'))
  if (!ok) throw new Error('signature does not verify')
  return { header, payload: JSON.parse(Buffer.from(p, 'base64url').toString()) }
}

/** An app's back-channel logout endpoint on 127.0.0.1: what it received (path and body), closed at the test's end. */
export async function backchannelReceiver(t: Test): Promise<{ url: string; received: { path: string; body: string }[] }> {
  const received: { path: string; body: string }[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      received.push({ path: req.url ?? '', body })
      res.statusCode = 200
      res.end()
    })
  })
  const port = await freePort()
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${port}/backchannel`, received }
}
