// npm run bench: the portal's speed and weight against its own limits (issue 6), written to
// docs/benchmarks.md. Every throughput figure is counted per second of the server's CPU time
// (/proc/<pid>/stat) and compared with a baseline running at the same time on the same core, so
// a noisy shared machine moves both sides alike. Servers are pinned to one core, the load generator
// to the other; all traffic goes to 127.0.0.1, bounded in count and time (about 3-4 minutes).
//
// Environment: BENCH_ROUNDS (3), BENCH_SECONDS per phase (3), BENCH_PATIENTS (800),
// BENCH_CPU_PROF=<dir> (a V8 CPU profile of the portal), BENCH_OUT (docs/benchmarks.md).
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createRuntime } from '../src/runtime.ts'
import { sweepExpired } from '../src/domain/sweep.ts'
import { Visitor } from './lib/http.ts'
import { cannon, signInBurst, type LoadResult, type SignInResult } from './lib/load.ts'
import { benchConfig, benchEnv, benchPassword, preparePatients, rowCounts, type Patient } from './lib/prepare.ts'
import { clientCore, cpuSeconds, hasTaskset, memoryMB, pinSelf, resetPeak, serverCore } from './lib/proc.ts'
import { buildPortal, freePort, startBare, startPortal, type Running } from './lib/servers.ts'
import { prepareScreenAccounts, walkScreens, type Weights } from './lib/screens.ts'
import { report, type Bench, type Pair } from './report.ts'

const root = join(import.meta.dirname, '..')
const run = promisify(execFile)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const seconds = Number(process.env.BENCH_SECONDS ?? 3)
const patientCount = Number(process.env.BENCH_PATIENTS ?? 800)
const out = process.env.BENCH_OUT ?? join(root, 'docs', 'benchmarks.md')
const connections = 50
const signInClients = 8
// The portal hashes at most one password per core at a time (src/domain/passwords.ts); pinned, it has one.
const hashSlots = hasTaskset ? 1 : cpus().length
const began = performance.now()
const log = (msg: string) => console.log(`[${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${msg}`)

const children: Running[] = []
async function stopAll() {
  for (const c of children.splice(0)) await c.stop()
}
// A bench that is interrupted still stops what it started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll().then(() => process.exit(130)))
// And one that hangs stops itself: the whole run is bounded in time.
const watchdog = setTimeout(() => {
  console.error('bench: over 10 minutes, stopping')
  void stopAll().then(() => process.exit(1))
}, 600_000)
watchdog.unref()

