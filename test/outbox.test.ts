// The outbox (issue 5): a patient who asked for a code gets it even when the mail server was down,
// exactly once; a message that keeps failing ends as 'failed' after 12 attempts; and two dispatchers
// on one database (two instances, or one after a restart) never deliver a row twice.
import { SMTPServer } from 'smtp-server'
import t from 'tap'
import { freePort } from './helpers/net.ts'
import { createDispatcher, queueMail, type Transports } from '../src/domain/delivery.ts'
import { createRuntime } from '../src/runtime.ts'
import { enterPassword, onboardWithEmail } from './helpers/patients.ts'
import { jan, world, type World } from './helpers/world.ts'

/** A real SMTP server on a fixed port that can be stopped and started; it keeps what it received. */
class MailServer {
  received: string[] = []
  private server: SMTPServer | null = null
  constructor(readonly port: number) {}

  start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          this.received.push(Buffer.concat(chunks).toString('utf8'))
          callback()
        })
      },
    })
    const server = this.server
    return new Promise((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()))
  }

  stop(): Promise<void> {
    const server = this.server
    this.server = null
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()))
  }

  /** Messages whose (quoted-printable) text contains `needle`. */
  containing(needle: string): string[] {
    return this.received.filter((raw) => raw.replace(/=\r?\n/g, '').includes(needle))
  }
}

interface Row {
  id: number
  channel: 'mail' | 'sms'
  kind: string
  status: string
  attempts: number
  lastError: string | null
  nextAttemptAt: number
}

/** Outbox rows, oldest first; SMS go to the dev outbox here (no gateway configured), mail to SMTP. */
const rows = (w: World, kind?: string): Row[] =>
  w.deps.db.$client
    .prepare(`select id, channel, kind, status, attempts, last_error as lastError, next_attempt_at as nextAttemptAt from outbox ${kind ? 'where kind = ?' : ''} order by id`)
    .all(...(kind ? [kind] : [])) as Row[]

/** Lets the dispatcher run once, as the poll timer would. */
async function deliver(w: World): Promise<void> {
  w.runtime.dispatcher.kick()
  await w.runtime.dispatcher.idle()
}

await t.test('the mail server is down while a patient waits for a code: queued, then delivered once when it is back', async (t) => {
  const mailServer = new MailServer(await freePort())
  t.teardown(() => mailServer.stop())
  // Connection refused: nothing listens on the port yet.
  const w = await world(t, { env: { SMTP_URL: `smtp://127.0.0.1:${mailServer.port}` } })
  const p = await onboardWithEmail(w)
  await p.browser.submit('Uitloggen')
  await w.runtime.dispatcher.idle()
  const mails = () => rows(w).filter((r) => r.channel === 'mail')
  t.same(mails().map((r) => r.kind), ['invite', 'continue', 'mfa-enrolled'])
  t.ok(mails().every((r) => r.status === 'pending' && /ECONNREFUSED/.test(r.lastError ?? '')), 'every mail so far waits, with the reason')

  // A minute later (the e-mail method counts from the next sign-in on).
  w.clock.advanceMinutes(1)
  const b = await enterPassword(w.browser(), 'jdevries', p.password)
  await b.submit('Stuur verificatiecode')
  t.equal(b.status, 200)
  t.match(b.text, /De verificatiecode is verstuurd naar uw e-mailadres/, 'the page says the code is on its way (it is queued)')
  await w.runtime.dispatcher.idle()
  const [queued] = rows(w, 'mfa-code')
  t.equal(queued?.status, 'pending', 'the code mail is pending')
  t.equal(queued?.attempts, 1, 'after one attempt')
  t.match(queued?.lastError, /ECONNREFUSED/, 'with the last error')
  t.equal(queued!.nextAttemptAt - w.clock.ms, 5_000, 'the next attempt in 5 s')
  t.ok(mails().every((r) => r.status === 'pending'), 'nothing got through')

  // Not due yet: a kick before the backoff does not send, even with the server back.
  await mailServer.start()
  await deliver(w)
  t.equal(rows(w, 'mfa-code')[0]?.status, 'pending', 'not retried before the backoff')
  t.equal(mailServer.received.length, 0)

  w.clock.advanceSeconds(6)
  await deliver(w)
  const [sent] = rows(w, 'mfa-code')
  t.equal(sent?.status, 'sent', 'delivered after the backoff')
  t.equal(sent?.attempts, 2)
  t.equal(sent?.lastError, null, 'the error is cleared')
  const code = await w.mail.lastCodeTo(jan.email)
  t.equal(mailServer.containing(code).length, 1, 'the SMTP server received the code once')
  t.equal(mailServer.received.length, 1, 'the older mails wait for their own backoff')
  t.match(mailServer.containing(code)[0], /^To: jan@example\.org\r?$/m, 'to the patient')

  // The code as it arrived over SMTP signs the patient in.
  await b.submit('Verifieer code', { 'one-time-code': code })
  t.match(b.text, /Welkom, Jan de Vries/)

  // More kicks, later: the older mails go out too, and nothing is sent twice.
  for (let i = 0; i < 3; i++) {
    w.clock.advanceMinutes(10)
    await deliver(w)
  }
  t.equal(mailServer.containing(code).length, 1, 'still once')
  t.ok(mails().every((r) => r.status === 'sent'), 'every mail delivered')
  t.equal(mailServer.received.length, mails().length, 'every mail once')
})

