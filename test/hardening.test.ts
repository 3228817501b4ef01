// Issue 11: the smaller findings (11, 16) and the rules the mutation sample found untested: token-shaped
// URLs redacted in the log, the dummy hash made at start, names without control or format characters,
// the erased-account prefix, a deactivated staff member's session, the weak-password cut-off, and
// codes, links and temporary passwords erased from the outbox once delivered outside development.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { createAccount, validateNewAccount } from '../src/domain/accounts.ts'
import type { Transports } from '../src/domain/delivery.ts'
import { dummyHashStarted } from '../src/domain/passwords.ts'
import { updateAccount } from '../src/domain/accounts.ts'
import { deactivate } from '../src/domain/patients.ts'
import { sendTemporaryPassword } from '../src/domain/reset.ts'
import { messages } from '../src/messages.ts'
import { redactUrl } from '../src/web/redact-url.ts'
import { onboardWithApp } from './helpers/patients.ts'
import { act, anna, bert, piet, staffBrowser } from './helpers/practice.ts'
import { jan, testSecretKey, walkToPhone, world } from './helpers/world.ts'

const root = join(import.meta.dirname, '..')

await t.test('redactUrl: any token-shaped path segment or query value becomes [token]', async (t) => {
  const token = 'Qm9vZ2llV29vZ2llLWFiY2RlZmdoaWprbG1ub3BxcnN0dXY'
  const rows: [string, string][] = [
    ['/inloggen', '/inloggen'],
    ['/wachtwoord-vergeten', '/wachtwoord-vergeten'],
    ['/account/nieuw-wachtwoord', '/account/nieuw-wachtwoord'],
    ['/praktijk/clienten/12/e-mailadres', '/praktijk/clienten/12/e-mailadres'],
    [`/uitnodiging/${token}`, '/uitnodiging/[token]'],
    [`/verder/${token}`, '/verder/[token]'],
    [`/UITNODIGING/${token}`, '/UITNODIGING/[token]'],
    [`/uitnodiging/${token}/`, '/uitnodiging/[token]/'],
    [`//uitnodiging/${token}`, '//uitnodiging/[token]'],
    [`/iets/anders/${token}?x=1`, '/iets/anders/[token]?x=1'],
    [`/${token}`, '/[token]'],
    [`/uitnodiging/${token.slice(0, 20)}`, '/uitnodiging/[token]'],
    [`/uitnodiging/${token.slice(0, 19)}`, `/uitnodiging/${token.slice(0, 19)}`],
    [`/verder/${encodeURIComponent('a+b/c=')}${token}`, '/verder/[token]'],
    [`/praktijk?zoek=jan&token=${token}`, '/praktijk?zoek=jan&token=[token]'],
    [`/praktijk?${token}`, '/praktijk?[token]'],
    [`/verder/${token}#frag`, '/verder/[token]'],
  ]
  for (const [url, want] of rows) t.equal(redactUrl(url), want, url)
})

await t.test('the dummy argon2 hash is made when the app starts, not on the first unknown username', async (t) => {
  // Limits of their own, so no other world in this process made this dummy first.
  const w = await world(t, { env: { ARGON2_ITERATIONS: '3' } })
  t.ok(dummyHashStarted(w.config.limits), 'started by buildApp, before any request')
})

// ---- names and addresses: control and format characters ----

const nameMessage = 'Gebruik voor de naam maximaal 100 gewone tekens.'
const emailMessage = 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.'
// The domain names the problem by its key in the error catalogue; the Dutch catalogue words it.
const { error } = messages('nl')
const hostileCharacters: [string, string][] = [
  ['NUL', '\u0000'],
  ['ESC', '\u001b'],
  ['DEL', '\u007f'],
  ['NEL (U+0085)', '\u0085'],
  ['right-to-left override (U+202E)', '\u202e'],
  ['zero-width space (U+200B)', '\u200b'],
  ['left-to-right isolate (U+2066)', '\u2066'],
  ['byte order mark (U+FEFF)', '\ufeff'],
  ['soft hyphen (U+00AD)', '\u00ad'],
]

