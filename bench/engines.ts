// npm run bench:engines: what PostgreSQL costs per sign-in (issue 21, item 5), in one run beside SQLite.
// Written to bench/engines.md and into docs/benchmarks.md (between its engines markers).
//
// The portal runs as in `npm run bench` (bench/run.ts): the bundle, NODE_ENV=production, request log
// on to a file, https PUBLIC_URL behind the pretend TLS proxy, mail and SMS to local sinks. PostgreSQL
// is a throwaway server of the machine's own binaries (bench/lib/postgres.ts), default settings.
//
// 1. Per CPU-second, one portal process pinned to the server core, each burst beside raw argon2id
//    verifications on the same core at the same time (as run.ts does): complete sign-ins and complete
//    OIDC sign-ins on SQLite and on PostgreSQL, alternating in the same rounds. On PostgreSQL the
//    database server's own CPU (every process of the cluster, /proc) is counted apart and added.
// 2. Sign-ins per second with every core: one portal on SQLite, one on PostgreSQL, and two on the same
//    PostgreSQL database with every request going to the next process in turn (round-robin: one
//    browser's steps alternate between the processes). Portals and server unpinned (the kernel places
//    them); the load generator stays on its core.
// Each browser comes from its own address (X-Forwarded-For), as patients do from home; the last two
// setups of 2. repeat SQLite and the two PostgreSQL processes with every browser from one address.
//
// Environment: BENCH_ROUNDS (3), BENCH_SECONDS (3: each burst runs twice that), BENCH_PATIENTS per
// database (3000), BENCH_THROUGHPUT_CLIENTS (16), BENCH_ENGINES_OUT (bench/engines.md), BENCH_OUT
// (docs/benchmarks.md; BENCH_OUT=none leaves it alone), PG_BIN (the server binaries' folder),
// BENCH_KEEP=<dir> (the portals' and the server's logs copied there at the end).
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Configuration as OidcConfiguration } from 'openid-client'
import { rawArgon2 } from './lib/argon2.ts'
import { signIn, signInBurst, type SignInResult } from './lib/load.ts'
import { connectApp, oidcSignIn, prepareOidcApp } from './lib/oidc.ts'
import { startPostgres, type PgServer } from './lib/postgres.ts'
import { benchConfig, benchEnv, benchPublicUrl, homeAddress, preparePatients, type Patient } from './lib/prepare.ts'
import { allCores, clockTicks, cpuSeconds, hasTaskset, memoryMB, pinSelf } from './lib/proc.ts'
import { buildPortal, freePort, startPortal, type Running } from './lib/servers.ts'
import { startSinks, type Sinks } from './lib/sinks.ts'
import { engineSection, splice, type EngineRun } from './engines-report.ts'

const root = join(import.meta.dirname, '..')
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const seconds = Number(process.env.BENCH_SECONDS ?? 3)
const patientCount = Number(process.env.BENCH_PATIENTS ?? 3000)
const clients = 8
const throughputClients = Number(process.env.BENCH_THROUGHPUT_CLIENTS ?? 16)
const out = process.env.BENCH_ENGINES_OUT ?? join(root, 'bench', 'engines.md')
const docs = process.env.BENCH_OUT ?? join(root, 'docs', 'benchmarks.md')
const began = performance.now()
const log = (msg: string) => console.log(`[${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${msg}`)

const children: Running[] = []
let pgServer: PgServer | null = null
let sinks: Sinks | null = null
async function stopAll() {
  for (const c of children.splice(0)) await c.stop()
  // BENCH_KEEP=<dir>: PostgreSQL's log kept for a look at what went wrong (the portals' logs at the end).
  if (pgServer && process.env.BENCH_KEEP) {
    mkdirSync(process.env.BENCH_KEEP, { recursive: true })
    copyFileSync(pgServer.logFile, join(process.env.BENCH_KEEP, 'postgresql.log'))
  }
  pgServer?.stop()
  pgServer = null
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll().then(() => process.exit(130)))
const watchdog = setTimeout(() => {
  console.error('bench: over its time limit, stopping')
  void stopAll().then(() => process.exit(1))
}, 1_200_000)
watchdog.unref()

/** One engine's database: its prepared patients (each signs in once) and the bench's app in it. */
interface Engine {
  name: 'SQLite' | 'PostgreSQL'
  env: (port: number) => Record<string, string>
  patients: Patient[]
  next: number
  app: { id: string; secret: string }
}

/** Busy CPU seconds of the whole machine (all cores, every process), from /proc/stat; steal (the hypervisor's) not counted. */
function machineBusy(): number {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)
  const [user, nice, system, , , irq, softirq] = values.map(Number)
  return (user! + nice! + system! + irq! + softirq!) / clockTicks
}
const selfCpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')

