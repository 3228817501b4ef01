// The practice's apps and keys through the CLI, run as the operator runs it, then checked against a
// portal on the same database: the secret works once printed, a rotated one replaces it, a removed
// app is unknown, and rotated keys keep the old public key published.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { admin, newDatabase } from './helpers/admin.ts'
import type { Config } from '../src/config.ts'
import { uriProblem } from '../src/oidc/clients.ts'
import { world } from './helpers/world.ts'


const field = (out: string, name: string) => new RegExp(`^${name}: (\\S+)$`, 'm').exec(out)?.[1]

await t.test('client add, list, rotate-secret, remove; keys rotate; every action audited', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-oidc-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const db = newDatabase(join(dir, 'portal.db'))

  const added = await admin(db, ['client', 'add', '--name', 'Dossier', '--redirect-uri', 'https://dossier.example/callback', '--post-logout-uri', 'https://dossier.example/', '--first-party'])
  t.equal(added.code, 0, added.stderr)
  const id = field(added.stdout, 'client_id')!
  const secret = field(added.stdout, 'client_secret')!
  t.ok(id && secret && secret.length >= 43, 'client id and a 256-bit secret printed')
  t.match(added.stderr, /niet opnieuw getoond/)

  const listed = await admin(db, ['client', 'list', '--json'])
  const clients = JSON.parse(listed.stdout) as { id: string; name: string; redirectUris: string[]; firstParty: boolean }[]
  t.match(clients, [{ id, name: 'Dossier', redirectUris: ['https://dossier.example/callback'], firstParty: true }])
  t.notOk(listed.stdout.includes(secret), 'list never shows the secret')
  const raw = new Database(db, { readonly: true })
  t.notOk(JSON.stringify(raw.prepare('select * from oidc_clients').all()).includes(secret), 'the secret is not stored in clear')
  raw.close()

  const refusals: [string[], RegExp][] = [
    [['client', 'add', '--name', 'X', '--redirect-uri', 'http://dossier.example/cb'], /https/],
    [['client', 'add', '--redirect-uri', 'https://dossier.example/cb'], /--name/],
    [['client', 'add', '--name', 'X', '--redirect-uri', 'https://x.example/cb', '--id-token-alg', 'none'], /RS256 of ES256/],
    [['client', 'remove', 'onbekend'], /Geen app/],
    [['keys', 'draai'], /keys rotate/],
  ]
  for (const [args, message] of refusals) {
    const run = await admin(db, args)
    t.equal(run.code, 1, `${args.join(' ')}: exit 1`)
    t.match(run.stderr, message, `${args.join(' ')}: says why`)
  }

  const rotated = await admin(db, ['client', 'rotate-secret', id])
  t.equal(rotated.code, 0, rotated.stderr)
  const newSecret = field(rotated.stdout, 'client_secret')!
  t.ok(newSecret && newSecret !== secret)

  // The first rotation on a database no portal has started yet makes the first pair; the second retires it.
  for (const round of [1, 2]) {
    const keys = await admin(db, ['keys', 'rotate'])
    t.equal(keys.code, 0, keys.stderr)
    t.match(keys.stdout, round === 1 ? /0 oude/ : /2 oude/)
    t.match(keys.stderr, /Herstart/)
  }

  // A portal on this database: the new secret is the one, the JWKS holds old and new keys.
  const w = await world(t, { databasePath: db })
  const basic = (s: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(s)}`).toString('base64')}`
  const token = (s: string) =>
    w.app.inject({ method: 'POST', url: '/oidc/token', headers: { authorization: basic(s), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=authorization_code&code=x&redirect_uri=https%3A%2F%2Fdossier.example%2Fcallback&code_verifier=' + 'a'.repeat(43) })
  t.equal(JSON.parse((await token(secret)).body).error, 'invalid_client', 'the old secret no longer works')
  t.equal(JSON.parse((await token(newSecret)).body).error, 'invalid_grant', 'the new secret does (the made-up code does not)')
  const jwks = JSON.parse((await w.app.inject({ method: 'GET', url: '/oidc/jwks' })).body) as { keys: { kid: string; alg: string }[] }
  t.equal(jwks.keys.length, 4, 'two active and two retired public keys')
  t.same(jwks.keys.map((k) => Object.keys(k).filter((n) => ['d', 'p', 'q', 'dp', 'dq', 'qi'].includes(n))).flat(), [], 'no private parts published')

  const removed = await admin(db, ['client', 'remove', id])
  t.equal(removed.code, 0, removed.stderr)
  t.equal(JSON.parse((await token(newSecret)).body).error, 'invalid_client', 'a removed app is unknown')

  const events = (await w.audit()).map((e) => e.event)
  for (const event of ['oidc_client_added', 'oidc_client_secret_rotated', 'oidc_keys_rotated', 'oidc_client_removed']) t.ok(events.includes(event as never), `${event} audited`)
})

await t.test('redirect URIs: https, or http://localhost outside production', async (t) => {
  const dev = { mode: 'development' } as Config
  const prod = { mode: 'production' } as Config
  const rows: [Config, string, boolean][] = [
    [prod, 'https://dossier.example/callback', true],
    [prod, 'http://localhost:8080/callback', false],
    [prod, 'http://dossier.example/callback', false],
    [dev, 'http://localhost:8080/callback', true],
    [dev, 'http://127.0.0.1:8080/callback', true],
    [dev, 'http://dossier.example/callback', false],
    [dev, 'https://dossier.example/callback#x', false],
    [dev, 'https://user:pw@dossier.example/callback', false],
    [dev, 'javascript:alert(1)', false],
    [dev, 'niet een url', false],
    // As long as an authorization request's redirect_uri may be (issue 19 #4), and no longer.
    [prod, `https://dossier.example/${'c'.repeat(1000 - 'https://dossier.example/'.length)}`, true],
    [prod, `https://dossier.example/${'c'.repeat(1001 - 'https://dossier.example/'.length)}`, false],
  ]
  for (const [config, uri, ok] of rows) t.equal(uriProblem(config, uri) === null, ok, `${config.mode} ${uri.length > 80 ? `${uri.slice(0, 40)}… (${uri.length} characters)` : uri}: ${ok ? 'allowed' : 'refused'}`)
})
