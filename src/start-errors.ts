// The usual mistakes met at start (a port in use, a data folder the service may not write), turned into
// one plain line each, printed like every other configuration problem with exit code 78 (EX_CONFIG),
// instead of a stack trace, in the operator's language. Anything not recognised here is a real error and
// keeps its stack.
import { userInfo } from 'node:os'
import { dirname } from 'node:path'
import { fill, type Lang } from './messages.ts'
import { operatorMessages } from './operator.ts'

const codeOf = (err: unknown): string => (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : '')

/** `app.listen` failed: why, for PORT/HOST (or METRICS_PORT/METRICS_HOST), or null when it is not a setting's fault. */
export function listenProblem(err: unknown, names: { port: string; host: string }, host: string, port: number, lang: Lang = 'nl'): string | null {
  const o = operatorMessages(lang).startErrors
  switch (codeOf(err)) {
    case 'EADDRINUSE':
      return fill(o.portInUse, { name: names.port, port, host })
    case 'EACCES':
      return fill(o.portDenied, { name: names.port, port, host })
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fill(o.hostUnknown, { name: names.host, host: JSON.stringify(host) })
    default:
      return null
  }
}

/** Opening or migrating the SQLite file failed: why, naming the file, or null when it is not the folder's or the file's fault. */
export function storageProblem(err: unknown, databasePath: string, lang: Lang = 'nl'): string | null {
  const o = operatorMessages(lang).startErrors
  const code = codeOf(err)
  const folder = dirname(databasePath)
  const user = currentUser(o.unknownUser)
  const values = { path: databasePath, code, folder, user }
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_PERM' || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY')) return fill(o.unwritable, values)
  if (code === 'EROFS') return fill(o.readOnlyFs, values)
  if (code === 'ENOTDIR' || code === 'EISDIR') return fill(o.notAPath, values)
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') return fill(o.diskFull, values)
  if (code === 'SQLITE_NOTADB') return fill(o.notADatabase, values)
  return null
}

function currentUser(unknown: string): string {
  try {
    return userInfo().username
  } catch {
    return String(process.getuid?.() ?? unknown)
  }
}
