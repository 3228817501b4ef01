// A lean HTTP client for the bench: keep-alive to 127.0.0.1 only, a cookie jar per visitor, no
// redirect following unless asked. The sign-in driver uses it; the screen walk adapts it to the
// test Browser's Inject, so page weights are the bytes a client really receives. Every request to
// the portal says, as the TLS proxy in front of it would, that it came in over https (proxyHeaders).
import http from 'node:http'
import type { Inject } from '../../test/helpers/browser.ts'
import { proxyHeaders } from './prepare.ts'

export interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  bytes: number
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

export function send(
  port: number,
  opts: { method: string; path: string; headers?: Record<string, string>; body?: string },
  timeoutMs = 10_000,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body))
    const req = http.request({ host: '127.0.0.1', port, method: opts.method, path: opts.path, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const raw = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8'), bytes: raw.length })
      })
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`timeout ${opts.method} ${opts.path}`)))
    req.on('error', reject)
    if (opts.body !== undefined) req.write(opts.body)
    req.end()
  })
}

/** The test Browser over real HTTP, behind the (pretend) TLS proxy. */
export function httpInject(port: number): Inject {
  return async ({ method, url, headers, payload }) => {
    const res = await send(port, { method, path: url, headers: { ...headers, ...proxyHeaders }, ...(payload !== undefined ? { body: payload } : {}) })
    return { statusCode: res.status, headers: res.headers as Record<string, string | string[] | undefined>, body: res.body }
  }
}

/** One visitor: a cookie jar, the CSRF token of the last page, and the headers a browser sends on a form post. */
export class Visitor {
  private cookies = new Map<string, string>()
  csrf = ''

  /**
   * `port`: the portal's, or a function that names the port of each request in turn: several portal
   * processes behind a round-robin balancer, one browser's requests spread over them. `address`: the
   * browser's own address, as the proxy in front would pass it on (X-Forwarded-For; the bench's portal
   * trusts its proxy); without it every visitor is 127.0.0.1.
   */
  constructor(
    readonly port: number | (() => number),
    readonly origin: string,
    readonly address?: string,
  ) {}

  private proxied(): Record<string, string> {
    return this.address ? { ...proxyHeaders, 'x-forwarded-for': this.address } : { ...proxyHeaders }
  }

  private target(): number {
    return typeof this.port === 'number' ? this.port : this.port()
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private keep(res: Reply): Reply {
    const set = res.headers['set-cookie'] ?? []
    for (const line of set) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (token) this.csrf = token[1]!
    return res
  }

  async get(path: string): Promise<Reply> {
    const headers: Record<string, string> = { 'user-agent': 'mtd-bench', 'sec-fetch-site': 'same-origin', ...this.proxied() }
    if (this.cookies.size) headers.cookie = this.cookieHeader
    return this.keep(await send(this.target(), { method: 'GET', path, headers }))
  }

  async post(path: string, form: Record<string, string>): Promise<Reply> {
    const headers: Record<string, string> = {
      'user-agent': 'mtd-bench',
      'content-type': 'application/x-www-form-urlencoded',
      origin: this.origin,
      'sec-fetch-site': 'same-origin',
      ...this.proxied(),
    }
    if (this.cookies.size) headers.cookie = this.cookieHeader
    const body = new URLSearchParams({ _csrf: this.csrf, ...form }).toString()
    return this.keep(await send(this.target(), { method: 'POST', path, headers, body }))
  }
}
