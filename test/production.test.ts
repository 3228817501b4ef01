// Production mode (issue 5): an unsafe setting stops the start with every problem listed at once;
// a safe production server starts, hides the dev outbox and sends HSTS on every answer; and behind a
// reverse proxy the client address comes from X-Forwarded-For only when TRUST_PROXY says so.
import { listening, spawnSourceServer, type SourceServer } from './helpers/source-server.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { freePort } from './helpers/net.ts'
import type { Test } from 'tap'
import { ConfigError, loadConfig } from '../src/config.ts'
import { counterNames } from '../src/domain/throttle.ts'
import { Browser, type Inject } from './helpers/browser.ts'
import { origin, testSecretKey, world, type World } from './helpers/world.ts'


function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-prod-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A safe production environment: every check of loadConfig passes. */
function safeEnv(dir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://dossier.praktijk.example',
    TRUST_PROXY: 'true',
    SECRET_KEY: testSecretKey,
    SMTP_URL: 'smtp://mail.praktijk.example:587',
    SMS_WEBHOOK_URL: 'https://sms.praktijk.example/send',
    DATABASE_PATH: join(dir, 'portal.db'),
    // Production starts only while every practice can be reached (issue 20).
    PRACTICE_CONTACT: '030 123 45 67',
  }
}

const problem = {
  noKey: /SECRET_KEY ontbreekt/,
  weakKey: /SECRET_KEY is te zwak/,
  noUrl: /PUBLIC_URL ontbreekt/,
  httpUrl: /PUBLIC_URL moet in productie https:\/\/ zijn/,
  noTrust: /TRUST_PROXY staat niet op true/,
  noSmtp: /SMTP_URL ontbreekt/,
  noSms: /SMS_WEBHOOK_URL ontbreekt/,
  devOutbox: /DEV_OUTBOX=on is in productie niet toegestaan/,
}

/** The ConfigError loadConfig throws for this environment, or null when it starts. */
function refusal(env: Record<string, string | undefined>): ConfigError | null {
  try {
    loadConfig(env)
    return null
  } catch (err) {
    if (err instanceof ConfigError) return err
    throw err
  }
}

const problemsOf = (env: Record<string, string | undefined>): string[] => refusal(env)?.problems ?? []

await t.test('loadConfig refuses each unsafe production setting, naming it', async (t) => {
  const safe = safeEnv(tempDir(t))
  const config = loadConfig(safe)
  t.equal(config.mode, 'production')
  t.equal(config.secure, true)
  t.equal(config.devOutbox, false, 'the dev outbox is off by default')

  const rows: { name: string; change: Record<string, string | undefined>; expect: RegExp }[] = [
    { name: 'no SECRET_KEY', change: { SECRET_KEY: undefined }, expect: problem.noKey },
    { name: 'an empty SECRET_KEY', change: { SECRET_KEY: '   ' }, expect: problem.noKey },
    { name: 'a short SECRET_KEY', change: { SECRET_KEY: 'geheim' }, expect: problem.weakKey },
    { name: 'a 16-byte SECRET_KEY', change: { SECRET_KEY: 'a3f1c29e8b7d6054f1e2d3c4b5a69788' }, expect: problem.weakKey },
    { name: 'a SECRET_KEY of zeros', change: { SECRET_KEY: '0'.repeat(64) }, expect: problem.weakKey },
    { name: 'no PUBLIC_URL', change: { PUBLIC_URL: undefined }, expect: problem.noUrl },
    { name: 'an http PUBLIC_URL', change: { PUBLIC_URL: 'http://dossier.praktijk.example' }, expect: problem.httpUrl },
    { name: 'https without TRUST_PROXY', change: { TRUST_PROXY: undefined }, expect: problem.noTrust },
    { name: 'https with TRUST_PROXY=false', change: { TRUST_PROXY: 'false' }, expect: problem.noTrust },
    { name: 'no SMTP_URL', change: { SMTP_URL: undefined }, expect: problem.noSmtp },
    { name: 'no SMS_WEBHOOK_URL', change: { SMS_WEBHOOK_URL: undefined }, expect: problem.noSms },
    { name: 'DEV_OUTBOX=on', change: { DEV_OUTBOX: 'on' }, expect: problem.devOutbox },
  ]
  for (const row of rows) {
    const env = { ...safe, ...row.change }
    t.type(refusal(env), ConfigError, `${row.name}: refused`)
    const problems = problemsOf(env)
    t.equal(problems.length, 1, `${row.name}: one problem`)
    t.match(problems[0], row.expect, `${row.name}: named`)
  }
})

const everythingWrong = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'http://dossier.praktijk.example',
  DEV_OUTBOX: 'on',
}
const everythingWrongToo = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://dossier.praktijk.example',
  SECRET_KEY: 'geheim',
}

