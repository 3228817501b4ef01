// Issue 20: mail for a practice carries its name as the sender's display name (at the installation's
// MAIL_FROM_PRACTICE address), quoted and encoded by nodemailer's address objects; and SMS budgets per
// practice, so one practice's incident can not spend the others' SMS.
import type { AddressInfo } from 'node:net'
import addressparser from 'nodemailer/lib/addressparser'
import { SMTPServer } from 'smtp-server'
import t from 'tap'
import type { Test } from 'tap'
import type { NewAccount } from '../src/domain/accounts.ts'
import { browserFrom, startForgot } from './helpers/patients.ts'
import { world } from './helpers/world.ts'

/** The raw header block of each message the SMTP server received, folded lines joined. */
async function smtpServer(t: Test): Promise<{ port: number; heads: string[] }> {
  const heads: string[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        heads.push(raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' '))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { port: (server.server.address() as AddressInfo).port, heads }
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= and =?UTF-8?B?...?=) back to text, as a mail program shows them. */
function decodeWords(header: string): string {
  return header
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, encoding: string, text: string) => {
      if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8')
      const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      return Buffer.from(bytes, 'latin1').toString('utf8')
    })
}

await t.test("the invitation from the practice's name, quotes and all, at the installation's address", async (t) => {
  const smtp = await smtpServer(t)
  const w = await world(t, { env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM_PRACTICE: '"Uitnodigingen" <uitnodiging@portaal.example>' } })
  const names = ['Praktijk "Zonnebloem" – Zoë', 'Praktijk <De Eik>, Groningen', 'Fysio & Psyche; "t Centrum"']
  for (const [i, name] of names.entries()) {
    const practice = await w.addPractice({ name, contact: `050 000 00 0${i}` })
    await w.invite({ name: 'Jan de Vries', email: `jan${i}@example.org`, phone: `+3161234100${i}`, username: `jdevries${i}` }, practice.id)
  }
  await w.runtime.dispatcher.idle()
  t.equal(smtp.heads.length, names.length, 'every invitation received')
  for (const [i, name] of names.entries()) {
    const from = /^From: (.*)$/im.exec(smtp.heads[i]!)?.[1] ?? ''
    t.notOk(/[^\x20-\x7e]/.test(from), `${name}: the From header is plain ASCII on the wire (${from})`)
    // As a mail program reads it: the header's structure first, then the name's encoded words.
    const [parsed, ...more] = addressparser(from, { flatten: true })
    t.same(more, [], `${name}: one address, whatever the name holds`)
    t.same({ ...parsed, name: decodeWords(parsed!.name) }, { name, address: 'uitnodiging@portaal.example' }, `${name}: the practice's name, exactly, at the configured address`)
  }
  // The mails the system sends keep their configured sender (the name is only the practice's mail's).
  t.equal((await w.mail.all()).filter((m) => m.kind === 'invite').every((m) => m.from === 'uitnodiging@portaal.example'), true)
})

await t.test("SMS per practice: practice A's sends stop at its budget while B's still go out", async (t) => {
  const w = await world(t, { env: { SMS_PER_PRACTICE_PER_HOUR: '2' } })
  const warnings: string[] = []
  w.deps.warn = (message) => warnings.push(message)
  const b = await w.addPractice({ name: 'Praktijk Zonnebloem', contact: '020 222 22 22', slug: 'zonnebloem' })
  const patient = (n: number): NewAccount => ({ name: `Cliënt ${n}`, email: `client${n}@example.org`, phone: `+3161234200${n}`, username: `client${n}` })
  for (const n of [1, 2, 3]) await w.invite(patient(n))
  await w.invite(patient(4), b.id)
  // Each from its own address: no client budget is met, only the practice's.
  const send = async (n: number) => {
    const browser = browserFrom(w, `10.50.${n}.1`)
    await startForgot(browser, `client${n}`, `client${n}@example.org`)
    await browser.submit('Stuur verificatiecode')
    return browser
  }
  // Decoys (no account) meet the client's and the portal's budgets only: they spend nothing of A's.
  for (const n of [7, 8, 9]) {
    const decoy = browserFrom(w, `10.60.${n}.1`)
    await startForgot(decoy, `client${n}`, `client${n}@example.org`)
    await decoy.submit('Stuur verificatiecode')
    t.equal(decoy.status, 200, `decoy ${n}: "sent"`)
  }
  t.equal((await send(1)).status, 200)
  t.equal((await send(2)).status, 200)
  const third = await send(3)
  t.equal(third.status, 422, "A's third SMS this hour is refused")
  t.match(third.text, /Er kan op dit moment geen sms worden verstuurd/)
  t.equal((await w.sms.count('+31612342003')), 0, 'and not sent')
  t.equal((await send(4)).status, 200, "B's patient still gets the SMS")
  t.equal((await w.sms.count('+31612342004')), 1)
  const reached = (await w.audit()).filter((e) => e.event === 'sms_budget_reached')
  t.equal(reached.length, 1, 'audited once')
  t.same(JSON.parse(reached[0]!.detail!), { budget: 'practice', limit: 2, practice: 'praktijk' }, "naming A's budget")
  t.match(warnings.join('\n'), /sms-limiet bereikt \(praktijk praktijk: 2 per uur\)/, 'and logged for the operator')
  w.clock.advanceMinutes(61)
  t.equal((await send(3)).status, 200, 'an hour later A may send again')
})
