// Turns one bench run into the console table and docs/benchmarks.md: the machine, the figures, the
// targets of issue 10 (each a ratio or a limit from this run, with pass or fail), and the portals run
// beside this one (BENCH_COMPARE: another commit; BENCH_LOG_OFF: the request log off).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LoadResult, SignInResult } from './lib/load.ts'
import type { Weights } from './lib/screens.ts'
import { wrapped } from './engines-report.ts'

/** A portal (or stack) phase and the bare route, run at the same time on the same core. */
export interface Pair {
  bare: LoadResult
  phase: LoadResult
}

/** A phase against a portal. */
export type PortalPhase = 'startFirst' | 'startAgain' | 'flowPage' | 'usernamePost'

/** A portal run beside this commit's, in the same rounds, its phases beside the bare route only. */
export interface Other {
  key: 'logOff' | 'old'
  label: string
  paired: Record<PortalPhase, Pair[]>
  signIns: SignInResult[]
  argon: Bench['argon']
  oidcSignIns: SignInResult[]
  oidcArgon: Bench['argon']
  rowsAfterLoad: Record<string, number>
  firstVisits: number
  rssAfterLoad: number
  logBytes: number
  /** BENCH_COMPARE: its build (its own scripts/build.mjs) and its one cold start. */
  build?: { buildMs: number; coldStartMs: number; commit: string }
}

export interface Bench {
  date: Date
  commit: string
  dirty: boolean
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; os: string; load: string; pinning: string }
  settings: { rounds: number; seconds: number; connections: number; patients: number; signInClients: number; hashSlots: number; argon2: { memoryKiB: number; iterations: number } }
  results: Record<Phase, LoadResult[]>
  paired: Record<PortalPhase, Pair[]>
  signIns: SignInResult[]
  /** Raw verifications, as many at once as the portal allows itself on the server core (`concurrency`). */
  argon: { perCpuSecond: number; perSecond: number; verifications: number; cpuSeconds: number; concurrency: number }[]
  /** Complete OpenID Connect sign-ins (issue 13), each beside its own raw argon2id run. */
  oidcSignIns: SignInResult[]
  oidcArgon: Bench['argon']
  coldStart: { buildMs: number; built: { wall: number; cpu: number }[]; tsx: { wall: number; cpu: number }[]; bare: { wall: number; cpu: number } }
  memory: { builtIdle: number[]; cold: number; idle: number; afterWarmSignIns: number; peakDuringSignIns: number; afterSignIns: number; afterLoad: number }
  portalCpuSeconds: number
  /** What the portal's request log wrote to its file over the run (all starts), and its lines. */
  requestLog: { bytes: number; lines: number }
  /** Messages the local mail and SMS sinks received. */
  mail: number
  weights: Weights
  rows: {
    before: Record<string, number>
    /** After the load phases, before the screen walk: what `others` are compared with. */
    afterLoad: Record<string, number>
    after: Record<string, number>
    sweeps: { when: string; removed: Record<string, number>; rows: Record<string, number> }[]
    firstVisits: number
  }
  others: Other[]
  durationSeconds: number
}

type Phase = 'bare' | PortalPhase

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a')
/** Per-round ratios a/b, paired by round: both sides saw the same minute of the machine. */
const ratios = (a: number[], b: number[]) => a.map((x, i) => x / b[i]!)
const range = (xs: number[], digits = 2) => `${fmt(Math.min(...xs), digits)}-${fmt(Math.max(...xs), digits)}`

/** The analysis that goes with the figures: why a target is missed, what was fixed, with the effect measured. */
const findings = () => readFileSync(join(import.meta.dirname, 'findings.md'), 'utf8')
/** The engines section (issue 21), from its own run (npm run bench:engines), kept when this page is regenerated. */
const engines = () => {
  const file = join(import.meta.dirname, 'engines.md')
  return existsSync(file) ? `${wrapped(readFileSync(file, 'utf8'))}\n` : ''
}

const htmlLimit = 15 * 1024
const cssLimit = 10 * 1024

