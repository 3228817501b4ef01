// Prometheus metrics (issue 22, item 2): scraped over HTTP from their own port after real sign-ins,
// failures, throttle refusals, a lockout and failed deliveries, and the numbers moved; the route label is
// the pattern, never the URL with its token; a token guards them; the public site has no /metrics.
import type { Server } from 'node:http'
import t from 'tap'
import { loadConfig } from '../src/config.ts'
import { startMetricsServer } from '../src/web/metrics.ts'
import { freePort } from './helpers/net.ts'
import { enterPassword, onboardWithApp } from './helpers/patients.ts'
import { jan, world, type World } from './helpers/world.ts'

const token = 'd3b07384d113edec49eaa6238ad5ff00d3b07384d113edec'

/** The world with metrics on a real port of their own, behind the token. */
async function metered(t: Parameters<typeof world>[0], env: Record<string, string> = {}) {
  const port = await freePort()
  const w = await world(t, { env: { METRICS_PORT: String(port), METRICS_TOKEN: token, ...env } })
  const server: Server = await startMetricsServer(w.app.metrics!, w.config.metrics!)
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const scrape = async (auth = `Bearer ${token}`) => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: auth } })
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') }
  }
  /** The value of one series (name plus its exact label set), 0 when absent. */
  const value = async (series: string) => {
    const { text } = await scrape()
    const line = text.split('\n').find((l) => l.startsWith(`${series} `))
    return line ? Number(line.slice(series.length + 1)) : 0
  }
  return { w, port, scrape, value }
}

await t.test('a sign-in and its failures move the counters, scraped from the metrics port', async (t) => {
  const { w, value } = await metered(t, { LOCK_AFTER_FAILURES: '3', USERNAME_FAILURES_BEFORE_DELAY: '5' })
  const before = {
    signIns: await value('portal_sign_ins_total{method="app"}'),
    password: await value('portal_sign_in_failures_total{kind="password"}'),
    appCode: await value('portal_sign_in_failures_total{kind="app_code"}'),
  }
  t.same(before, { signIns: 0, password: 0, appCode: 0 }, 'nothing counted yet (the failure kinds are there at 0)')

  const patient = await onboardWithApp(w)
  t.equal(await value('portal_sign_ins_total{method="app"}'), 1, 'the onboarding ended in a sign-in')

  // A returning patient: a wrong app code, then the right one.
  const b = w.browser()
  await enterPassword(b, jan.username!, patient.password)
  await b.submit('Verifieer code', { 'one-time-code': (Number(await w.totp(patient.secret)) ^ 1).toString().padStart(6, '0') })
  w.clock.advanceSeconds(30)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(patient.secret) })
  t.match(b.text, /Welkom, /)
  t.equal(await value('portal_sign_in_failures_total{kind="app_code"}'), 1, 'the wrong code')
  t.equal(await value('portal_sign_ins_total{method="app"}'), 2, 'and the sign-in')

  // Five wrong passwords from one browser: the sixth guess waits, refused before it is checked.
  const stranger = w.browser()
  for (let i = 0; i < 6; i++) await enterPassword(stranger, jan.username!, `fout wachtwoord ${i}`)
  t.equal(await value('portal_sign_in_failures_total{kind="password"}'), 5, 'five guesses checked')
  t.equal(await value('portal_throttle_refusals_total{guess="password",locked="false"}'), 1, 'the sixth refused (a delay)')
  // Three wrong app codes after the right password lock the second step (LOCK_AFTER_FAILURES=3).
  w.clock.advanceHours(1)
  const again = w.browser()
  await enterPassword(again, jan.username!, patient.password)
  for (let i = 0; i < 3; i++) await again.submit('Verifieer code', { 'one-time-code': (Number(await w.totp(patient.secret)) ^ (i + 1)).toString().padStart(6, '0') })
  t.equal(await value('portal_lockouts_total'), 1, 'one lockout')
  const { text } = await (await metered(t)).scrape()
  t.notMatch(text, /portal_lockouts_total 1/, 'another app in the same process counts its own')
  t.equal(await value('portal_audit_events_total{event="lockout",outcome="failure"}'), 1, 'audit events by name')
})

