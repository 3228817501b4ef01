// Signed-in sessions: server-side, idle 15 minutes and absolute 8 hours (decided on the server, on
// the fake clock), logout a POST that ends the session everywhere, kept across a restart, and the
// table keyed by a hash so that it opens no session by itself.
import { createHash } from 'node:crypto'
import t from 'tap'
import { eq } from 'drizzle-orm'
import { accounts, sessions } from '../src/db/tables.ts'
import { csrfOf, type Browser } from './helpers/browser.ts'
import { enterPassword, onboardWithApp } from './helpers/patients.ts'
import { origin, testSecretKey, world, type World } from './helpers/world.ts'

const expired = /Uw sessie is verlopen\. Log opnieuw in\./

/** A second browser holding a copy of `b`'s cookies as they are now. */
function replay(w: World, b: Browser): Browser {
  const other = w.browser()
  other.cookies = new Map(b.cookies)
  return other
}

const signedIn = async (b: Browser) => (await b.get('/')).url === '/' && b.status === 200

/** The session id in the cookie (`<id>.<signature>`, URL-encoded). */
function sessionIdOf(b: Browser): string {
  const value = b.cookies.get('mtd_session')
  if (!value) throw new Error(`No session cookie: ${[...b.cookies.keys()].join(', ')}`)
  return decodeURIComponent(value).split('.')[0]!
}

await t.test('idle timeout: 15 minutes without a request', async (t) => {
  const w = await world(t)
  const { browser: b } = await onboardWithApp(w)
  const rows = [
    { after: 14 * 60, signedIn: true },
    { after: 15 * 60, signedIn: true },
    { after: 15 * 60 + 1, signedIn: false },
  ]
  for (const row of rows) {
    w.clock.advanceSeconds(row.after)
    await b.get('/')
    t.equal(b.url, row.signedIn ? '/' : '/inloggen', `${row.after} s after the last request`)
    if (row.signedIn) t.match(b.text, /Welkom, Jan de Vries/)
  }
  t.match(b.text, expired, 'the patient is told why')
  t.same((await w.audit()).filter((e) => e.event === 'session_expired').map((e) => e.accountId), [(await w.account('jdevries')).id], 'the expiry is in the audit log')
  t.same(b.history.map((h) => h.url), ['/', '/inloggen'])
  t.equal((await b.get('/')).url, '/inloggen', 'it stays signed out')
  t.notMatch((await b.get('/inloggen')).text, expired, 'the notice shows once')
})

await t.test('absolute timeout: 8 hours, however busy', async (t) => {
  const w = await world(t)
  const { browser: b } = await onboardWithApp(w)
  let kept = 0
  for (let minute = 10; minute <= 8 * 60; minute += 10) {
    w.clock.advanceMinutes(10)
    if (await signedIn(b)) kept++
  }
  t.equal(kept, 48, 'a request every 10 minutes keeps the session for 8 hours')
  w.clock.advanceSeconds(1)
  await b.get('/')
  t.equal(b.url, '/inloggen', 'signed out at 8 h + 1 s despite the activity')
  t.match(b.text, expired)
})

await t.test('logout is a POST that ends the session on the server', async (t) => {
  const w = await world(t)
  const { browser: b } = await onboardWithApp(w)

  await t.test('GET /uitloggen changes nothing', async (t) => {
    const g = replay(w, b)
    await g.get('/uitloggen')
    t.equal(g.status, 404)
    t.ok(await signedIn(b), 'still signed in')
  })

  const before = replay(w, b)
  const id = sessionIdOf(b)
  const hashed = createHash('sha256').update(id).digest('hex')
  t.equal((await w.deps.db.select().from(sessions)).filter((s) => s.id === hashed).length, 1)

  const direct = w.browser({ followRedirects: false })
  direct.cookies = new Map(b.cookies)
  await direct.get('/')
  await direct.submit('Uitloggen')
  t.equal(direct.status, 303)
  t.equal(direct.headers.location, '/inloggen?uitgelogd=1')
  t.equal(direct.headers['clear-site-data'], '"cache", "storage"', 'cache and storage, not every cookie (the device cookie stays: test/sign-out.test.ts)')
  await direct.get('/inloggen?uitgelogd=1')
  t.match(direct.text, /U bent uitgelogd\./)

  t.equal((await w.deps.db.select().from(sessions)).filter((s) => s.id === hashed).length, 0, 'the row is gone')
  t.notOk(await signedIn(before), 'the old cookie, replayed, is not signed in')
  t.equal(before.url, '/inloggen')
  t.ok((await w.audit()).some((e) => e.event === 'logout'), 'audited')
})

await t.test('logout needs the CSRF token', async (t) => {
  const w = await world(t)
  const { browser: b } = await onboardWithApp(w)
  const rows: { name: string; form: Record<string, string> }[] = [
    { name: 'no token', form: {} },
    { name: "another session's token", form: { _csrf: csrfOf((await w.browser().get('/inloggen')).html)! } },
  ]
  for (const row of rows) {
    const x = replay(w, b)
    await x.request({ method: 'POST', url: '/uitloggen', headers: { origin }, form: row.form })
    t.equal(x.status, 403, row.name)
    t.ok(await signedIn(b), `${row.name}: still signed in`)
  }
})