export function report(b: Bench): { table: string; markdown: string } {
  const perCpu = (name: keyof Bench['results']) => b.results[name].map((r) => r.perCpuSecond)
  const pairRatios = (name: Phase) => (name === 'bare' ? [] : b.paired[name]).map((p) => p.phase.perCpuSecond / p.bare.perCpuSecond)
  const flowRatios = pairRatios('flowPage')
  const startRatios = pairRatios('startFirst')
  const signInRatios = ratios(
    b.signIns.map((s) => s.perCpuSecond),
    b.argon.map((a) => a.perCpuSecond),
  )
  const oidcRatios = ratios(
    b.oidcSignIns.map((s) => s.perCpuSecond),
    b.oidcArgon.map((a) => a.perCpuSecond),
  )
  const pageGets = ['startFirst', 'startAgain', 'flowPage'] as const
  const p99s = pageGets.map((name) => ({ name: b.results[name][0]!.name, p99: median(b.results[name].map((r) => r.p99)) }))
  const worstP99 = p99s.reduce((a, c) => (c.p99 > a.p99 ? c : a))
  const builtCold = median(b.coldStart.built.map((s) => s.wall))
  const builtIdle = median(b.memory.builtIdle)
  // The portal hashes at most hashSlots passwords at once; the raw child verifies as many at once.
  const hashes = Math.min(b.settings.signInClients, b.settings.hashSlots)
  const hashMB = (hashes * b.settings.argon2.memoryKiB) / 1024
  const burstLimit = b.memory.idle + hashMB + 20
  const screens = b.weights.screens
  const heaviest = screens.reduce((a, c) => (c.bytes > a.bytes ? c : a), screens[0] ?? { name: 'none', bytes: 0 })
  const withScripts = screens.filter((s) => s.scripts > 0)
  const requestsPer = (s: (typeof screens)[number]) => 1 + new Set(s.subresources).size
  const tooManyRequests = screens.filter((s) => requestsPer(s) > 2 || s.subresources.some((r) => !r.includes('.css')))
  const cssCacheable = /immutable|max-age=\d{6,}/.test(b.weights.stylesheet.cacheControl)

  const targets: { what: string; target: string; measured: string; pass: boolean }[] = [
    { what: 'Sign-in page (GET /inloggen, first visit) per CPU-s / bare Fastify per CPU-s', target: '>= 0.20', measured: `${fmt(median(startRatios), 3)} (rounds ${range(startRatios, 3)})`, pass: median(startRatios) >= 0.2 },
    { what: 'Flow page (GET /inloggen/app-code) per CPU-s / bare Fastify per CPU-s', target: '>= 0.20', measured: `${fmt(median(flowRatios), 3)} (rounds ${range(flowRatios, 3)})`, pass: median(flowRatios) >= 0.2 },
    { what: 'Complete sign-ins per CPU-s / raw argon2id verifications per CPU-s', target: '>= 0.75', measured: `${fmt(median(signInRatios), 3)} (rounds ${range(signInRatios, 3)})`, pass: median(signInRatios) >= 0.75 },
    { what: `p99 of page GETs, ${b.settings.connections} concurrent clients (worst: ${worstP99.name})`, target: '< 25 ms', measured: `${fmt(worstP99.p99)} ms`, pass: worstP99.p99 < 25 },
    { what: `Cold start to first answer, npm start of the bundle built at install (node dist/server.js, median of ${b.coldStart.built.length})`, target: '< 500 ms', measured: `${fmt(builtCold)} ms (CPU ${fmt(median(b.coldStart.built.map((s) => s.cpu)))} ms)`, pass: builtCold < 500 },
    { what: 'Idle RSS, 1 s after start', target: '< 100 MB', measured: `${fmt(builtIdle, 1)} MB`, pass: builtIdle < 100 },
    { what: 'Idle RSS after serving 300 pages', target: '< 100 MB', measured: `${fmt(b.memory.idle, 1)} MB`, pass: b.memory.idle < 100 },
    {
      what: `Peak RSS in sign-in bursts (${b.settings.signInClients} clients, at most ${hashes} hashes at once)`,
      target: `<= idle + ${hashes} x ${fmt(b.settings.argon2.memoryKiB / 1024, 0)} MB + 20 MB = ${fmt(burstLimit)} MB`,
      measured: `${fmt(b.memory.peakDuringSignIns, 1)} MB`,
      pass: b.memory.peakDuringSignIns <= burstLimit,
    },
    { what: `Heaviest page HTML (${heaviest.name})`, target: '< 15 KB', measured: `${fmt(heaviest.bytes)} bytes`, pass: heaviest.bytes < htmlLimit },
    { what: 'Stylesheet', target: '< 10 KB, cacheable', measured: `${fmt(b.weights.stylesheet.bytes)} bytes, ${b.weights.stylesheet.cacheControl || 'no cache-control'}`, pass: b.weights.stylesheet.bytes < cssLimit && cssCacheable },
    { what: 'Scripts on any page', target: '0', measured: withScripts.length ? withScripts.map((s) => s.name).join(', ') : '0', pass: withScripts.length === 0 },
    { what: 'Requests per page (HTML + stylesheet; QR inline)', target: '<= 2', measured: `max ${Math.max(...screens.map(requestsPer))}${tooManyRequests.length ? `: ${tooManyRequests.map((s) => s.name).join(', ')}` : ''}`, pass: tooManyRequests.length === 0 },
  ]
  const passCount = targets.filter((t) => t.pass).length
  // Issue 13's figure: reported beside the portal sign-in, with no target of its own.
  const oidcRow = {
    what: 'Complete OIDC sign-ins (authorize, forms, token, userinfo) per CPU-s / raw argon2id verifications per CPU-s',
    target: 'none (issue 13: beside the portal sign-in)',
    measured: b.oidcSignIns.length ? `${fmt(median(oidcRatios), 3)} (rounds ${range(oidcRatios, 3)})` : 'not run',
  }
  const targetRows = [
    ...targets.slice(0, 3).map((t) => [t.what, t.target, t.measured, t.pass ? 'PASS' : '**FAIL**']),
    [oidcRow.what, oidcRow.target, oidcRow.measured, 'reported'],
    ...targets.slice(3).map((t) => [t.what, t.target, t.measured, t.pass ? 'PASS' : '**FAIL**']),
  ]

  const loadRows: string[][] = []
  const phaseOrder: (keyof Bench['results'])[] = ['bare', 'startFirst', 'startAgain', 'flowPage', 'usernamePost']
  const bareMedian = median(perCpu('bare'))
  for (const name of phaseOrder) {
    const rs = b.results[name]
    const rel = pairRatios(name)
    loadRows.push([
      rs[0]!.name,
      fmt(median(rs.map((r) => r.perSecond))),
      fmt(median(rs.map((r) => r.perCpuSecond))),
      name === 'bare' ? '1' : `${fmt(median(rel), 3)} (${range(rel, 2)})`,
      fmt(1e6 / median(rs.map((r) => r.perCpuSecond))),
      fmt(median(rs.map((r) => r.p50))),
      fmt(median(rs.map((r) => r.p99))),
      String([...rs, ...(name === 'bare' ? [] : b.paired[name]).flatMap((p) => [p.phase, p.bare])].reduce((a, r) => a + r.unexpected, 0)),
    ])
  }
  const signInRow = [
    'complete sign-in (7 requests, 1 argon2id verify)',
    fmt(median(b.signIns.map((s) => s.perSecond)), 1),
    fmt(median(b.signIns.map((s) => s.perCpuSecond)), 1),
    `${fmt(median(signInRatios), 3)} of argon2id`,
    fmt(1e6 / median(b.signIns.map((s) => s.perCpuSecond))),
    fmt(median(b.signIns.map((s) => s.p50))),
    fmt(median(b.signIns.map((s) => s.p99))),
    String(b.signIns.reduce((a, s) => a + s.unexpected, 0)),
  ]
  const oidcSignInRow = [
    'complete OIDC sign-in (12 requests, 1 argon2id verify)',
    fmt(median(b.oidcSignIns.map((s) => s.perSecond)), 1),
    fmt(median(b.oidcSignIns.map((s) => s.perCpuSecond)), 1),
    `${fmt(median(oidcRatios), 3)} of argon2id`,
    fmt(1e6 / median(b.oidcSignIns.map((s) => s.perCpuSecond))),
    fmt(median(b.oidcSignIns.map((s) => s.p50))),
    fmt(median(b.oidcSignIns.map((s) => s.p99))),
    String(b.oidcSignIns.reduce((a, s) => a + s.unexpected, 0)),
  ]
  const argonRow = [
    `raw argon2id verify (m=${b.settings.argon2.memoryKiB} KiB, t=${b.settings.argon2.iterations}, p=1)`,
    fmt(median(b.argon.map((a) => a.perSecond)), 1),
    fmt(median(b.argon.map((a) => a.perCpuSecond)), 1),
    '1',
    fmt(1e6 / median(b.argon.map((a) => a.perCpuSecond))),
    '',
    '',
    '0',
  ]
  const loadHeader = ['what', 'req/s', 'req/CPU-s', 'per CPU-s vs bare, same time', 'CPU us/req', 'p50 ms', 'p99 ms', 'unexpected']
  const allLoad = [...loadRows, signInRow, ...(b.oidcSignIns.length ? [oidcSignInRow] : []), argonRow]

  const rowsTable = (() => {
    const tables = Object.keys(b.rows.before)
    const header = ['table', 'before load', 'after the load phases', 'after the screen walk', ...b.rows.sweeps.map((s) => `after sweep (${s.when})`)]
    return md(header, tables.map((t) => [t, fmt(b.rows.before[t]!), fmt(b.rows.afterLoad[t]!), fmt(b.rows.after[t]!), ...b.rows.sweeps.map((s) => fmt(s.rows[t]!))]))
  })()
  const old = b.others.find((o) => o.key === 'old')
  const logOff = b.others.find((o) => o.key === 'logOff')
  const self: Side = { label: 'this commit', paired: b.paired, signIns: b.signIns, argon: b.argon, oidcSignIns: b.oidcSignIns, oidcArgon: b.oidcArgon }
  const comparison = old ? compareSection(self, old, b) : ''
  const logSection = logOff ? logOffSection(self, logOff, b) : ''
  const compareLines = b.others.map((o) => {
    const c = compareRows(self, o).filter((r) => r.key === 'startFirst' || r.key === 'flowPage' || r.key === 'signIn')
    return `${o.key === 'old' ? `old layer (${o.build?.commit ?? '?'})` : 'log off'}: ${c.map((r) => `${r.short} ${fmt(r.b.ratio, 3)} vs ${fmt(r.a.ratio, 3)} here`).join('; ')}`
  })
  const table = [
    `Mijn Therapie Dossier bench, ${b.date.toISOString()}, commit ${b.commit}${b.dirty ? ' (uncommitted changes)' : ''}`,
    `${b.machine.cpu}, ${b.machine.cores} cores, node ${b.machine.node}, load ${b.machine.load}; ${b.machine.pinning}`,
    '',
    text(loadHeader, allLoad),
    '',
    text(['target', 'limit', 'measured', ''], targetRows.map((r) => r.map((c) => c.replace(/\*\*/g, '')))),
    '',
    `${passCount} of ${targets.length} targets met; bare Fastify ${fmt(bareMedian)} req/CPU-s; run took ${fmt(b.durationSeconds)} s`,
    ...compareLines,
  ].join('\n')

  const totalSignIns = [...b.signIns, ...b.oidcSignIns].reduce((a, s) => a + s.requests, 0)

  const markdown = `# Benchmarks

Generated by \`npm run bench\` (bench/run.ts); rerun it to refresh this page. The portal runs as an
operator runs it: the bundle \`npm start\` runs (built at install, as \`npm ci\` does), \`NODE_ENV=production\` with
the request log on (written to a log file: ${fmt(b.requestLog.lines)} lines, ${fmt(b.requestLog.bytes / 2 ** 20, 1)} MB in this run), an https
\`PUBLIC_URL\` (https://portal.bench.test) behind a TLS proxy, which the bench's clients stand in for by
sending \`X-Forwarded-Proto: https\` and that origin (\`TRUST_PROXY=true\`), \`SECRET_KEY\` set, the dev outbox
off, mail and SMS delivered to a local SMTP server and SMS webhook on 127.0.0.1 (${b.mail} messages), from which
the screen walk reads its codes and links. Every throughput figure
is counted per second of the server's own CPU time (utime + stime from \`/proc/<pid>/stat\`), and every
target is a ratio or a limit from this one run. For each ratio both sides run *at the same time* on the
same pinned core (the portal phase beside the bare route; sign-ins beside raw argon2id verifications),
in ${b.settings.rounds} rounds of ${b.settings.seconds} s, and the median of the per-round ratios counts:
whatever else the machine does in those seconds, it does to both sides. Requests per second, p50 and p99
come from each phase running alone.

- Date: ${b.date.toISOString()}
- Commit: \`${b.commit}\`${b.dirty ? ' with uncommitted changes in the work tree' : ''}
- Machine: ${b.machine.cpu}, ${b.machine.cores} cores, ${fmt(b.machine.memoryGiB, 0)} GiB, ${b.machine.os}, Node ${b.machine.node}
- Load average at the end of the run: ${b.machine.load} (other work on the same cores inflates wall-clock figures: latency, cold start)
- Pinning: ${b.machine.pinning}
- Load: autocannon, ${b.settings.connections} connections, 127.0.0.1 only; ${b.settings.patients} prepared patients; sign-ins by ${b.settings.signInClients} concurrent clients, each account once (a TOTP code counts once)
- Run time: ${fmt(b.durationSeconds)} s

## Targets (issue 10: performance, re-based)

${md(['target', 'limit', 'measured', 'result'], targetRows)}

${passCount} of ${targets.length} targets met. The OIDC sign-in row has no target of its own (issue 13 asks for it beside
the portal sign-in); it runs like the sign-in row, beside raw argon2id in the same seconds, with new accounts.
${comparison}${logSection}
## Throughput and latency

${md(loadHeader, allLoad)}

- *bare Fastify route*: a fixed small HTML page, no plugins: the ceiling of the stack.
- *complete sign-in*: GET /inloggen, POST username, GET password page, POST password (argon2id, answered with
  a 303 to the app-code step), GET app-code page, POST TOTP code, GET home: what a browser does, each response checked.
- *complete OIDC sign-in* (bench/lib/oidc.ts): an app registered as the CLI registers one (first party,
  client_secret_basic), built with openid-client, sends the browser to GET /oidc/auth (PKCE S256, state,
  nonce); the browser follows /interaction/:uid to the sign-in, walks the same five sign-in requests (no home
  page), GET /interaction/:uid/verder, and its meta refresh to the resume, which answers with the code; the
  app redeems it at POST /oidc/token (checking the id_token's claims) and calls GET /oidc/me: 12 requests to
  the portal, each answer checked. openid-client's discovery runs once; its own work runs on the load
  generator's core, not the server's.
- CPU us/req is 1,000,000 / (req/CPU-s): the server's CPU per request, all threads included.

## Memory

| what | RSS |
| --- | --- |
| npm start (the bundle), 1 s after start (${b.memory.builtIdle.length} starts) | ${b.memory.builtIdle.map((x) => `${fmt(x, 1)} MB`).join(', ')} |
| the portal under load, 1 s after start | ${fmt(b.memory.cold, 1)} MB |
| idle after serving 300 pages | ${fmt(b.memory.idle, 1)} MB |
| after 12 sign-ins, one at a time | ${fmt(b.memory.afterWarmSignIns, 1)} MB |
| peak during sign-in bursts (VmHWM and 50 ms samples) | ${fmt(b.memory.peakDuringSignIns, 1)} MB |
| after the sign-in bursts | ${fmt(b.memory.afterSignIns, 1)} MB |
| after all load | ${fmt(b.memory.afterLoad, 1)} MB |

At most ${hashes} argon2id computation${hashes === 1 ? '' : 's'} at once: the portal allows one per core it may
run on (src/domain/passwords.ts), each holding ${fmt(b.settings.argon2.memoryKiB / 1024, 0)} MB while it runs. The hash runs on one of
libuv's 4 pool threads; by default glibc gives each thread its own malloc arena and keeps a freed hash
buffer there, so RSS after sign-ins stayed up to 4 x ${fmt(b.settings.argon2.memoryKiB / 1024, 0)} MB above idle (150 MB against 69 MB idle).
\`npm start\` sets \`MALLOC_ARENA_MAX=1\`: one arena, the buffer is reused, and the same run stays at 91-95 MB
with no fewer sign-ins per CPU-second (two runs each; README).

## Cold start

| how | wall ms to first answer | CPU ms by then |
| --- | --- | --- |
${b.coldStart.built.map((s, i) => `| npm start (node dist/server.js), start ${i + 1} | ${fmt(s.wall)} | ${fmt(s.cpu)} |`).join('\n')}
| the build (scripts/build.mjs, at install), once, for scale | ${fmt(b.coldStart.buildMs)} | |
${b.coldStart.tsx.map((s, i) => `| npm run dev (node --import tsx src/server.ts), for scale, start ${i + 1} | ${fmt(s.wall)} | ${fmt(s.cpu)} |`).join('\n')}
| bare Fastify (tsx), for scale | ${fmt(b.coldStart.bare.wall)} | ${fmt(b.coldStart.bare.cpu)} |

## Page weight

Measured from the HTML each response carried over HTTP, ${screens.length} screens.
Requests = the HTML plus every distinct stylesheet, image, script, frame or font it would fetch (data: URIs are inline).

${md(
  ['screen', 'path', 'status', 'HTML bytes', 'scripts', 'requests'],
  screens.map((s) => [s.name, `\`${s.path.replace(/\/(uitnodiging|verder)\/[^/?]+/, '/$1/<token>')}\``, String(s.status), fmt(s.bytes), String(s.scripts), String(requestsPer(s))]),
)}

