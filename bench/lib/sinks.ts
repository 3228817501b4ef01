// Where the portal's mail and SMS go in the bench: a local SMTP server (smtp-server) and a local SMS
// webhook, both on 127.0.0.1 only. The portal runs in production mode with the dev outbox off, so it
// delivers every message as it would to a real mail server and gateway (and erases the body from its
// outbox once delivered); the screen walk reads codes and links from what arrived here.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface Delivered {
  /** Arrival order over both channels, from 1. */
  seq: number
  channel: 'mail' | 'sms'
  to: string
  text: string
}

export interface Sinks {
  smtpUrl: string
  smsUrl: string
  /** The sequence number of the last message so far: pass it to `wait` to see only what comes after. */
  mark(): number
  /** The first message to `to` after `since` whose text matches `match`, waiting for delivery (up to `timeoutMs`). */
  wait(to: string, since: number, match?: RegExp, timeoutMs?: number): Promise<string>
  count(): number
  close(): Promise<void>
}

export async function startSinks(): Promise<Sinks> {
  const messages: Delivered[] = []
  const waiters = new Set<() => void>()
  const arrive = (channel: Delivered['channel'], to: string, text: string) => {
    messages.push({ seq: messages.length + 1, channel, to, text })
    for (const w of [...waiters]) w()
  }

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const text = bodyText(Buffer.concat(chunks).toString('utf8'))
        for (const rcpt of session.envelope.rcptTo) arrive('mail', rcpt.address, text)
        callback()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject)
    smtp.listen(0, '127.0.0.1', () => resolve())
  })
  const smtpPort = (smtp.server.address() as AddressInfo).port

  const sms = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      try {
        const { to, text } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string }
        arrive('sms', to, text)
        res.writeHead(202).end()
      } catch {
        res.writeHead(400).end()
      }
    })
  })
  await new Promise<void>((resolve) => sms.listen(0, '127.0.0.1', () => resolve()))
  const smsPort = (sms.address() as AddressInfo).port

  const find = (to: string, since: number, match?: RegExp) => messages.find((m) => m.seq > since && m.to === to && (!match || match.test(m.text)))
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    smsUrl: `http://127.0.0.1:${smsPort}/sms`,
    mark: () => messages.length,
    count: () => messages.length,
    async wait(to, since, match, timeoutMs = 10_000) {
      const found = find(to, since, match)
      if (found) return await Promise.resolve(found.text)
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = find(to, since, match)
          if (!m) return
          done()
          resolve(m.text)
        }
        const timer = setTimeout(() => {
          done()
          reject(new Error(`no message to ${to} within ${timeoutMs} ms`))
        }, timeoutMs)
        const done = () => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
      })
    },
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()))
      sms.closeAllConnections()
      await new Promise<void>((resolve) => sms.close(() => resolve()))
    },
  }
}

/** The text of a single-part mail as nodemailer writes it (7bit, quoted-printable or base64). */
export function bodyText(raw: string): string {
  const split = raw.indexOf('\r\n\r\n')
  const head = split >= 0 ? raw.slice(0, split) : ''
  const body = split >= 0 ? raw.slice(split + 4) : raw
  const encoding = /^content-transfer-encoding:\s*([\w-]+)/im.exec(head)?.[1]?.toLowerCase()
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding === 'quoted-printable') {
    const soft = body.replace(/=\r?\n/g, '')
    const bytes: number[] = []
    for (let i = 0; i < soft.length; i++) {
      const hex = soft[i] === '=' ? /^[0-9A-F]{2}/i.exec(soft.slice(i + 1, i + 3))?.[0] : undefined
      if (hex) {
        bytes.push(parseInt(hex, 16))
        i += 2
      } else bytes.push(...Buffer.from(soft[i]!, 'utf8'))
    }
    return Buffer.from(bytes).toString('utf8')
  }
  return body
}