await t.test('control and format characters in names and e-mail addresses are refused with a Dutch message', async (t) => {
  const ok = { name: 'Anna Jansen', email: 'anna@example.org', phone: '+31612345678', username: 'ajansen' }
  for (const [what, c] of hostileCharacters) {
    t.same(validateNewAccount({ ...ok, name: `Anna${c}Jansen` }).errors, { name: 'nameInvalid' }, `${what} in the name`)
    t.same(validateNewAccount({ ...ok, name: `${c}Anna Jansen` }).errors, { name: 'nameInvalid' }, `${what} leading the name`)
    t.same(validateNewAccount({ ...ok, email: `anna${c}@example.org` }).errors, { email: 'emailInvalid' }, `${what} in the address`)
    t.same(validateNewAccount({ ...ok, email: `anna@exam${c}ple.org` }).errors, { email: 'emailInvalid' }, `${what} in the domain`)
  }
  t.equal(error.nameInvalid, nameMessage, 'worded in Dutch')
  t.equal(error.emailInvalid, emailMessage, 'worded in Dutch')
  t.same(validateNewAccount(ok).errors, {}, 'the clean account passes')
  t.same(validateNewAccount({ ...ok, name: 'Zoë Ñúñez-Øster' }).errors, {}, 'letters with accents are ordinary')
  t.same(validateNewAccount({ ...ok, name: 'محمد العلي' }).errors, {}, 'right-to-left script is ordinary; only the invisible overrides are not')

  // Through the practice's form: the same message beside the field, nothing created.
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  for (const [what, c] of [hostileCharacters[0]!, hostileCharacters[3]!, hostileCharacters[4]!]) {
    await b.get('/praktijk/clienten/nieuw')
    await b.submit('Uitnodigen', { Naam: `Piet${c} Peters`, 'E-mailadres': `piet${c}@example.org`, 'Mobiel nummer': '06-11223344', Gebruikersnaam: 'ppeters' })
    t.equal(b.status, 422, `${what}: refused`)
    t.equal(b.$('#name-error').text().replace(/^\s*Fout:\s*/, '').trim(), nameMessage, `${what}: the name's message`)
    t.equal(b.$('#email-error').text().replace(/^\s*Fout:\s*/, '').trim(), emailMessage, `${what}: the address's message`)
  }
  t.equal(await w.sql.count("select count(*) from accounts where username = 'ppeters'"), 0, 'nothing created')
})

// ---- erased accounts ----

function runAdmin(databasePath: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', DATABASE_PATH: databasePath, SECRET_KEY: testSecretKey, DEV_OUTBOX: 'on' }
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/admin.ts', ...args], { cwd: root, env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

await t.test('usernames starting with verwijderd- are reserved; erasing never clashes', async (t) => {
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  const patient = await w.invite(piet)
  const reserved = /Gebruikersnamen die met "verwijderd-" beginnen zijn voor verwijderde accounts/

  // The review's attack: a username that erasing account <id> would need.
  await b.get('/praktijk/clienten/nieuw')
  await b.submit('Uitnodigen', { Naam: 'Mallory', 'E-mailadres': 'mallory@example.org', 'Mobiel nummer': '06-11223344', Gebruikersnaam: `verwijderd-${patient.id}` })
  t.equal(b.status, 422, 'refused on the web')
  t.match(b.$('#username-error').text(), reserved)
  for (const username of ['Verwijderd-1', 'verwijderd.1', 'verwijderd_1', 'verwijderd-xyz']) {
    t.match((await createAccount(w.deps, { actor: 'cli' }, w.practice.id, { name: 'Mallory', email: 'm@example.org', phone: '06-11223344', username })), { ok: false, errors: { username: 'usernameReserved' } }, `${username}: refused`)
  }
  t.ok((await createAccount(w.deps, { actor: 'cli' }, w.practice.id, { name: 'Verwijderd Jansen', email: 'vj@example.org', phone: '06-11223345', username: 'verwijderdjansen' })).ok, 'a name that merely starts with it is fine')

  const cli = await runAdmin(w.databasePath, ['invite', '--name', 'Mallory', '--email', 'mallory@example.org', '--phone', '06-11223346', '--username', `verwijderd-${patient.id}`])
  t.equal(cli.code, 1, 'refused by the CLI')
  t.match(cli.stderr, reserved, 'with the Dutch reason')

  // An account from before this rule holds the old-style name: erasing still works, no 500.
  await w.sql.run(
    'insert into accounts (username, name, email, phone, role, created_at, practice_id) values (?, ?, ?, ?, ?, ?, ?)',
    `verwijderd-${patient.id}`, 'Mallory', 'mallory@example.org', '+31611223347', 'patient', new Date(w.clock.ms), w.practice.id,
  )
  await b.get(`/praktijk/clienten/${patient.id}`)
  await act(b, 'Verwijderen')
  t.equal(b.url, '/praktijk', 'erased on the web')
  t.match(b.text, /Het account is verwijderd/)
  const erased = (await w.sql.get<{ username: string; erased_at: number | null }>('select username, erased_at from accounts where id = ?', patient.id))!
  t.equal(erased.username, `verwijderd:${patient.id}`, 'a name no username can take (a colon is never allowed)')
  t.ok(erased.erased_at)

  // And by the CLI, for another account with a would-be clash.
  const other = await w.invite({ name: 'Kees Klaassen', email: 'kees@example.org', phone: '+31612340099', username: 'kklaassen' })
  await w.sql.run('update accounts set username = ? where username = ?', `verwijderd-${other.id}`, 'verwijderdjansen')
  const erase = await runAdmin(w.databasePath, ['erase', 'kklaassen', '--yes'])
  t.equal(erase.code, 0, `erased by the CLI: ${erase.stderr}`)
  t.match(erase.stdout + erase.stderr, new RegExp(`Account #${other.id} is verwijderd`))
})

// ---- staff ----

await t.test('/praktijk refuses the session of a staff member deactivated while signed in', async (t) => {
  const w = await world(t)
  await staffBrowser(w, anna)
  const { b, account } = await staffBrowser(w, bert)
  await b.get('/praktijk')
  t.equal(b.url, '/praktijk', 'signed in')

  // Deactivated while the session lives on (the guard's own check, whatever ended or kept the session).
  await updateAccount(w.deps, account.id, { deactivatedAt: w.clock.now() })
  await b.get('/praktijk')
  t.equal(b.url, '/inloggen', 'refused: to the sign-in page')
  await b.get('/praktijk/medewerkers')
  t.equal(b.url, '/inloggen')
  await b.get(`/praktijk/clienten/${account.id}`)
  t.equal(b.url, '/inloggen')

  // And the practice's way: a signed-in bert deactivated.
  const w2 = await world(t)
  await staffBrowser(w2, anna)
  const again = await staffBrowser(w2, bert)
  t.ok((await deactivate(w2.deps, { actor: 'cli' }, w2.practice.id, again.account.id)).ok)
  await again.b.get('/praktijk')
  t.equal(again.b.url, '/inloggen', 'deactivated by the practice: refused at once')
})

await t.test('a patient deactivated while signed in is signed out, not sent round in circles', async (t) => {
  const w = await world(t)
  const { browser: b, account } = await onboardWithApp(w)
  await updateAccount(w.deps, account.id, { deactivatedAt: w.clock.now() })
  await b.get('/')
  t.equal(b.url, '/inloggen', 'to the sign-in page')
  t.equal(b.status, 200)
  await b.get('/')
  t.equal(b.url, '/inloggen', 'and signed out')
})

// ---- the weak-password cut-off ----

await t.test('the weak-password cut-off: zxcvbn score 2 is refused', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = await walkToPhone(w)
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  for (const password of ['Wachtwoord01!', 'zomervakantie', 'zonneschijn12']) {
    await b.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
    t.equal(b.status, 422, `${password}: refused`)
    t.match(b.text, /komt voor in lijsten van veelgebruikte of gelekte wachtwoorden, of is makkelijk te raden/, `${password}: with the reason`)
  }
  t.equal((await w.account('jdevries')).passwordHash, null, 'no password set')
  await b.submit('Volgende', { 'Nieuw wachtwoord': 'zonneschijn op het strand', 'Bevestiging wachtwoord': 'zonneschijn op het strand' })
  t.match(b.text, /Het wachtwoord is bijgewerkt/, 'a sentence of a few words is fine')
})

