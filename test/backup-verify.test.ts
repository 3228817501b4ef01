// Issue 22 item 5: backups that verify. `backup` prints the last audit hash of the copy itself; `audit
// verify --database FILE` (and export, and the list) open a copy read-only and never change it: the file
// and its folder are the same, byte for byte and name for name, afterwards. And the README's restore
// check works under load: a backup taken while sign-ins run, verified, restored, signed into.
import { startSourceServer } from './helpers/source-server.ts'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'otplib'
import t from 'tap'
import { recordEvent } from '../src/domain/audit.ts'
import { admin } from './helpers/admin.ts'
import { Browser, type Inject } from './helpers/browser.ts'
import { freePort } from './helpers/net.ts'
import { enterPassword, onboardWithApp } from './helpers/patients.ts'
import { testSecretKey, world } from './helpers/world.ts'


const root = join(import.meta.dirname, '..')

/** Every file of a folder with the SHA-256 of its bytes, its size and its modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name)
    const { size, mtimeMs } = statSync(file)
    out[name] = `${createHash('sha256').update(readFileSync(file)).digest('hex')} ${size} ${mtimeMs}`
  }
  return out
}

const lastHash = (out: string) => /Laatste hash: ([0-9a-f]{64})/.exec(out)?.[1]

await t.test('a copy is verified read-only, never changed; backup prints the copy’s own hash', async (t) => {
  const w = await world(t)
  for (let i = 0; i < 5; i++) await recordEvent(w.deps, { actor: 'cli' }, { event: 'invite', outcome: 'success', detail: { i } })
  const dir = mkdtempSync(join(tmpdir(), 'mtd-copies-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))

  const backupFile = join(dir, 'backup.db')
  const made = await admin(w.databasePath, ['backup', backupFile])
  t.equal(made.code, 0, made.stderr)
  const printed = /Laatste hash in de kopie \(regel (\d+)\): ([0-9a-f]{64})/.exec(made.stderr)
  t.ok(printed, `the backup prints the copy's hash: ${made.stderr}`)
  // The live log goes on after the copy: its head moves, the copy's stays.
  await recordEvent(w.deps, { actor: 'cli' }, { event: 'invite', outcome: 'success', detail: { after: true } })

  // A plain copy of a database in WAL mode, taken while it was closed (no -wal beside it).
  await w.app.close()
  await w.runtime.close()
  const walCopy = join(dir, 'wal-mode.db')
  copyFileSync(w.databasePath, walCopy)
  t.equal(readFileSync(walCopy)[18], 2, 'the plain copy is in WAL mode (header byte 18)')

  const before = snapshot(dir)
  const runs = [
    await admin(w.databasePath, ['audit', 'verify', '--database', backupFile]),
    await admin(w.databasePath, ['audit', 'verify', '--database', walCopy]),
    await admin(w.databasePath, ['audit', 'export', '--since', '2026-01-01', '--database', backupFile]),
    await admin(w.databasePath, ['audit', '--database', walCopy, '--limit', '3']),
  ]
  for (const run of runs) t.equal(run.code, 0, run.stderr)
  t.same(snapshot(dir), before, 'the copies and their folder: the same bytes, the same names, untouched (no -wal, no -shm, no migration)')
  t.match(runs[0]!.stderr, /Alleen lezend geopend/)
  t.equal(lastHash(runs[0]!.stdout), printed?.[2], 'verify on the copy gives the hash the backup printed')
  t.match(runs[0]!.stdout, new RegExp(`tot en met regel ${printed?.[1]}\\)`))
  t.not(lastHash(runs[1]!.stdout), printed?.[2], 'the later copy has the later head')
  t.equal(runs[2]!.stdout.trim().split('\n').length, 5, 'the export reads the copy: its five rows, not the live log’s six')

  const live = await admin(w.databasePath, ['audit', 'verify'])
  t.equal(lastHash(live.stdout), lastHash(runs[1]!.stdout), 'the live database, verified without --database, read-only too')

  const notThere = await admin(w.databasePath, ['audit', 'verify', '--database', join(dir, 'missing.db')])
  t.equal(notThere.code, 78)
  t.notOk(existsSync(join(dir, 'missing.db')), 'a missing copy is not made')
  const notADatabase = await admin(w.databasePath, ['audit', 'verify', '--database', join(root, 'package.json')])
  t.equal(notADatabase.code, 78)
  t.match(notADatabase.stderr, /is niet te openen \(not an SQLite database\)/)
})

/** The test browser over real HTTP. */
function overHttp(base: string): Inject {
  return async ({ method, url, headers, payload }) => {
    const res = await fetch(base + url, { method, headers, body: payload, redirect: 'manual' })
    const out: Record<string, string | string[]> = {}
    res.headers.forEach((value, name) => (out[name] = value))
    out['set-cookie'] = res.headers.getSetCookie()
    return { statusCode: res.status, headers: out, body: await res.text() }
  }
}

await t.test('the restore check under load: backup while sign-ins run, verify the copy, restore it, sign in', async (t) => {
  const w = await world(t)
  const jan = await onboardWithApp(w)
  await w.app.close()
  await w.runtime.close()
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const env = { NODE_ENV: 'test', DATABASE_PATH: w.databasePath, SECRET_KEY: testSecretKey, DEV_OUTBOX: 'on', PORT: String(port), PUBLIC_URL: base }
  const server = await startSourceServer(t, env)
  const browser = () => new Browser(overHttp(base), { origin: base })

  // Load: sign-in attempts (throttle rows, audit rows) from several browsers until the backup is done.
  let done = false
  let attempts = 0
  const load = Array.from({ length: 4 }, async (_, i) => {
    while (!done) {
      await enterPassword(browser(), `iemand${i}`, 'niet het wachtwoord')
      attempts++
    }
  })
  const dir = mkdtempSync(join(tmpdir(), 'mtd-restore-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const copy = join(dir, 'portal-backup.db')
  const backup = await admin(w.databasePath, ['backup', copy])
  done = true
  await Promise.all(load)
  t.equal(backup.code, 0, backup.stderr)
  t.ok(attempts > 0, `sign-ins ran during the backup (${attempts})`)
  const noted = /Laatste hash in de kopie \(regel \d+\): ([0-9a-f]{64})/.exec(backup.stderr)?.[1]

  const verified = await admin(w.databasePath, ['audit', 'verify', '--database', copy])
  t.equal(verified.code, 0, verified.stderr)
  t.equal(lastHash(verified.stdout), noted, 'the copy verifies, to the hash noted with the backup')

  // The README's restore: stop, put the damaged state aside, the copy in place, start, sign in.
  server.process.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(w.databasePath + suffix)) renameSync(w.databasePath + suffix, `${w.databasePath}${suffix}.broken`)
  copyFileSync(copy, w.databasePath)
  const restored = await startSourceServer(t, env)
  const b = await enterPassword(browser(), jan.account.username, jan.password)
  t.equal(b.url, '/inloggen/app-code')
  await b.submit('Verifieer code', { 'one-time-code': await generate({ secret: jan.secret, epoch: Math.floor(Date.now() / 1000) }) })
  t.match(b.text, /Welkom, Jan de Vries/, 'signed in on the restored database')
  const after = await admin(w.databasePath, ['audit', 'verify'])
  t.equal(after.code, 0, `the restored log goes on from the copy's head: ${after.stdout}${after.stderr}`)
  restored.process.kill('SIGTERM')
  t.equal((await restored.exited).code, 0)
})
