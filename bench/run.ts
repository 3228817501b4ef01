// npm run bench: the portal's speed and weight against its own limits (issue 10), written to
// docs/benchmarks.md. The portal runs as an operator runs it: the bundle `npm start` runs, with
// NODE_ENV=production and its request log on (written to a log file), an https PUBLIC_URL behind a
// (pretend) TLS proxy: every client sends X-Forwarded-Proto: https, and mail and SMS go to local sinks.
// Every throughput figure is counted per second of the server's CPU time (/proc/<pid>/stat) and
// compared with a baseline running at the same time on the same core, so a noisy shared machine moves
// both sides alike. Servers are pinned to one core, the load generator to the other; all traffic goes
// to 127.0.0.1, bounded in count and time (about 3-4 minutes, about a minute more per extra portal).
//
// Environment: BENCH_ROUNDS (3), BENCH_SECONDS per phase (3), BENCH_PATIENTS (1200),
// BENCH_COMPARE=<checkout> (the same phases against another commit's portal, built with its own
// scripts/build.mjs, run in the same rounds: e.g. the session layer before issue 10; an exported tree
// without .git, e.g. `git archive 0fa888a | tar -x -C dir` plus a node_modules link, names its commit
// in BENCH_COMPARE_COMMIT),
// BENCH_LOG_OFF=1 (the same phases against this portal with the request log off, labelled),
// BENCH_CPU_PROF=<dir> (a V8 CPU profile of the portal), BENCH_OUT (docs/benchmarks.md).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createRuntime } from '../src/runtime.ts'
import { sweepExpired } from '../src/domain/sweep.ts'
import { Visitor } from './lib/http.ts'
import { cannon, signInBurst, type LoadResult, type SignInResult } from './lib/load.ts'
import { benchConfig, benchEnv, benchPassword, benchPublicUrl, copyDatabase, preparePatients, rowCounts, type Patient } from './lib/prepare.ts'
import { clientCore, cpuSeconds, hasTaskset, memoryMB, pinSelf, resetPeak, serverCore } from './lib/proc.ts'
import { hashSlots, rawArgon2, type RawArgon2 } from './lib/argon2.ts'
import { buildPortal, freePort, startBare, startPortal, type Running } from './lib/servers.ts'
import { prepareScreenAccounts, walkScreens, type Weights } from './lib/screens.ts'
import { startSinks, type Sinks } from './lib/sinks.ts'
import { connectApp, oidcSignIn, prepareOidcApp } from './lib/oidc.ts'
import type { Configuration as OidcConfiguration } from 'openid-client'
import { report, type Bench, type Other, type Pair, type PortalPhase } from './report.ts'

const root = join(import.meta.dirname, '..')
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const seconds = Number(process.env.BENCH_SECONDS ?? 3)
const patientCount = Number(process.env.BENCH_PATIENTS ?? 1200)
const out = process.env.BENCH_OUT ?? join(root, 'docs', 'benchmarks.md')
const compareRoot = process.env.BENCH_COMPARE ? resolve(process.env.BENCH_COMPARE) : null
const logOffRun = process.env.BENCH_LOG_OFF === '1'
const connections = 50
const signInClients = 8
// The portal hashes at most one password per core at a time (src/domain/passwords.ts); pinned, it has one.
const began = performance.now()
const log = (msg: string) => console.log(`[${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${msg}`)

const children: Running[] = []
async function stopAll() {
  for (const c of children.splice(0)) await c.stop()
}
let sinks: Sinks | null = null
// A bench that is interrupted still stops what it started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll().then(() => process.exit(130)))
// And one that hangs stops itself: the whole run is bounded in time.
const extraPortals = (compareRoot ? 1 : 0) + (logOffRun ? 1 : 0)
const watchdog = setTimeout(
  () => {
    console.error('bench: over its time limit, stopping')
    void stopAll().then(() => process.exit(1))
  },
  600_000 + extraPortals * 240_000,
)
watchdog.unref()

if (compareRoot && !existsSync(join(compareRoot, 'scripts', 'build.mjs'))) throw new Error(`BENCH_COMPARE=${compareRoot}: no scripts/build.mjs there`)
if (compareRoot && !existsSync(join(compareRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))) {
  throw new Error(`BENCH_COMPARE=${compareRoot}: its node_modules are not installed (run npm ci there)`)
}