const pinned = pinSelf()
const dir = mkdtempSync(join(tmpdir(), 'mtd-bench-'))
try {
  const databasePath = join(dir, 'portal.db')
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const config = benchConfig(databasePath, port)
  const env = benchEnv(databasePath, port)

  log(`preparing ${patientCount} patients`)
  const patients = await preparePatients(config, patientCount)
  const { inviteLinks } = await prepareScreenAccounts(config)
  const rowsBefore = rowCounts(config)

  // Cold start: the bundle `npm start` runs (built as `npm run build` builds it), five starts; and
  // `npm run dev` (TypeScript through tsx), twice, for scale. The load phases run the bundle.
  log('building the portal as npm run build does')
  const built = buildPortal(root, join(dir, 'build'))
  if (!('entry' in built)) throw new Error(built.error)
  const builtStarts: Running[] = []
  const builtIdle: number[] = []
  for (let i = 0; i < 4; i++) {
    const p = await startPortal(root, env, port, built.entry)
    await sleep(1000)
    builtIdle.push(memoryMB(p.pid).rss)
    builtStarts.push(p)
    await p.stop()
  }
  const tsxStarts: Running[] = []
  for (let i = 0; i < 2; i++) {
    const p = await startPortal(root, env, port)
    tsxStarts.push(p)
    await p.stop()
  }
  const portal = await startPortal(root, env, port, built.entry)
  builtStarts.push(portal)
  children.push(portal)
  log(`portal up (pid ${portal.pid}) in ${portal.coldStartMs.toFixed(0)} ms`)
  await sleep(1000)
  const rssCold = memoryMB(portal.pid).rss

  const baselines = { bare: await startBare(root) }
  children.push(...Object.values(baselines))

  // Visitors: one inside the sign-in flow (the app-code step), one returning to the start page.
  let next = 0
  const take = (): Patient => {
    const p = patients[next++]
    if (!p) throw new Error('out of prepared patients: raise BENCH_PATIENTS')
    return p
  }
  const inFlow = new Visitor(port, origin)
  await inFlow.get('/inloggen')
  await inFlow.post('/inloggen', { username: take().username })
  await inFlow.post('/inloggen/wachtwoord', { password: benchPassword })
  const flowCheck = await inFlow.get('/inloggen/app-code')
  if (flowCheck.status !== 200) throw new Error(`the flow page answered ${flowCheck.status}`)
  const returning = new Visitor(port, origin)
  await returning.get('/inloggen')
  const poster = new Visitor(port, origin)
  await poster.get('/inloggen')
  let typed = 0
  const postHeaders = { cookie: poster.cookieHeader, 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'same-origin' }

  const phases = {
    bare: (s = seconds) => cannon({ name: 'bare Fastify route', port: baselines.bare.port, pid: baselines.bare.pid, path: '/', expectStatus: 200, connections, seconds: s }),
    startFirst: (s = seconds) => cannon({ name: 'GET /inloggen (first visit)', port, pid: portal.pid, path: '/inloggen', expectStatus: 200, connections, seconds: s }),
    startAgain: (s = seconds) =>
      cannon({ name: 'GET /inloggen (with session)', port, pid: portal.pid, path: '/inloggen', headers: { cookie: returning.cookieHeader }, expectStatus: 200, connections, seconds: s }),
    flowPage: (s = seconds) =>
      cannon({ name: 'GET /inloggen/app-code (in flow)', port, pid: portal.pid, path: '/inloggen/app-code', headers: { cookie: inFlow.cookieHeader }, expectStatus: 200, connections, seconds: s }),
    usernamePost: (s = seconds) =>
      cannon({
        name: 'POST /inloggen (username)', port, pid: portal.pid, path: '/inloggen', method: 'POST', headers: postHeaders,
        // A different username each time: every request writes its session, as real ones do.
        body: () => `_csrf=${encodeURIComponent(poster.csrf)}&username=gebruiker${typed++}`,
        expectStatus: 303, connections, seconds: s,
      }),
  }
  type PhaseName = keyof typeof phases

  // A light warm-up (one client at a time), so "idle" is a server that has served pages, not one that
  // has just been load-tested. Idle is read before the warm-up's sign-ins: memory a hash leaves behind
  // is counted against the burst limit below, and shown after the sign-ins.
  log('warming up')
  for (let i = 0; i < 100; i++) {
    await returning.get('/inloggen')
    await inFlow.get('/inloggen/app-code')
    await new Visitor(port, origin).get('/inloggen')
  }
  await sleep(2000)
  const rssIdle = memoryMB(portal.pid).rss
  for (let i = 0; i < 12; i++) await signInBurst(port, portal.pid, origin, [take()], 1, 10)
  await sleep(2000)
  const rssAfterWarmSignIns = memoryMB(portal.pid).rss

  // Sign-ins and raw argon2id verifications at the same time, on the same core: whatever else the
  // machine does in those seconds, it does to both sides of the ratio.
  const signIns: SignInResult[] = []
  const argon: RawArgon2[] = []
  let peakRss = 0
  for (let r = 0; r < Math.max(2, rounds - 1); r++) {
    log(`sign-in round ${r + 1}`)
    resetPeak(portal.pid)
    const [burst, raw] = await Promise.all([
      signInBurst(port, portal.pid, origin, patients.slice(next, next + 1000), signInClients, seconds * 2),
      rawArgon2(seconds * 2),
    ])
    next += burst.requests + burst.unexpected + signInClients
    signIns.push(burst)
    argon.push(raw)
    peakRss = Math.max(peakRss, burst.peakRssMB)
  }
  const rssAfterSignIns = memoryMB(portal.pid).rss

  // Each phase alone (throughput, latency), then each phase beside the bare route at the same time
  // (the ratio: both servers share the core and whatever else runs in those seconds).
  for (const warm of Object.values(phases)) await warm(1)
  const results = Object.fromEntries(Object.keys(phases).map((k) => [k, [] as LoadResult[]])) as Record<PhaseName, LoadResult[]>
  const paired = Object.fromEntries(Object.keys(phases).map((k) => [k, [] as Pair[]])) as Record<PhaseName, Pair[]>
  for (let r = 0; r < rounds; r++) {
    log(`page round ${r + 1} of ${rounds}`)
    for (const [name, measure] of Object.entries(phases) as [PhaseName, (s?: number) => Promise<LoadResult>][]) {
      results[name].push(await measure())
      if (name === 'bare') continue
      const [bare, phase] = await Promise.all([phases.bare(), measure()])
      paired[name].push({ bare, phase })
    }
  }
  const rssAfterLoad = memoryMB(portal.pid).rss
  const portalCpu = cpuSeconds(portal.pid)

  log('walking every screen')
  const weights: Weights = await walkScreens(config, port, inviteLinks)

  await stopAll()
  const rowsAfter = rowCounts(config)
  // The sweeper as the server's timer would run it: now, and as it would find the tables a day later.
  const sweeps: { when: string; removed: Record<string, number>; rows: Record<string, number> }[] = []
  for (const [when, aheadMs] of [['now', 0], ['25 hours later', 25 * 3_600_000]] as const) {
    const runtime = createRuntime(config, { clock: { now: () => new Date(Date.now() + aheadMs) }, log: () => {} })
    const removed = sweepExpired(runtime.deps)
    await runtime.close()
    sweeps.push({ when, removed: { ...removed }, rows: rowCounts(config) })
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
    paired,
    signIns,
    argon,
    coldStart: {
      built: builtStarts.map((s) => ({ wall: s.coldStartMs, cpu: s.coldStartCpuMs })),
      tsx: tsxStarts.map((s) => ({ wall: s.coldStartMs, cpu: s.coldStartCpuMs })),
      bare: { wall: baselines.bare.coldStartMs, cpu: baselines.bare.coldStartCpuMs },
    },
    memory: { builtIdle, cold: rssCold, idle: rssIdle, afterWarmSignIns: rssAfterWarmSignIns, peakDuringSignIns: peakRss, afterSignIns: rssAfterSignIns, afterLoad: rssAfterLoad },
    portalCpuSeconds: portalCpu,
    weights,
    rows: { before: rowsBefore, after: rowsAfter, sweeps },
    durationSeconds: (performance.now() - began) / 1000,
  }
  const { table, markdown } = report(bench)
  console.log(table)
  writeFileSync(out, markdown)
  log(`wrote ${out}`)
} finally {
  await stopAll()
  rmSync(dir, { recursive: true, force: true })
  clearTimeout(watchdog)
}

interface RawArgon2 {
  verifications: number
  cpuSeconds: number
  concurrency: number
  perSecond: number
  perCpuSecond: number
}

/** Raw argon2id verifications in a child process pinned to the server core (bench/argon2-raw.ts). */
async function rawArgon2(secs: number): Promise<RawArgon2> {
  // As many verifications at once as the portal allows itself.
  const args = ['--import', 'tsx', join(root, 'bench', 'argon2-raw.ts'), String(secs), String(hashSlots)]
  const command = hasTaskset ? 'taskset' : process.execPath
  const argv = hasTaskset ? ['-c', String(serverCore), process.execPath, ...args] : args
  const { stdout } = await run(command, argv, { cwd: root, encoding: 'utf8', timeout: 120_000 })
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as { verifications: number; wallSeconds: number; cpuSeconds: number; concurrency: number }
  return { verifications: r.verifications, cpuSeconds: r.cpuSeconds, concurrency: r.concurrency, perSecond: r.verifications / r.wallSeconds, perCpuSecond: r.verifications / r.cpuSeconds }
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()
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
