// Raw argon2id verifications beside the portal's sign-ins: the denominator of the sign-in ratios.
import { execFile } from 'node:child_process'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { hasTaskset, serverCore } from './proc.ts'

const run = promisify(execFile)
const root = join(import.meta.dirname, '..', '..')

/** As many verifications at once as the portal allows itself on the server core. */
export const hashSlots = hasTaskset ? 1 : cpus().length

export interface RawArgon2 {
  verifications: number
  cpuSeconds: number
  concurrency: number
  perSecond: number
  perCpuSecond: number
}

/** Raw argon2id verifications in a child process pinned to the server core (bench/argon2-raw.ts). */
export async function rawArgon2(secs: number): Promise<RawArgon2> {
  const args = ['--import', 'tsx', join(root, 'bench', 'argon2-raw.ts'), String(secs), String(hashSlots)]
  const command = hasTaskset ? 'taskset' : process.execPath
  const argv = hasTaskset ? ['-c', String(serverCore), process.execPath, ...args] : args
  const { stdout } = await run(command, argv, { cwd: root, encoding: 'utf8', timeout: 120_000 })
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as { verifications: number; wallSeconds: number; cpuSeconds: number; concurrency: number }
  return { verifications: r.verifications, cpuSeconds: r.cpuSeconds, concurrency: r.concurrency, perSecond: r.verifications / r.wallSeconds, perCpuSecond: r.verifications / r.cpuSeconds }
}

