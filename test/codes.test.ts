// The SMS code of Stap 2 (Accountverificatie): six digits, 10 minutes, single use, 5 wrong tries,
// a new code voids the old one, a 30 s cooldown and 5 per hour, bound to the browser's flow, and
// stored only as a keyed hash.
import { createHash, createHmac } from 'node:crypto'
import t from 'tap'
import { checkCode, sendCode } from '../src/domain/codes.ts'
import { csrfOf, type Browser } from './helpers/browser.ts'
import { jan, world, type World } from './helpers/world.ts'

/** Stap 1 done and the second mail's link opened: the browser is on Stap 2 ('Stuur verificatiecode' binds it). */
async function atPhoneStep(w: World): Promise<Browser> {
  await w.invite()
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  if (b.$('h1').text().trim() !== 'Accountverificatie') throw new Error(`expected Stap 2, got ${b.url}`)
  return b
}

/** A six-digit code other than `code`. */
const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

const phoneVerified = async (w: World) => (await w.account('jdevries')).phoneVerifiedAt !== null
/** The code field's error, or (at a cap, where the page has no field left) the summary's. */
const errorText = (b: Browser) => (b.$('#code-error').text() || b.$('.error-summary li').text()).replace(/^Fout:\s*/, '').trim()

await t.test('the SMS carries a six-digit code, stored only as a keyed hash', async (t) => {
  const w = await world(t)
  const b = await atPhoneStep(w)
  await b.submit('Stuur verificatiecode')
  t.equal((await w.sms.count(jan.phone)), 1)
  const sms = (await w.sms.all())[0]!
  t.equal(sms.to, '+31612341361')
  const runs = sms.text.match(/\d{6,}/g) ?? []
  t.equal(runs.length, 1, 'one code in the text')
  t.match(runs[0], /^\d{6}$/, 'exactly six digits')
  t.match(sms.text, /10 minuten geldig/)
  const code = await w.sms.lastCodeTo(jan.phone)

  const rows = await w.sql.all<{ code_hash: string; binding_hash: string }>('select code_hash, binding_hash from codes')
  t.equal(rows.length, 1)
  const row = rows[0]!
  t.match(row.code_hash, /^[0-9a-f]{64}$/)
  t.notOk(row.code_hash.includes(code) || row.binding_hash.includes(code), 'no code digits in the table')
  t.not(row.code_hash, createHash('sha256').update(code).digest('hex'), 'not a plain hash (10^6 values are brute-forced in a moment)')
  t.equal(row.code_hash, createHmac('sha256', w.deps.keys.codes).update(code).digest('hex'), 'a keyed hash')
})

await t.test('a wrong or malformed code stays on the page with an error', async (t) => {
  const w = await world(t)
  const b = await atPhoneStep(w)
  await b.submit('Stuur verificatiecode')
  const code = await w.sms.lastCodeTo(jan.phone)
  const rows = [
    { name: 'wrong digits', typed: otherThan(code), error: 'Deze code klopt niet. Controleer de code en probeer het opnieuw.', counts: true },
    { name: 'five digits', typed: code.slice(0, 5), error: 'Vul de 6 cijfers van de code in.', counts: false },
    { name: 'letters', typed: 'abcdef', error: 'Vul de 6 cijfers van de code in.', counts: false },
    { name: 'empty', typed: '', error: 'Vul de 6 cijfers van de code in.', counts: false },
    { name: 'seven digits', typed: code + '1', error: 'Vul de 6 cijfers van de code in.', counts: false },
  ]
  let attempts = 0
  for (const row of rows) {
    await b.submit('Verifieer code', { 'one-time-code': row.typed })
    t.equal(b.status, 422, `${row.name}: 422`)
    t.equal(b.url, '/account/telefoon', `${row.name}: stays`)
    t.equal(errorText(b), row.error, `${row.name}: the error`)
    t.equal(b.field('Verificatiecode').attr('aria-invalid'), 'true', `${row.name}: field marked`)
    t.equal(b.$('.error-summary').length, 1, `${row.name}: error summary`)
    t.notOk((await phoneVerified(w)), `${row.name}: not verified`)
    if (row.counts) attempts++
    const stored = (await w.sql.get<{ attempts: number }>('select attempts from codes'))!
    t.equal(stored.attempts, attempts, `${row.name}: ${row.counts ? 'counted' : 'not counted'} as a try`)
  }
  // "123 456" as copied from an SMS is the code.
  await b.submit('Verifieer code', { 'one-time-code': `${code.slice(0, 3)} ${code.slice(3)}` })
  t.equal(b.url, '/account/wachtwoord')
  t.ok((await phoneVerified(w)))
})