const run: EngineRun = {
  date: new Date(),
  commit: git(['rev-parse', '--short', 'HEAD']),
  // The code measured: the pages this bench (or the one before it) writes do not count.
  dirty: git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs/benchmarks.md', ':!bench/engines.md', ':!bench/findings.md']) !== '',
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, postgres: '', loadStart: loadavg(), loadEnd: '' },
  settings: { rounds, seconds: seconds * 2, clients, throughputClients, patients: patientCount, pinned: hasTaskset && pinSelf() },
  starts: [],
  cpu: [],
  throughput: [],
  durationSeconds: 0,
}

const dir = mkdtempSync(join(tmpdir(), 'mtd-bench-engines-'))
try {
  sinks = await startSinks()
  const delivery = sinks
  log('starting a throwaway PostgreSQL server')
  pgServer = startPostgres(await freePort())
  const pg = pgServer
  run.machine.postgres = pg.version
  const sqlitePath = join(dir, 'portal.db')

  const engines: Engine[] = []
  for (const [name, databaseUrl] of [['SQLite', undefined], ['PostgreSQL', pg.url]] as const) {
    log(`preparing ${patientCount} patients on ${name}`)
    const t0 = performance.now()
    const opts = databaseUrl ? { databaseUrl } : {}
    const config = benchConfig(sqlitePath, await freePort(), delivery, opts)
    const patients = await preparePatients(config, patientCount)
    const app = await prepareOidcApp(config)
    log(`  ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    engines.push({ name, env: (port) => benchEnv(sqlitePath, port, delivery, opts), patients, next: 0, app })
  }
  const [sqlite, postgres] = engines as [Engine, Engine]

  log('building the portal as npm run build does')
  const built = buildPortal(root, join(dir, 'build'))
  if (!('entry' in built)) throw new Error(built.error)
  const entry = built.entry

  let portals = 0
  const start = async (engine: Engine, cores?: string): Promise<Running> => {
    const port = await freePort()
    const running = await startPortal(root, engine.env(port), port, join(dir, `portal-${++portals}.log`), entry, cores)
    children.push(running)
    run.starts.push({ engine: engine.name, wallMs: running.coldStartMs, cpuMs: running.coldStartCpuMs })
    return running
  }
  const stopPortal = async (p: Running) => {
    children.splice(children.indexOf(p), 1)
    await p.stop()
  }
  /** The next prepared patients of an engine, enough for a burst; the burst's use is booked after it. */
  const slice = (e: Engine) => e.patients.slice(e.next, e.next + 1500)
  const book = (e: Engine, r: SignInResult, burstClients: number) => {
    e.next += r.requests + r.unexpected + burstClients
    if (e.next >= e.patients.length) throw new Error(`${e.name}: out of prepared patients: raise BENCH_PATIENTS`)
  }
  const warm = async (e: Engine, p: Running, port: number | (() => number), oidc: OidcConfiguration | null) => {
    const r = await signInBurst(p.port, p.pid, benchPublicUrl, e.patients.slice(e.next, e.next + 12), 1, 20, (x) => signIn(port, benchPublicUrl, x, homeAddress(x)))
    book(e, r, 1)
    if (oidc) book(e, await signInBurst(p.port, p.pid, benchPublicUrl, e.patients.slice(e.next, e.next + 4), 1, 20, (x) => oidcSignIn(p.port, oidc, x, homeAddress(x))), 1)
    const failed = Object.keys(r.failures)
    if (failed.length) throw new Error(`${e.name}: warm-up sign-ins failed: ${failed.join(', ')}`)
  }

  // 1. Per CPU-second: one pinned portal per engine, both up for the whole phase.
  const pinned = new Map<Engine, { portal: Running; oidc: OidcConfiguration }>()
  for (const e of engines) {
    const portal = await start(e)
    log(`${e.name} portal up (pid ${portal.pid}, pinned) in ${portal.coldStartMs.toFixed(0)} ms`)
    const oidc = await connectApp(portal.port, e.app)
    await warm(e, portal, portal.port, oidc)
    pinned.set(e, { portal, oidc })
  }
  for (let r = 1; r <= rounds; r++) {
    for (const e of r % 2 ? [sqlite, postgres] : [postgres, sqlite]) {
      const { portal, oidc } = pinned.get(e)!
      for (const kind of ['sign-in', 'OIDC sign-in'] as const) {
        log(`round ${r}: ${e.name}, complete ${kind}s beside raw argon2id`)
        const walk = kind === 'sign-in' ? (x: Patient) => signIn(portal.port, benchPublicUrl, x, homeAddress(x)) : (x: Patient) => oidcSignIn(portal.port, oidc, x, homeAddress(x))
        const before = { db: pg.cpuSeconds(), machine: machineBusy(), self: selfCpu(), mark: pg.logMark(), at: performance.now() }
        const [burst, raw] = await Promise.all([signInBurst(portal.port, portal.pid, benchPublicUrl, slice(e), clients, seconds * 2, walk, kind), rawArgon2(seconds * 2)])
        book(e, burst, clients)
        run.cpu.push({
          engine: e.name, kind, round: r, burst, raw,
          dbCpu: e === postgres ? pg.cpuSeconds() - before.db : 0,
          machineCpu: machineBusy() - before.machine,
          intervalSeconds: (performance.now() - before.at) / 1000,
          generatorCpu: selfCpu() - before.self,
          dbErrors: pg.errors(before.mark),
          refusedStatements: pg.refusals(before.mark),
          load: loadavg(),
        })
      }
    }
  }
  const rssAfter = new Map([...pinned].map(([e, { portal }]) => [e.name, memoryMB(portal.pid).rss]))
  for (const { portal } of pinned.values()) await stopPortal(portal)

  // 2. Sign-ins per second with every core: the portals and the server where the kernel puts them.
  log('starting unpinned portals: SQLite, and two on PostgreSQL')
  const sqliteFree = await start(sqlite, allCores)
  const pgFree = [await start(postgres, allCores), await start(postgres, allCores)]
  await warm(sqlite, sqliteFree, sqliteFree.port, null)
  for (const p of pgFree) await warm(postgres, p, p.port, null)
  let turn = 0
  const roundRobin = () => pgFree[turn++ % pgFree.length]!.port
  // Every browser from its own address, as patients at home; and the same from one address for all
  // (an office behind one NAT, or a proxy that passes no X-Forwarded-For): one per-address guess counter
  // that every sign-in writes (src/domain/throttle.ts).
  const own = homeAddress
  const one = () => undefined
  const setups = [
    { label: 'SQLite, 1 process', engine: sqlite, portals: [sqliteFree], port: sqliteFree.port as number | (() => number), address: own },
    { label: 'PostgreSQL, 1 process', engine: postgres, portals: [pgFree[0]!], port: pgFree[0]!.port as number | (() => number), address: own },
    { label: 'PostgreSQL, 2 processes, round-robin per request', engine: postgres, portals: pgFree, port: roundRobin, address: own },
    { label: 'SQLite, 1 process, every browser from one address', engine: sqlite, portals: [sqliteFree], port: sqliteFree.port as number | (() => number), address: one },
    { label: 'PostgreSQL, 2 processes, round-robin, every browser from one address', engine: postgres, portals: pgFree, port: roundRobin, address: one },
  ]
  for (let r = 1; r <= rounds; r++) {
    // Each round in another order: no setup always follows the same one.
    for (let i = 0; i < setups.length; i++) {
      const s = setups[(i + r - 1) % setups.length]!
      log(`round ${r}: ${s.label}, ${throughputClients} clients`)
      const portalCpu = () => s.portals.reduce((a, p) => a + cpuSeconds(p.pid), 0)
      const before = { portal: portalCpu(), db: pg.cpuSeconds(), machine: machineBusy(), self: selfCpu(), mark: pg.logMark(), at: performance.now() }
      const burst = await signInBurst(s.portals[0]!.port, s.portals[0]!.pid, benchPublicUrl, slice(s.engine), throughputClients, seconds * 2, (x) => signIn(s.port, benchPublicUrl, x, s.address(x)))
      book(s.engine, burst, throughputClients)
      run.throughput.push({
        label: s.label, engine: s.engine.name, processes: s.portals.length, round: r, burst,
        portalCpu: portalCpu() - before.portal,
        dbCpu: s.engine === postgres ? pg.cpuSeconds() - before.db : 0,
        machineCpu: machineBusy() - before.machine,
          intervalSeconds: (performance.now() - before.at) / 1000,
        generatorCpu: selfCpu() - before.self,
        dbErrors: pg.errors(before.mark),
        refusedStatements: pg.refusals(before.mark),
        load: loadavg(),
      })
    }
  }
  await stopAll()
  run.machine.loadEnd = loadavg()
  run.durationSeconds = (performance.now() - began) / 1000
  run.rssAfterCpuPhase = Object.fromEntries(rssAfter)
  run.patientsUsed = { SQLite: sqlite.next, PostgreSQL: postgres.next }

  const section = engineSection(run)
  writeFileSync(out, section)
  log(`wrote ${out}`)
  if (docs !== 'none' && existsSync(docs)) {
    writeFileSync(docs, splice(readFileSync(docs, 'utf8'), section))
    log(`spliced into ${docs}`)
  }
  console.log(section)
} finally {
  await stopAll()
  const keep = process.env.BENCH_KEEP
  if (keep) for (const f of readdirSync(dir).filter((f) => f.endsWith('.log'))) copyFileSync(join(dir, f), join(keep, f))
  await sinks?.close()
  rmSync(dir, { recursive: true, force: true })
  clearTimeout(watchdog)
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

