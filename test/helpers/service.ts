// The portal installed and started the way an operator does it: a copy of the code with its bundle built
// once (as `npm ci` does at install), then made read-only, started by `npm start` or `node dist/server.js`
// as an unprivileged user (nobody, when the tests run as root) with a data folder of its own.
import { hangGuardMs } from './patience.ts'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { testSecretKey } from './world.ts'

const repo = join(import.meta.dirname, '..', '..')
/** Root runs the portal as nobody: root may write anywhere, so a read-only folder would prove nothing. */
export const asRoot = process.getuid?.() === 0
const nobody = 65534

export interface Installed {
  /** The read-only code folder. */
  code: string
  /** A folder the service user owns (0700), for its database. */
  data: string
  /** Makes another folder owned by the service user. */
  folder(name: string, mode?: number): string
}

/** Copies the code, builds its bundle, makes the code read-only; removed at the end of the test. */
export function install(t: Test): Installed {
  const base = mkdtempSync(join(tmpdir(), 'mtd-service-'))
  chmodSync(base, 0o755)
  t.teardown(() => {
    execFileSync('chmod', ['-R', 'u+w', base])
    rmSync(base, { recursive: true, force: true })
  })
  const code = join(base, 'portal')
  mkdirSync(code)
  for (const part of ['src', 'templates', 'static', 'migrations', 'migrations-pg', 'scripts', 'package.json']) cpSync(join(repo, part), join(code, part), { recursive: true })
  symlinkSync(join(repo, 'node_modules'), join(code, 'node_modules'))
  // What `npm ci` runs at install (the prepare script), by the user who installs.
  execFileSync(process.execPath, [join(code, 'scripts', 'build.mjs')], { cwd: code, stdio: 'pipe' })
  execFileSync('chmod', ['-R', 'a-w', code])
  const folder = (name: string, mode = 0o700) => {
    const dir = join(base, name)
    mkdirSync(dir, { mode })
    chmodSync(dir, mode)
    if (asRoot) chownSync(dir, nobody, nobody)
    return dir
  }
  return { code, data: folder('data'), folder }
}

/** A safe production environment (loadConfig's every check passes); mail and SMS go nowhere. */
export function productionEnv(installed: Installed, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: installed.data,
    // npm's cache and logs in the service user's own folder, not in root's home.
    npm_config_cache: join(installed.data, 'npm-cache'),
    npm_config_update_notifier: 'false',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: 'https://dossier.praktijk.example',
    TRUST_PROXY: 'true',
    SECRET_KEY: testSecretKey,
    SMTP_URL: 'smtp://127.0.0.1:9',
    SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms',
    DATABASE_PATH: join(installed.data, 'portal.db'),
    // Production starts only while every practice can be reached (issue 20).
    PRACTICE_CONTACT: '030 123 45 67',
    ...extra,
  }
}

export interface Started {
  process: ChildProcess
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Resolves when standard output is closed: by every process that held it (node, when orphaned). */
  outputClosed: Promise<void>
  /** Resolves with the output once it matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>
}

/** `npm start` or `node dist/server.js` in the installed folder, as the service user. */
export function start(t: Test, installed: Installed, command: 'npm' | 'node', env: Record<string, string>): Started {
  const [file, args] = command === 'npm' ? ['npm', ['start']] : [process.execPath, ['dist/server.js']]
  // Through `env -i`, which execs the command (the same pid) with exactly this environment, as a service
  // manager would: tap adds its coverage hooks to every child's environment, and the service user may
  // not write tap's files.
  const child = spawn('env', ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), file, ...args], { cwd: installed.code, ...(asRoot ? { uid: nobody, gid: nobody } : {}) })
  let output = ''
  const waiters = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    output += chunk.toString()
    for (const check of waiters) check()
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const outputClosed = new Promise<void>((resolve) => child.stdout!.on('close', () => resolve()))
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const waitFor = (pattern: RegExp, timeoutMs = hangGuardMs) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`Timed out waiting for ${pattern}; output:\n${output}`))
      }, timeoutMs)
      const check = () => {
        if (pattern.test(output)) {
          clearTimeout(timer)
          waiters.delete(check)
          resolve(output)
        } else if (child.exitCode !== null || child.signalCode !== null) {
          // Exited without it: no point waiting (what it printed is in the message).
          clearTimeout(timer)
          waiters.delete(check)
          reject(new Error(`Exited (${child.exitCode ?? child.signalCode}) before ${pattern}; output:\n${output}`))
        }
      }
      waiters.add(check)
      child.once('exit', check)
      check()
    })
  return { process: child, output: () => output, exited, outputClosed, waitFor }
}

/** The pid of the portal's node process, from its first JSON log line. */
export function portalPid(output: string): number {
  const line = output.split('\n').find((l) => l.startsWith('{') && l.includes('"pid"'))
  if (!line) throw new Error(`No JSON log line with a pid in:\n${output}`)
  return (JSON.parse(line) as { pid: number }).pid
}

/** Whether the process is gone (or a zombie its new parent has yet to reap). */
export function gone(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return true
  }
  try {
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z')
  } catch {
    return true
  }
}

/** Resolves true when something accepts connections on the port, false when it is refused. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A plain GET over HTTP, as a proxy or a probe sends it (no cookies). */
export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { connection: 'close', ...headers } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.once('error', reject)
    req.end()
  })
}

/**
 * A patient's username form, sent as a request that is in flight: the headers go out and the server
 * confirms them (`100 Continue`), but the body is held back until `finish()`. Behind the proxy of the
 * production environment (https by X-Forwarded-Proto), with the form's CSRF cookie and token.
 */
export async function inFlightSignIn(port: number): Promise<{ finish(): Promise<Answer> }> {
  const proxy = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' }
  const page = await get(port, '/inloggen', proxy)
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1]
  const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ')
  if (!token || !cookies) throw new Error(`No CSRF token or cookie on /inloggen (${page.status})`)
  const body = `_csrf=${encodeURIComponent(token)}&username=jdevries`
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/inloggen',
    headers: { ...proxy, cookie: cookies, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
  })
  const answer = new Promise<Answer>((resolve, reject) => {
    req.once('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }))
    })
    req.once('error', reject)
  })
  req.flushHeaders()
  await new Promise<void>((resolve, reject) => {
    req.once('continue', () => resolve())
    req.once('error', reject)
  })
  return {
    finish() {
      req.end(body)
      return answer
    },
  }
}
