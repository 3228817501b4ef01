// Crash safety (issue 5): the real server, killed with SIGKILL in the middle of an onboarding, starts
// again on the same file and loses nothing that was confirmed: the same cookie goes on at the same
// step, the facts are there, and a mail queued before the crash is delivered after it, once.
// SIGTERM finishes the outbox work in hand and leaves a consistent database. And an online backup
// taken while the portal writes restores into a working portal.
import { hangGuardMs } from './helpers/patience.ts'
import { startSourceServer } from './helpers/source-server.ts'
import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SMTPServer } from 'smtp-server'
import t from 'tap'
import { freePort } from './helpers/net.ts'
import type { Test } from 'tap'
import { loadConfig } from '../src/config.ts'
import { createAccount } from '../src/domain/accounts.ts'
import { listPractices } from '../src/domain/practices.ts'
import { backupDatabase } from '../src/domain/backup.ts'
import { sendInvitation } from '../src/domain/invitations.ts'
import { createRuntime } from '../src/runtime.ts'
import { decrypt, deriveKeys } from '../src/domain/secrets.ts'
import { Browser, type Inject } from './helpers/browser.ts'
import { enterPassword, onboardWithApp } from './helpers/patients.ts'
import { jan, testSecretKey, world } from './helpers/world.ts'

const keys = deriveKeys(Buffer.from(testSecretKey, 'hex'))

/** The test Browser over real HTTP: fetch, no redirects followed by fetch itself (the Browser does that). */
function overHttp(base: string): Inject {
  return async ({ method, url, headers, payload }) => {
    const res = await fetch(base + url, { method, headers, body: payload, redirect: 'manual' })
    const out: Record<string, string | string[]> = {}
    res.headers.forEach((value, name) => (out[name] = value))
    out['set-cookie'] = res.headers.getSetCookie()
    return { statusCode: res.status, headers: out, body: await res.text() }
  }
}

/** A real SMTP server that counts what it receives. */
async function startMailServer(t: Test, port: number): Promise<string[]> {
  const received: string[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, ''))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return received
}

interface OutboxRow {
  id: number
  channel: string
  kind: string
  status: string
  attempts: number
  text: string
}

/** The database as a second process sees it (WAL: committed data only). */
function openFile(t: Test, path: string) {
  const db = new Database(path)
  db.pragma(`busy_timeout = ${hangGuardMs}`)
  t.teardown(() => db.close())
  return {
    db,
    outbox: (): OutboxRow[] =>
      (db.prepare('select id, channel, kind, status, attempts, body_enc as bodyEnc from outbox order by id').all() as (Omit<OutboxRow, 'text'> & { bodyEnc: string | null })[]).map(
        ({ bodyEnc, ...row }) => ({ ...row, text: bodyEnc ? decrypt(keys.outbox, bodyEnc) : '' }),
      ),
    account: (username: string) =>
      db.prepare('select email_verified_at as emailVerifiedAt, phone_verified_at as phoneVerifiedAt, password_set_at as passwordSetAt, mfa_method as mfaMethod, mfa_enrolled_at as mfaEnrolledAt from accounts where username = ?').get(username) as Record<string, number | string | null>,
  }
}

const pathIn = (text: string) => new URL(/https?:\/\/\S+/.exec(text)![0]).pathname
const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1]!

async function until(what: string, ok: () => boolean, timeoutMs = hangGuardMs): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