await t.test('five wrong tries void the code', async (t) => {
  const w = await world(t)
  const b = await atPhoneStep(w)
  await b.submit('Stuur verificatiecode')
  const code = await w.sms.lastCodeTo(jan.phone)
  for (let i = 1; i <= 5; i++) {
    await b.submit('Verifieer code', { 'one-time-code': otherThan(code) })
    t.equal(b.status, 422, `try ${i}`)
    t.equal(errorText(b), i < 5 ? 'Deze code klopt niet. Controleer de code en probeer het opnieuw.' : 'Deze code is niet meer geldig. Vraag een nieuwe code aan.', `try ${i}: message`)
  }
  // Past the guessing delay that five failures start, the right code is refused all the same.
  w.clock.advanceSeconds(31)
  await b.submit('Verifieer code', { 'one-time-code': code })
  t.equal(b.status, 422)
  t.equal(b.url, '/account/telefoon')
  t.notOk((await phoneVerified(w)), 'the voided code verifies nothing')
  const row = (await w.sql.get<{ used_at: number | null }>('select used_at from codes'))!
  t.ok(row.used_at, 'the code is spent in the database')
  t.ok((await w.audit()).filter((e) => e.event === 'code_failed').length >= 5, 'the failures are audited')

  // A new code works (once the guessing delay has passed).
  w.clock.advanceMinutes(2)
  await b.submit('Stuur een nieuwe code')
  w.clock.advanceMinutes(2)
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.equal(b.url, '/account/wachtwoord', b.text)
  t.ok((await phoneVerified(w)))
})

await t.test('a code is valid 10 minutes', async (t) => {
  const rows = [
    { name: '+9m59s: accepted', after: 9 * 60 + 59, ok: true },
    { name: '+10m+1s: expired', after: 10 * 60 + 1, ok: false },
  ]
  for (const row of rows) {
    const w = await world(t)
    const b = await atPhoneStep(w)
    await b.submit('Stuur verificatiecode')
    w.clock.advanceSeconds(row.after)
    await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
    if (row.ok) {
      t.equal(b.url, '/account/wachtwoord', row.name)
      t.ok((await phoneVerified(w)), row.name)
    } else {
      t.equal(b.status, 422, row.name)
      t.equal(errorText(b), 'Deze code is verlopen. Vraag een nieuwe code aan.', row.name)
      t.notOk((await phoneVerified(w)), row.name)
    }
  }
})

await t.test('a code is accepted once', async (t) => {
  const w = await world(t)
  const b = await atPhoneStep(w)
  await b.submit('Stuur verificatiecode')
  const code = await w.sms.lastCodeTo(jan.phone)
  const token = csrfOf(b.html)!
  await b.submit('Verifieer code', { 'one-time-code': code })
  t.equal(b.url, '/account/wachtwoord')
  // The same POST again: the step is done, the code spent; nothing happens twice.
  const verifiedAt = (await w.account('jdevries')).phoneVerifiedAt
  w.clock.advanceSeconds(5)
  await b.request({ method: 'POST', url: '/account/telefoon', form: { _csrf: token, actie: 'verifieer', code }, headers: { origin: b.origin } })
  t.equal(b.history[0]!.status, 303)
  t.equal(b.history[0]!.location, '/account/wachtwoord')
  t.same((await w.account('jdevries')).phoneVerifiedAt, verifiedAt, 'not verified again')
  t.equal((await w.audit()).filter((e) => e.event === 'phone_verified').length, 1)

  // In the domain: the second check of an accepted code finds no code.
  const account = await w.account('jdevries')
  w.clock.advanceMinutes(1)
  const sent = await sendCode(w.deps, { actor: 'self' }, account, 'phone', 'flow-nonce')
  t.equal(sent.status, 'sent')
  const again = await w.sms.lastCodeTo(jan.phone)
  t.equal((await checkCode(w.deps, { actor: 'self' }, account.id, 'phone', 'flow-nonce', again)), 'ok')
  t.equal((await checkCode(w.deps, { actor: 'self' }, account.id, 'phone', 'flow-nonce', again)), 'none')
})

await t.test('a new code voids the previous one', async (t) => {
  const w = await world(t)
  const b = await atPhoneStep(w)
  await b.submit('Stuur verificatiecode')
  const first = await w.sms.lastCodeTo(jan.phone)
  w.clock.advanceSeconds(30)
  await b.submit('Stuur een nieuwe code')
  t.equal(b.status, 200)
  t.equal((await w.sms.count(jan.phone)), 2)
  const second = await w.sms.lastCodeTo(jan.phone)
  if (first !== second) {
    await b.submit('Verifieer code', { 'one-time-code': first })
    t.equal(b.status, 422, 'the first code is refused')
    t.notOk((await phoneVerified(w)))
  }
  t.equal(await w.sql.count('select count(*) from codes where used_at is null'), 1, 'one live code')
  await b.submit('Verifieer code', { 'one-time-code': second })
  t.equal(b.url, '/account/wachtwoord')
})