await t.test('requests by route pattern and status, never the raw URL; outbox gauges; delivery failures', async (t) => {
  const mailDown = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET', originalCode: 'ECONNREFUSED' })
  const port = await freePort()
  const w: World = await world(t, {
    env: { METRICS_PORT: String(port) },
    transports: { mail: () => Promise.reject(mailDown), sms: () => Promise.resolve() },
  })
  const server = await startMetricsServer(w.app.metrics!, w.config.metrics!)
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text()

  const token = 'Qm9vZ2llV29vZ2llLWFiY2RlZmdoaWprbG1ub3BxcnN0dXY'
  await w.app.inject({ method: 'GET', url: `/uitnodiging/${token}` })
  await w.app.inject({ method: 'GET', url: '/inloggen' })
  await w.app.inject({ method: 'GET', url: '/bestaat-niet' })
  await w.invite()
  await w.runtime.dispatcher.idle()
  const text = await scrape()
  t.match(text, /portal_http_request_duration_seconds_count\{method="GET",route="\/uitnodiging\/:token",status="410"\} 1/, 'the pattern, with the status')
  t.match(text, /portal_http_request_duration_seconds_count\{method="GET",route="\/inloggen",status="200"\} 1/)
  t.match(text, /route="unmatched",status="404"/, 'unknown URLs under one label')
  t.notOk(text.includes(token), 'no token in the metrics')
  t.match(text, /portal_http_request_duration_seconds_bucket\{le="0.005",/, 'a histogram')
  t.match(text, /portal_delivery_failures_total\{channel="mail",final="false"\} 1/, 'the invitation failed once')
  t.match(text, /portal_outbox_pending 1\n/, 'and waits in the outbox')
  w.clock.advanceMinutes(2)
  t.match(await scrape(), /portal_outbox_oldest_pending_seconds 120\n/, 'its age, by the clock')
  t.match(text, /process_cpu_user_seconds_total/, 'the default process metrics')
  t.match(text, /portal_build_info\{version="\d+\.\d+\.\d+"\} 1/)
})

await t.test('the metrics are behind the token, on their own port only', async (t) => {
  const { w, scrape, port } = await metered(t)
  t.equal((await scrape('')).status, 401, 'no token')
  t.equal((await scrape(`Bearer ${token.slice(1)}`)).status, 401, 'a wrong token')
  const ok = await scrape()
  t.equal(ok.status, 200)
  t.match(ok.type, /^text\/plain; version=0\.0\.4/)
  t.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 404, 'only /metrics there')
  const publicSite = await w.app.inject({ method: 'GET', url: '/metrics' })
  t.equal(publicSite.statusCode, 404, 'the public site has no /metrics')
})

await t.test('METRICS_* settings: their own port, loopback or a token', async (t) => {
  const base = { NODE_ENV: 'test', DATABASE_PATH: '/tmp/unused.db', SECRET_KEY: '64673ce114f51275e2221835fda4af1f37aa6c752c26032fd000aee6628b761d' }
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env })
      return []
    } catch (err) {
      return (err as { problems: string[] }).problems
    }
  }
  t.equal(loadConfig(base).metrics, null, 'off unless METRICS_PORT is set')
  t.same(loadConfig({ ...base, METRICS_PORT: '9464' }).metrics, { port: 9464, host: '127.0.0.1', token: null }, 'loopback by default')
  t.match(problems({ METRICS_PORT: '3000' }), [/METRICS_PORT \(3000\) is dezelfde poort als PORT/])
  t.match(problems({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }), [/METRICS_TOKEN ontbreekt/])
  t.match(problems({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: 'kort' }), [/METRICS_TOKEN is te kort/])
  t.same(problems({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: token }), [])
})