await t.test('kill -9 in the middle of the onboarding: the patient goes on where they were, nothing is lost', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-crash-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const databasePath = join(dir, 'portal.db')
  const [port, smtpPort] = [await freePort(), await freePort()]
  const base = `http://127.0.0.1:${port}`
  // The mail server is down at first (nothing listens on smtpPort): mails stay queued.
  const env = { NODE_ENV: 'test', DATABASE_PATH: databasePath, SECRET_KEY: testSecretKey, DEV_OUTBOX: 'on', PORT: String(port), PUBLIC_URL: base, SMTP_URL: `smtp://127.0.0.1:${smtpPort}` }
  // The practice invites jan (as the CLI would) while the mail server is down. With a real mail server
  // configured the portal seeds no demo invitation (issue 11, finding 5).
  const practice = await createRuntime(loadConfig(env), { transports: { mail: () => Promise.reject(new Error('down')), sms: () => Promise.reject(new Error('down')) }, log: () => {} })
  const created = await createAccount(practice.deps, { actor: 'cli' }, (await listPractices(practice.deps))[0]!.id, jan)
  if (!created.ok) throw new Error(JSON.stringify(created.errors))
  await sendInvitation(practice.deps, { actor: 'cli' }, created.account.id)
  await practice.close()
  const first = await startSourceServer(t, env)
  const file = openFile(t, databasePath)
  t.notMatch(first.output(), /Demo: cliënt/, 'no demo invitation through a real mail server')
  const b = new Browser(overHttp(base), { origin: base })
  const mailTo = (kind: string) => file.outbox().filter((m) => m.kind === kind).at(-1)!

  await b.get(pathIn(mailTo('invite').text))
  await b.submit('Volgende')
  t.match(b.text, /geverifieerd/)
  await b.get(pathIn(mailTo('continue').text))
  t.match(b.text, /Accountverificatie/)
  await b.submit('Stuur verificatiecode')
  t.equal(b.url, '/account/telefoon')
  await until('the SMS', () => file.outbox().some((m) => m.kind === 'phone-code'))
  await b.submit('Verifieer code', { 'one-time-code': codeIn(mailTo('phone-code').text) })
  await b.submit('Volgende', { 'Nieuw wachtwoord': 'zonneschijn op het strand', 'Bevestiging wachtwoord': 'zonneschijn op het strand' })
  t.match(b.text, /Het wachtwoord is bijgewerkt/)
  await b.submit('Volgende')
  t.equal(b.url, '/account/methode', 'in the middle: Stap 4')

  const before = file.account('jdevries')
  t.ok(before.emailVerifiedAt && before.phoneVerifiedAt && before.passwordSetAt, 'Stap 1-3 committed')
  await until('the delivery attempts', () => file.outbox().filter((m) => m.channel === 'mail').every((m) => m.attempts >= 1))
  const waiting = file.outbox().filter((m) => m.channel === 'mail')
  t.same(waiting.map((m) => [m.kind, m.status]), [['invite', 'pending'], ['continue', 'pending']], 'both mails queued, the mail server being down')

  first.process.kill('SIGKILL')
  t.same(await first.exited, { code: null, signal: 'SIGKILL' }, 'killed, no shutdown')

  // The mail server is back; the portal starts again on the same file and the same port.
  const received = await startMailServer(t, smtpPort)
  const second = await startSourceServer(t, env)
  t.equal(file.outbox().filter((m) => m.kind === 'invite').length, 1, 'no second invitation')
  await b.get('/account')
  t.equal(b.url, '/account/methode', 'the same cookie continues at the same step')
  t.match(b.text, /Selecteer MFA methode/)
  t.same(file.account('jdevries'), before, 'the committed facts are there')

  await until('the queued mails delivered', () => waiting.every((w) => file.outbox().find((m) => m.id === w.id)?.status === 'sent'))
  for (const mail of waiting) {
    t.equal(received.filter((raw) => raw.includes(pathIn(mail.text))).length, 1, `${mail.kind}: delivered once after the restart`)
  }

  // On to the end, and SIGTERM right after a mail was queued: the delivery in hand is finished first.
  b.choose('Met e-mail')
  await b.submit('Volgende')
  t.match(b.text, /Welkom, Jan de Vries/, 'signed in')
  second.process.kill('SIGTERM')
  t.same(await second.exited, { code: 0, signal: null }, 'SIGTERM: exit 0')
  const enrolled = file.outbox().filter((m) => m.kind === 'mfa-enrolled')
  t.equal(enrolled.length, 1)
  t.equal(enrolled[0]?.status, 'sent', 'the mail queued just before SIGTERM was delivered, not left half-sent')
  t.equal(received.filter((raw) => /Subject:/.test(raw)).length, 3, 'three mails in all, none twice')
  t.equal(file.db.pragma('integrity_check', { simple: true }), 'ok', 'PRAGMA integrity_check = ok')
  t.same(file.db.pragma('foreign_key_check'), [], 'no broken references')
})

