// Hostile input (issue 5): every POST form the portal shows, in every state a patient can reach, gets
// random and malformed bodies. Whatever arrives, the answer is a Dutch page (4xx with the portal's
// look, or the same form with a message), never a 5xx, a stack trace or a framework's JSON; and a
// refused request changes nothing in the database. Plus: control characters in account fields are
// refused (web and CLI), and a hostile user agent is stored escaped in the audit log.
import * as cheerio from 'cheerio'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strict as assert } from 'node:assert'
import fc from 'fast-check'
import t from 'tap'
import type { Test } from 'tap'
import { openSqlite } from '../src/db/index.ts'
import { createAccount } from '../src/domain/accounts.ts'
import { messages } from '../src/messages.ts'
import { newDatabase } from './helpers/admin.ts'
import { csrfOf, type Browser } from './helpers/browser.ts'
import { onboardWithEmail, secretOnPage } from './helpers/patients.ts'
import { jan, origin, testSecretKey, world, type World } from './helpers/world.ts'

/** The Dutch catalogue: the guide's words. */
const { text } = messages('nl')

/** Random runs per form and state, on top of the guard table: 24 forms in all, so the file stays under a minute. */
const numRuns = 20
const bodyLimit = 16 * 1024

// ---- the database, snapshotted and restored around every attack ----

type Rows = Record<string, unknown>[]
type Snapshot = Map<string, Rows>

function tableNames(w: World): string[] {
  const rows = w.deps.db.$client
    // The audit log is append-only (triggers refuse DELETE) and may change anyway (bookkeeping): not restored.
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' and name != 'audit_log' order by name")
    .all() as { name: string }[]
  return rows.map((r) => r.name)
}

function snapshot(w: World): Snapshot {
  const snap: Snapshot = new Map()
  for (const name of tableNames(w)) snap.set(name, w.deps.db.$client.prepare(`select * from "${name}" order by rowid`).all() as Rows)
  return snap
}

/** Puts every table back as it was, so each attack starts from the same state. */
function restore(w: World, snap: Snapshot): void {
  const sqlite = w.deps.db.$client
  sqlite.pragma('foreign_keys = OFF')
  try {
    sqlite.transaction(() => {
      for (const [name, rows] of snap) {
        sqlite.prepare(`delete from "${name}"`).run()
        for (const row of rows) {
          const cols = Object.keys(row)
          sqlite.prepare(`insert into "${name}" (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`).run(...Object.values(row))
        }
      }
    })()
  } finally {
    sqlite.pragma('foreign_keys = ON')
  }
}

function changedTables(before: Snapshot, after: Snapshot): string[] {
  return [...before.keys()].filter((name) => JSON.stringify(before.get(name)) !== JSON.stringify(after.get(name)))
}

// ---- the attacks ----

interface PostForm {
  action: string
  fields: string[]
}

/** The POST forms of the page, with the names of their fields (the CSRF token aside). */
function postForms(b: Browser): PostForm[] {
  const $ = b.$
  return $('form')
    .toArray()
    .filter((f) => ($(f).attr('method') ?? '').toLowerCase() === 'post')
    .map((f) => ({
      action: new URL($(f).attr('action') || b.url, origin).pathname,
      fields: [...new Set($(f).find('input[name], button[name], textarea[name], select[name]').toArray().map((el) => $(el).attr('name')!))].filter((n) => n !== '_csrf'),
    }))
}

type CsrfMode = 'valid' | 'missing' | 'wrong' | 'repeated' | 'empty' | 'multibyte' | 'truncated' | 'array'

interface Attack {
  csrf: CsrfMode
  fields: [string, string, string][]
  repeat: string | null
  mode: 'form' | 'raw' | 'bytes'
  bytes: Uint8Array
  pad: number | null
  contentType: string | null
  origin: string | null
  fetchSite: string | null
}

const controlText = fc.string({
  unit: fc.constantFrom('\r', '\n', '\r\n', '\u0000', '\t', '\u001b', '\u007f', '\u0085', '\u2028', '\ufeff', 'a', ' ', '%', '&', '=', '+', ';'),
  maxLength: 20,
})

