// Turns one `npm run bench:engines` run (bench/engines.ts) into its section of docs/benchmarks.md:
// complete sign-ins and OIDC sign-ins per CPU-second on SQLite and PostgreSQL (the database server's CPU
// apart and added), sign-ins per second with one and two portal processes, and every burst's raw figures.
import type { RawArgon2 } from './lib/argon2.ts'
import type { SignInResult } from './lib/load.ts'

type EngineName = 'SQLite' | 'PostgreSQL'
type Kind = 'sign-in' | 'OIDC sign-in'

/** One burst of one kind against one pinned portal, beside raw argon2id on the same core. */
export interface CpuRow {
  engine: EngineName
  kind: Kind
  round: number
  burst: SignInResult
  raw: RawArgon2
  /** CPU seconds of the PostgreSQL cluster over the burst (0 on SQLite: the database is in the portal's process). */
  dbCpu: number
  /** Busy CPU seconds of the whole machine over the burst, every process (/proc/stat). */
  machineCpu: number
  /** Wall seconds over which machineCpu and generatorCpu were read (a burst with raw argon2id beside it includes that child's start). */
  intervalSeconds: number
  generatorCpu: number
  /** ERROR lines in PostgreSQL's log over the burst, by message. */
  dbErrors: Record<string, number>
  /** The refused statements over the burst, by verb and table. */
  refusedStatements: Record<string, number>
  load: string
}

/** One burst of complete sign-ins against one or two unpinned portals. */
export interface ThroughputRow {
  label: string
  engine: EngineName
  processes: number
  round: number
  burst: SignInResult
  portalCpu: number
  dbCpu: number
  machineCpu: number
  /** Wall seconds over which machineCpu and generatorCpu were read (a burst with raw argon2id beside it includes that child's start). */
  intervalSeconds: number
  generatorCpu: number
  dbErrors: Record<string, number>
  /** The refused statements over the burst, by verb and table. */
  refusedStatements: Record<string, number>
  load: string
}

export interface EngineRun {
  date: Date
  commit: string
  dirty: boolean
  machine: { cpu: string; cores: number; node: string; postgres: string; loadStart: string; loadEnd: string }
  settings: { rounds: number; seconds: number; clients: number; throughputClients: number; patients: number; pinned: boolean }
  starts: { engine: EngineName; wallMs: number; cpuMs: number }[]
  cpu: CpuRow[]
  throughput: ThroughputRow[]
  durationSeconds: number
  rssAfterCpuPhase?: Record<string, number>
  patientsUsed?: Record<string, number>
}

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a')
/** The median, and the range of the rounds in brackets. */
const mr = (xs: number[], digits: number) => (xs.length > 1 ? `${fmt(median(xs), digits)} (${fmt(Math.min(...xs), digits)}-${fmt(Math.max(...xs), digits)})` : fmt(median(xs), digits))
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const refused = (errors: Record<string, number>) => sum(Object.entries(errors).filter(([k]) => /could not serialize|deadlock detected/.test(k)).map(([, n]) => n))
const otherErrors = (errors: Record<string, number>) => Object.entries(errors).filter(([k]) => !/could not serialize|deadlock detected/.test(k))
const failures = (rows: { burst: SignInResult }[]) => sum(rows.map((r) => r.burst.unexpected))
const failureText = (rows: { burst: SignInResult }[]) => {
  const all: Record<string, number> = {}
  for (const r of rows) for (const [k, n] of Object.entries(r.burst.failures)) all[k] = (all[k] ?? 0) + n
  return Object.entries(all).map(([k, n]) => `${n} x ${k}`).join('; ')
}

/** Per-burst figures of the CPU phase. */
const perSignIn = (r: CpuRow) => ({
  portalMs: (r.burst.cpuSeconds / r.burst.requests) * 1000,
  dbMs: (r.dbCpu / r.burst.requests) * 1000,
  totalMs: ((r.burst.cpuSeconds + r.dbCpu) / r.burst.requests) * 1000,
  rawMs: 1000 / r.raw.perCpuSecond,
  perCpu: r.burst.requests / r.burst.cpuSeconds,
  perCpuTotal: r.burst.requests / (r.burst.cpuSeconds + r.dbCpu),
  ratio: r.burst.requests / r.burst.cpuSeconds / r.raw.perCpuSecond,
  ratioTotal: r.burst.requests / (r.burst.cpuSeconds + r.dbCpu) / r.raw.perCpuSecond,
})

