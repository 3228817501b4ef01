// What the bench reads from Linux about a process: CPU time (/proc/<pid>/stat), memory
// (/proc/<pid>/status), and how to pin a process to one core (taskset, when it exists).
import { execFileSync, spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** User plus system CPU seconds of a process, all its threads (argon2 runs on libuv's pool) included. */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuSplit(pid)
  return user + system
}

/** The same, split into user and kernel (system) seconds. */
export function cpuSplit(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Field 3 of stat(5) is fields[0]: utime is field 14, stime field 15.
  return { user: Number(fields[11]) / clockTicks, system: Number(fields[12]) / clockTicks }
}

/** Resident memory in MB (VmRSS), and the peak so far (VmHWM). */
export function memoryMB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

/** Resets VmHWM (the peak RSS), so a later read shows the peak of what came after. */
export function resetPeak(pid: number): boolean {
  try {
    execFileSync('sh', ['-c', `echo 5 > /proc/${pid}/clear_refs`])
    return true
  } catch {
    return false
  }
}

export const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

export const coreCount = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? 1
  } catch {
    return 1
  }
})()

/** The core servers run on, and the one the load generator runs on (the same one on a 1-core machine). */
export const serverCore = coreCount > 1 ? 1 : 0
export const clientCore = 0

/** Pins this process (the load generator) to the client core. */
export function pinSelf(): boolean {
  if (!hasTaskset) return false
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(clientCore), String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Every core: for a process that should run where the kernel puts it (this process is pinned, and its children inherit that). */
export const allCores = `0-${coreCount - 1}`

/**
 * Starts `node args...` pinned to the server core (or to `cores`, a taskset list such as `allCores`).
 * With taskset, the pid is node's own (taskset execs).
 * `output`: a file descriptor for the child's stdout and stderr (an operator's log file), else pipes.
 */
export function spawnPinned(args: string[], env: NodeJS.ProcessEnv, cwd: string, output?: number, cores = String(serverCore)): ChildProcess {
  const [command, argv] = hasTaskset ? ['taskset', ['-c', cores, process.execPath, ...args]] : [process.execPath, args]
  const stdio: StdioOptions = output === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', output, output]
  return spawn(command, argv as string[], { cwd, env, stdio })
}

/** Stops a child we started, by its pid, and waits for it to exit (SIGKILL after a grace period). */
export async function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/** Per thread of a process: its name, CPU seconds and minor page faults so far (/proc/<pid>/task). */
export function threadTimes(pid: number): Map<number, { name: string; cpu: number; faults: number }> {
  const threads = new Map<number, { name: string; cpu: number; faults: number }>()
  for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      threads.set(tid, { name, cpu: (Number(fields[11]) + Number(fields[12])) / clockTicks, faults: Number(fields[7]) })
    } catch {
      /* the thread ended */
    }
  }
  return threads
}

/** What each thread did between two `threadTimes` reads: busiest first. */
export function threadDelta(before: ReturnType<typeof threadTimes>, after: ReturnType<typeof threadTimes>): { tid: number; name: string; cpu: number; faults: number }[] {
  return [...after]
    .map(([tid, a]) => ({ tid, name: a.name, cpu: a.cpu - (before.get(tid)?.cpu ?? 0), faults: a.faults - (before.get(tid)?.faults ?? 0) }))
    .sort((x, y) => y.cpu - x.cpu)
}