const value = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: controlText },
  { weight: 1, arbitrary: fc.stringMatching(/^\d{6}$/) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '', ' ', 'app', 'email', 'verstuur', 'opnieuw', 'verifieer', 'andere-methode', 'annuleren', 'jdevries', 'jan@example.org',
      "' OR 1=1 --", '<script>alert(1)</script>', '../../../etc/passwd', '{{7*7}}', '<%= it %>', 'zonneschijn op het strand',
    ),
  },
  // Passwords around the 1024-byte cut-off, and values that fill most of the body.
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 1100 }).map((n) => 'w'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 17_000 }).map((n) => 'é'.repeat(n / 2)) },
)

/** Junk after an encoded value in 'raw' bodies: invalid and truncated escapes, encoded CR/LF, NUL, surrogates. */
const junk = fc.constantFrom('', '', '%', '%Z', '%ZZ', '%2', '%C3%28', '%FF%FE', '%E0%80%80', '%ED%A0%80', '%00', '%0D%0ASet-Cookie:%20x=1', '+', '&', '&&', '==')

function attackOf(form: PostForm): fc.Arbitrary<Attack> {
  const names = ['actie', 'code', ...form.fields]
  const name = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...names) },
    { weight: 2, arbitrary: fc.string({ maxLength: 10 }) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a[b]', 'code[]', '', '_csrf') },
  )
  const hostile = fc.record({
    csrf: fc.oneof(
      { weight: 3, arbitrary: fc.constant<CsrfMode>('valid') },
      { weight: 3, arbitrary: fc.constantFrom<CsrfMode>('missing', 'wrong', 'repeated', 'empty', 'multibyte', 'truncated', 'array') },
    ),
    fields: fc.array(fc.tuple(name, value, junk), { maxLength: 6 }),
    repeat: fc.option(fc.constantFrom(...names), { freq: 4 }),
    mode: fc.constantFrom<Attack['mode']>('form', 'form', 'form', 'raw', 'bytes'),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8, min: 0x80, max: 0xff }),
    pad: fc.option(fc.integer({ min: -600, max: 600 }), { freq: 4 }),
    contentType: fc.oneof(
      { weight: 8, arbitrary: fc.constant('application/x-www-form-urlencoded') },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'application/json', 'text/plain', 'multipart/form-data; boundary=----x', 'application/xml', 'text/html', '',
          'application/x-www-form-urlencoded; charset=iso-8859-1', 'APPLICATION/X-WWW-FORM-URLENCODED', 'application/x-www-form-urlencoded, application/json',
        ),
      },
      { weight: 1, arbitrary: fc.stringMatching(/^[\x20-\x7e]{0,30}$/) },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
    origin: fc.constantFrom(null, null, origin, 'https://evil.example', 'null'),
    fetchSite: fc.constantFrom(null, null, 'same-origin', 'none', 'cross-site', 'same-site'),
  })
  // Half the attacks come in a proper envelope (token, content type, one of each field), so the
  // hostile values reach the handlers instead of stopping at the guard.
  const enveloped = hostile.map((a): Attack => ({ ...a, ...clean, fields: a.fields, mode: a.mode === 'bytes' ? 'bytes' : 'form', bytes: a.bytes }))
  return fc.oneof(hostile, enveloped)
}

/** A proper request: the page's token, form encoding, same-origin headers, nothing repeated. */
const clean: Attack = {
  csrf: 'valid', fields: [], repeat: null, mode: 'form', bytes: new Uint8Array([0xff]), pad: null,
  contentType: 'application/x-www-form-urlencoded', origin, fetchSite: 'same-origin',
}

/** The guard table: one thing wrong in an otherwise proper request. Run against every form, every time. */
function guardRows(form: PostForm): Attack[] {
  const field = form.fields[0] ?? 'code'
  const some: Attack['fields'] = [[field, 'iets', '']]
  return [
    ...(['missing', 'wrong', 'repeated', 'empty', 'multibyte', 'truncated', 'array'] as const).map((csrf) => ({ ...clean, fields: some, csrf })),
    ...['application/json', 'text/plain', 'multipart/form-data; boundary=----x', ''].map((contentType) => ({ ...clean, fields: some, contentType })),
    { ...clean, fields: some, contentType: null },
    { ...clean, fields: some, repeat: field },
    { ...clean, fields: some, pad: 1 },
    { ...clean, fields: some, pad: -200 },
    { ...clean, fields: [[field, '', '%ZZ'], ['code', '1', '%C3%28']], mode: 'raw' },
    { ...clean, fields: some, mode: 'bytes' },
    { ...clean, fields: [[field, 'Jan\r\nBcc: evil@example.org', '']] },
    { ...clean, fields: some, origin: 'https://evil.example' },
    { ...clean, fields: some, fetchSite: 'cross-site' },
  ]
}