export function engineSection(run: EngineRun): string {
  const columns: [EngineName, Kind][] = [
    ['SQLite', 'sign-in'],
    ['PostgreSQL', 'sign-in'],
    ['SQLite', 'OIDC sign-in'],
    ['PostgreSQL', 'OIDC sign-in'],
  ]
  const cells = columns.map(([engine, kind]) => {
    const rows = run.cpu.filter((r) => r.engine === engine && r.kind === kind)
    const f = rows.map(perSignIn)
    const pg = engine === 'PostgreSQL'
    return {
      rows,
      f,
      medianTotalMs: median(f.map((x) => x.totalMs)),
      medianRawMs: median(f.map((x) => x.rawMs)),
      line: {
        perCpu: mr(f.map((x) => x.perCpu), 1),
        perCpuTotal: pg ? mr(f.map((x) => x.perCpuTotal), 1) : 'the same (one process)',
        portalMs: mr(f.map((x) => x.portalMs), 1),
        dbMs: pg ? mr(f.map((x) => x.dbMs), 1) : 'none (in the portal)',
        totalMs: mr(f.map((x) => x.totalMs), 1),
        rawMs: mr(f.map((x) => x.rawMs), 1),
        ratio: mr(f.map((x) => x.ratio), 3),
        ratioTotal: pg ? mr(f.map((x) => x.ratioTotal), 3) : 'the same',
        count: `${fmt(sum(rows.map((r) => r.burst.requests)))} (${fmt(failures(rows))})`,
        refused: pg ? fmt(sum(rows.map((r) => refused(r.dbErrors)))) : 'n/a',
      },
    }
  })
  const table = (rows: [string, keyof (typeof cells)[number]['line']][]) =>
    rows.map(([what, key]) => `| ${what} | ${cells.map((c) => c.line[key]).join(' | ')} |`).join('\n')
  const cost = (kind: Kind) => {
    const [s, p] = cells.filter((_, i) => columns[i]![1] === kind)
    const extra = p!.medianTotalMs - s!.medianTotalMs
    const verify = median([...s!.f, ...p!.f].map((x) => x.rawMs))
    return { extra, pct: (extra / s!.medianTotalMs) * 100, verifies: extra / verify, verify, sqlite: s!.medianTotalMs, pg: p!.medianTotalMs }
  }
  const signInCost = cost('sign-in')
  const oidcCost = cost('OIDC sign-in')

  const setups = [...new Set(run.throughput.map((r) => r.label))]
  const t = setups.map((label) => {
    const rows = run.throughput.filter((r) => r.label === label)
    const perSecond = rows.map((r) => r.burst.perSecond)
    return {
      label,
      rows,
      perSecond: median(perSecond),
      line: [
        label,
        mr(perSecond, 1),
        mr(rows.map((r) => r.burst.requests / (r.portalCpu + r.dbCpu)), 1),
        mr(rows.map((r) => r.portalCpu / r.burst.seconds), 2),
        rows[0]!.engine === 'PostgreSQL' ? mr(rows.map((r) => r.dbCpu / r.burst.seconds), 2) : 'none',
        mr(rows.map((r) => r.machineCpu / r.intervalSeconds), 2),
        mr(rows.map((r) => r.generatorCpu / r.intervalSeconds), 2),
        `${fmt(median(rows.map((r) => r.burst.p50)))} / ${fmt(median(rows.map((r) => r.burst.p99)))}`,
        `${fmt(sum(rows.map((r) => r.burst.requests)))} (${fmt(failures(rows))})`,
        rows[0]!.engine === 'PostgreSQL' ? fmt(sum(rows.map((r) => refused(r.dbErrors)))) : 'n/a',
      ],
    }
  })
  const tp = (label: RegExp) => t.find((x) => label.test(x.label))?.perSecond ?? NaN
  const two = tp(/PostgreSQL, 2/)
  const onePg = tp(/PostgreSQL, 1/)
  const oneSqlite = tp(/SQLite/)

  const starts = (engine: EngineName) => run.starts.filter((s) => s.engine === engine)
  const errorsSeen = [...run.cpu, ...run.throughput].flatMap((r) => otherErrors(r.dbErrors))
  const otherErrorText = Object.entries(
    errorsSeen.reduce<Record<string, number>>((a, [k, n]) => ({ ...a, [k]: (a[k] ?? 0) + n }), {}),
  ).map(([k, n]) => `${n} x "${k}"`)
  const allFailures = failureText([...run.cpu, ...run.throughput])
  const refusedWhere = (rows: { refusedStatements: Record<string, number> }[]) => {
    const all: Record<string, number> = {}
    for (const r of rows) for (const [k, n] of Object.entries(r.refusedStatements)) all[k] = (all[k] ?? 0) + n
    return Object.entries(all).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'
  }
  const ownAddress = run.throughput.filter((r) => r.engine === 'PostgreSQL' && !/one address/.test(r.label))
  const oneAddress = run.throughput.filter((r) => r.engine === 'PostgreSQL' && /one address/.test(r.label))

  const rawRows = [
    ...run.cpu.map((r) => {
      const f = perSignIn(r)
      return [
        `${r.engine} ${r.kind}s, pinned`, r.round, r.burst.requests, fmt(r.burst.seconds, 1), fmt(r.burst.cpuSeconds, 2), fmt(r.dbCpu, 2),
        `${fmt(r.raw.verifications)} in ${fmt(r.raw.cpuSeconds, 2)} s (${fmt(f.rawMs, 1)} ms)`, fmt(r.machineCpu / r.intervalSeconds, 2), fmt(r.generatorCpu, 2), r.load, r.burst.unexpected, refused(r.dbErrors),
      ]
    }),
    ...run.throughput.map((r) => [
      r.label, r.round, r.burst.requests, fmt(r.burst.seconds, 1), fmt(r.portalCpu, 2), fmt(r.dbCpu, 2), '', fmt(r.machineCpu / r.intervalSeconds, 2), fmt(r.generatorCpu, 2), r.load, r.burst.unexpected, refused(r.dbErrors),
    ]),
  ]

  return `## PostgreSQL beside SQLite (issue 21)

Generated by \`npm run bench:engines\` (bench/engines.ts), a run of its own (${fmt(run.durationSeconds)} s); rerun it to refresh
this section (\`npm run bench\` keeps it, from bench/engines.md). The portal runs as above: the bundle,
\`NODE_ENV=production\`, the request log on to a file, behind the pretend TLS proxy, mail and SMS to the
local sinks. PostgreSQL is a throwaway server of the machine's own binaries (${run.machine.postgres}),
initdb's defaults (\`fsync\` and \`synchronous_commit\` on, \`shared_buffers\` 128 MB), on 127.0.0.1 over TCP;
the portal's pool is its default (10 connections a process), every transaction SERIALIZABLE (decision 0022).
${fmt(run.settings.patients)} patients prepared in each database before the portals start (bench/lib/prepare.ts, the
domain's own functions); each account signs in once.

- Date: ${run.date.toISOString()}
- Commit: \`${run.commit}\`${run.dirty ? ' (with uncommitted changes)' : ''}
- Machine: ${run.machine.cpu}, ${run.machine.cores} cores, Node ${run.machine.node}
- Load average at the start and the end of the run: ${run.machine.loadStart} / ${run.machine.loadEnd} (each burst's is in the last table)
- ${run.settings.rounds} rounds of bursts of ${fmt(run.settings.seconds)} s, the engines (and setups) alternating within each round

### Per CPU-second: one portal process pinned to the server core

Each burst: ${run.settings.clients} concurrent clients, complete sign-ins (7 requests) or complete OIDC sign-ins (12 requests,
bench/lib/oidc.ts), each browser from an address of its own (X-Forwarded-For through the pretend proxy,
as patients sign in from home), beside raw argon2id verifications on the same core at the same time (as
in the targets above). The portal's CPU is its process's (all threads); on PostgreSQL the server's CPU is every
process of the cluster (postmaster, backends, WAL writer, checkpointer, autovacuum, and what exited
backends left behind), read from /proc, over the same seconds. Median of the rounds, range in brackets.

| | SQLite, sign-in | PostgreSQL, sign-in | SQLite, OIDC sign-in | PostgreSQL, OIDC sign-in |
| --- | --- | --- | --- | --- |
${table([
  ['complete sign-ins per CPU-s of the portal', 'perCpu'],
  ['complete sign-ins per CPU-s of portal + database server', 'perCpuTotal'],
  ['portal CPU per sign-in, ms', 'portalMs'],
  ['database server CPU per sign-in, ms', 'dbMs'],
  ['**portal + database CPU per sign-in, ms**', 'totalMs'],
  ['raw argon2id verify in the same seconds, CPU ms', 'rawMs'],
  ['per CPU-s / raw argon2id per CPU-s (portal)', 'ratio'],
  ['per CPU-s / raw argon2id per CPU-s (portal + database)', 'ratioTotal'],
  ['sign-ins measured (failed)', 'count'],
  ['transactions PostgreSQL refused (40001, 40P01), each retried whole', 'refused'],
])}

**What PostgreSQL costs per sign-in** (medians above): a complete sign-in takes ${fmt(signInCost.pg, 1)} ms of CPU on
PostgreSQL (portal + server) against ${fmt(signInCost.sqlite, 1)} ms on SQLite: ${signInCost.extra >= 0 ? '+' : ''}${fmt(signInCost.extra, 1)} ms (${signInCost.pct >= 0 ? '+' : ''}${fmt(signInCost.pct)}%), or
${fmt(signInCost.verifies, 2)} of an argon2id verify (${fmt(signInCost.verify, 1)} ms in the same seconds). A complete OIDC
sign-in: ${fmt(oidcCost.pg, 1)} against ${fmt(oidcCost.sqlite, 1)} ms, ${oidcCost.extra >= 0 ? '+' : ''}${fmt(oidcCost.extra, 1)} ms (${oidcCost.pct >= 0 ? '+' : ''}${fmt(oidcCost.pct)}%, ${fmt(oidcCost.verifies, 2)} of a verify).

### Sign-ins per second with every core

Complete sign-ins by ${run.settings.throughputClients} concurrent clients, each browser from an address of its own, except in the
last two rows, where every browser comes from one address (an office behind one NAT, or a proxy that
passes no X-Forwarded-For): then every password guess writes the same per-address guess counter
(src/domain/throttle.ts), one row that all sign-ins contend for. The portals and the PostgreSQL server unpinned
(each portal then hashes up to ${run.machine.cores} passwords at once, one per core), the load generator on its own core as
everywhere in the bench. Two processes: one PostgreSQL database, every request to the next process in
turn (round-robin, no stickiness: one browser's seven requests alternate between the two). Per CPU-s
counts the portals' and the server's CPU; "machine busy" is every process on the machine (/proc/stat),
the bench's own load generator and anything else running included, in cores (${run.machine.cores} = all of it).

| setup | sign-ins/s | per CPU-s of portals + database | portal CPU, cores | database CPU, cores | machine busy, cores | load generator, cores | p50 / p99 ms | sign-ins (failed) | refused (retried) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${t.map((x) => `| ${x.line.join(' | ')} |`).join('\n')}

Two processes against one on PostgreSQL (own addresses): ${fmt(two / onePg, 2)} times the sign-ins per second; one PostgreSQL
process against one SQLite process: ${fmt(onePg / oneSqlite, 2)}.

### Starts, memory, errors

- Cold start to first answer (the bundle; median wall / CPU ms): SQLite ${fmt(median(starts('SQLite').map((s) => s.wallMs)))} / ${fmt(median(starts('SQLite').map((s) => s.cpuMs)))} (${starts('SQLite').length} starts), PostgreSQL ${fmt(median(starts('PostgreSQL').map((s) => s.wallMs)))} / ${fmt(median(starts('PostgreSQL').map((s) => s.cpuMs)))} (${starts('PostgreSQL').length} starts, migrations checked under the advisory lock each time).
- RSS of the pinned portals after their bursts: ${Object.entries(run.rssAfterCpuPhase ?? {}).map(([k, v]) => `${k} ${fmt(v, 1)} MB`).join(', ')}.
- Patients used: ${Object.entries(run.patientsUsed ?? {}).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')} of ${fmt(run.settings.patients)} each.
- Failed sign-ins: ${allFailures || 'none'}.
- Other ERROR lines in PostgreSQL's log: ${otherErrorText.length ? otherErrorText.join('; ') : 'none'}.
- The statements PostgreSQL refused (the transaction then retried whole), by verb and table: pinned bursts ${refusedWhere(run.cpu.filter((r) => r.engine === 'PostgreSQL'))};
  unpinned, own addresses ${refusedWhere(ownAddress)}; unpinned, one address ${refusedWhere(oneAddress)}.

Every burst (CPU in seconds; "raw argon2id" is the verifications beside it, their CPU and CPU per verify):

| burst | round | sign-ins | wall s | portal CPU s | database CPU s | raw argon2id | machine busy, cores | load generator CPU s | load average after | failed | refused |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rawRows.map((r) => `| ${r.join(' | ')} |`).join('\n')}
`
}

const begin = '<!-- engines: generated by npm run bench:engines (bench/engines.md); do not edit by hand -->'
const end = '<!-- /engines -->'

/** The section between its markers, for docs/benchmarks.md. */
export function wrapped(section: string): string {
  return `${begin}\n${section.trimEnd()}\n${end}\n`
}

/** docs/benchmarks.md with the section in place: where the markers are, else before the findings, else at the end. */
export function splice(page: string, section: string): string {
  const block = wrapped(section)
  const from = page.indexOf(begin)
  const to = page.indexOf(end)
  if (from >= 0 && to > from) return page.slice(0, from) + block + page.slice(to + end.length + 1)
  const findings = page.indexOf('\n## Findings')
  if (findings >= 0) return `${page.slice(0, findings + 1)}${block}\n${page.slice(findings + 1)}`
  return `${page.trimEnd()}\n\n${block}`
}
