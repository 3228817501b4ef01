// Load phases: autocannon against one route, and a driver that walks complete sign-ins. Each phase
// reads the server's CPU time before and after, so throughput is also counted per CPU-second.
import autocannon from 'autocannon'
import { generate } from 'otplib'
import { cpuSeconds, memoryMB } from './proc.ts'
import { Visitor } from './http.ts'
import { benchPassword, proxyHeaders, type Patient } from './prepare.ts'

export interface LoadResult {
  name: string
  requests: number
  seconds: number
  cpuSeconds: number
  perSecond: number
  perCpuSecond: number
  p50: number
  p99: number
  /** Answers with another status than the expected one, plus connection errors. */
  unexpected: number
  connections: number
}

export interface CannonPhase {
  name: string
  port: number
  pid: number
  path: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  /** Makes each request's body (varied bodies force real session writes). */
  body?: () => string
  expectStatus: number
  connections: number
  seconds: number
}

export async function cannon(phase: CannonPhase): Promise<LoadResult> {
  const cpuBefore = cpuSeconds(phase.pid)
  const result = await autocannon({
    url: `http://127.0.0.1:${phase.port}${phase.path}`,
    connections: phase.connections,
    duration: phase.seconds,
    timeout: 10,
    // As the TLS proxy in front would send it (the bare route ignores it: the same bytes on both sides).
    headers: { ...proxyHeaders, ...phase.headers },
    requests: [
      {
        method: phase.method ?? 'GET',
        path: phase.path,
        ...(phase.body ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: phase.body!() }) } : {}),
      },
    ],
  })
  const cpu = cpuSeconds(phase.pid) - cpuBefore
  const total = result.requests.total
  const expected = result.statusCodeStats?.[String(phase.expectStatus) as `${number}`]?.count ?? 0
  return {
    name: phase.name,
    requests: total,
    seconds: result.duration,
    cpuSeconds: cpu,
    perSecond: total / result.duration,
    perCpuSecond: cpu > 0 ? total / cpu : NaN,
    p50: result.latency.p50,
    p99: result.latency.p99,
    unexpected: total - expected + result.errors,
    connections: phase.connections,
  }
}

/**
 * A browser's complete sign-in, every request it makes (7): start page, username, password page, password, app-code page, code, home.
 * `address`: the browser's own (X-Forwarded-For), else 127.0.0.1 like every other bench client.
 */
export async function signIn(port: number | (() => number), origin: string, patient: Patient, address?: string): Promise<{ ok: boolean; step: string }> {
  const v = new Visitor(port, origin, address)
  const expect = (res: { status: number }, status: number) => res.status === status
  if (!expect(await v.get('/inloggen'), 200)) return { ok: false, step: 'GET /inloggen' }
  const named = await v.post('/inloggen', { username: patient.username })
  if (named.status !== 303) return { ok: false, step: `POST /inloggen (${named.status})` }
  if (!expect(await v.get('/inloggen/wachtwoord'), 200)) return { ok: false, step: 'GET /inloggen/wachtwoord' }
  const passed = await v.post('/inloggen/wachtwoord', { password: benchPassword })
  if (passed.status !== 303 || passed.headers.location !== '/inloggen/app-code') return { ok: false, step: `POST /inloggen/wachtwoord (${passed.status})` }
  if (!expect(await v.get('/inloggen/app-code'), 200)) return { ok: false, step: 'GET /inloggen/app-code' }
  const code = await generate({ secret: patient.secret, epoch: Math.floor(Date.now() / 1000) })
  const done = await v.post('/inloggen/app-code', { code })
  if (done.status !== 303 || done.headers.location !== '/') return { ok: false, step: `POST /inloggen/app-code (${done.status})` }
  const home = await v.get('/')
  if (home.status !== 200 || !home.body.includes('Uitloggen')) return { ok: false, step: `GET / (${home.status})` }
  return { ok: true, step: '' }
}

export interface SignInResult extends LoadResult {
  failures: Record<string, number>
  /** Highest RSS seen while the burst ran (MB), sampled every 50 ms, and VmHWM after it. */
  peakRssMB: number
}

/**
 * Complete sign-ins (`walk`: the portal's own by default) by `clients` concurrent browsers, each with accounts of its own (a TOTP code is
 * accepted once per account and time step), until the time or the accounts run out.
 */
export async function signInBurst(
  port: number,
  pid: number,
  origin: string,
  patients: Patient[],
  clients: number,
  seconds: number,
  walk: (patient: Patient) => Promise<{ ok: boolean; step: string }> = (patient) => signIn(port, origin, patient),
  name = 'complete sign-ins',
): Promise<SignInResult> {
  const queue = [...patients]
  const latencies: number[] = []
  const failures: Record<string, number> = {}
  let peak = memoryMB(pid).rss
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, memoryMB(pid).rss)
    } catch {
      /* the server is gone: the phase reports the failures */
    }
  }, 50)
  const cpuBefore = cpuSeconds(pid)
  const start = performance.now()
  const deadline = start + seconds * 1000
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let patient = queue.shift(); patient && performance.now() < deadline; patient = queue.shift()) {
        const t0 = performance.now()
        try {
          const { ok, step } = await walk(patient)
          if (ok) latencies.push(performance.now() - t0)
          else failures[step] = (failures[step] ?? 0) + 1
        } catch (err) {
          const key = err instanceof Error ? err.message : 'error'
          failures[key] = (failures[key] ?? 0) + 1
        }
      }
    }),
  )
  const wall = (performance.now() - start) / 1000
  const cpu = cpuSeconds(pid) - cpuBefore
  clearInterval(sampler)
  peak = Math.max(peak, memoryMB(pid).peak)
  latencies.sort((a, b) => a - b)
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN
  return {
    name,
    requests: latencies.length,
    seconds: wall,
    cpuSeconds: cpu,
    perSecond: latencies.length / wall,
    perCpuSecond: cpu > 0 ? latencies.length / cpu : NaN,
    p50: pct(50),
    p99: pct(99),
    unexpected: Object.values(failures).reduce((a, b) => a + b, 0),
    connections: clients,
    failures,
    peakRssMB: peak,
  }
}