function csrfPairs(mode: CsrfMode, token: string): [string, string][] {
  switch (mode) {
    case 'valid':
      return [['_csrf', token]]
    case 'missing':
      return []
    case 'wrong':
      return [['_csrf', 'A'.repeat(token.length)]]
    case 'repeated':
      return [['_csrf', token], ['_csrf', token]]
    case 'empty':
      return [['_csrf', '']]
    case 'multibyte':
      // Same number of characters, more bytes.
      return [['_csrf', `é${token.slice(1)}`]]
    case 'truncated':
      return [['_csrf', token.slice(0, -1)]]
    case 'array':
      return [['_csrf[]', token]]
  }
}

function encodePair([name, val]: [string, string]): string {
  return `${encodeURIComponent(name)}=${encodeURIComponent(val)}`
}

/** The body and headers of an attack, built against this session's token. */
function requestOf(attack: Attack, token: string): { payload: Buffer; headers: Record<string, string> } {
  const pairs: [string, string][] = attack.fields.map(([n, v]) => [n, v])
  if (attack.repeat) pairs.push([attack.repeat, 'x'], [attack.repeat, 'y'])
  const csrf = csrfPairs(attack.csrf, token)
  const body =
    attack.mode === 'raw'
      ? [...csrf.map(encodePair), ...attack.fields.map(([n, v, j]) => `${encodePair([n, v])}${j}`)].join('&')
      : [...csrf, ...pairs].map((p) => encodePair(p)).join('&')
  let payload = Buffer.from(body)
  // Invalid UTF-8 straight in the body, not percent-encoded.
  if (attack.mode === 'bytes') payload = Buffer.concat([payload, Buffer.from('&code='), Buffer.from(attack.bytes)])
  if (attack.pad !== null) {
    const room = bodyLimit + attack.pad - payload.length - 5
    if (room > 0) payload = Buffer.concat([payload, Buffer.from(`&pad=${'p'.repeat(room)}`)])
  }
  const headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (hostile)' }
  if (attack.contentType !== null) headers['content-type'] = attack.contentType
  if (attack.origin !== null) headers.origin = attack.origin
  if (attack.fetchSite !== null) headers['sec-fetch-site'] = attack.fetchSite
  return { payload, headers }
}

// ---- what every answer must look like ----

const errorTitles = new Set<string>([
  text.badRequestTitle, text.forbiddenTitle, text.notFoundTitle, text.methodNotAllowedTitle, text.tooLargeTitle, text.unsupportedTitle, text.linkInvalidTitle,
])
const refusedStatuses = new Set([400, 403, 404, 405, 410, 413, 415])
/** What must never reach a patient: stack frames, paths, framework codes, JSON errors, unrendered values. */
const leaks = [
  /\b(Type|Range|Syntax|Reference|Sqlite)?Error\b/, /\bat [\w.<>]+ \(/, /node_modules/, /\/work\//, /\/src\//, /\.ts:\d+/, /\bFST_\w+/, /\bERR_\w+/,
  /SQLITE_/, /"statusCode"/, /\bundefined\b/, /\[object Object\]/, /\bNaN\b/,
]

interface Answer {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}

type Verdict = 'redirect' | 'refused' | 'stayed' | 'page'

function judge(res: Answer, form: PostForm): Verdict {
  const where = `${form.action} answered ${res.statusCode}`
  assert.ok(res.statusCode < 500, `${where}: a server error`)
  assert.equal(res.headers['content-security-policy'] !== undefined, true, `${where}: no security headers`)
  assert.equal(res.headers['x-powered-by'], undefined, where)
  if (res.statusCode >= 300 && res.statusCode < 400) {
    const location = String(res.headers.location ?? '')
    assert.match(location, /^\/(?!\/)/, `${where}: redirect off the site (${location})`)
    return 'redirect'
  }
  assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8$/, `${where}: not HTML`)
  assert.match(res.body, /^<!doctype html>\s*<html lang="nl">/i, `${where}: not the portal's page`)
  const $ = cheerio.load(res.body)
  // What was typed may be echoed in a field; everything else must be the portal's own words.
  $('input').removeAttr('value')
  $('textarea').empty()
  const shown = $.html()
  for (const leak of leaks) assert.doesNotMatch(shown, leak, `${where}: leaks ${leak}`)
  if (refusedStatuses.has(res.statusCode)) {
    const title = $('h1').first().text().trim()
    assert.ok(errorTitles.has(title), `${where}: not a Dutch error page (h1 ${JSON.stringify(title)})`)
    return 'refused'
  }
  if (res.statusCode === 422 || res.statusCode === 429) {
    assert.ok($('.error-summary li').length > 0 || $('.error').length > 0, `${where}: no message`)
    const same = $('form').toArray().some((f) => ($(f).attr('method') ?? '').toLowerCase() === 'post' && new URL($(f).attr('action') || form.action, origin).pathname === form.action)
    assert.ok(same, `${where}: not the same form`)
    return 'stayed'
  }
  assert.equal(res.statusCode, 200, `${where}: unexpected status`)
  return 'page'
}

