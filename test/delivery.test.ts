// Real delivery: the invitation and the second mail through a real SMTP server (smtp-server), and the
// SMS through the webhook to a local HTTP gateway, with a failure retried after the backoff, once.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import type { Test } from 'tap'
import { SMTPServer } from 'smtp-server'
import { jan, walkToPhone, world } from './helpers/world.ts'

interface Received {
  mailFrom: string
  rcptTo: string[]
  headers: Record<string, string>
  body: string
}

/** Quoted-printable (RFC 2045) to text: soft line breaks joined, =XX bytes decoded as UTF-8. */
function decodeQuotedPrintable(s: string): string {
  const soft = s.replace(/=\r?\n/g, '')
  const bytes: number[] = []
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3)
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else bytes.push(...Buffer.from(soft[i]!, 'utf8'))
  }
  return Buffer.from(bytes).toString('utf8')
}

/** A single-part text message as the SMTP server received it. */
function parseMessage(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  const headers: Record<string, string> = {}
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const encoded = raw.slice(split + 4)
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase()
  const body =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(encoded)
      : encoding === 'base64'
        ? Buffer.from(encoded.replace(/\s/g, ''), 'base64').toString('utf8')
        : encoded
  return { headers, body: body.replace(/\r\n/g, '\n') }
}

async function smtpServer(t: Test): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom
        received.push({
          mailFrom: mailFrom ? mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          ...parseMessage(Buffer.concat(chunks).toString('utf8')),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { port: (server.server.address() as AddressInfo).port, received }
}

/** The address inside `"Name" <address>` or `Name <address>`. */
const addressOf = (from: string) => /<([^>]+)>/.exec(from)?.[1] ?? from

await t.test('mail through a real SMTP server: the invitation and the second mail', async (t) => {
  const smtp = await smtpServer(t)
  const w = await world(t, { env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } })
  await w.invite()
  await w.runtime.dispatcher.idle()

  t.equal(smtp.received.length, 1, 'one message received')
  const invite = smtp.received[0]!
  const practice = w.config.senders.practice
  t.equal(invite.mailFrom, addressOf(practice), 'envelope: from the practice')
  t.same(invite.rcptTo, [jan.email], 'envelope: to the patient')
  t.match(invite.headers.from, /Praktijk De Linde/, 'From: the practice name')
  t.equal(addressOf(invite.headers.from!), addressOf(practice), 'From: the practice address')
  t.equal(addressOf(invite.headers.to!), jan.email, 'To: the patient')
  t.match(invite.headers['content-type'], /^text\/plain; charset=utf-8/i, 'plain text')
  t.match(invite.body, /Uw gebruikersnaam is:\njdevries\n/, 'the username')
  const link = /http:\/\/localhost:3000(\/uitnodiging\/[A-Za-z0-9_-]{43})\n/.exec(invite.body)
  t.ok(link, 'the link, whole')
  const outbox = await w.mail.lastTo(jan.email, 'invite')
  t.equal(outbox.status, 'sent')
  t.equal(outbox.attempts, 1)

  // The patient follows the link from the received mail.
  const b = w.browser()
  await b.get(link![1]!)
  t.equal(b.status, 200)
  await b.submit('Volgende')
  t.match(b.text, /geverifieerd/)
  await w.runtime.dispatcher.idle()

  t.equal(smtp.received.length, 2, 'the second mail arrived')
  const second = smtp.received[1]!
  t.equal(second.mailFrom, addressOf(w.config.senders.system), 'envelope: from the system sender')
  t.equal(addressOf(second.headers.from!), addressOf(w.config.senders.system), 'From: the system sender')
  t.not(addressOf(second.headers.from!), addressOf(practice))
  t.same(second.rcptTo, [jan.email])
  const next = /http:\/\/localhost:3000(\/verder\/[A-Za-z0-9_-]{43})\n/.exec(second.body)
  t.ok(next, 'a link to continue')
  const c = w.browser()
  await c.get(next![1]!)
  await c.submit('Stuur verificatiecode')
  t.equal(c.url, '/account/telefoon', 'the mailed link works')
})

await t.test('SMS through the webhook: bearer token, JSON, a failure retried after the backoff, delivered once', async (t) => {
  const requests: { method: string; url: string; headers: IncomingHttpHeaders; body: string; answered: number }[] = []
  let answer = 500
  const gateway = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: answer })
      res.writeHead(answer, { 'content-type': 'application/json' }).end(answer === 200 ? '{"ok":true}' : '{"error":"busy"}')
    })
  })
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => gateway.close(() => resolve())))
  const port = (gateway.address() as AddressInfo).port

  const w = await world(t, { env: { SMS_WEBHOOK_URL: `http://127.0.0.1:${port}/sms`, SMS_WEBHOOK_TOKEN: 'gateway-token-42' } })
  await w.invite()
  const b = await walkToPhone(w)
  await b.submit('Stuur verificatiecode')
  t.equal(b.status, 200)
  await w.runtime.dispatcher.idle()

  // The gateway answered 500: the SMS stays pending.
  t.equal(requests.length, 1, 'one attempt')
  const first = requests[0]!
  t.equal(first.method, 'POST')
  t.equal(first.url, '/sms')
  t.equal(first.headers.authorization, 'Bearer gateway-token-42')
  t.match(first.headers['content-type'], /^application\/json/)
  const payload = JSON.parse(first.body) as { to: string; text: string }
  t.same(Object.keys(payload).sort(), ['text', 'to'])
  t.equal(payload.to, '+31612341361')
  const code = /\b(\d{6})\b/.exec(payload.text)?.[1]
  t.ok(code, 'the text carries the code')
  let sms = (await w.sms.all())[0]!
  t.equal(sms.status, 'pending', 'still pending after the 500')
  t.equal(sms.attempts, 1)
  t.match(sms.lastError, /500/)

  // Before the backoff (5 s) nothing is retried.
  answer = 200
  w.clock.advanceSeconds(2)
  w.runtime.dispatcher.kick()
  await w.runtime.dispatcher.idle()
  t.equal(requests.length, 1, 'no retry before the backoff')

  // After it, one retry, delivered.
  w.clock.advanceSeconds(4)
  w.runtime.dispatcher.kick()
  await w.runtime.dispatcher.idle()
  t.equal(requests.length, 2, 'retried once')
  t.equal(requests[1]!.body, first.body, 'the same message')
  sms = (await w.sms.all())[0]!
  t.equal(sms.status, 'sent')
  t.equal(sms.attempts, 2)
  t.equal(sms.lastError, null)

  // The delivered code is the one that verifies the phone.
  await b.submit('Verifieer code', { 'one-time-code': code! })
  t.equal(b.url, '/account/wachtwoord')

  // Never twice.
  for (let i = 0; i < 3; i++) {
    w.clock.advanceMinutes(15)
    w.runtime.dispatcher.kick()
    await w.runtime.dispatcher.idle()
  }
  t.equal(requests.length, 2, 'no further attempts')
  t.equal(requests.filter((r) => r.answered === 200).length, 1, 'delivered exactly once')
})
