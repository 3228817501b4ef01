// Run as a service (issue 22, items 1 and 7): the portal installed with its bundle built once, started from
// a read-only code folder by an unprivileged user, the way an operator and a service manager start it.
// SIGTERM to the process the service manager holds drains a request in flight, frees the port and ends the
// process; SIGHUP does not stop it; a port in use and an unwritable data folder are one plain line and
// exit code 78. No sleeping: every wait is on output, an exit or a closed pipe.
import { createServer } from 'node:net'
import { chmodSync, chownSync, closeSync, openSync, statSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { freePort } from './helpers/net.ts'
import { asRoot, get, gone, inFlightSignIn, install, listening, portalPid, productionEnv, start } from './helpers/service.ts'

const started = /draait op https:\/\/dossier\.praktijk\.example/
// One installation for the file (each test starts its own portal on its own port and data).
const installed = install(t)
const stack = /^\s+at /m

/** A portal listening on a fresh port: its environment, the process and the node pid. */
async function running(t: Parameters<typeof install>[0], command: 'npm' | 'node', extra: Record<string, string> = {}) {
  const port = await freePort()
  const env = productionEnv(installed, port, extra)
  const portal = start(t, installed, command, env)
  await portal.waitFor(started)
  // The first JSON log line ("Server listening") carries the pid of node itself.
  await portal.waitFor(/"pid":\d+/)
  return { port, env, portal, pid: portalPid(portal.output()) }
}

await t.test('npm start from a read-only folder as an unprivileged user: no build, probes answer, SIGTERM drains and frees the port', async (t) => {
  const bundle = statSync(join(installed.code, 'dist', 'server.js')).mtimeMs
  const { port, portal, pid } = await running(t, 'npm')
  t.notMatch(portal.output(), /bundel wordt|EACCES/, 'the start built nothing')
  t.equal(statSync(join(installed.code, 'dist', 'server.js')).mtimeMs, bundle, 'the bundle is the one built at install')
  t.not(pid, portal.process.pid, 'node is a process of its own under npm')

  const health = await get(port, '/healthz')
  t.equal(health.status, 200)
  t.same(JSON.parse(health.body), { status: 'ok' })
  const ready = await get(port, '/readyz')
  t.equal(ready.status, 200, ready.body)
  t.match(JSON.parse(ready.body), { status: 'ready', version: /^\d+\.\d+\.\d+/, checks: { database: 'ok', oidc: 'ok', outbox: 'ok' } })
  for (const answer of [health, ready]) {
    t.equal(answer.headers['set-cookie'], undefined, 'no cookie from a probe')
    t.equal(answer.headers['cache-control'], 'no-store')
    t.match(answer.headers['content-type'], /^application\/json/)
  }

  const request = await inFlightSignIn(port)
  // The service manager signals the process it started: npm. npm passes SIGTERM on to node (npm start
  // execs node: no shell in between to swallow it).
  portal.process.kill('SIGTERM')
  await portal.waitFor(/SIGTERM: afsluiten/)
  const answer = await request.finish()
  t.equal(answer.status, 303, 'the request in flight got its answer after the signal')
  t.equal(answer.headers.location, '/inloggen/wachtwoord')
  const exit = await portal.exited
  t.same(exit, { code: 0, signal: null }, 'npm exits 0 with node')
  await portal.outputClosed
  t.ok(gone(pid), 'node is gone')
  t.equal(await listening(port), false, 'the port is free')
  t.notMatch(portal.output(), stack, 'no stack trace')
})

await t.test('node dist/server.js: SIGHUP does not stop it; SIGTERM drains the request in flight, flushes the log and exits 0', async (t) => {
  const { port, portal, pid } = await running(t, 'node')
  t.equal(pid, portal.process.pid, 'the service manager holds node itself')

  portal.process.kill('SIGHUP')
  await portal.waitFor(/SIGHUP: genegeerd/)
  t.equal((await get(port, '/healthz')).status, 200, 'still answering after SIGHUP')
  t.equal(portal.process.exitCode, null, 'still running')

  const request = await inFlightSignIn(port)
  portal.process.kill('SIGTERM')
  await portal.waitFor(/SIGTERM: afsluiten/)
  const answer = await request.finish()
  t.equal(answer.status, 303, 'the request in flight completes')
  t.same(await portal.exited, { code: 0, signal: null })
  t.equal(await listening(port), false, 'the port is free')
  // The request log is written in blocks; what was pending went out at the exit.
  const logged = portal
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; req?: { method: string; url: string }; res?: { statusCode: number } })
  t.ok(logged.some((l) => l.msg === 'request completed' && l.req?.method === 'POST' && l.req.url === '/inloggen' && l.res?.statusCode === 303), 'the drained request is in the log')
  t.notOk(logged.some((l) => l.req?.url === '/healthz'), 'probes are not in the request log')
})