await t.test('SIGTERM on an idle server: exit 0, a consistent database, the WAL folded back', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-term-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const databasePath = join(dir, 'portal.db')
  const port = await freePort()
  const server = await startSourceServer(t, { NODE_ENV: 'test', DATABASE_PATH: databasePath, SECRET_KEY: testSecretKey, DEV_OUTBOX: 'on', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` })
  const res = await fetch(`http://127.0.0.1:${port}/inloggen`)
  t.equal(res.status, 200)
  await res.text()
  server.process.kill('SIGTERM')
  t.same(await server.exited, { code: 0, signal: null }, 'exit 0')
  t.match(server.output(), /SIGTERM: afsluiten/)
  // The last connection closed cleanly: SQLite checkpointed the WAL into the main file.
  t.ok(!existsSync(`${databasePath}-wal`) || statSync(`${databasePath}-wal`).size === 0, 'nothing left in the WAL')
  const db = new Database(databasePath, { readonly: true })
  t.teardown(() => db.close())
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok')
  t.equal((db.prepare("select count(*) as n from accounts where username = 'jdevries'").get() as { n: number }).n, 1, 'the demo patient is there')
})

await t.test('an online backup, taken while the portal writes, restores into a working portal', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  await p.browser.submit('Uitloggen')

  // Sign-in attempts write (throttle, audit) while the backup copies.
  const dir = mkdtempSync(join(tmpdir(), 'mtd-backup-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'backup.db')
  const writes = Array.from({ length: 8 }, (_, i) => enterPassword(w.browser(), `iemand${i}`, 'niet het wachtwoord'))
  const [result] = await Promise.all([backupDatabase(w.deps, file), ...writes])
  t.ok(result.ok, 'the backup was taken')
  if (!result.ok) return
  t.equal(result.file, file)
  t.ok(result.bytes > 0 && result.pages > 0)
  t.equal(statSync(file).mode & 0o777, 0o600, 'readable by the operator only')
  t.notOk(existsSync(`${file}.part`) || existsSync(`${file}-wal`), 'one self-contained file')
  const copy = new Database(file, { readonly: true })
  t.equal(copy.pragma('integrity_check', { simple: true }), 'ok', 'consistent')
  t.equal(copy.pragma('journal_mode', { simple: true }), 'delete')
  copy.close()

  t.same(await backupDatabase(w.deps, file), { ok: false, reason: 'exists' }, 'never over an earlier backup')
  t.same(await backupDatabase(w.deps, w.databasePath), { ok: false, reason: 'same-file' }, 'never over the database itself')
  writeFileSync(join(dir, 'stale.db.part'), 'half a file from an earlier crash')
  t.ok((await backupDatabase(w.deps, join(dir, 'stale.db'))).ok, 'a stale .part file is replaced')

  // Restore: a portal on the copy, with the same SECRET_KEY. The patient signs in with the same
  // password and the same authenticator app (its secret is encrypted under that key).
  const restored = await world(t, { databasePath: file })
  restored.clock.ms = w.clock.ms + 60_000
  const b = await enterPassword(restored.browser(), 'jdevries', p.password)
  t.equal(b.url, '/inloggen/app-code')
  await b.submit('Verifieer code', { 'one-time-code': await restored.totp(p.secret) })
  t.match(b.text, /Welkom, Jan de Vries/, 'signed in on the restored database')
  t.equal((await restored.account(jan.username!)).mfaMethod, 'app')
})
