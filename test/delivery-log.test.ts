// Delivery failures in the operator's log (issue 22, item 7): one JSON line per failed attempt, through the
// server's logger, with the cause an operator can act on (ECONNREFUSED, the SMTP reply code and text, the
// gateway's HTTP status) and never the message's body, its code or its link.
import { createServer } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SMTPServer } from 'smtp-server'
import t from 'tap'
import type { Test } from 'tap'
import { loadConfig } from '../src/config.ts'
import { queueMail, queueSms } from '../src/domain/delivery.ts'
import { createRuntime } from '../src/runtime.ts'
import { createLog } from '../src/web/log.ts'
import { freePort } from './helpers/net.ts'
import { FakeClock, testSecretKey } from './helpers/world.ts'

interface Line {
  level: number
  msg: string
  channel?: string
  outboxId?: number
  kind?: string
  attempt?: number
  final?: boolean
  cause?: { code?: string; smtpCode?: number; smtpReply?: string; smtpCommand?: string; httpStatus?: number; message: string }
}

const secretText = 'Uw code is 493817. Of open https://dossier.example/verder/Qm9vZ2llV29vZ2llLWFiY2RlZmdoaWprbG1ub3Bx'

/** A runtime with real transports to these URLs, logging through the server's JSON logger into `lines`. */
async function runtimeFor(t: Test, urls: { smtp: string; sms: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-delivery-log-'))
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'portal.db'), SECRET_KEY: testSecretKey, SMTP_URL: urls.smtp, SMS_WEBHOOK_URL: urls.sms })
  const lines: Line[] = []
  const clock = new FakeClock()
  const runtime = await createRuntime(config, { clock, logger: createLog({ write: (line) => lines.push(JSON.parse(line) as Line) }) })
  t.teardown(async () => {
    await runtime.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const { deps } = runtime
  const send = async (channels: ('mail' | 'sms')[]) => {
    await deps.db.transaction(async () => {
      if (channels.includes('mail')) await queueMail(deps, { accountId: null, kind: 'mfa-code', to: 'jan@example.org', from: 'verificatie@example.org', subject: 'Uw code', text: secretText })
      if (channels.includes('sms')) await queueSms(deps, { accountId: null, kind: 'phone-code', to: '+31612341361', text: secretText })
    })
    deps.notify()
    await runtime.dispatcher.idle()
  }
  return { runtime, lines, clock, send }
}

function noSecrets(t: Test, lines: Line[]) {
  const text = JSON.stringify(lines)
  t.notOk(text.includes('493817'), 'never the code')
  t.notOk(text.includes('Qm9vZ2llV29vZ2ll'), 'never the link')
  t.notOk(text.includes('Uw code'), 'never the subject or body')
}

await t.test('a closed port: the mail server and the SMS gateway refuse the connection (ECONNREFUSED)', async (t) => {
  const closed = await freePort()
  const { lines, send } = await runtimeFor(t, { smtp: `smtp://127.0.0.1:${closed}`, sms: `http://127.0.0.1:${closed}/sms` })
  await send(['mail', 'sms'])
  t.equal(lines.length, 2, 'one line per failed attempt')
  const [mail, sms] = [lines.find((l) => l.channel === 'mail')!, lines.find((l) => l.channel === 'sms')!]
  t.match(mail, { level: 40, msg: 'delivery failed, will retry', kind: 'mfa-code', attempt: 1, final: false, cause: { code: 'ECONNREFUSED', message: /ECONNREFUSED/ } })
  t.match(sms, { level: 40, msg: 'delivery failed, will retry', kind: 'phone-code', attempt: 1, final: false, cause: { code: 'ECONNREFUSED' } })
  t.type(mail.outboxId, 'number', 'the outbox row, to find it again')
  noSecrets(t, lines)
})

await t.test('an SMTP server that refuses the recipient: the command, reply code and text', async (t) => {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }))
    },
  })
  const port = await freePort()
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { lines, send, runtime } = await runtimeFor(t, { smtp: `smtp://127.0.0.1:${port}`, sms: 'http://127.0.0.1:9/sms' })
  await send(['mail'])
  t.equal(lines.length, 1)
  t.match(lines[0], { level: 40, channel: 'mail', cause: { smtpCommand: 'RCPT TO', smtpCode: 550, smtpReply: '550 5.1.1 Mailbox unavailable' } })
  noSecrets(t, lines)
  const row = runtime.deps.db.$client.prepare('select last_error as lastError from outbox').get() as { lastError: string }
  t.equal(row.lastError, 'SMTP 550 (RCPT TO): 550 5.1.1 Mailbox unavailable', 'the practice sees the reply too')
})

await t.test("an SMS gateway that answers 503: its HTTP status, never its body; after 12 attempts an error line", async (t) => {
  const gateway = createServer((req, res) => {
    req.resume()
    // A gateway that echoes the message back: the log must not repeat it.
    res.writeHead(503, { 'content-type': 'text/plain' }).end(`overloaded, could not send: ${secretText}`)
  })
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', () => resolve()))
  t.teardown(() => new Promise<void>((resolve) => gateway.close(() => resolve())))
  const { port } = gateway.address() as { port: number }
  const { lines, send, clock, runtime } = await runtimeFor(t, { smtp: 'smtp://127.0.0.1:9', sms: `http://127.0.0.1:${port}/sms` })
  await send(['sms'])
  t.match(lines[0], { level: 40, channel: 'sms', cause: { httpStatus: 503, message: 'SMS gateway answered HTTP 503' } })
  for (let attempt = 2; attempt <= 12; attempt++) {
    clock.advanceMinutes(11) // past the longest backoff
    runtime.deps.notify()
    await runtime.dispatcher.idle()
  }
  t.equal(lines.length, 12, 'one line per attempt')
  t.match(lines[11], { level: 50, msg: 'delivery failed, no retries left', attempt: 12, final: true, cause: { httpStatus: 503 } })
  noSecrets(t, lines)
})
