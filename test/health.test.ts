// /healthz and /readyz (issue 22, item 2): JSON, no-store, no cookie, no session row, never redirected or
// throttled, not in the request log; /readyz names the failing check (database not migrated, outbox stuck)
// with a 503, and a change of readiness is logged once.
import t from 'tap'
import { buildApp } from '../src/app.ts'
import { queueMail } from '../src/domain/delivery.ts'
import { world } from './helpers/world.ts'

interface Line {
  msg: string
  level: number
  req?: { url: string }
  checks?: Record<string, string>
}

async function logged(t: Parameters<typeof world>[0]) {
  const w = await world(t)
  const lines: Line[] = []
  const app = await buildApp(w.deps, { logger: true, logStream: { write: (line) => lines.push(JSON.parse(line) as Line) } })
  t.teardown(() => app.close())
  return { w, app, lines }
}

const sessionRows = (w: Awaited<ReturnType<typeof world>>) => (w.deps.db.$client.prepare('select count(*) as n from sessions').get() as { n: number }).n

await t.test('the probes: JSON, no-store, no cookie, no session, no log line, never throttled', async (t) => {
  const { w, app, lines } = await logged(t)
  for (let i = 0; i < 300; i++) {
    for (const url of ['/healthz', '/readyz']) {
      const res = await app.inject({ method: 'GET', url, remoteAddress: '203.0.113.9' })
      if (res.statusCode !== 200) t.fail(`${url}: ${res.statusCode} ${res.body}`)
    }
  }
  const health = await app.inject({ method: 'GET', url: '/healthz' })
  t.same(health.json(), { status: 'ok' })
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.match(ready.json(), { status: 'ready', version: /^\d+\.\d+\.\d+/, checks: { database: 'ok', oidc: 'ok', outbox: 'ok' } })
  // The same version as `admin --version` (src/version.ts), with the bundle's commit: none when run from the sources.
  t.same(ready.json().commit, null, 'the commit: null outside a built bundle')
  for (const res of [health, ready]) {
    t.equal(res.headers['set-cookie'], undefined, 'no Set-Cookie')
    t.equal(res.headers['cache-control'], 'no-store')
    t.match(res.headers['content-type'], /^application\/json/)
  }
  const head = await app.inject({ method: 'HEAD', url: '/readyz' })
  t.equal(head.statusCode, 200, 'HEAD too')
  t.equal(sessionRows(w), 0, 'no session row')
  t.equal(lines.filter((l) => l.req?.url === '/healthz' || l.req?.url === '/readyz').length, 0, 'six hundred probes, no request log line')
  await app.inject({ method: 'GET', url: '/inloggen' })
  t.equal(lines.filter((l) => l.msg === 'request completed').length, 1, 'other requests are still logged')
})

await t.test('/readyz names a database that is not migrated, and a stuck outbox; each change of readiness is logged once', async (t) => {
  const { w, app, lines } = await logged(t)
  const ready = async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' })
    return { status: res.statusCode, body: res.json() as { status: string; checks: Record<string, string> } }
  }
  t.equal((await ready()).status, 200)

  // A message due and not taken by any dispatcher (none runs here: notify() is not called).
  await w.deps.db.transaction(async () => queueMail(w.deps, { accountId: null, kind: 'test', to: 'jan@example.org', from: 'a@b.example', subject: 's', text: 'geheim 123456' }))
  w.clock.advanceMinutes(4)
  t.equal((await ready()).status, 200, 'due for 4 minutes: within READY_OUTBOX_DUE_MINUTES (5)')
  w.clock.advanceMinutes(2)
  const stuck = await ready()
  t.equal(stuck.status, 503)
  t.equal(stuck.body.status, 'not ready')
  t.match(stuck.body.checks, { database: 'ok', oidc: 'ok', outbox: /^stuck: a message has been due for 360 s/ })
  await ready()
  t.equal(lines.filter((l) => /^not ready/.test(l.msg)).length, 1, 'logged once, not per probe')
  t.match(lines.find((l) => /^not ready/.test(l.msg)), { msg: 'not ready: outbox', level: 40 })
  t.notOk(JSON.stringify(lines).includes('123456'), 'never the message')

  await w.runtime.dispatcher.stop()
  w.deps.notify()
  await w.runtime.dispatcher.idle()
  t.equal((await ready()).status, 200, 'delivered: ready again')
  t.ok(lines.some((l) => l.msg === 'ready again'), 'and logged')

  // The newest migration missing (a database of an older version that was not migrated).
  w.deps.db.$client.prepare('delete from __drizzle_migrations where created_at = (select max(created_at) from __drizzle_migrations)').run()
  const old = await ready()
  t.equal(old.status, 503)
  t.match(old.body.checks.database, /^migration \d{4}_\w+ not applied$/)
})

await t.test('a session cookie on a probe changes nothing and sets nothing', async (t) => {
  const w = await world(t)
  const b = w.browser()
  await b.get('/inloggen')
  await b.submit('Volgende', { username: 'jdevries' })
  const rows = sessionRows(w)
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ")
  t.ok(cookie.length > 0, 'the browser has cookies')
  w.clock.advanceHours(3) // past every session limit: a page would rotate the session now
  const res = await w.app.inject({ method: 'GET', url: '/readyz', headers: { cookie } })
  t.equal(res.statusCode, 200, 'not redirected')
  t.equal(res.headers['set-cookie'], undefined, 'no Set-Cookie')
  t.equal(sessionRows(w), rows, 'no session row made or removed')
})