await t.test('sessions survive a restart with the same SECRET_KEY', async (t) => {
  const w1 = await world(t)
  const { browser: b } = await onboardWithApp(w1)
  w1.clock.advanceMinutes(5)
  t.ok(await signedIn(b))
  const cookies = new Map(b.cookies)
  await w1.app.close()
  await w1.runtime.close()

  const w2 = await world(t, { databasePath: w1.databasePath })
  w2.clock.ms = w1.clock.ms + 60_000
  const again = w2.browser()
  again.cookies = new Map(cookies)
  t.ok(await signedIn(again), 'the old cookie is still signed in')
  t.match(again.text, /Welkom, Jan de Vries/)
  // The idle timeout still counts from the last request before the restart.
  w2.clock.advanceSeconds(15 * 60 + 1)
  t.notOk(await signedIn(again), 'idle time across the restart counts')
  await w2.app.close()
  await w2.runtime.close()

  // The control: another SECRET_KEY does not accept the cookie's signature.
  const other = [...testSecretKey].reverse().join('')
  const w3 = await world(t, { databasePath: w1.databasePath, env: { SECRET_KEY: other } })
  w3.clock.ms = w1.clock.ms
  const stranger = w3.browser()
  stranger.cookies = new Map(cookies)
  t.notOk(await signedIn(stranger), 'a cookie signed under another key opens nothing')
})

await t.test('the sessions table holds no session id, only its SHA-256', async (t) => {
  const w = await world(t)
  const { browser: b } = await onboardWithApp(w)
  const id = sessionIdOf(b)
  t.ok(Buffer.from(id, 'base64url').length >= 16, 'at least 128 bits')
  const rows = await w.deps.db.select().from(sessions)
  const dump = JSON.stringify(rows)
  t.notOk(dump.includes(id), 'the raw id is nowhere in the table')
  t.notOk(dump.includes(b.cookies.get('mtd_session')!), 'nor the cookie value')
  const hashed = createHash('sha256').update(id).digest('hex')
  const mine = rows.filter((r) => r.id === hashed)
  t.equal(mine.length, 1, 'the row is keyed by the SHA-256 of the id')
  t.equal(mine[0]!.accountId, (await w.account('jdevries')).id)
})

await t.test('strict ids: a made-up or tampered cookie, or a damaged row, never becomes a session', async (t) => {
  const w = await world(t)
  const { browser: b } = await onboardWithApp(w)
  const value = b.cookies.get('mtd_session')!
  const [id, mac] = decodeURIComponent(value).split('.') as [string, string]
  const rowOf = (sessionId: string) => w.deps.db.$client.prepare('select count(*) as n from sessions where id = ?').get(createHash('sha256').update(sessionId).digest('hex')) as { n: number }

  /** A browser holding `cookie`: after a look and a username, which session id does it hold? */
  const afterUse = async (cookie: string) => {
    const x = w.browser({ followRedirects: false })
    x.cookies.set('mtd_session', cookie)
    await x.get('/')
    t.equal(x.status, 303, 'not signed in, and not a 500')
    t.equal(x.headers.location, '/inloggen')
    await x.get('/inloggen')
    t.equal(x.status, 200)
    t.notOk(x.cookies.has('mtd_session'), 'the cookie it came with is dropped')
    await x.submit('Volgende', { username: 'jdevries' })
    return sessionIdOf(x)
  }

  const rows = [
    { name: 'a made-up id with a real signature', cookie: encodeURIComponent(`${'A'.repeat(43)}.${mac}`), planted: 'A'.repeat(43) },
    { name: 'a made-up id without a signature', cookie: 'B'.repeat(43), planted: 'B'.repeat(43) },
    { name: 'the real id with a tampered signature', cookie: encodeURIComponent(`${id}.${mac.slice(0, -2)}xx`), planted: id },
  ]
  for (const row of rows) {
    const now = await afterUse(row.cookie)
    t.not(now, row.planted, `${row.name}: replaced by an id of ours`)
    t.equal(rowOf(row.planted).n, row.planted === id ? 1 : 0, `${row.name}: no row for the planted id`)
  }

  // A signed id of ours whose row is gone (signed out, swept) is replaced, never revived.
  const gone = w.browser()
  await gone.get('/inloggen')
  await gone.submit('Volgende', { username: 'jdevries' })
  const goneValue = gone.cookies.get('mtd_session')!
  const goneId = sessionIdOf(gone)
  w.deps.db.$client.prepare('delete from sessions where id = ?').run(createHash('sha256').update(goneId).digest('hex'))
  t.not(await afterUse(goneValue), goneId, 'a signed id without a row gets a new id')
  t.equal(rowOf(goneId).n, 0, 'and its row stays gone')

  // The signed-in row is damaged: the browser is signed out, with a new id, and no error page.
  w.deps.db.$client.prepare('update sessions set data = ? where id = ?').run('{"accountId":', createHash('sha256').update(id).digest('hex'))
  t.not(await afterUse(value), id, 'a damaged row: a new id')
})

