// The real server from the sources (`node --import tsx src/server.ts`) with exactly the given environment
// (and PATH), as the crash, backup and production tests start it; its output kept, killed at teardown.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import type { Test } from 'tap'
import { hangGuardMs } from './patience.ts'

const root = join(import.meta.dirname, '..', '..')

export interface SourceServer {
  process: ChildProcess
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function spawnSourceServer(t: Test, env: Record<string, string>): SourceServer {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env } })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { process: child, output: () => output, exited }
}

/** Resolves on the server's "draait op" line; rejects, with what it printed, when it exits first. */
export function listening(server: SourceServer): Promise<void> {
  const child = server.process
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(guard)
      child.stdout!.off('data', check)
      child.stderr!.off('data', check)
      child.off('exit', exit)
      if (error) reject(error)
      else resolve()
    }
    const check = () => {
      if (/draait op/.test(server.output())) settle()
    }
    const exit = () => settle(new Error(`The server exited (${child.exitCode ?? child.signalCode}):\n${server.output()}`))
    const guard = setTimeout(() => settle(new Error(`The server did not start:\n${server.output()}`)), hangGuardMs)
    child.stdout!.on('data', check)
    child.stderr!.on('data', check)
    child.on('exit', exit)
    if (child.exitCode !== null || child.signalCode !== null) exit()
    else check()
  })
}

export async function startSourceServer(t: Test, env: Record<string, string>): Promise<SourceServer> {
  const server = spawnSourceServer(t, env)
  await listening(server)
  return server
}