Stylesheet \`${b.weights.stylesheet.path}\`: ${fmt(b.weights.stylesheet.bytes)} bytes, \`cache-control: ${b.weights.stylesheet.cacheControl}\`.
${b.weights.missed.length ? `\nNot reached in this run:\n\n${b.weights.missed.map((m) => `- ${m}`).join('\n')}\n` : ''}
## Tables under load

Row counts of the bench database: after preparing the patients, after the load phases (${totalSignIns} measured
sign-ins, OIDC ones included, plus warm-up, ${fmt(b.rows.firstVisits)} first visits, one browser typing usernames), after the screen walk, and after
\`sweepExpired\` (src/domain/sweep.ts) ran, first at the time of the run, then with its clock 25 hours on.

${rowsTable}

${b.rows.sweeps.map((s) => `Removed by the sweep (${s.when}): ${Object.entries(s.removed).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}.`).join('\n')}
`
  return { table, markdown: `${markdown}\n${engines()}${findings()}` }
}

/** One portal's paired phases and sign-ins. */
interface Side {
  label: string
  paired: Record<PortalPhase, Pair[]>
  signIns: SignInResult[]
  argon: Bench['argon']
  oidcSignIns: SignInResult[]
  oidcArgon: Bench['argon']
}

interface Measure {
  /** Answers with another status than expected (the phase's own), plus failed sign-ins. */
  unexpected: number
  /** CPU us per request (per sign-in for 'signIn'), median of the rounds beside the bare route. */
  us: number
  /** Per CPU-second against the bare route (raw argon2id for 'signIn') at the same time, median. */
  ratio: number
  ratios: number[]
}