await t.test('resend cooldown of 30 seconds', async (t) => {
  const w = await world(t)
  const b = await atPhoneStep(w)
  await b.submit('Stuur verificatiecode')
  const rows = [
    { name: 'at once', wait: 0, sent: false, error: 'U kunt over 30 seconden een nieuwe code aanvragen.' },
    { name: 'after 20 s', wait: 20, sent: false, error: 'U kunt over 10 seconden een nieuwe code aanvragen.' },
    { name: 'after 30 s', wait: 10, sent: true, error: '' },
  ]
  let count = 1
  for (const row of rows) {
    w.clock.advanceSeconds(row.wait)
    await b.submit('Stuur een nieuwe code')
    if (row.sent) count++
    t.equal((await w.sms.count(jan.phone)), count, `${row.name}: ${count} SMS`)
    t.equal(b.status, row.sent ? 200 : 422, `${row.name}: status`)
    t.equal(errorText(b), row.error, `${row.name}: message`)
  }
  t.ok((await w.audit()).some((e) => e.event === 'code_refused'), 'the refusal is audited')
})

await t.test('at most 5 SMS per account per hour', async (t) => {
  const w = await world(t)
  const b = await atPhoneStep(w)
  for (let i = 0; i < 5; i++) {
    if (i > 0) w.clock.advanceSeconds(30)
    await b.submit(i === 0 ? 'Stuur verificatiecode' : 'Stuur een nieuwe code')
    t.equal(b.status, 200, `code ${i + 1} sent`)
  }
  t.equal((await w.sms.count(jan.phone)), 5)
  w.clock.advanceSeconds(30) // 2.5 minutes after the first
  await b.submit('Stuur een nieuwe code')
  t.equal(b.status, 422)
  t.equal(errorText(b), 'U heeft het maximum aantal codes voor dit uur bereikt. Probeer het over 58 minuten opnieuw. Lukt het niet? Neem contact op met Praktijk De Linde.')
  t.equal((await w.sms.count(jan.phone)), 5, 'no sixth SMS')
  // Issue 12.4: at the cap, no button that can not work (the live code's field stays).
  t.equal(b.$('button').filter((_, e) => b.$(e).text().trim() === 'Stuur een nieuwe code').length, 0, 'no send button at the cap')
  t.equal(b.field('one-time-code').length, 1, 'the code already sent can still be typed')

  // Per account: another browser on the forgot-password path is capped too.
  const other = w.browser()
  await other.get('/inloggen')
  await other.submit('Volgende', { username: 'jdevries' })
  await other.get('/wachtwoord-vergeten')
  await other.submit('Volgende', { email: jan.email })
  t.equal(other.url, '/account/telefoon')
  await other.submit('Stuur verificatiecode')
  t.equal(other.status, 422)
  t.match(errorText(other), /maximum aantal codes voor dit uur/)
  t.equal((await w.sms.count(jan.phone)), 5, 'still five')

  // An hour after the first, one more may go (the patient keeps the page alive meanwhile).
  for (let i = 0; i < 5; i++) {
    w.clock.advanceMinutes(11)
    await b.get('/account/telefoon')
  }
  w.clock.advanceMinutes(2) // 59.5 minutes after the first: still five in the last hour
  await b.submit('Stuur een nieuwe code')
  t.equal(b.status, 422)
  t.match(errorText(b), /maximum aantal codes voor dit uur bereikt. Probeer het over 1 minu/)
  t.equal((await w.sms.count(jan.phone)), 5)
  w.clock.advanceMinutes(1) // 60.5 minutes after the first
  await b.get('/account/telefoon')
  await b.submit('Stuur een nieuwe code')
  t.equal(b.status, 200, b.text)
  t.equal((await w.sms.count(jan.phone)), 6)
})

await t.test('a code asked for in browser A is refused in browser B', async (t) => {
  const w = await world(t)
  const a = await atPhoneStep(w)
  await a.submit('Stuur verificatiecode')
  const code = await w.sms.lastCodeTo(jan.phone)

  // Browser B, on the forgot-password path of the same account, tries A's code.
  const b = w.browser()
  await b.get('/inloggen')
  await b.submit('Volgende', { username: 'jdevries' })
  await b.get('/wachtwoord-vergeten')
  await b.submit('Volgende', { email: jan.email })
  t.equal(b.url, '/account/telefoon')
  t.equal(b.field('Verificatiecode').length, 0, 'B has no code of its own')
  await b.request({ method: 'POST', url: '/account/telefoon', form: { _csrf: csrfOf(b.html)!, actie: 'verifieer', code }, headers: { origin: b.origin } })
  t.equal(b.status, 422)
  t.equal(errorText(b), 'Vraag eerst een code aan.')
  await b.get('/account')
  t.equal(b.history[0]!.location, '/account/telefoon', 'B still has to prove the phone')
  t.equal((await w.mail.all()).filter((m) => m.kind === 'temporary-password').length, 0, 'B got no temporary password')

  // A's own code still works in A.
  await a.submit('Verifieer code', { 'one-time-code': code })
  t.equal(a.url, '/account/wachtwoord')
})
