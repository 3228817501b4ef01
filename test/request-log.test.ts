// The request log (src/app.ts): one line a request, with what an operator needs (method, redacted URL,
// client address, status, time taken), written when the answer has gone out; errors still logged.
import t from 'tap'
import { buildApp } from '../src/app.ts'
import { world } from './helpers/world.ts'

interface Line {
  level: number
  msg: string
  reqId?: string
  req?: { method: string; url: string; remoteAddress: string }
  res?: { statusCode: number }
  responseTime?: number
  err?: unknown
}

async function loggedApp(t: Parameters<typeof world>[0]) {
  const w = await world(t)
  const lines: Line[] = []
  const app = await buildApp(w.deps, { logger: true, logStream: { write: (line) => lines.push(JSON.parse(line) as Line) } })
  t.teardown(() => app.close())
  return { app, lines }
}

await t.test('one line a request: method, redacted URL, address, status and time', async (t) => {
  const { app, lines } = await loggedApp(t)
  const token = 'Qm9vZ2llV29vZ2llLWFiY2RlZmdoaWprbG1ub3BxcnN0dXY'
  const requests = [
    { method: 'GET' as const, url: '/inloggen', status: 200 },
    { method: 'GET' as const, url: `/uitnodiging/${token}`, status: 410 },
    { method: 'GET' as const, url: '/bestaat-niet', status: 404 },
    { method: 'POST' as const, url: '/inloggen', status: 403 },
  ]
  for (const r of requests) {
    const res = await app.inject({ method: r.method, url: r.url, headers: r.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' } : {}, payload: r.method === 'POST' ? 'username=x' : undefined })
    t.equal(res.statusCode, r.status, `${r.method} ${r.url}`)
  }
  const requestLines = lines.filter((l) => l.reqId !== undefined)
  t.equal(requestLines.length, requests.length, 'one line per request, not two')
  t.notOk(lines.some((l) => l.msg === 'incoming request'), 'no separate "incoming request" line')
  for (const [i, r] of requests.entries()) {
    const line = requestLines[i]!
    t.equal(line.msg, 'request completed')
    t.equal(line.level, 30)
    t.equal(line.req?.method, r.method)
    t.equal(line.req?.remoteAddress, '127.0.0.1')
    t.equal(line.res?.statusCode, r.status)
    t.type(line.responseTime, 'number')
  }
  t.equal(requestLines[1]!.req?.url, '/uitnodiging/[token]', 'the link token is redacted')
  t.notOk(JSON.stringify(lines).includes(token), 'the token is nowhere in the log')
  t.equal(new Set(requestLines.map((l) => l.reqId)).size, requests.length, 'each line has its own request id')
})

await t.test('a request that fails in the server is logged as an error, with its URL', async (t) => {
  const { app, lines } = await loggedApp(t)
  app.get('/kapot', async () => {
    throw new Error('boom')
  })
  const res = await app.inject({ method: 'GET', url: '/kapot' })
  t.equal(res.statusCode, 500)
  const errors = lines.filter((l) => l.level >= 50 && l.err !== undefined)
  t.equal(errors.length, 1, 'the failure is logged at error level, with the error')
  const done = lines.filter((l) => l.msg === 'request completed' || l.msg === 'request errored')
  t.equal(done.length, 1, 'and one completion line')
  t.equal(done[0]!.req?.url, '/kapot')
  t.equal(done[0]!.res?.statusCode, 500)
  t.equal(done[0]!.reqId, errors[0]!.reqId, 'the two lines share the request id')
})

await t.test('route words are not tokens: /.well-known/openid-configuration is logged as it is; link tokens still are redacted', async (t) => {
  const { app, lines } = await loggedApp(t)
  const token = 'x7Kq2mP9vL4nR8sT1wY6zB3cD5fG0hJ2kM4nP6qR8sT' // 43 characters, as newToken makes them
  const urls = [
    { sent: '/.well-known/openid-configuration', logged: '/.well-known/openid-configuration' },
    { sent: '/.well-known/oauth-authorization-server', logged: '/.well-known/oauth-authorization-server' },
    { sent: `/uitnodiging/${token}`, logged: '/uitnodiging/[token]' },
    { sent: `/verder/${token}`, logged: '/verder/[token]' },
    { sent: `/oidc/auth?client_id=dossier&state=${token}&scope=openid`, logged: '/oidc/auth?client_id=dossier&state=[token]&scope=openid' },
    // Lowercase hex is a token too (digits), however long the word-like part.
    { sent: '/bestaat-niet/0123456789abcdef0123456789abcdef', logged: '/bestaat-niet/[token]' },
  ]
  for (const u of urls) await app.inject({ method: 'GET', url: u.sent, headers: { host: 'localhost:3000' } })
  const logged = lines.filter((l) => l.msg === 'request completed').map((l) => l.req?.url)
  t.same(logged, urls.map((u) => u.logged))
  t.notOk(JSON.stringify(lines).includes(token), 'the token is nowhere in the log')
})