await t.test('npm start, and npm dies of SIGHUP (npm forwards only SIGINT and SIGTERM): node stops too instead of holding the port', async (t) => {
  const { port, portal, pid } = await running(t, 'npm')
  portal.process.kill('SIGHUP')
  t.same(await portal.exited, { code: null, signal: 'SIGHUP' }, 'npm itself ends (its own behaviour)')
  // Node, orphaned, still holds the pipe: it closes when node has stopped.
  await portal.outputClosed
  t.match(portal.output(), /npm gestopt: afsluiten/, 'node noticed and shut down')
  t.ok(gone(pid), 'node is gone')
  t.equal(await listening(port), false, 'the port is free')
})

await t.test('a port in use: one plain line and exit code 78, for PORT and METRICS_PORT', async (t) => {
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => taken.close(() => resolve())))
  const busy = (taken.address() as { port: number }).port

  const portal = start(t, installed, 'node', productionEnv(installed, busy))
  t.same(await portal.exited, { code: 78, signal: null })
  t.match(portal.output(), new RegExp(`PORT: poort ${busy} op 127\\.0\\.0\\.1 is al in gebruik`))
  t.notMatch(portal.output(), stack, 'no stack trace')

  const port = await freePort()
  const metrics = start(t, installed, 'npm', productionEnv(installed, port, { METRICS_PORT: String(busy) }))
  t.same(await metrics.exited, { code: 78, signal: null }, 'npm passes the exit code on')
  t.match(metrics.output(), new RegExp(`METRICS_PORT: poort ${busy} op 127\\.0\\.0\\.1 is al in gebruik`))
  t.notMatch(metrics.output(), stack)
  t.equal(await listening(port), false, 'the portal let go of its own port before exiting')
})

await t.test('a data folder or database file the service user may not write: one plain line and exit code 78', async (t) => {
  // A folder of root's (or read-only for the user): the service user can not create the database in it.
  const locked = installed.folder('locked', 0o755)
  if (asRoot) chownSync(locked, 0, 0)
  else chmodSync(locked, 0o555)
  const rows = [
    { name: 'a database in a folder it may not write', env: { DATABASE_PATH: join(locked, 'portal.db') } },
    { name: 'a database folder it can not create', env: { DATABASE_PATH: join(locked, 'new', 'portal.db') } },
  ]
  // A database file that exists but is not the user's (as root: owned by root, 0600).
  const data = installed.folder('theirs')
  const file = join(data, 'portal.db')
  closeSync(openSync(file, 'w', 0o600))
  if (asRoot) chownSync(file, 0, 0)
  else chmodSync(file, 0o400)
  rows.push({ name: 'a database file it may not write', env: { DATABASE_PATH: file } })

  for (const row of rows) {
    const portal = start(t, installed, 'node', productionEnv(installed, await freePort(), row.env))
    t.same(await portal.exited, { code: 78, signal: null }, row.name)
    t.match(portal.output(), /^Configuratie onjuist:\n  - DATABASE_PATH: .* kan niet worden aangemaakt of geschreven \((EACCES|EPERM|SQLITE_\w+)\)/, `${row.name}: named, with the cause`)
    t.notMatch(portal.output(), stack, `${row.name}: no stack trace`)
  }

  // Development without SECRET_KEY generates one into the data folder: that folder too.
  const dev = start(t, installed, 'node', { PATH: process.env.PATH ?? '', HOME: installed.data, DATABASE_PATH: join(locked, 'portal.db'), PORT: String(await freePort()) })
  t.same(await dev.exited, { code: 78, signal: null }, 'development, no SECRET_KEY, unwritable folder')
  t.match(dev.output(), /SECRET_KEY ontbreekt, en .*secret\.key kan niet worden gelezen of aangemaakt \(EACCES\)/)
  t.notMatch(dev.output(), stack)
})

await t.test('npm start in development from a read-only folder whose src/ is newer than the bundle: starts the bundle, builds nothing', async (t) => {
  const bundle = statSync(join(installed.code, 'dist', 'server.js')).mtimeMs
  // A newer source file than the bundle, as after a `git pull` without a build.
  const source = join(installed.code, 'src', 'server.ts')
  chmodSync(source, 0o644)
  const later = new Date(bundle + 60_000)
  utimesSync(source, later, later)
  chmodSync(source, 0o444)
  const port = await freePort()
  // A data folder of its own: development generates its own key there.
  const data = installed.folder('development')
  const env = { PATH: process.env.PATH ?? '', HOME: data, npm_config_cache: join(data, 'npm-cache'), npm_config_update_notifier: 'false', DATABASE_PATH: join(data, 'portal.db'), PORT: String(port) }
  const portal = start(t, installed, 'npm', env)
  await portal.waitFor(/draait op http:\/\/localhost/)
  t.equal(statSync(join(installed.code, 'dist', 'server.js')).mtimeMs, bundle, 'no build in a folder the user may not write')
  t.match(portal.output(), /src\/ is nieuwer dan dist\/, maar deze gebruiker mag dist\/ niet schrijven/, 'and says so')
  t.equal((await get(port, '/healthz')).status, 200)
  portal.process.kill('SIGTERM')
  t.same(await portal.exited, { code: 0, signal: null })
})