type Row = PortalPhase | 'signIn' | 'oidcSignIn'

const phaseLabels: Record<Row, [string, string]> = {
  startFirst: ['sign-in page: GET /inloggen, first visit', 'sign-in page'],
  startAgain: ["GET /inloggen, reload with the first visit's cookies", 'reload'],
  flowPage: ['flow page: GET /inloggen/app-code in a sign-in', 'flow page'],
  usernamePost: ['POST /inloggen (username; writes the session)', 'POST username'],
  signIn: ['complete sign-in (7 requests, 1 argon2id; per sign-in)', 'sign-in'],
  oidcSignIn: ['complete OIDC sign-in (12 requests, 1 argon2id; per sign-in)', 'OIDC sign-in'],
}

function measure(side: Side, key: Row): Measure {
  if (key === 'signIn' || key === 'oidcSignIn') {
    const [signIns, argon] = key === 'signIn' ? [side.signIns, side.argon] : [side.oidcSignIns, side.oidcArgon]
    const ratios = signIns.map((s, i) => s.perCpuSecond / argon[i]!.perCpuSecond)
    return { us: 1e6 / median(signIns.map((s) => s.perCpuSecond)), ratio: median(ratios), ratios, unexpected: signIns.reduce((a, s) => a + s.unexpected, 0) }
  }
  const pairs = side.paired[key]
  const ratios = pairs.map((p) => p.phase.perCpuSecond / p.bare.perCpuSecond)
  return { us: 1e6 / median(pairs.map((p) => p.phase.perCpuSecond)), ratio: median(ratios), ratios, unexpected: pairs.reduce((a, p) => a + p.phase.unexpected, 0) }
}

