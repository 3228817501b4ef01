// Issue 22 item 3, the apps' side: an app's secret and the id_token signing keys, sealed under the first
// SECRET_KEY, keep working across the rotation: [key1], then [key2, key1] (a full sign-in through the app),
// then `secret-key reseal` and [key2] alone. Without SECRET_KEYS_OLD the app would get invalid_client.
import t from 'tap'
import type { Test } from 'tap'
import { resealAll } from '../src/domain/sealed.ts'
import { authRequest, continueToApp, redeem, registerApp, verifiedByJwks, withSecret, type OidcWorld } from './helpers/oidc.ts'
import { freePort } from './helpers/net.ts'
import { enterPassword, onboardWithApp } from './helpers/patients.ts'
import { testSecretKey, world } from './helpers/world.ts'


const key2 = 'fa451ace865690cad69a997493a9e6f7a08e1546d092d9cc9e98368f012e006c'

/** The portal on `databasePath` with these keys, listening (oidc-provider's clock is the real one). */
async function portal(t: Test, databasePath: string | undefined, env: Record<string, string>): Promise<OidcWorld> {
  const port = await freePort()
  const w = await world(t, { ...(databasePath ? { databasePath } : {}), env: { PUBLIC_URL: `http://localhost:${port}`, ...env }, clockMs: Date.now() })
  await w.app.listen({ port, host: 'localhost' })
  return Object.assign(w, { issuer: `http://localhost:${port}` })
}

/** The token endpoint with the app's credentials and a made-up code: invalid_grant means the secret was accepted. */
async function clientAccepted(w: OidcWorld, id: string, secret: string): Promise<string> {
  const res = await fetch(`${w.issuer}/oidc/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: 'not-a-code', redirect_uri: 'http://localhost:9/callback', code_verifier: 'x'.repeat(43) }).toString(),
  })
  return ((await res.json()) as { error: string }).error
}

const kids = async (w: OidcWorld) => ((await (await fetch(`${w.issuer}/oidc/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort()

await t.test("an app's secret and the signing keys keep working across the rotation", async (t) => {
  const w1 = await portal(t, undefined, {})
  const patient = await onboardWithApp(w1)
  const app = await registerApp(w1, { name: 'Dossier' })
  t.equal(await clientAccepted(w1, app.id, app.secret), 'invalid_grant', 'key 1: the secret is accepted')
  t.equal(await clientAccepted(w1, app.id, 'wrong'), 'invalid_client', 'the control: a wrong secret is not')
  const before = await kids(w1)
  await w1.app.close()
  await w1.runtime.close()

  // The new key first, the old one beside it: the same app, the same published keys, a whole sign-in.
  const w2 = await portal(t, w1.databasePath, { SECRET_KEY: key2, SECRET_KEYS_OLD: testSecretKey })
  t.equal(await clientAccepted(w2, app.id, app.secret), 'invalid_grant', '[key 2, key 1]: the secret sealed under key 1 opens')
  t.same(await kids(w2), before, 'the signing keys sealed under key 1 are the ones published: no new pair')
  const moved = { ...app, config: await withSecret(w2, app, app.secret) }
  const auth = await authRequest(moved)
  const b = w2.browser()
  await b.get(auth.url.href)
  w2.clock.advanceSeconds(30)
  await enterPassword(b, patient.account.username, patient.password)
  await b.submit('Verifieer code', { 'one-time-code': await w2.totp(patient.secret) })
  const tokens = await redeem(moved, await continueToApp(b), auth)
  const { header } = await verifiedByJwks(w2.issuer, tokens.id_token!)
  t.ok(before.includes(String(header.kid)), 'the id_token is signed with a key sealed under key 1')

  const report = await resealAll(w2.deps, { actor: 'cli' })
  t.match(report.columns, { clients: { resealed: 1, unopenable: 0 }, signingKeys: { resealed: 2, unopenable: 0 } })
  await w2.app.close()
  await w2.runtime.close()

  const w3 = await portal(t, w1.databasePath, { SECRET_KEY: key2 })
  t.equal(await clientAccepted(w3, app.id, app.secret), 'invalid_grant', 'after the reseal, key 2 alone: the same secret works')
  t.same(await kids(w3), before, 'and the same signing keys')
  await w3.app.close()
  await w3.runtime.close()

  // The control: key 2 alone on a database not resealed refuses the app, as a changed key did before.
  const w4 = await portal(t, undefined, {})
  const other = await registerApp(w4, { name: 'Ander' })
  await w4.app.close()
  await w4.runtime.close()
  const w5 = await portal(t, w4.databasePath, { SECRET_KEY: key2 })
  t.equal(await clientAccepted(w5, other.id, other.secret), 'invalid_client', 'without the old key beside it, the secret opens under no key')
})
