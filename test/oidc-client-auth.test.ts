// Issue 19 item 7: an app authenticates at the token and revocation endpoints the way it was
// registered (`client add --auth-method basic|post`, basic by default), never the other way: a secret
// that leaked in one place (a proxy's log of form bodies, say) is not usable in the other.
import t from 'tap'
import * as client from 'openid-client'
import { randomBytes } from 'node:crypto'
import { getClient } from '../src/oidc/clients.ts'
import { authRequest, leftTo, oidcWorld, registerApp, type App, type OidcWorld } from './helpers/oidc.ts'
import { onboardWithApp, type AppPatient } from './helpers/patients.ts'
import { encrypt } from '../src/domain/secrets.ts'
import { oidcKeys } from '../src/oidc/secrets.ts'

type Method = 'basic' | 'post'

/** The app as a relying party that sends its secret by `method`. */
async function sending(w: OidcWorld, app: App, method: Method): Promise<client.Configuration> {
  const auth = method === 'basic' ? client.ClientSecretBasic(app.secret) : client.ClientSecretPost(app.secret)
  return await client.discovery(new URL(w.issuer), app.id, app.secret, auth, { execute: [client.allowInsecureRequests] })
}

/** The OAuth error a request failed with, or null when it did not fail. */
async function errorOf(request: Promise<unknown>): Promise<string | null> {
  try {
    await request
    return null
  } catch (err) {
    // A refusal of HTTP Basic comes as a WWW-Authenticate challenge: its error is in the challenge.
    const e = err as { error?: string; cause?: { parameters?: { error?: string } }[] }
    return e.error ?? e.cause?.[0]?.parameters?.error ?? String(err)
  }
}

async function redeemWith(w: OidcWorld, patient: AppPatient, app: App, method: Method) {
  const auth = await authRequest(app)
  await patient.browser.get(auth.url.href)
  const config = await sending(w, app, method)
  return await client.authorizationCodeGrant(config, leftTo(patient.browser), { pkceCodeVerifier: auth.verifier, expectedNonce: auth.nonce, expectedState: auth.state })
}

await t.test('the registered method only, at the token and the revocation endpoint', async (t) => {
  const w = await oidcWorld(t)
  const patient = await onboardWithApp(w)
  const rows: [string, App, Method, Method][] = [
    ['registered basic', await registerApp(w, { authMethod: 'client_secret_basic' }), 'basic', 'post'],
    ['registered post', await registerApp(w, { authMethod: 'client_secret_post' }), 'post', 'basic'],
  ]
  for (const [what, app, right, wrong] of rows) {
    t.equal(await errorOf(redeemWith(w, patient, app, wrong)), 'invalid_client', `${what}: the code with the secret sent by ${wrong}: invalid_client`)
    const tokens = await redeemWith(w, patient, app, right)
    t.ok(tokens.access_token, `${what}: by ${right}: tokens`)
    t.equal(await errorOf(client.tokenRevocation(await sending(w, app, wrong), tokens.access_token)), 'invalid_client', `${what}: revocation by ${wrong}: invalid_client`)
    t.ok(await client.fetchUserInfo(app.config, tokens.access_token, tokens.claims()!.sub), `${what}: so the token still works`)
    await client.tokenRevocation(await sending(w, app, right), tokens.access_token)
    await t.rejects(client.fetchUserInfo(app.config, tokens.access_token, tokens.claims()!.sub), `${what}: revoked by ${right}`)
  }
})

await t.test('an app stored without a method is basic (the column default, since the table exists)', async (t) => {
  const w = await oidcWorld(t)
  const secret = randomBytes(32).toString('base64url')
  w.deps.db.$client
    .prepare('insert into oidc_clients (id, name, secret_enc, redirect_uris, first_party, created_at) values (?, ?, ?, ?, 1, ?)')
    .run('oude-app', 'Oude app', encrypt(oidcKeys(w.config).atRest, secret), JSON.stringify(['http://localhost:9/oud']), Date.now())
  t.equal((await getClient(w.deps, 'oude-app'))?.authMethod, 'client_secret_basic')
  const patient = await onboardWithApp(w)
  const app: App = { id: 'oude-app', secret, name: 'Oude app', redirectUri: 'http://localhost:9/oud', config: await client.discovery(new URL(w.issuer), 'oude-app', secret, undefined, { execute: [client.allowInsecureRequests] }) }
  t.equal(await errorOf(redeemWith(w, patient, app, 'post')), 'invalid_client', 'post: refused')
  t.ok((await redeemWith(w, patient, app, 'basic')).access_token, 'basic: as it always worked')
})