function compareRows(a: Side, o: Side): { key: Row; name: string; short: string; a: Measure; b: Measure }[] {
  const keys: Row[] = ['startFirst', 'startAgain', 'flowPage', 'usernamePost', 'signIn']
  // The OIDC row where both portals have the provider (another commit may predate it).
  if (a.oidcSignIns.length && o.oidcSignIns.length) keys.push('oidcSignIn')
  return keys.map((key) => ({
    key,
    name: phaseLabels[key][0],
    short: phaseLabels[key][1],
    a: measure(a, key),
    b: measure(o, key),
  }))
}

const usCell = (m: Measure, key: string) => (key === 'signIn' || key === 'oidcSignIn' ? `${fmt(m.us / 1000, 1)} ms` : `${fmt(m.us)} us`)
const ratioCell = (m: Measure) => `${fmt(m.ratio, 3)} (${range(m.ratios, 2)})`

function compareSection(self: Side, old: Other, b: Bench): string {
  const rows = compareRows(self, old)
  const tables = ['sessions', 'throttles', 'audit_log']
  return `
## The named plugins against the previous layer

This commit (@fastify/session, @fastify/cookie, @fastify/csrf-protection, @fastify/view; decision 0010)
against ${old.label}: the hand-written session, cookie, CSRF and render layer of decision 0007. Both ran
in this same bench run, in the same rounds, the same way (the bundle each commit's own
\`scripts/build.mjs\` builds, production, request log on to a file, behind the same pretend proxy), each
on a copy of the same prepared database, pinned to the same core, each phase beside the bare route at the
same time. CPU per request is the portal's CPU over the phase divided by the requests it answered
(all threads); the ratio is per CPU-second against the bare route in the same seconds (for sign-ins:
against raw argon2id verifications), median of ${b.settings.rounds} rounds (sign-ins ${b.signIns.length}), range in brackets. On a busy
machine the raw CPU per request moves with whatever else runs in each round; the ratio is the figure to compare.

${md(
  ['phase', 'CPU per request, plugins', 'CPU per request, previous layer', 'plugins cost', 'per CPU-s vs bare, plugins', 'per CPU-s vs bare, previous layer', 'unexpected (plugins / previous)'],
  rows.map((r) => [
    r.name,
    usCell(r.a, r.key),
    usCell(r.b, r.key),
    r.key === 'signIn' || r.key === 'oidcSignIn' ? `${r.a.us - r.b.us >= 0 ? '+' : ''}${fmt((r.a.us - r.b.us) / 1000, 1)} ms (${fmt((100 * (r.a.us - r.b.us)) / r.b.us, 0)}%)` : `${r.a.us - r.b.us >= 0 ? '+' : ''}${fmt(r.a.us - r.b.us)} us (${fmt((100 * (r.a.us - r.b.us)) / r.b.us, 0)}%)`,
    ratioCell(r.a),
    ratioCell(r.b),
    `${r.a.unexpected} / ${r.b.unexpected}`,
  ]),
)}

Rows after the load phases (before this commit's screen walk), each portal in its own copy of the
database: first visits answered ${fmt(b.rows.firstVisits)} (plugins) and ${fmt(old.firstVisits)} (previous layer).

${md(
  ['table', 'before load', 'after load, plugins', 'after load, previous layer'],
  tables.map((t) => [t, fmt(b.rows.before[t]!), fmt(b.rows.afterLoad[t]!), fmt(old.rowsAfterLoad[t]!)]),
)}

${rowsVerdict(b.rows.afterLoad.sessions!, b.rows.before.sessions!, [...b.signIns, ...b.oidcSignIns], b.rows.firstVisits, 'plugins')}
${rowsVerdict(old.rowsAfterLoad.sessions!, b.rows.before.sessions!, [...old.signIns, ...old.oidcSignIns], old.firstVisits, 'previous layer')}

${old.build ? `The previous layer's own build took ${fmt(old.build.buildMs)} ms and its one cold start ${fmt(old.build.coldStartMs)} ms (one start, next to ${fmt(median(b.coldStart.built.map((s) => s.wall)))} ms here, median of ${b.coldStart.built.length}); its RSS after the load ${fmt(old.rssAfterLoad, 1)} MB (here ${fmt(b.memory.afterLoad, 1)} MB).\n` : ''}`
}