// ---- the outbox after delivery (decision 0004) ----

await t.test('outside development, codes, links and temporary passwords are erased from the outbox once delivered', async (t) => {
  const delivered: string[] = []
  const transports: Transports = {
    mail: async (m) => void delivered.push(m.text),
    sms: async (m) => void delivered.push(m.text),
  }
  for (const devOutbox of [false, true]) {
    await t.test(devOutbox ? 'with the dev outbox: kept to be read' : 'without the dev outbox: erased', async (t) => {
      const w = await world(t, { env: { DEV_OUTBOX: devOutbox ? 'true' : 'false' }, transports })
      delivered.length = 0
      const account = await w.invite()
      await w.runtime.dispatcher.idle()
      const link = /https?:\/\/\S+/.exec(delivered[0] ?? '')![0]
      const b = w.browser()
      await b.get(new URL(link).pathname)
      await b.submit('Volgende')
      await w.runtime.dispatcher.idle()
      const continueLink = /https?:\/\/\S+/.exec(delivered[1] ?? '')![0]
      await b.get(new URL(continueLink).pathname)
      await b.submit('Stuur verificatiecode')
      await sendTemporaryPassword(w.deps, { actor: 'cli' }, account)
      await w.runtime.dispatcher.idle()
      t.equal(delivered.length, 4, 'invitation, second mail, SMS code, temporary password: all delivered')
      t.match(delivered[2], /\b\d{6}\b/, 'the SMS carried a code')

      const rows = await w.sql.all<{ kind: string; status: string; body_enc: string | null }>('select kind, status, body_enc from outbox order by id')
      t.same(rows.map((r) => r.kind), ['invite', 'continue', 'phone-code', 'temporary-password'])
      for (const row of rows) {
        t.equal(row.status, 'sent', `${row.kind}: sent`)
        if (devOutbox) t.ok(row.body_enc, `${row.kind}: kept for the dev outbox`)
        else t.equal(row.body_enc, null, `${row.kind}: the body (link, code, temporary password) is gone`)
      }
    })
  }
})