/** Tables a re-rendered form may touch: failure counters and the audit log, nothing else. */
const bookkeeping = new Set(['audit_log', 'throttles', 'codes', 'links', 'sessions'])

/**
 * Attacks every POST form on the page `b` shows. The database and the session are restored after
 * each attack, so every attack meets the same state and the walk can go on from it afterwards.
 */
async function attackPage(t: Test, w: World, b: Browser, state: string): Promise<void> {
  const forms = postForms(b)
  t.ok(forms.length > 0, `${state}: the page has a form to attack`)
  const token = csrfOf(b.html)
  t.ok(token, `${state}: with a CSRF token`)
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  await w.runtime.dispatcher.idle()
  const before = snapshot(w)
  for (const form of forms) {
    const verdicts = new Map<Verdict, number>()
    await fc.assert(
      fc.asyncProperty(attackOf(form), async (attack) => {
        const { payload, headers } = requestOf(attack, token!)
        try {
          const res = await w.app.inject({ method: 'POST', url: form.action, headers: { ...headers, cookie }, payload })
          const verdict = judge(res, form)
          verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1)
          await w.runtime.dispatcher.idle()
          const changed = changedTables(before, snapshot(w))
          if (verdict === 'refused') assert.deepEqual(changed, [], `${form.action} refused (${res.statusCode}) but changed ${changed.join(', ')}`)
          if (verdict === 'stayed') {
            const unexpected = changed.filter((name) => !bookkeeping.has(name))
            assert.deepEqual(unexpected, [], `${form.action} stayed (${res.statusCode}) but changed ${unexpected.join(', ')}`)
          }
        } finally {
          await w.runtime.dispatcher.idle()
          restore(w, before)
        }
      }),
      { numRuns, examples: guardRows(form).map((row) => [row] as [Attack]) },
    )
    t.ok(verdicts.get('refused'), `${state}: ${form.action} refused some attacks with a Dutch 4xx page`)
    t.ok((verdicts.get('redirect') ?? 0) + (verdicts.get('stayed') ?? 0) + (verdicts.get('page') ?? 0) > 0, `${state}: ${form.action} let some attacks reach the handler`)
  }
  t.same(changedTables(before, snapshot(w)), [], `${state}: the state is back for the walk`)
}

// ---- the walks ----

