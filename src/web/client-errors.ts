// What Node's HTTP parser answers before Fastify has a request: a request that did not arrive whole
// within the time limit (408), headers too large (431), bytes that are not HTTP (400). Fastify's own
// answer is JSON for programs; a patient's browser gets the portal's plain page, in Dutch (no
// Accept-Language can be trusted from a request that was never read whole), with the other language
// one link away, and the security headers every page has.
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { Config } from '../config.ts'
import { plainErrorPage } from './errors.ts'
import { securityHeaders } from './security.ts'

interface ClientError extends Error {
  code?: string
}

export function clientErrorAnswer(config: Config): (err: ClientError, socket: Socket) => void {
  const headers = Object.entries(securityHeaders(config))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')
  return (err, socket) => {
    // A reset connection has nobody left to answer (as Fastify's own handler does).
    if (err.code === 'ECONNRESET' || socket.destroyed) return
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
    if (socket.writable) {
      const body = plainErrorPage(status, 'nl')
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}Content-Type: text/html; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      )
    }
    socket.destroy()
  }
}
