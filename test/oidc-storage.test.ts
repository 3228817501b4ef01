// oidc-provider's storage on our SQLite: ids (for codes and tokens, the secret itself) only as hashes,
// expiry by the portal's clock, rows swept; signing keys encrypted, retired ones swept after a day.
import t from 'tap'
import { sweepExpired } from '../src/domain/sweep.ts'
import { createAdapterFactory } from '../src/oidc/adapter.ts'
import { loadSigningKeys, rotateSigningKeys } from '../src/oidc/keys.ts'
import { world } from './helpers/world.ts'

await t.test('artifacts: hashed ids, expiry by the clock, revoke by grant, swept', async (t) => {
  const w = await world(t)
  const adapter = createAdapterFactory(w.deps)
  const tokens = adapter('AccessToken')
  const secret = 'een-geheim-token-van-43-tekens-lang-xxxxxxxxx'
  await tokens.upsert(secret, { jti: secret, grantId: 'grant-1', accountId: 'sub-1' }, 60)
  const raw = JSON.stringify(await w.sql.all('select * from oidc_artifacts'))
  t.notOk(raw.includes(secret), 'the token itself is nowhere in the table')
  t.match(await tokens.find(secret), { jti: secret, grantId: 'grant-1', accountId: 'sub-1' })
  await tokens.consume(secret)
  t.ok((await tokens.find(secret))?.consumed, 'consumed is kept')

  const sessions = adapter('Session')
  await sessions.upsert('session-cookie-value', { jti: 'session-cookie-value', uid: 'uid-1', accountId: 'sub-1' }, 3600)
  t.notOk(JSON.stringify(await w.sql.all('select * from oidc_artifacts')).includes('session-cookie-value'))
  t.match(await sessions.findByUid('uid-1'), { jti: 'session-cookie-value', accountId: 'sub-1' }, 'a session found by uid knows its id')

  w.clock.advanceSeconds(61)
  t.equal(await tokens.find(secret), undefined, 'expired by the fake clock')
  t.equal((await sweepExpired(w.deps)).oidc, 1, 'the expired token is swept, the session stays')
  await adapter('AuthorizationCode').upsert('code-1', { jti: 'code-1', grantId: 'grant-2' }, 60)
  await adapter('AccessToken').upsert('token-2', { jti: 'token-2', grantId: 'grant-2' }, 60)
  await tokens.revokeByGrantId('grant-2')
  t.equal(await adapter('AuthorizationCode').find('code-1'), undefined, 'revoking a grant removes its code')
  t.equal(await adapter('AccessToken').find('token-2'), undefined, 'and its tokens')
})

await t.test('signing keys: made once, encrypted at rest, rotated, retired ones swept after a day', async (t) => {
  const w = await world(t)
  const first = await loadSigningKeys(w.deps)
  t.same(first.map((k) => k.alg).sort(), ['ES256', 'RS256'])
  t.same((await loadSigningKeys(w.deps)).map((k) => k.kid), first.map((k) => k.kid), 'the same keys at the next start')
  const rows = await w.sql.all<{ private_jwk_enc: string }>('select * from oidc_keys')
  t.ok(rows.every((r) => r.private_jwk_enc.startsWith('v1.') && !r.private_jwk_enc.includes('"d"')), 'private parts encrypted')

  await rotateSigningKeys(w.deps, { actor: 'cli' })
  const after = await loadSigningKeys(w.deps)
  t.equal(after.length, 4)
  t.notOk(first.some((k) => k.kid === after[0]!.kid || k.kid === after[1]!.kid), 'the new keys come first (oidc-provider signs with them)')
  w.clock.advanceHours(23)
  await sweepExpired(w.deps)
  t.equal((await loadSigningKeys(w.deps)).length, 4, 'retired keys stay published for a day')
  w.clock.advanceHours(2)
  await sweepExpired(w.deps)
  t.equal((await loadSigningKeys(w.deps)).length, 2, 'then they go')
})

await t.test('another SECRET_KEY on the same database: new keys, the old ones unusable and retired', async (t) => {
  const w1 = await world(t)
  const first = await loadSigningKeys(w1.deps)
  await w1.app.close()
  await w1.runtime.close()
  // Another random key (openssl rand -hex 32).
  const other = '6f1d9c47e2a85b3016c7f4e9d2b0a8357e91c64f0b2d8a5c3e7f1940b6d2c85a'
  const w2 = await world(t, { databasePath: w1.databasePath, env: { SECRET_KEY: other } })
  const keys = await loadSigningKeys(w2.deps)
  t.equal(keys.length, 2, 'a new pair, and only what can be opened is published')
  t.notOk(keys.some((k) => first.some((f) => f.kid === k.kid)))
})
