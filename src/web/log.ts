// The server's one log: pino (Fastify's logger, resolved from Fastify), JSON lines on standard output.
// The request log (app.ts) and the operator's lines (delivery failures, warnings: runtime.ts) share it,
// so a log shipper reads one format.
import type { FastifyBaseLogger } from 'fastify'
import { createRequire } from 'node:module'
import { redactUrl } from './redact-url.ts'

const fastifyRequire = createRequire(import.meta.resolve('fastify'))

/**
 * Standard output through pino's own destination, in blocks of 4 KB (some 17 lines) instead of one write
 * per line: a write per request was a tenth of a page's CPU, and on a busy disk it held up every request
 * behind it (docs/benchmarks.md). What is pending goes out within a second, and when the process exits
 * (a crash and a SIGTERM included); only a SIGKILL loses the last second's lines. The log is a stream:
 * nothing to reopen at SIGHUP (logrotate with copytruncate, or journald, takes care of the file).
 */
function stdoutDestination() {
  const pino = fastifyRequire('pino') as typeof import('pino')
  const destination = pino.destination({ dest: 1, sync: true, minLength: 4096 })
  setInterval(() => destination.flushSync(), 1000).unref()
  process.on('exit', () => destination.flushSync())
  return destination
}

/** The logger; `stream` for tests (one JSON line per write). */
export function createLog(stream?: { write: (line: string) => void }): FastifyBaseLogger {
  const pino = fastifyRequire('pino') as typeof import('pino')
  return pino(
    {
      // The URL with link tokens redacted (web/redact-url.ts), and the client's address by TRUST_PROXY's rule.
      serializers: { req: (req: { method: string; url: string; ip: string }) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }) },
    },
    stream ?? stdoutDestination(),
  ) as unknown as FastifyBaseLogger
}