await t.test('every form in every state of onboarding, sign-in, the forgot path and the signed-in pages', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = w.browser()

  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  t.equal(b.field('username').attr('value'), 'jdevries')
  await attackPage(t, w, b, 'invitation link')
  await b.submit('Volgende')
  t.match(b.text, /geverifieerd/)

  await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await attackPage(t, w, b, 'second mail link (Accountverificatie)')
  await b.submit('Stuur verificatiecode')
  t.equal(b.url, '/account/telefoon')
  t.ok(b.field('one-time-code').length, 'the code field is shown')
  await attackPage(t, w, b, 'phone step, code sent')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.equal(b.url, '/account/wachtwoord')
  await attackPage(t, w, b, 'set password')
  await b.submit('Volgende', { 'Nieuw wachtwoord': 'zonneschijn op het strand', 'Bevestiging wachtwoord': 'zonneschijn op het strand' })
  await b.submit('Volgende')
  t.equal(b.url, '/account/methode')
  await attackPage(t, w, b, 'choose method')
  await b.submit('Volgende')
  t.equal(b.url, '/account/app')
  await attackPage(t, w, b, 'enroll app')
  const secret = secretOnPage(b)
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
  t.equal(b.url, '/')
  await attackPage(t, w, b, 'home (Uitloggen)')
  for (const task of ['wachtwoord', 'tweede-stap', 'andere-apparaten']) {
    await b.get(`/beveiliging/${task}`)
    t.equal(b.status, 200)
    await attackPage(t, w, b, `security: ${task}`)
  }
  await b.get('/beveiliging/tweede-stap')
  b.choose('Nieuwe app koppelen')
  await b.submit('Tweede stap wijzigen', { factorCurrentPassword: 'zonneschijn op het strand' })
  t.equal(b.url, '/beveiliging/app')
  await attackPage(t, w, b, 'security: new app')
  await b.submit('Annuleren')
  await b.get('/beveiliging/tweede-stap')
  b.choose('Overstappen op e-mail')
  await b.submit('Tweede stap wijzigen', { factorCurrentPassword: 'zonneschijn op het strand' })
  t.equal(b.url, '/beveiliging/email')
  await attackPage(t, w, b, 'security: switch to e-mail')
  await b.submit('Annuleren')
  t.equal(b.url, '/beveiliging')
  await b.get('/')
  await b.submit('Uitloggen')

  w.clock.advanceSeconds(30)
  await b.get('/inloggen')
  await attackPage(t, w, b, 'username')
  await b.submit('Volgende', { username: 'jdevries' })
  await attackPage(t, w, b, 'password')
  await b.submit('Volgende', { 'current-password': 'zonneschijn op het strand' })
  t.equal(b.url, '/inloggen/app-code')
  await attackPage(t, w, b, 'app code')

  const f = w.browser()
  await f.get('/inloggen')
  await f.submit('Volgende', { username: 'jdevries' })
  await f.get('/wachtwoord-vergeten')
  await attackPage(t, w, f, 'forgot')
  await f.submit('Volgende', { email: jan.email })
  t.equal(f.url, '/account/telefoon')
  await attackPage(t, w, f, 'forgot: phone step')
  await f.submit('Stuur verificatiecode')
  await attackPage(t, w, f, 'forgot: phone step, code sent')
  await f.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.equal(f.url, '/account/nieuw-wachtwoord')
  await attackPage(t, w, f, 'forgot: new password')

  const d = w.browser()
  await d.get('/wachtwoord-vergeten')
  await d.submit('Volgende', { username: 'niemand', email: 'niemand@example.org' })
  t.equal(d.url, '/account/telefoon')
  await attackPage(t, w, d, 'decoy walk: phone step')
  await d.submit('Stuur verificatiecode')
  await attackPage(t, w, d, 'decoy walk: code "sent"')
})

await t.test('every form of the e-mail code step', async (t) => {
  const w = await world(t)
  const p = await onboardWithEmail(w)
  await p.browser.submit('Uitloggen')
  w.clock.advanceMinutes(1)
  const b = w.browser()
  await b.get('/inloggen')
  await b.submit('Volgende', { username: 'jdevries' })
  await b.submit('Volgende', { 'current-password': p.password })
  t.equal(b.url, '/inloggen/email-code')
  await attackPage(t, w, b, 'e-mail code')
  await b.submit('Stuur verificatiecode')
  t.ok(b.field('one-time-code').length)
  await attackPage(t, w, b, 'e-mail code, sent')
})

// ---- control characters in names and addresses ----

