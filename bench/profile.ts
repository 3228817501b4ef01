// npm run bench:profile -- <phase> [seconds] [ratio|latency]: one phase of the bench against the portal under
// `--cpu-prof`, then the V8 profile summed by package and by function (self time). For finding where
// a request's CPU goes; the figures of record come from `npm run bench`. With `ratio`, no profiler:
// three rounds of the phase beside the bare route at the same time, and the ratio per CPU-second
// (signin and oidc: beside raw argon2id verifications, as bench/run.ts, with the CPU per thread).
// With `latency`: the phase alone without the profiler, and its p50 and p99 (three rounds).
//   phases: flow (GET /inloggen/app-code in a flow), start (GET /inloggen, first visit),
//           again (GET /inloggen with a session), username (POST /inloggen), signin (complete sign-ins),
//           oidc (complete OpenID Connect sign-ins, bench/lib/oidc.ts)
// BENCH_KEEP_PROFILE=<file> keeps the profile; BENCH_PREWARM=1 runs 5 s of sign-ins before the phase.
//   cold: the bundle `npm start` runs, started [seconds] times (5): wall and CPU ms to the first answer,
//         and a V8 profile of one start summed the same way.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Visitor } from './lib/http.ts'
import { cannon, signInBurst } from './lib/load.ts'
import { benchConfig, benchEnv, benchPassword, benchPublicUrl, preparePatients } from './lib/prepare.ts'
import { connectApp, oidcSignIn, prepareOidcApp } from './lib/oidc.ts'
import { pinSelf, threadDelta, threadTimes } from './lib/proc.ts'
import { rawArgon2, type RawArgon2 } from './lib/argon2.ts'
import { buildPortal, freePort, startBare, startPortal } from './lib/servers.ts'

