import { join } from 'node:path'
import { startPortal, freePort } from './lib/servers.ts'
import { benchEnv } from './lib/prepare.ts'
const root = join(import.meta.dirname, '..')
const entry = process.argv[2]!
const port = await freePort()
const d = { smtpUrl: `smtp://127.0.0.1:${await freePort()}`, smsUrl: `http://127.0.0.1:${await freePort()}/sms` }
const env = benchEnv(`/tmp/bench-smoke/cold-${port}.db`, port, d, { logOff: process.argv[3] === 'off' })
for (let i = 0; i < 5; i++) {
  const p = await startPortal(root, env, port, '/tmp/bench-smoke/cold.log', entry)
  console.log(`wall ${p.coldStartMs.toFixed(0)} cpu ${p.coldStartCpuMs.toFixed(0)}`)
  await p.stop()
}
