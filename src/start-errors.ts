// The usual mistakes met at start (a port in use, a data folder the service may not write), turned into
// one plain line each, printed like every other configuration problem with exit code 78 (EX_CONFIG),
// instead of a stack trace. Anything not recognised here is a real error and keeps its stack.
import { userInfo } from 'node:os'
import { dirname } from 'node:path'

const codeOf = (err: unknown): string => (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : '')

/** `app.listen` failed: why, for PORT/HOST (or METRICS_PORT/METRICS_HOST), or null when it is not a setting's fault. */
export function listenProblem(err: unknown, names: { port: string; host: string }, host: string, port: number): string | null {
  switch (codeOf(err)) {
    case 'EADDRINUSE':
      return `${names.port}: poort ${port} op ${host} is al in gebruik (draait het portaal al, of een ander programma?). Stop dat programma of kies een andere ${names.port}.`
    case 'EACCES':
      return `${names.port}: poort ${port} op ${host} mag deze gebruiker niet openen (poorten onder 1024 vragen extra rechten). Kies een poort vanaf 1024 en zet de reverse proxy ervoor.`
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${names.host}: ${JSON.stringify(host)} is geen adres van deze machine. Gebruik 127.0.0.1 achter een reverse proxy, of een adres van deze machine.`
    default:
      return null
  }
}

/** Opening or migrating the SQLite file failed: why, naming the file, or null when it is not the folder's or the file's fault. */
export function storageProblem(err: unknown, databasePath: string): string | null {
  const code = codeOf(err)
  const folder = dirname(databasePath)
  const user = currentUser()
  const owner = `De map en het bestand moeten voor de gebruiker van het portaal (${user}) schrijfbaar zijn`
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_PERM' || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY')) {
    return `DATABASE_PATH: ${databasePath} kan niet worden aangemaakt of geschreven (${code}). ${owner}, bijvoorbeeld \`install -d -o ${user} -m 0700 ${folder}\`; of kies een ander DATABASE_PATH.`
  }
  if (code === 'EROFS') return `DATABASE_PATH: ${databasePath} ligt op een alleen-lezen bestandssysteem (EROFS). Kies een DATABASE_PATH op een schrijfbare schijf (bij systemd: ReadWritePaths= of StateDirectory=).`
  if (code === 'ENOTDIR' || code === 'EISDIR') return `DATABASE_PATH: ${databasePath} is geen bestandspad (${code}): een deel ervan is een bestand, of het pad is een map.`
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') return `DATABASE_PATH: de schijf van ${folder} is vol (${code}).`
  if (code === 'SQLITE_NOTADB') return `DATABASE_PATH: ${databasePath} is geen SQLite-database van het portaal (${code}). Controleer het pad.`
  return null
}

function currentUser(): string {
  try {
    return userInfo().username
  } catch {
    return String(process.getuid?.() ?? 'onbekend')
  }
}