await t.test('every problem at once', async (t) => {
  const dir = tempDir(t)
  const a = problemsOf({ ...everythingWrong, DATABASE_PATH: join(dir, 'a.db') })
  t.equal(a.length, 5)
  for (const p of [problem.noKey, problem.httpUrl, problem.noSmtp, problem.noSms, problem.devOutbox]) t.ok(a.some((line) => p.test(line)), `lists ${p}`)
  const b = problemsOf({ ...everythingWrongToo, DATABASE_PATH: join(dir, 'b.db') })
  t.equal(b.length, 4)
  for (const p of [problem.weakKey, problem.noTrust, problem.noSmtp, problem.noSms]) t.ok(b.some((line) => p.test(line)), `lists ${p}`)
})

// ---- the real server ----

interface Server extends SourceServer {
  port: number
}

/** `node --import tsx src/server.ts` with exactly this environment (and PATH). */
function spawnServer(t: Test, env: Record<string, string>, port = 0): Server {
  return { ...spawnSourceServer(t, { PORT: String(port), ...env }), port }
}

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request (TRACE and malformed paths included), as if through the TLS proxy. */
function send(port: number, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { 'x-forwarded-proto': 'https', ...opts.headers } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

await t.test('the server refuses to start with unsafe settings and prints every problem', async (t) => {
  const dir = tempDir(t)
  const servers = [
    { name: 'http, no key, no gateways, dev outbox', env: { ...everythingWrong, DATABASE_PATH: join(dir, 'a.db') }, expect: [problem.noKey, problem.httpUrl, problem.noSmtp, problem.noSms, problem.devOutbox] },
    { name: 'weak key, no TRUST_PROXY, no gateways', env: { ...everythingWrongToo, DATABASE_PATH: join(dir, 'b.db') }, expect: [problem.weakKey, problem.noTrust, problem.noSmtp, problem.noSms] },
  ].map((row) => ({ ...row, server: spawnServer(t, row.env, 1) }))
  for (const row of servers) {
    const { code } = await row.server.exited
    t.not(code, 0, `${row.name}: exits non-zero`)
    t.equal(code, 78, `${row.name}: with EX_CONFIG`)
    const out = row.server.output()
    t.match(out, /Configuratie onjuist/, `${row.name}: says why`)
    for (const p of row.expect) t.match(out, p, `${row.name}: lists ${p}`)
    t.notMatch(out, /draait op/, `${row.name}: never listened`)
    t.notMatch(out, /\n\s+at /, `${row.name}: no stack trace`)
  }
})

await t.test('a safe production server: no dev outbox, HSTS and the security headers on every answer', async (t) => {
  const dir = tempDir(t)
  const server = spawnServer(t, safeEnv(dir), await freePort())
  await listening(server)
  t.match(server.output(), /\(production\)/, 'in production mode')
  t.notMatch(server.output(), /Dev outbox|Demo:/, 'no dev outbox, no demo patient')

  const outbox = await send(server.port, 'GET', '/dev/outbox')
  t.equal(outbox.status, 404, '/dev/outbox does not exist')
  t.notMatch(outbox.body, /Dev outbox/)

  const page = await send(server.port, 'GET', '/inloggen')
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1]
  const cookie = String(page.headers['set-cookie'] ?? '').split(';')[0]!
  t.match(cookie, /^__Host-mtd_csrf=/, "the form's CSRF cookie has the __Host- prefix")
  t.match(String(page.headers['set-cookie']), /; Secure/, 'and is Secure')
  const signIn = await send(server.port, 'POST', '/inloggen', { headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(csrf ?? '')}&username=jdevries` })
  t.equal(signIn.status, 303)
  t.match(String(signIn.headers['set-cookie']), /^__Host-mtd_session=[^;]+;.*; Secure/, 'the session cookie has the __Host- prefix and is Secure')

  const rows: { name: string; method: string; path: string; status: number; headers?: Record<string, string>; body?: string }[] = [
    { name: 'a page', method: 'GET', path: '/inloggen', status: 200 },
    { name: 'a redirect', method: 'GET', path: '/', status: 303 },
    { name: 'a redirect after a POST', method: 'POST', path: '/inloggen', status: 303, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(csrf ?? '')}&username=jdevries` },
    { name: 'not found', method: 'GET', path: '/bestaat-niet', status: 404 },
    { name: 'TRACE', method: 'TRACE', path: '/', status: 405 },
    { name: 'PUT', method: 'PUT', path: '/inloggen', status: 405 },
    { name: 'a body over the limit', method: 'POST', path: '/inloggen', status: 413, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `username=${'a'.repeat(20_000)}` },
    { name: 'JSON', method: 'POST', path: '/inloggen', status: 415, headers: { 'content-type': 'application/json' }, body: '{}' },
    { name: 'no CSRF token', method: 'POST', path: '/inloggen', status: 403, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=jdevries' },
    { name: 'a malformed URL', method: 'GET', path: '/%', status: 400 },
    { name: 'the stylesheet', method: 'GET', path: '/static/portal.css', status: 200 },
  ]
  for (const row of rows) {
    const res = await send(server.port, row.method, row.path, { headers: row.headers ?? {}, body: row.body ?? '' })
    t.equal(res.status, row.status, `${row.name}: ${row.status}`)
    t.equal(res.headers['strict-transport-security'], 'max-age=63072000; includeSubDomains', `${row.name}: HSTS`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${row.name}: nosniff`)
    t.match(String(res.headers['content-security-policy']), /default-src 'none'/, `${row.name}: CSP`)
    t.equal(res.headers['referrer-policy'], 'no-referrer', `${row.name}: Referrer-Policy`)
    t.equal(res.headers['x-powered-by'], undefined, `${row.name}: no X-Powered-By`)
    if (row.status >= 400) t.match(res.body, /<html lang="nl">/, `${row.name}: a Dutch page`)
  }

  server.process.kill('SIGTERM')
  t.equal((await server.exited).code, 0, 'SIGTERM: a clean exit')
})

// ---- TRUST_PROXY and the per-IP limit ----

/** A browser whose requests arrive through a proxy that sets X-Forwarded-For. */
function proxiedBrowser(w: World, forwardedFor: string): Browser {
  const inject: Inject = async (opts) => {
    const res = await w.app.inject({ ...opts, headers: { ...opts.headers, 'x-forwarded-for': forwardedFor }, remoteAddress: '127.0.0.1' })
    return { statusCode: res.statusCode, headers: res.headers, body: res.body }
  }
  return new Browser(inject, { origin })
}

async function wrongPassword(w: World, forwardedFor: string, username: string): Promise<Browser> {
  const b = proxiedBrowser(w, forwardedFor)
  await b.get('/inloggen')
  await b.submit('Volgende', { username })
  return await b.submit('Volgende', { 'current-password': 'zeker niet het wachtwoord' })
}

/** The per-client counters (their keys are HMACs, decision 0011: named here by the address they stand for). */
const ipKeys = (w: World, ...addresses: string[]) => {
  const names = new Map(addresses.map((ip) => [counterNames(w.deps, '', ip).client, ip]))
  const rows = w.deps.db.$client.prepare("select key, failures from throttles where key like 'c:%' order by key").all() as { key: string; failures: number }[]
  return rows.map((r) => ({ key: names.get(r.key) ?? r.key, failures: r.failures }))
}
/** Hidden mode (decision 0011): over the client limit a wrong password goes on to a code step instead of a refusal. */
const hidden = (b: Browser) => /^\/inloggen\/(app|email)-code$/.test(b.url)

await t.test('TRUST_PROXY=true: the per-client limit counts the address the proxy saw', async (t) => {
  const w = await world(t, { env: { TRUST_PROXY: 'true', IP_FAILURES_BEFORE_DELAY: '3' } })
  // A script behind the proxy writes its own X-Forwarded-For; the proxy appends the real address.
  for (let i = 0; i < 3; i++) {
    const b = await wrongPassword(w, `198.51.100.${i}, 203.0.113.7`, `gebruiker${i}`)
    t.equal(b.status, 422, `failure ${i + 1}: the normal answer`)
  }
  t.same(ipKeys(w, '203.0.113.7'), [{ key: '203.0.113.7', failures: 3 }], 'counted for the real address, whatever the client wrote')
  const blocked = await wrongPassword(w, '198.51.100.99, 203.0.113.7', 'nog-een-gebruiker')
  t.ok(hidden(blocked), 'the fourth try from that address is in hidden mode')
  const other = await wrongPassword(w, '192.0.2.5', 'gebruiker0')
  t.equal(other.status, 422, 'another address is not slowed down')
  t.ok((await w.audit()).some((e) => e.ip === '203.0.113.7'), 'the audit log has the real address')
})

await t.test('TRUST_PROXY off: X-Forwarded-For is ignored', async (t) => {
  const w = await world(t, { env: { IP_FAILURES_BEFORE_DELAY: '3' } })
  for (let i = 0; i < 3; i++) await wrongPassword(w, `203.0.113.${i}`, `gebruiker${i}`)
  t.same(ipKeys(w, '127.0.0.1'), [{ key: '127.0.0.1', failures: 3 }], 'counted for the connecting address')
  const blocked = await wrongPassword(w, '203.0.113.200', 'nog-een-gebruiker')
  t.ok(hidden(blocked), 'a new X-Forwarded-For does not escape the limit')
  t.notOk((await w.audit()).some((e) => e.ip?.startsWith('203.0.113.')), 'the header never reaches the audit log')
})
