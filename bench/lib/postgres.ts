// A throwaway PostgreSQL server for the bench (issue 21): the machine's own server binaries
// (Debian's postgresql package, /usr/lib/postgresql/<version>/bin, or PG_BIN), a new cluster in a
// temporary folder, listening on 127.0.0.1 only, stopped and removed by `stop()`. Its settings are
// initdb's defaults (fsync and synchronous_commit on), as a packaged server runs. No project script
// starts a server on this branch (scripts/postgres-server.sh is h-ci's, not here yet), hence this one.
//
// What the bench reads from it: the CPU of every process of the cluster (the postmaster, its backends
// and helpers, plus what exited children left in the postmaster's cutime/cstime), and its log, where
// every transaction PostgreSQL refused is an ERROR line (40001, 40P01): the portal's handle retries those
// (src/db/pg-handle.ts), so their count is the count of retries.
import { execFileSync, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { allCores, clockTicks, hasTaskset } from './proc.ts'

export interface PgServer {
  url: string
  /** The server's log file (removed with the server). */
  logFile: string
  /** `postgres --version`: "postgres (PostgreSQL) 15.x (Debian ...)". */
  version: string
  /** The postmaster's pid (the parent of every backend). */
  pid: number
  /** User + system CPU seconds of the whole cluster so far, exited backends included. */
  cpuSeconds(): number
  /** The log's size now: pass it to `errors` to see only what came after. */
  logMark(): number
  /** ERROR lines of the log after `since`, counted by message (SQLSTATE-less: PostgreSQL's words). */
  errors(since: number): Record<string, number>
  /** The statements PostgreSQL refused for serialisation after `since`, by verb and table ("insert throttles", "commit"). */
  refusals(since: number): Record<string, number>
  stop(): void
}

function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl'))) : []
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0]
  if (!newest) throw new Error('no PostgreSQL server binaries: apt-get install -y postgresql, or set PG_BIN')
  return join(base, newest, 'bin')
}

/** initdb refuses to run as root: then the cluster is made and run as the postgres user. */
function asOwner(command: string, args: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', command, ...args] : [command, ...args]
}

function run(argv: string[]): void {
  // The bench pins itself to the load generator's core, and children inherit that: the server may use every core.
  const [command, ...args] = hasTaskset ? ['taskset', '-c', allCores, ...argv] : argv
  const result = spawnSync(command!, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  if (result.status !== 0) throw new Error(`${argv.join(' ')}: exit ${result.status}\n${result.stdout}${result.stderr}`)
}

export function startPostgres(port: number): PgServer {
  const bin = binDir()
  const dir = mkdtempSync(join(tmpdir(), 'mtd-bench-pg-'))
  const data = join(dir, 'data')
  const logFile = join(dir, 'server.log')
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })))
  let running = false
  const stop = () => {
    if (running) {
      running = false
      try {
        run(asOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']))
      } catch (err) {
        console.error(`bench: stopping PostgreSQL: ${(err as Error).message}`)
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    run(asOwner(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']))
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`
    run(asOwner(join(bin, 'pg_ctl'), ['-D', data, '-l', logFile, '-o', options, '-w', 'start']))
    running = true
  } catch (err) {
    stop()
    throw err
  }
  const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    logFile,
    version: execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim(),
    pid,
    cpuSeconds: () => clusterCpu(pid),
    logMark: () => statSync(logFile).size,
    errors(since) {
      const text = readFileSync(logFile, 'utf8').slice(since)
      const counts: Record<string, number> = {}
      for (const m of text.matchAll(/ERROR:\s+(.*)/g)) {
        // "could not serialize access due to read/write dependencies among transactions", "deadlock detected", ...
        const key = m[1]!.replace(/\d+/g, 'N').slice(0, 100)
        counts[key] = (counts[key] ?? 0) + 1
      }
      return counts
    },
    refusals(since) {
      const lines = readFileSync(logFile, 'utf8').slice(since).split('\n')
      const counts: Record<string, number> = {}
      lines.forEach((line, i) => {
        if (!/ERROR:\s+(could not serialize|deadlock detected)/.test(line)) return
        // The ERROR's own STATEMENT line follows within its DETAIL and HINT lines.
        const statement = lines.slice(i + 1, i + 5).find((l) => /STATEMENT:/.test(l))
        const verb = statement ? /STATEMENT:\s+(\w+)/.exec(statement)?.[1]?.toLowerCase() : undefined
        const table = statement ? /\b(?:from|into|update)\s+"(\w+)"/i.exec(statement.slice(statement.indexOf('STATEMENT:')))?.[1] : undefined
        const key = verb ? `${verb}${table ? ` ${table}` : ''}` : 'unknown'
        counts[key] = (counts[key] ?? 0) + 1
      })
      return counts
    },
    stop,
  }
}

/** The postmaster's CPU, its children's (backends, checkpointer, WAL writer, autovacuum), and what its exited children used. */
function clusterCpu(postmaster: number): number {
  let ticks = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // stat(5): ppid is field 4 (fields[1]), utime/stime 14-15, cutime/cstime 16-17.
    const pid = Number(entry)
    if (pid === postmaster) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
    else if (Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12])
  }
  return ticks / clockTicks
}

/** Whether the machine has PostgreSQL server binaries (the engines bench needs them). */
export function hasPostgres(): boolean {
  try {
    binDir()
    return true
  } catch {
    return false
  }
}