const phase = process.argv[2] ?? 'flow'
const seconds = Number(process.argv[3] ?? 5)
const ratio = process.argv[4] === 'ratio'
const latency = process.argv[4] === 'latency'
const root = join(import.meta.dirname, '..')
pinSelf()
const dir = mkdtempSync(join(tmpdir(), 'mtd-profile-'))
const profiles = join(dir, 'profiles')
try {
  const databasePath = join(dir, 'portal.db')
  const port = await freePort()
  const origin = benchPublicUrl
  // No phase here sends mail or SMS: both go to closed loopback ports.
  const delivery = { smtpUrl: `smtp://127.0.0.1:${await freePort()}`, smsUrl: `http://127.0.0.1:${await freePort()}/sms` }
  // Each account signs in once (its app code is spent): the sign-in phases take new ones every round.
  const patients = await preparePatients(benchConfig(databasePath, port, delivery), phase === 'signin' || phase === 'oidc' ? 1500 : 400)
  let nextPatient = 1
  const fresh = () => patients.slice(nextPatient, (nextPatient += 300))
  const benchApp = await prepareOidcApp(benchConfig(databasePath, port, delivery))
  if (phase === 'cold') {
    const built = buildPortal(root, join(dir, 'build'))
    if (!('entry' in built)) throw new Error(built.error)
    // The first start makes the OIDC keys, as on a new database: not counted, as in bench/run.ts.
    await (await startPortal(root, benchEnv(databasePath, port, delivery), port, join(dir, 'portal.log'), built.entry)).stop()
    const starts: { wall: number; cpu: number }[] = []
    for (let i = 0; i < seconds; i++) {
      const p = await startPortal(root, benchEnv(databasePath, port, delivery), port, join(dir, 'portal.log'), built.entry)
      starts.push({ wall: p.coldStartMs, cpu: p.coldStartCpuMs })
      await p.stop()
    }
    const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    console.log(`starts (wall/CPU ms): ${starts.map((s) => `${s.wall.toFixed(0)}/${s.cpu.toFixed(0)}`).join(', ')}; median ${mid(starts.map((s) => s.wall)).toFixed(0)} / ${mid(starts.map((s) => s.cpu)).toFixed(0)}`)
    process.env.BENCH_CPU_PROF = profiles
    await (await startPortal(root, benchEnv(databasePath, port, delivery), port, join(dir, 'portal.log'), built.entry)).stop()
    const file = readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profiles, f))[0]!
    summarise(JSON.parse(readFileSync(file, 'utf8')))
    process.exit(0)
  }
  // As bench/run.ts runs it: the bundle npm start runs, production, request log on (to a file), behind
  // the pretend TLS proxy.
  const built = buildPortal(root, join(dir, 'build'))
  if (!('entry' in built)) throw new Error(built.error)
  if (!ratio && !latency) process.env.BENCH_CPU_PROF = profiles
  const portal = await startPortal(root, benchEnv(databasePath, port, delivery), port, join(dir, 'portal.log'), built.entry)
  const visitor = new Visitor(port, origin)
  await visitor.get('/inloggen')
  if (phase === 'flow') {
    await visitor.post('/inloggen', { username: patients[0]!.username })
    await visitor.post('/inloggen/wachtwoord', { password: benchPassword })
  }
  if (phase === 'username') {
    // As bench/run.ts: one browser with a session row that each POST rewrites.
    await visitor.post('/inloggen', { username: 'gebruiker' })
    await visitor.get('/inloggen/wachtwoord')
  }
  let typed = 0
  const load: Record<string, () => Promise<unknown>> = {
    flow: () => cannon({ name: phase, port, pid: portal.pid, path: '/inloggen/app-code', headers: { cookie: visitor.cookieHeader }, expectStatus: 200, connections: 50, seconds }),
    start: () => cannon({ name: phase, port, pid: portal.pid, path: '/inloggen', expectStatus: 200, connections: 50, seconds }),
    again: () => cannon({ name: phase, port, pid: portal.pid, path: '/inloggen', headers: { cookie: visitor.cookieHeader }, expectStatus: 200, connections: 50, seconds }),
    username: () =>
      cannon({
        name: phase, port, pid: portal.pid, path: '/inloggen', method: 'POST', expectStatus: 303, connections: 50, seconds,
        headers: { cookie: visitor.cookieHeader, 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'same-origin' },
        body: () => `_csrf=${encodeURIComponent(visitor.csrf)}&username=gebruiker${typed++}`,
      }),
    signin: () => signInBurst(port, portal.pid, origin, fresh(), 8, seconds),
    oidc: async () => {
      const app = await connectApp(port, benchApp)
      return await signInBurst(port, portal.pid, origin, fresh(), 8, seconds, (p) => oidcSignIn(port, app, p), 'complete OIDC sign-ins')
    },
  }
  if (!load[phase]) throw new Error(`unknown phase ${phase}: ${Object.keys(load).join(', ')}`)
  // A portal that has served sign-ins before the phase, as the bench's has: a fresh one measures
  // page phases higher than bench/run.ts does (docs/benchmarks.md, findings).
  if (process.env.BENCH_PREWARM === '1') await signInBurst(port, portal.pid, origin, fresh(), 8, 5)
  if (ratio && (phase === 'signin' || phase === 'oidc')) {
    // As bench/run.ts: against raw argon2id verifications on the same core at the same time; and where
    // the portal's CPU went, per thread (the main thread, libuv's pool with argon2id, V8's helpers).
    await load[phase]()
    const ratios: number[] = []
    for (let r = 0; r < 3; r++) {
      const before = threadTimes(portal.pid)
      const [p, raw] = (await Promise.all([load[phase](), rawArgon2(seconds)])) as [{ perCpuSecond: number; requests: number }, RawArgon2]
      const threads = threadDelta(before, threadTimes(portal.pid))
      ratios.push(p.perCpuSecond / raw.perCpuSecond)
      const per = (x: number) => ((1000 * x) / p.requests).toFixed(2)
      console.log(`round ${r + 1}: raw argon2id ${raw.perCpuSecond.toFixed(1)}/CPU-s (${(1000 / raw.perCpuSecond).toFixed(1)} ms each), ${phase} ${p.perCpuSecond.toFixed(1)}/CPU-s, ratio ${ratios.at(-1)!.toFixed(3)}`)
      console.log(`  per ${phase === 'oidc' ? 'OIDC sign-in' : 'sign-in'} (${p.requests}), ms of CPU and page faults by thread: ${threads.filter((t) => t.cpu > 0).map((t) => `${t.tid === portal.pid ? 'main' : t.name} ${per(t.cpu)} ms / ${(t.faults / p.requests).toFixed(0)}`).join(', ')}`)
    }
    console.log(`median ratio ${ratios.sort((a, b) => a - b)[1]!.toFixed(3)}`)
    await portal.stop()
  } else if (ratio) {
    const bare = await startBare(root)
    const bareLoad = () => cannon({ name: 'bare', port: bare.port, pid: bare.pid, path: '/', expectStatus: 200, connections: 50, seconds })
    await Promise.all([bareLoad(), load[phase]()])
    const ratios: number[] = []
    for (let r = 0; r < 3; r++) {
      const [b, p] = (await Promise.all([bareLoad(), load[phase]()])) as { perCpuSecond: number }[]
      ratios.push(p!.perCpuSecond / b!.perCpuSecond)
      console.log(`round ${r + 1}: bare ${b!.perCpuSecond.toFixed(0)}/CPU-s, ${phase} ${p!.perCpuSecond.toFixed(0)}/CPU-s, ratio ${ratios.at(-1)!.toFixed(3)}`)
    }
    console.log(`median ratio ${ratios.sort((a, b) => a - b)[1]!.toFixed(3)}`)
    await bare.stop()
    await portal.stop()
  } else if (latency) {
    // As bench/run.ts measures latency: the phase alone, no profiler, three rounds after a first one.
    await load[phase]()
    for (let r = 0; r < 3; r++) {
      const result = (await load[phase]()) as { perSecond: number; p50: number; p99: number }
      console.log(`round ${r + 1}: ${result.perSecond.toFixed(0)}/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`)
    }
    await portal.stop()
  } else {
    const result = (await load[phase]()) as { perCpuSecond: number; perSecond: number; requests: number }
    await portal.stop()
    console.log(`${phase}: ${result.requests} in ${seconds} s, ${result.perSecond.toFixed(0)}/s, ${result.perCpuSecond.toFixed(0)}/CPU-s (all threads)`)
    const file = readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profiles, f)).sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]!
    summarise(JSON.parse(readFileSync(file, 'utf8')))
    if (process.env.BENCH_KEEP_PROFILE) writeFileSync(process.env.BENCH_KEEP_PROFILE, readFileSync(file))
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
  samples: number[]
  timeDeltas: number[]
}

function summarise(profile: Profile): void {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const byPackage = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let busy = 0
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame
    if (functionName === '(idle)') return
    const dt = profile.timeDeltas[i] ?? 0
    busy += dt
    const path = url.replace(/^file:\/\//, '')
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? (path.includes('/src/') ? `src/${path.split('/src/')[1]}` : path || functionName)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt)
    const fn = `${functionName || '(anonymous)'} ${path.split('/').slice(-2).join('/')}:${lineNumber}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt)
  })
  console.log(`main thread busy ${(busy / 1000).toFixed(0)} ms, startup included`)
  const show = (title: string, m: Map<string, number>, n: number) => {
    console.log(`\n${title} (share of busy time)`)
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${((100 * v) / busy).toFixed(1).padStart(5)}%  ${k}`)
  }
  show('by package', byPackage, 25)
  show('by function', byFunction, 40)
}
