// CI's proof that a production install starts (issue 22, item 9): in a folder installed with
// `npm ci --omit=dev`, made read-only, `npm start` in production mode (as nobody when run as root) answers
// /healthz and /readyz, and stops with exit code 0 at SIGTERM. Plain JavaScript: a production install has
// no tsx. Prints "ok - ..." lines and ends with "N passed, N failed"; exit code 1 on any failure.
//   node scripts/check-production-start.mjs [folder]   (default: this checkout)
import { spawn, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const folder = resolve(process.argv[2] ?? '.')
const asRoot = process.getuid?.() === 0
let passed = 0
let failed = 0
const check = (what, ok, detail = '') => {
  if (ok) passed++
  else failed++
  console.log(`${ok ? 'ok' : 'not ok'} - ${what}${detail ? ` (${detail})` : ''}`)
}

const freePort = () =>
  new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => done(port))
    })
  })

const data = mkdtempSync(join(tmpdir(), 'mtd-production-'))
if (asRoot) chownSync(data, 65534, 65534)
execFileSync('chmod', ['-R', 'a-w', folder])
const port = await freePort()
const env = {
  PATH: process.env.PATH,
  HOME: data,
  npm_config_cache: join(data, 'npm-cache'),
  npm_config_update_notifier: 'false',
  NODE_ENV: 'production',
  PORT: String(port),
  PUBLIC_URL: 'https://dossier.praktijk.example',
  TRUST_PROXY: 'true',
  SECRET_KEY: randomBytes(32).toString('hex'),
  SMTP_URL: 'smtp://127.0.0.1:9',
  SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms',
  DATABASE_PATH: join(data, 'portal.db'),
  // Production starts only while every practice can be reached (issue 20).
  PRACTICE_CONTACT: '030 123 45 67',
}
const child = spawn('npm', ['start'], { cwd: folder, env, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) })
let output = ''
child.stdout.on('data', (c) => (output += c))
child.stderr.on('data', (c) => (output += c))
const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })))
const safety = setTimeout(() => child.kill('SIGKILL'), 120_000)

try {
  const started = await Promise.race([
    new Promise((done) => {
      const look = () => /draait op/.test(output) && done(true)
      child.stdout.on('data', look)
    }),
    exited.then(() => false),
  ])
  check('npm start runs the installed bundle as an unprivileged user from a read-only folder', started, started ? '' : output.trim().split('\n').slice(-5).join(' | '))
  if (started) {
    for (const path of ['/healthz', '/readyz']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`)
      const body = await res.text()
      check(`${path} answers 200`, res.status === 200, body)
    }
    check('no build at start', !/bundel wordt|EACCES/.test(output))
    child.kill('SIGTERM')
    const exit = await exited
    check('SIGTERM: exit code 0', exit.code === 0, JSON.stringify(exit))
  }
} finally {
  clearTimeout(safety)
  execFileSync('chmod', ['-R', 'u+w', folder])
  rmSync(data, { recursive: true, force: true })
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
