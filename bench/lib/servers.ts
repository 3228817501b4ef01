// Starting the servers under test: the portal (the bundle `npm start` runs, or src/ through tsx) and
// the bare Fastify baseline, both pinned to the server core. The portal's output (its request log in
// production) goes to a log file, as an operator's would; the bench reads it only to report a failure.
import { spawnSync, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { send } from './http.ts'
import { proxyHeaders } from './prepare.ts'
import { cpuSeconds, spawnPinned, stop } from './proc.ts'

export interface Running {
  child: ChildProcess
  pid: number
  port: number
  /** From spawn to the first 200 answer, ms of wall time, and the CPU ms the process had used by then. */
  coldStartMs: number
  coldStartCpuMs: number
  output: () => string
  /** Bytes the process wrote to its log file so far (0 without one). */
  logBytes: () => number
  stop: () => Promise<void>
}

/** A free port on 127.0.0.1 (never 3000: other people's servers live there). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => {
        if (port === 3000) freePort().then(resolve, reject)
        else resolve(port)
      })
    })
  })
}

function capture(child: ChildProcess): () => string {
  let out = ''
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-8000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  return () => out
}

/** The last 8000 characters of a log file. */
function tail(file: string): () => string {
  return () => {
    try {
      return readFileSync(file, 'utf8').slice(-8000)
    } catch {
      return ''
    }
  }
}

async function waitForAnswer(child: ChildProcess, port: number, path: string, started: number, timeoutMs: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`)
    if (performance.now() - started > timeoutMs) throw new Error(`no answer on port ${port} within ${timeoutMs} ms`)
    try {
      const res = await send(port, { method: 'GET', path, headers: { ...proxyHeaders } }, 1000)
      if (res.status === 200) return performance.now() - started
    } catch {
      // Not listening yet.
    }
    await sleep(2)
  }
}

/**
 * The portal as `npm start` runs it, the built bundle (node <dir>/dist/server.js, see buildPortal), or
 * without `entry` as `npm run dev` does (node --import tsx src/server.ts). Its stdout and stderr are
 * appended to `logFile`.
 */
export async function startPortal(root: string, env: Record<string, string>, port: number, logFile: string, entry?: string, cores?: string): Promise<Running> {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the portal when it stops (open it in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
  // The bundle runs with one malloc arena, as package.json's start script sets it (README: memory).
  const malloc = entry ? { MALLOC_ARENA_MAX: '1' } : {}
  const fd = openSync(logFile, 'a')
  const startSize = statSync(logFile).size
  const started = performance.now()
  const child = spawnPinned(entry ? [...profile, entry] : [...profile, '--import', 'tsx', 'src/server.ts'], { ...process.env, ...malloc, ...env }, root, fd, cores)
  closeSync(fd)
  const output = tail(logFile)
  const logBytes = () => {
    try {
      return statSync(logFile).size - startSize
    } catch {
      return 0
    }
  }
  let coldStartMs: number
  try {
    coldStartMs = await waitForAnswer(child, port, '/inloggen', started, 30_000)
  } catch (err) {
    await stop(child)
    throw new Error(`${(err as Error).message}\n${output()}`)
  }
  const coldStartCpuMs = cpuSeconds(child.pid!) * 1000
  // The portal loads its OpenID Connect provider after its first answer (src/oidc/routes.ts): the
  // discovery document answers once it is loaded. Waited for here, so no load phase counts that load
  // (and, on a new database, the making of the signing keys); any answer will do (an older commit
  // has no provider and answers 404).
  await send(port, { method: 'GET', path: '/.well-known/openid-configuration', headers: { ...proxyHeaders } }, 30_000)
  return { child, pid: child.pid!, port, coldStartMs, coldStartCpuMs, output, logBytes, stop: () => stop(child) }
}

/** The baseline: a bare Fastify route; see bench/bare-server.ts. */
export async function startBare(root: string): Promise<Running> {
  const started = performance.now()
  const child = spawnPinned(['--import', 'tsx', 'bench/bare-server.ts'], process.env, root)
  const output = capture(child)
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bare server did not start:\n${output()}`)), 30_000)
    child.stdout!.on('data', () => {
      const match = /listening (\d+)/.exec(output())
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    child.once('exit', (code) => reject(new Error(`bare server exited (${code}):\n${output()}`)))
  })
  const coldStartMs = await waitForAnswer(child, port, '/', started, 30_000)
  return { child, pid: child.pid!, port, coldStartMs, coldStartCpuMs: cpuSeconds(child.pid!) * 1000, output, logBytes: () => 0, stop: () => stop(child) }
}

/**
 * Builds the portal as `npm run build` does (scripts/build.mjs: one bundled file) into `dir`/dist, beside
 * links to templates/, static/, migrations/ (and migrations-pg/), node_modules/ and package.json, so the build finds its
 * files as it would in the tree. Nothing is written to the work tree. Returns the entry file, or an error.
 */
export function buildPortal(root: string, dir: string): { entry: string } | { error: string } {
  mkdirSync(dir, { recursive: true })
  // migrations-pg/: the PostgreSQL migrations, where a checkout has them (older commits do not).
  for (const name of ['templates', 'static', 'migrations', 'migrations-pg', 'node_modules', 'package.json']) {
    if (existsSync(join(root, name))) symlinkSync(join(root, name), join(dir, name))
  }
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), join(dir, 'dist')], { cwd: root, encoding: 'utf8' })
  const entry = join(dir, 'dist', 'server.js')
  return existsSync(entry) ? { entry } : { error: `the build made no dist/server.js: ${built.stderr}` }
}