await t.test('control characters and CR/LF in account fields are refused: no mail header injection', async (t) => {
  const w = await world(t)
  const ok = { name: 'Anna Jansen', email: 'anna@example.org', phone: '+31612345678', username: 'ajansen' }
  const rows: { name: string; input: Partial<typeof ok>; field: keyof typeof ok }[] = [
    { name: 'CR/LF and a header in the name', input: { name: 'Anna\r\nBcc: evil@example.org' }, field: 'name' },
    { name: 'LF alone in the name', input: { name: 'Anna\nJansen' }, field: 'name' },
    { name: 'CR alone in the name', input: { name: 'Anna\rJansen' }, field: 'name' },
    { name: 'NUL in the name', input: { name: 'Anna\u0000Jansen' }, field: 'name' },
    { name: 'terminal escape in the name', input: { name: 'Anna \u001b[31mJansen' }, field: 'name' },
    { name: 'line separator in the name', input: { name: 'Anna\u2028Jansen' }, field: 'name' },
    { name: 'next line (C1) in the name', input: { name: 'Anna\u0085Jansen' }, field: 'name' },
    { name: 'CR/LF and a header after the address', input: { email: 'anna@example.org\r\nBcc: evil@example.org' }, field: 'email' },
    { name: 'LF in the address', input: { email: 'anna@exam\nple.org' }, field: 'email' },
    { name: 'two addresses', input: { email: 'anna@example.org, evil@example.org' }, field: 'email' },
    { name: 'a display name with the address', input: { email: 'Anna <anna@example.org>' }, field: 'email' },
    { name: 'CR/LF in the phone', input: { phone: '+31612345678\r\n' + 'x' }, field: 'phone' },
    { name: 'CR/LF in the username', input: { username: 'ajansen\r\nx' }, field: 'username' },
  ]
  for (const row of rows) {
    const result = await createAccount(w.deps, { actor: 'cli' }, w.practice.id, { ...ok, ...row.input })
    t.equal(result.ok, false, `${row.name}: refused`)
    if (!result.ok) t.ok(result.errors[row.field], `${row.name}: with a message for ${row.field}`)
  }
  t.equal((w.deps.db.$client.prepare('select count(*) as n from accounts').get() as { n: number }).n, 0, 'no account was created')
  t.equal((await w.mail.all()).length, 0, 'and no mail queued')
  t.ok((await createAccount(w.deps, { actor: 'cli' }, w.practice.id, ok)).ok, 'the same account with clean fields is created')
})

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/admin.ts', ...args], { cwd: join(import.meta.dirname, '..'), env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr })
    })
  })
}

await t.test('the CLI refuses CR/LF and escapes in a name or address, and prints nothing of them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // The CLI never makes a database (it would be the wrong one): the portal's first start would.
  const env = { NODE_ENV: 'test', DATABASE_PATH: newDatabase(join(dir, 'portal.db')), SECRET_KEY: testSecretKey, DEV_OUTBOX: 'on' }
  const rows = [
    { name: 'CR/LF in --name', args: ['--name', 'Jan\r\nBcc: evil@example.org', '--email', 'jan@example.org'], message: /Gebruik voor de naam maximaal 100 gewone tekens/ },
    { name: 'CR/LF in --email', args: ['--name', 'Jan de Vries', '--email', 'jan@example.org\r\nBcc: evil@example.org'], message: /Vul een geldig e-mailadres in/ },
    { name: 'a terminal escape in --name', args: ['--name', 'Jan \u001b]0;pwned\u0007de Vries', '--email', 'jan@example.org'], message: /Gebruik voor de naam maximaal 100 gewone tekens/ },
  ]
  const results = await Promise.all(rows.map((row) => runCli(['invite', ...row.args, '--phone', '+31612341361'], env)))
  rows.forEach((row, i) => {
    const r = results[i]!
    t.equal(r.code, 1, `${row.name}: exit code 1`)
    t.match(r.stderr, row.message, `${row.name}: the Dutch reason`)
    t.notMatch(r.stdout + r.stderr, /\r|Bcc:|\u001b/, `${row.name}: nothing of the input echoed`)
  })
  const db = openSqlite(env.DATABASE_PATH)
  t.teardown(() => db.$client.close())
  t.equal((db.$client.prepare('select count(*) as n from accounts').get() as { n: number }).n, 0, 'no account')
  t.equal((db.$client.prepare('select count(*) as n from outbox').get() as { n: number }).n, 0, 'no mail')
})

await t.test('a user agent with CR/LF and escapes is stored escaped in the audit log', async (t) => {
  const w = await world(t)
  const agents = ['evil\r\nX-Fake: 1', 'tab\there', 'esc \u001b[31mred\u001b[0m', 'nul\u0000del\u007f']
  for (const userAgent of agents) {
    const b = w.browser({ userAgent })
    await b.get('/inloggen')
    await b.submit('Volgende', { username: 'jdevries' })
    await b.submit('Volgende', { 'current-password': 'niet het wachtwoord' })
    t.equal(b.status, 422)
  }
  const stored = (await w.audit()).filter((e) => e.event === 'sign_in_failed').map((e) => e.userAgent ?? '')
  t.equal(stored.length, agents.length)
  for (const ua of stored) t.notMatch(ua, /[\u0000-\u001f\u007f]/, `no raw control character in ${JSON.stringify(ua)}`)
  t.ok(stored.includes('evil\\x0d\\x0aX-Fake: 1'), 'CR/LF written as \\x0d\\x0a')
  t.ok(stored.includes('nul\\x00del\\x7f'), 'NUL and DEL escaped too')
})