await t.test('a mail that keeps failing is retried with backoff and ends as failed after 12 attempts', async (t) => {
  const port = await freePort()
  const w = await world(t, { env: { SMTP_URL: `smtp://127.0.0.1:${port}` } })
  await w.invite()
  await w.runtime.dispatcher.idle()
  const waits: number[] = []
  for (let attempt = 1; attempt < 12; attempt++) {
    const [row] = rows(w, 'invite')
    t.equal(row?.status, 'pending', `attempt ${attempt}: still pending`)
    t.equal(row?.attempts, attempt)
    waits.push(row!.nextAttemptAt - w.clock.ms)
    w.clock.advance(row!.nextAttemptAt - w.clock.ms)
    await deliver(w)
  }
  t.same(waits, [5, 10, 20, 40, 80, 160, 320, 600, 600, 600, 600].map((s) => s * 1000), 'backoff doubles from 5 s, capped at 10 minutes')
  const [failed] = rows(w, 'invite')
  t.equal(failed?.status, 'failed', 'failed after 12 attempts')
  t.equal(failed?.attempts, 12)
  t.match(failed?.lastError, /ECONNREFUSED/)

  // A failed row is left alone, also when the server comes back.
  const mailServer = new MailServer(port)
  await mailServer.start()
  t.teardown(() => mailServer.stop())
  w.clock.advanceHours(2)
  await deliver(w)
  t.equal(rows(w, 'invite')[0]?.status, 'failed')
  t.equal(rows(w, 'invite')[0]?.attempts, 12, 'no 13th attempt')
  t.equal(mailServer.received.length, 0)
})

await t.test('two dispatchers on one database never deliver a row twice (the lease)', async (t) => {
  const delivered: { by: string; to: string }[] = []
  /** A transport that takes a moment (a real SMTP round trip does), so the two dispatchers interleave. */
  const slow = (by: string): Transports => ({
    async mail(message) {
      await new Promise((resolve) => setImmediate(resolve))
      delivered.push({ by, to: message.to })
    },
    async sms(message) {
      await new Promise((resolve) => setImmediate(resolve))
      delivered.push({ by, to: message.to })
    },
  })
  const w = await world(t, { transports: slow('a') })
  const other = await createRuntime(w.config, { clock: w.clock, transports: slow('b'), log: () => {} })
  t.teardown(() => other.close())

  const count = 40
  await w.deps.db.transaction(async () => {
    for (let i = 0; i < count; i++) {
      await queueMail(w.deps, { accountId: null, kind: 'test', to: `p${i}@example.org`, from: w.config.senders.system, subject: 'Test', text: `bericht ${i}` })
    }
  })
  w.runtime.dispatcher.kick()
  other.dispatcher.kick()
  await Promise.all([w.runtime.dispatcher.idle(), other.dispatcher.idle()])

  t.equal(delivered.length, count, 'every row delivered')
  t.equal(new Set(delivered.map((d) => d.to)).size, count, 'no row twice')
  t.ok(delivered.some((d) => d.by === 'a') && delivered.some((d) => d.by === 'b'), 'both dispatchers took part')
  t.ok(rows(w, 'test').every((r) => r.status === 'sent' && r.attempts === 1), 'each row sent on its first attempt')

  // A dispatcher that finds a row leased by another (it is sending it now) leaves it alone.
  await queueMail(w.deps, { accountId: null, kind: 'test', to: 'leased@example.org', from: w.config.senders.system, subject: 'Test', text: 'lease' })
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  const hanging: Transports = {
    async mail(message) {
      await held
      delivered.push({ by: 'c', to: message.to })
    },
    sms: async () => {},
  }
  const third = createDispatcher(w.deps, hanging, { warn: () => {}, error: () => {} })
  third.kick()
  await new Promise((resolve) => setImmediate(resolve))
  w.clock.advanceSeconds(60) // within the 2-minute lease
  other.dispatcher.kick()
  await other.dispatcher.idle()
  release()
  await third.idle()
  t.same(delivered.filter((d) => d.to === 'leased@example.org').map((d) => d.by), ['c'], 'delivered once, by the dispatcher that holds the lease')
})

await t.test('a restart delivers what was queued before it, once', async (t) => {
  const port = await freePort()
  const first = await world(t, { env: { SMTP_URL: `smtp://127.0.0.1:${port}` } })
  await first.invite()
  await first.runtime.dispatcher.idle()
  t.equal(rows(first, 'invite')[0]?.status, 'pending', 'queued while the mail server is down')
  await first.runtime.close()

  const mailServer = new MailServer(port)
  await mailServer.start()
  t.teardown(() => mailServer.stop())
  // The same database file, a new process' worth of runtime: its dispatcher starts with a run.
  const second = await createRuntime(first.config, { clock: first.clock, log: () => {} })
  t.teardown(() => second.close())
  first.clock.advanceSeconds(6)
  second.dispatcher.start(60_000)
  await second.dispatcher.idle()
  const invite = second.deps.db.$client.prepare("select status, attempts from outbox where kind = 'invite'").get() as { status: string; attempts: number }
  t.same(invite, { status: 'sent', attempts: 2 }, 'sent by the restarted dispatcher')
  t.equal(mailServer.received.length, 1, 'once')
  t.match(mailServer.received[0], /Subject:/)
})