await t.test('a revoked session never comes back, not even from a request that read it before the revocation', async (t) => {
  const rows = [
    { name: 'a page view that refreshes the last-seen time', send: (x: Browser) => x.get('/') },
    { name: 'a POST answered 403 (no token)', send: (x: Browser) => x.request({ method: 'POST', url: '/uitloggen', headers: { origin }, form: {} }) },
    { name: 'a POST with its token', send: async (x: Browser) => x.request({ method: 'POST', url: '/beveiliging/andere-apparaten', headers: { origin }, form: { _csrf: csrfOf((await replay(w, x).get('/beveiliging')).html) ?? '' } }) },
  ]
  const w = await world(t)
  for (const row of rows) {
    const i = rows.indexOf(row)
    const { browser: b, account } = await onboardWithApp(w, { name: 'Jan de Vries', username: `patient${i}`, email: `p${i}@example.org`, phone: `+3161234136${i}` })
    const accountId = account.id
    const stolen = replay(w, b)
    // Past the refresh interval, so the request writes its session when it answers.
    w.clock.advanceSeconds(30)
    // The patient signs out everywhere while the stolen cookie's request is under way: after its
    // session was read (the clock is first asked in the lifetime check, after the read).
    const clock = w.clock
    const now = clock.now
    let revoked = false
    // The clock is synchronous: the revocation's rows go at once, as destroyAccountSessions removes them.
    clock.now = () => {
      if (!revoked) {
        revoked = true
        w.deps.db.$client.prepare('delete from sessions where account_id = ?').run(accountId)
      }
      return now()
    }
    try {
      await row.send(stolen)
    } finally {
      clock.now = now
    }
    t.ok(revoked, `${row.name}: the revocation happened mid-request`)
    const left = w.deps.db.$client.prepare('select count(*) as n from sessions where account_id = ?').get(accountId) as { n: number }
    t.equal(left.n, 0, `${row.name}: no row came back`)
    t.notOk(await signedIn(replay(w, stolen)), `${row.name}: the stolen cookie is signed out`)
    t.notOk(await signedIn(b), `${row.name}: and so is the patient's own`)
  }
})

/**
 * The SQL of every better-sqlite3 statement run (get, all, run) while `during` runs: a spy on the
 * Statement class, which all of the portal's statements share.
 */
async function statementsRun(w: World, during: () => Promise<unknown>): Promise<string[]> {
  const Statement = Object.getPrototypeOf(w.deps.db.$client.prepare('select 1')) as Record<'get' | 'all' | 'run', (...a: unknown[]) => unknown>
  const seen: string[] = []
  const originals = { get: Statement.get, all: Statement.all, run: Statement.run }
  for (const method of ['get', 'all', 'run'] as const) {
    const original = originals[method]
    Statement[method] = function (this: { source: string }, ...args: unknown[]) {
      seen.push(this.source)
      return original.apply(this, args)
    }
  }
  try {
    await during()
  } finally {
    Object.assign(Statement, originals)
  }
  return seen
}

await t.test('a page with a session reads the session and its account in one statement; a POST reads the account again', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  w.clock.advanceMinutes(2)
  const b = w.browser()
  await enterPassword(b, p.account.username, p.password)
  t.equal(b.url, '/inloggen/app-code', 'the second factor is due')

  const byId = /^select \* from accounts where id = \?$/
  const flowPage = await statementsRun(w, () => b.get('/inloggen/app-code'))
  t.equal(b.status, 200)
  t.equal(flowPage.filter((sql) => /from sessions s left join accounts a/.test(sql)).length, 1, 'GET: one statement for the session row and its account')
  t.same(flowPage.filter((sql) => byId.test(sql)), [], 'GET: the account is not read a second time')

  // A POST reads the account again once its body is in: what it does sees the account as it is then.
  const wrongCode = await statementsRun(w, () => b.submit('Verifieer code', { 'one-time-code': '000000' }))
  t.equal(b.status, 422)
  t.ok(wrongCode.some((sql) => byId.test(sql)), 'POST: the account is read again after the body arrived')

  // Deactivated between two pages: the next GET sees it (the joined read is of the account now).
  await w.deps.db.update(accounts).set({ deactivatedAt: w.clock.now() }).where(eq(accounts.id, p.account.id))
  await b.get('/inloggen/app-code')
  t.equal(b.url, '/inloggen', 'a deactivated account leaves the flow at its next page')

  const home = await statementsRun(w, () => p.browser.get('/'))
  t.equal(p.browser.url, '/inloggen', 'the signed-in browser of a deactivated account is signed out')
  t.same(home.filter((sql) => byId.test(sql)), [], 'the home page, too, takes the account read with the session')
})