/** Whether the sessions table grew with first visits, or only with what writes a session (sign-ins, the bench's few visitors in a flow). */
function rowsVerdict(after: number, before: number, signIns: SignInResult[], firstVisits: number, who: string): string {
  const completed = signIns.reduce((a, s) => a + s.requests + s.unexpected, 0)
  // Besides the measured sign-ins: 12 warm-up sign-ins, the visitors in a flow and the one typing usernames.
  const expected = completed + 12 + 8 * 3 + 4
  const grown = after - before
  return grown <= expected
    ? `- ${who}: ${fmt(grown)} new session rows for ${fmt(completed)} measured sign-ins (plus 12 warm-up sign-ins and a few bench visitors in a flow) and ${fmt(firstVisits)} first visits: a visitor who only looks wrote no row.`
    : `- ${who}: **${fmt(grown)} new session rows**, more than the ${fmt(expected)} that sign-ins and the bench's visitors in a flow account for (${fmt(firstVisits)} first visits): rows grow with visits.`
}

function logOffSection(self: Side, off: Other, b: Bench): string {
  const rows = compareRows(self, off)
  return `
## The request log: on (above) against off (labelled, not the figures of record)

The same bundle and settings with \`NODE_ENV=test\`, the only difference in src/ being that the logger is off
(src/server.ts), run in the same rounds beside the bare route. It shows what the request log costs; the
targets above count with the log on (compare the ratios: the raw CPU per request moves with the machine). This run's log: ${fmt(b.requestLog.lines)} lines, ${fmt(b.requestLog.bytes / 2 ** 20, 0)} MB (about ${fmt(b.requestLog.bytes / Math.max(1, b.requestLog.lines))} bytes a line, one line a request: src/app.ts).

${md(
  ['phase', 'CPU per request, log on', 'CPU per request, log off', 'the log costs', 'per CPU-s vs bare, log on', 'per CPU-s vs bare, log off'],
  rows.map((r) => [
    r.name,
    usCell(r.a, r.key),
    usCell(r.b, r.key),
    r.key === 'signIn' || r.key === 'oidcSignIn' ? `${fmt((r.a.us - r.b.us) / 1000, 1)} ms` : `${fmt(r.a.us - r.b.us)} us`,
    ratioCell(r.a),
    ratioCell(r.b),
  ]),
)}
`
}

function md(header: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|')
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n')
}

function text(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}