/** The load phases, each against one portal, and the bare route. */
type PhaseName = 'bare' | PortalPhase

/** One portal under test: this commit as an operator runs it, and the ones beside it (log off, another commit). */
interface Target {
  key: 'main' | 'logOff' | 'old'
  label: string
  portal: Running
  databasePath: string
  phases: Record<PortalPhase, (s?: number) => Promise<LoadResult>>
  /** The next prepared patient to sign in (each portal has a database of its own). */
  next: number
  signIns: SignInResult[]
  argon: RawArgon2[]
  /** The bench's app at this portal (openid-client, discovered once), or null where the portal has no provider. */
  oidc: OidcConfiguration | null
  oidcSignIns: SignInResult[]
  oidcArgon: RawArgon2[]
  paired: Record<PortalPhase, Pair[]>
  firstVisits: number
}

const portalPhases: PortalPhase[] = ['startFirst', 'startAgain', 'flowPage', 'usernamePost']

const pinned = pinSelf()
const dir = mkdtempSync(join(tmpdir(), 'mtd-bench-'))
try {
  sinks = await startSinks()
  const databasePath = join(dir, 'portal.db')
  const port = await freePort()
  const config = benchConfig(databasePath, port, sinks)
  const env = benchEnv(databasePath, port, sinks)
  const logFile = join(dir, 'portal.log')

  log(`preparing ${patientCount} patients`)
  const patients = await preparePatients(config, patientCount)
  const { inviteLinks } = await prepareScreenAccounts(config, sinks)
  // The relying party of the OIDC sign-in phase, registered as the CLI registers one (issue 13).
  const benchApp = await prepareOidcApp(config)
  const rowsBefore = rowCounts(databasePath)
  // The other portals get copies of the same database: the same patients, signed in once per portal.
  const oldDatabase = join(dir, 'old.db')
  const logOffDatabase = join(dir, 'log-off.db')
  if (compareRoot) copyDatabase(databasePath, oldDatabase)
  if (logOffRun) copyDatabase(databasePath, logOffDatabase)

  // Cold start: the bundle `npm start` runs, built at install (built as `npm run build` builds
  // it), five starts; and `npm run dev` (TypeScript through tsx), twice, for scale. The load phases run the bundle.
  log('building the portal as npm run build does')
  const buildStarted = performance.now()
  const built = buildPortal(root, join(dir, 'build'))
  const buildMs = performance.now() - buildStarted
  if (!('entry' in built)) throw new Error(built.error)
  const builtStarts: Running[] = []
  const builtIdle: number[] = []
  for (let i = 0; i < 4; i++) {
    const p = await startPortal(root, env, port, logFile, built.entry)
    await sleep(1000)
    builtIdle.push(memoryMB(p.pid).rss)
    builtStarts.push(p)
    await p.stop()
  }
  const tsxStarts: Running[] = []
  for (let i = 0; i < 2; i++) {
    const p = await startPortal(root, env, port, logFile)
    tsxStarts.push(p)
    await p.stop()
  }
  const portal = await startPortal(root, env, port, logFile, built.entry)
  builtStarts.push(portal)
  children.push(portal)
  log(`portal up (pid ${portal.pid}) in ${portal.coldStartMs.toFixed(0)} ms`)
  await sleep(1000)
  const rssCold = memoryMB(portal.pid).rss

  const baselines = { bare: await startBare(root) }
  children.push(...Object.values(baselines))
  const bare = (s = seconds) => cannon({ name: 'bare Fastify route', port: baselines.bare.port, pid: baselines.bare.pid, path: '/', expectStatus: 200, connections, seconds: s })

  const main = await target('main', 'this commit, production, request log on', portal, databasePath)
  const targets: Target[] = [main]
  if (logOffRun) {
    const p = await freePort()
    const running = await startPortal(root, benchEnv(logOffDatabase, p, sinks, { logOff: true }), p, join(dir, 'log-off.log'), built.entry)
    children.push(running)
    targets.push(await target('logOff', 'this commit, request log off (NODE_ENV=test, all else the same)', running, logOffDatabase))
  }
  let oldBuild: { buildMs: number; coldStartMs: number; commit: string } | null = null
  if (compareRoot) {
    log(`building ${compareRoot} with its own scripts/build.mjs`)
    const t0 = performance.now()
    const oldBuilt = buildPortal(compareRoot, join(dir, 'old-build'))
    const oldBuildMs = performance.now() - t0
    if (!('entry' in oldBuilt)) throw new Error(`BENCH_COMPARE: ${oldBuilt.error}`)
    const p = await freePort()
    const running = await startPortal(compareRoot, benchEnv(oldDatabase, p, sinks), p, join(dir, 'old.log'), oldBuilt.entry)
    children.push(running)
    // A checkout without .git (an exported tree) names its commit in BENCH_COMPARE_COMMIT.
    const commit = process.env.BENCH_COMPARE_COMMIT ?? git(['rev-parse', '--short', 'HEAD'], compareRoot)
    oldBuild = { buildMs: oldBuildMs, coldStartMs: running.coldStartMs, commit }
    targets.push(await target('old', `commit ${commit} (${compareRoot}), production, request log on`, running, oldDatabase))
  }

  // A light warm-up (one client at a time), so "idle" is a server that has served pages, not one that
  // has just been load-tested. Idle is read before the warm-up's sign-ins: memory a hash leaves behind
  // is counted against the burst limit below, and shown after the sign-ins.
  log('warming up')
  for (const t of targets) {
    const returning = new Visitor(t.portal.port, benchPublicUrl)
    const inFlow = await flowVisitor(t)
    for (let i = 0; i < 100; i++) {
      await returning.get('/inloggen')
      await inFlow.get('/inloggen/app-code')
      await new Visitor(t.portal.port, benchPublicUrl).get('/inloggen')
    }
  }
  await sleep(2000)
  const rssIdle = memoryMB(portal.pid).rss
  for (const t of targets) {
    for (let i = 0; i < 12; i++) await signInBurst(t.portal.port, t.portal.pid, benchPublicUrl, [take(t)], 1, 10)
  }
  await sleep(2000)
  const rssAfterWarmSignIns = memoryMB(portal.pid).rss

  // Sign-ins and raw argon2id verifications at the same time, on the same core: whatever else the
  // machine does in those seconds, it does to both sides of the ratio.
  let peakRss = 0
  for (let r = 0; r < Math.max(2, rounds - 1); r++) {
    for (const t of targets) {
      log(`sign-in round ${r + 1}: ${t.label}`)
      if (t === main) resetPeak(portal.pid)
      const [burst, raw] = await Promise.all([
        signInBurst(t.portal.port, t.portal.pid, benchPublicUrl, patients.slice(t.next, t.next + 1000), signInClients, seconds * 2),
        rawArgon2(seconds * 2),
      ])
      t.next += burst.requests + burst.unexpected + signInClients
      t.signIns.push(burst)
      t.argon.push(raw)
      if (t === main) peakRss = Math.max(peakRss, burst.peakRssMB)
      // The same, through the app: complete OpenID Connect sign-ins, each account once (new ones).
      const oidc = t.oidc
      if (!oidc) continue
      log(`OIDC sign-in round ${r + 1}: ${t.label}`)
      const [oidcBurst, oidcRaw] = await Promise.all([
        signInBurst(t.portal.port, t.portal.pid, benchPublicUrl, patients.slice(t.next, t.next + 1000), signInClients, seconds * 2, (p) => oidcSignIn(t.portal.port, oidc, p), 'complete OIDC sign-ins'),
        rawArgon2(seconds * 2),
      ])
      t.next += oidcBurst.requests + oidcBurst.unexpected + signInClients
      t.oidcSignIns.push(oidcBurst)
      t.oidcArgon.push(oidcRaw)
      if (t === main) peakRss = Math.max(peakRss, oidcBurst.peakRssMB)
    }
  }
  const rssAfterSignIns = memoryMB(portal.pid).rss

  // Each phase alone (throughput, latency), then each phase beside the bare route at the same time
  // (the ratio: both servers share the core and whatever else runs in those seconds). The other
  // portals run their phases beside the bare route only, in the same rounds.
  await bare(1)
  for (const t of targets) for (const warm of Object.values(t.phases)) await warm(1)
  const results = { bare: [] as LoadResult[], ...Object.fromEntries(portalPhases.map((k) => [k, [] as LoadResult[]])) } as Record<PhaseName, LoadResult[]>
  for (let r = 0; r < rounds; r++) {
    log(`page round ${r + 1} of ${rounds}`)
    results.bare.push(await bare())
    for (const t of targets) {
      for (const name of portalPhases) {
        if (t === main) results[name].push(await t.phases[name]())
        const [b, phase] = await Promise.all([bare(), t.phases[name]()])
        t.paired[name].push({ bare: b, phase })
        if (name === 'startFirst') t.firstVisits += phase.requests
      }
    }
  }
  main.firstVisits += results.startFirst.reduce((a, x) => a + x.requests, 0)
  const rssAfterLoad = memoryMB(portal.pid).rss
  const portalCpu = cpuSeconds(portal.pid)
  const others: Other[] = targets.slice(1).map((t) => ({
    key: t.key as Other['key'],
    label: t.label,
    paired: t.paired,
    signIns: t.signIns,
    argon: t.argon,
    oidcSignIns: t.oidcSignIns,
    oidcArgon: t.oidcArgon,
    rowsAfterLoad: rowCounts(t.databasePath),
    firstVisits: t.firstVisits,
    rssAfterLoad: memoryMB(t.portal.pid).rss,
    logBytes: t.portal.logBytes(),
    ...(t.key === 'old' && oldBuild ? { build: oldBuild } : {}),
  }))
  const mainRowsAfterLoad = rowCounts(databasePath)

  log('walking every screen')
  const weights: Weights = await walkScreens(port, inviteLinks, sinks)
  const mainLogBytes = portal.logBytes()
  const logLines = readFileSync(logFile, 'utf8').split('\n').length - 1

  await stopAll()
  const rowsAfter = rowCounts(databasePath)
  // The sweeper as the server's timer would run it: now, and as it would find the tables a day later.
  const sweeps: { when: string; removed: Record<string, number>; rows: Record<string, number> }[] = []
  for (const [when, aheadMs] of [['now', 0], ['25 hours later', 25 * 3_600_000]] as const) {
    const runtime = await createRuntime(config, { clock: { now: () => new Date(Date.now() + aheadMs) }, log: () => {} })
    const removed = await sweepExpired(runtime.deps)
    await runtime.close()
    sweeps.push({ when, removed: { ...removed }, rows: rowCounts(databasePath) })
  }

  const bench: Bench = {
    date: new Date(),
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: totalmem() / 2 ** 30,
      node: process.version,
      os: osName(),
      load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      pinning: hasTaskset && pinned ? `servers on core ${serverCore}, load generator on core ${clientCore} (taskset)` : 'none (taskset missing): figures are noisier',
    },
    settings: { rounds, seconds, connections, patients: patientCount, signInClients, hashSlots, argon2: { memoryKiB: config.limits.argon2MemoryKiB, iterations: config.limits.argon2Iterations } },
    results,
    paired: main.paired,
    signIns: main.signIns,
    argon: main.argon,
    oidcSignIns: main.oidcSignIns,
    oidcArgon: main.oidcArgon,
    coldStart: {
      buildMs,
      built: builtStarts.map((s) => ({ wall: s.coldStartMs, cpu: s.coldStartCpuMs })),
      tsx: tsxStarts.map((s) => ({ wall: s.coldStartMs, cpu: s.coldStartCpuMs })),
      bare: { wall: baselines.bare.coldStartMs, cpu: baselines.bare.coldStartCpuMs },
    },
    memory: { builtIdle, cold: rssCold, idle: rssIdle, afterWarmSignIns: rssAfterWarmSignIns, peakDuringSignIns: peakRss, afterSignIns: rssAfterSignIns, afterLoad: rssAfterLoad },
    portalCpuSeconds: portalCpu,
    requestLog: { bytes: mainLogBytes, lines: logLines },
    mail: sinks.count(),
    weights,
    rows: { before: rowsBefore, afterLoad: mainRowsAfterLoad, after: rowsAfter, sweeps, firstVisits: main.firstVisits },
    others,
    durationSeconds: (performance.now() - began) / 1000,
  }
  const { table, markdown } = report(bench)
  console.log(table)
  writeFileSync(out, markdown)
  log(`wrote ${out}`)

  /** A portal under test, with the visitors its phases replay. */
  async function target(key: Target['key'], label: string, running: Running, database: string): Promise<Target> {
    const t: Target = {
      key, label, portal: running, databasePath: database, next: 0, signIns: [], argon: [], firstVisits: 0,
      oidc: null, oidcSignIns: [], oidcArgon: [],
      paired: Object.fromEntries(portalPhases.map((k) => [k, [] as Pair[]])) as Record<PortalPhase, Pair[]>,
      phases: {} as Target['phases'],
    }
    const p = running.port
    const pid = running.pid
    // A portal with the OpenID Connect provider (another commit may predate it) gets the OIDC phase.
    const discovery = await new Visitor(p, benchPublicUrl).get('/.well-known/openid-configuration')
    if (discovery.status === 200) t.oidc = await connectApp(p, benchApp)
    else if (key === 'main') throw new Error(`${label}: no OpenID Connect discovery (${discovery.status})`)
    // Visitors: one inside the sign-in flow (the app-code step), one reloading the start page with
    // the cookies of its first visit, one typing usernames (each a new one: every POST writes its session).
    const inFlow = await flowVisitor(t)
    const flowCheck = await inFlow.get('/inloggen/app-code')
    if (flowCheck.status !== 200) throw new Error(`${label}: the flow page answered ${flowCheck.status}`)
    const returning = new Visitor(p, benchPublicUrl)
    await returning.get('/inloggen')
    if (!returning.cookieHeader) throw new Error(`${label}: the start page set no cookie (is X-Forwarded-Proto: https honoured?)`)
    const poster = new Visitor(p, benchPublicUrl)
    await poster.get('/inloggen')
    // One username first, so the load is one browser with a session row that each POST rewrites.
    const first = await poster.post('/inloggen', { username: 'gebruiker' })
    if (first.status !== 303) throw new Error(`${label}: POST /inloggen answered ${first.status}`)
    await poster.get('/inloggen/wachtwoord')
    let typed = 0
    const postHeaders = { cookie: poster.cookieHeader, 'content-type': 'application/x-www-form-urlencoded', origin: benchPublicUrl, 'sec-fetch-site': 'same-origin' }
    const tag = t.key === 'main' ? '' : ` [${t.key}]`
    t.phases = {
      startFirst: (s = seconds) => cannon({ name: `GET /inloggen (first visit)${tag}`, port: p, pid, path: '/inloggen', expectStatus: 200, connections, seconds: s }),
      startAgain: (s = seconds) =>
        cannon({ name: `GET /inloggen (reload, first visit's cookies)${tag}`, port: p, pid, path: '/inloggen', headers: { cookie: returning.cookieHeader }, expectStatus: 200, connections, seconds: s }),
      flowPage: (s = seconds) =>
        cannon({ name: `GET /inloggen/app-code (in flow)${tag}`, port: p, pid, path: '/inloggen/app-code', headers: { cookie: inFlow.cookieHeader }, expectStatus: 200, connections, seconds: s }),
      usernamePost: (s = seconds) =>
        cannon({
          name: `POST /inloggen (username)${tag}`, port: p, pid, path: '/inloggen', method: 'POST', headers: postHeaders,
          // A different username each time: every request writes its session, as real ones do.
          body: () => `_csrf=${encodeURIComponent(poster.csrf)}&username=gebruiker${typed++}`,
          expectStatus: 303, connections, seconds: s,
        }),
    }
    return t
  }

  /** A visitor at the app-code step of a sign-in (username and password given). */
  async function flowVisitor(t: Target): Promise<Visitor> {
    const v = new Visitor(t.portal.port, benchPublicUrl)
    await v.get('/inloggen')
    await v.post('/inloggen', { username: take(t).username })
    const passed = await v.post('/inloggen/wachtwoord', { password: benchPassword })
    if (passed.status !== 303) throw new Error(`${t.label}: the password step answered ${passed.status}`)
    return v
  }

  function take(t: Target): Patient {
    const p = patients[t.next++]
    if (!p) throw new Error('out of prepared patients: raise BENCH_PATIENTS')
    return p
  }
} finally {
  await stopAll()
  await sinks?.close()
  rmSync(dir, { recursive: true, force: true })
  clearTimeout(watchdog)
}

function git(args: string[], cwd = root): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]+)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux'
  } catch {
    return 'Linux'
  }
}
