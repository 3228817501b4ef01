// No enumeration: the sign-in and forgot-password answers are the same, whole, whether the username
// exists, the password is wrong, the account is locked or deactivated (unless the right password proves
// it: then it is told so, issue 12.3), or the e-mail does not match.
// Responses are compared after normalising what differs per session (the CSRF token, the cookie
// value) and what the visitor typed themselves; everything else must be byte-for-byte equal.
import argon2 from 'argon2'
import t, { type Test } from 'tap'
import { updateAccount, type NewAccount } from '../src/domain/accounts.ts'
import { countFactorFailure } from '../src/domain/throttle.ts'
import { csrfOf, type Browser } from './helpers/browser.ts'
import { browserFrom, onboardWithApp, startForgot } from './helpers/patients.ts'
import { jan, testSecretKey, world, type World } from './helpers/world.ts'

interface Snapshot {
  /** Every hop of the navigation: method, path, status, redirect target. */
  hops: string[]
  status: number
  headers: Record<string, string>
  /** Set-Cookie of every hop, the value replaced. */
  cookies: string[]
  body: string
}

/** The last navigation of `b`, with the session's own values and what the visitor typed normalised. */
function snapshot(b: Browser, typed: string[]): Snapshot {
  let body = b.html
  const csrf = csrfOf(b.html)
  if (csrf) body = body.replaceAll(csrf, '{csrf}')
  for (const value of typed) body = body.replaceAll(value, '{typed}')
  body = body.replace(/XXX-XXXX-\d{4}/g, 'XXX-XXXX-{digits}')
  const headers: Record<string, string> = {}
  for (const name of Object.keys(b.headers).sort()) {
    if (name === 'date' || name === 'set-cookie') continue
    headers[name] = String(b.headers[name])
  }
  return {
    hops: b.history.map((h) => `${h.method} ${h.url} ${h.status} ${h.location ?? ''}`),
    status: b.status,
    headers,
    cookies: b.history.flatMap((h) => h.setCookies.map((c) => c.replace(/^([^=]+)=[^;]*/, '$1={value}'))),
    body,
  }
}

// Usernames of one length, so that even Content-Length can not tell them apart.
const kees: NewAccount = { name: 'Kees Bakker', email: 'kees@example.org', phone: '+31612345670', username: 'kbakker1' }
const marie: NewAccount = { name: 'Marie Visser', email: 'marie@example.org', phone: '+31612345671', username: 'mvisser1' }
const piet: NewAccount = { name: 'Piet Dekker', email: 'piet@example.org', phone: '+31612345672', username: 'pdekker1' }
const wrongPassword = 'geen idee wat het was'

/** Records argon2 verifications: the one expensive step that must happen for every username. */
function recordVerifies(t: Test): string[] {
  const original = argon2.verify
  const hashes: string[] = []
  argon2.verify = (async (...args: Parameters<typeof original>) => {
    hashes.push(args[0])
    return await original(...args)
  }) as typeof original
  t.teardown(() => {
    argon2.verify = original
  })
  return hashes
}

/** The algorithm and cost of a PHC string ("argon2id$v=19$m=19456,p=1,t=2") and the lengths of salt and hash. */
const costOf = (phc: string) => {
  const [, algorithm, version, params, salt = '', hash = ''] = phc.split('$')
  return { algorithm, version, params, salt: salt.length, hash: hash.length }
}

await t.test('the password step answers alike for unknown, wrong, locked, deactivated and unfinished accounts; only the right password learns of a lock', async (t) => {
  // A low lock threshold (a supported setting) keeps this file fast; throttle.test.ts walks to 100.
  // Strangers' wrong passwords lock nothing (issue 19.3): the lock here is of the second factor, after
  // six wrong codes that followed the right password.
  const w = await world(t, { env: { LOCK_AFTER_FAILURES: '6' } })
  const janP = await onboardWithApp(w)
  const keesP = await onboardWithApp(w, kees)
  const marieP = await onboardWithApp(w, marie)
  await w.invite(piet) // invited, never set a password
  await updateAccount(w.deps, marieP.account.id, { deactivatedAt: w.clock.now() })
  for (let i = 0; i < 6; i++) await countFactorFailure(w.deps, { actor: 'self' }, keesP.account, 'app', `10.9.9.${i}`)
  t.equal((await w.audit(keesP.account.id)).filter((e) => e.event === 'lockout').length, 1, 'kbakker1 is locked')

  const rows = [
    { name: 'unknown username', username: 'onbekend', password: wrongPassword, accountId: null, told: null },
    { name: 'known username, wrong password', username: 'jdevries', password: wrongPassword, accountId: janP.account.id, told: null },
    { name: 'locked, right password', username: 'kbakker1', password: keesP.password, accountId: keesP.account.id, told: 'factor' },
    { name: 'locked, wrong password', username: 'kbakker1', password: wrongPassword, accountId: keesP.account.id, told: null },
    { name: 'deactivated, right password', username: 'mvisser1', password: marieP.password, accountId: marieP.account.id, told: 'deactivated' },
    { name: 'deactivated, wrong password', username: 'mvisser1', password: wrongPassword, accountId: marieP.account.id, told: null },
    { name: 'invited, no password yet', username: 'pdekker1', password: wrongPassword, accountId: null as number | null, told: null },
  ]
  rows[6]!.accountId = (await w.account('pdekker1')).id
  const verified = recordVerifies(t)
  const usernameAnswers: Snapshot[] = []
  const passwordAnswers: Snapshot[] = []
  for (const [i, row] of rows.entries()) {
    w.clock.advanceMinutes(16) // past any delay an earlier row left on the same username
    const b = browserFrom(w, `10.0.0.${i + 1}`)
    await b.get('/inloggen')
    await b.submit('Volgende', { username: row.username })
    usernameAnswers.push(snapshot(b, [row.username]))
    const lastEvent = (await w.audit())[0]!.id
    const before = verified.length
    await b.submit('Volgende', { 'current-password': row.password })
    passwordAnswers.push(snapshot(b, [row.username]))
    if (row.told === 'factor') {
      // The right password goes on; the locked second factor is told at its step, with the way to the
      // practice (not named: without the second factor the account is not proven, issue 20).
      t.equal(b.url, '/inloggen/app-code', row.name)
      await b.submit('Verifieer code', { 'one-time-code': '123456' })
      t.match(b.text, /Uw tweede stap is vergrendeld/, row.name)
      t.match(b.$('.error-summary').text(), /contact op met uw praktijk/, `${row.name}: the way to the practice`)
      t.notMatch(b.text, /Praktijk De Linde/, `${row.name}: no practice named`)
      t.notMatch(b.text, /later opnieuw|wacht even|probeer het over/i, `${row.name}: not told to wait`)
    } else if (row.told) {
      // The right password is told plainly, never to wait; without the second factor it names no practice (issue 20).
      t.equal(b.status, 403, row.name)
      t.match(b.text, /Uw account is gedeactiveerd/, row.name)
      t.match(b.text, /contact op met uw praktijk\./, `${row.name}: the way to the practice`)
      t.notMatch(b.text, /Praktijk De Linde/, `${row.name}: no practice named`)
      t.notMatch(b.text, /later opnieuw|wacht even|probeer het over/i, `${row.name}: not told to wait`)
    } else {
      t.equal(b.status, 422, row.name)
      t.match(b.text, /De combinatie van gebruikersnaam en wachtwoord klopt niet\./, row.name)
    }
    const hashes = verified.slice(before)
    t.equal(hashes.length, 1, `${row.name}: one argon2 verify, as for a real account`)
    t.same(costOf(hashes[0] ?? ''), costOf(janP.account.passwordHash!), `${row.name}: against a hash of a real account's cost`)
    const events = (await w.audit()).filter((e) => e.id > lastEvent && (row.told !== 'factor' || e.event === 'sign_in_failed'))
    t.same(
      events.map((e) => ({ event: e.event, accountId: e.accountId, detail: e.detail })),
      row.told === 'factor' ? [] : [{ event: 'sign_in_failed', accountId: row.accountId, detail: JSON.stringify(row.told ? { factor: 'password', reason: row.told } : { factor: 'password' }) }],
      `${row.name}: audited as a failed sign-in (not the right password)`,
    )
  }
  for (const [i, row] of rows.entries()) {
    t.same(usernameAnswers[i], usernameAnswers[0], `the username page: ${row.name} = ${rows[0]!.name}`)
    if (!row.told) t.same(passwordAnswers[i], passwordAnswers[0], `the password page: ${row.name} = ${rows[0]!.name}`)
  }
})

await t.test('the forgot path answers alike for an unknown username, a wrong e-mail and the right pair', async (t) => {
  const scenarios = [
    { name: 'the right pair', username: 'jdevries', email: jan.email, real: true },
    { name: 'unknown username', username: 'onbekend', email: jan.email, real: false },
    { name: 'known username, wrong e-mail', username: 'jdevries', email: 'iemand@example.org', real: false },
  ]
  const answers: Record<string, Snapshot[]> = {}
  let wrongCode = ''
  for (const s of scenarios) {
    // A world each: guesses in one scenario must not throttle the next one's.
    const w = await world(t)
    await onboardWithApp(w)
    w.clock.advanceMinutes(1)
    const b = w.browser()
    const typed = [s.username, s.email]
    const shots: Snapshot[] = []
    await b.get('/inloggen')
    await b.submit('Volgende', { username: s.username })
    await b.get('/wachtwoord-vergeten')
    shots.push(snapshot(b, typed))
    await b.submit('Volgende', { 'E-mailadres': s.email })
    t.match(b.text, /Accountverificatie/, s.name)
    t.match(b.field('Telefoonnummer').attr('value') ?? '', /^XXX-XXXX-\d{4}$/, `${s.name}: a masked number`)
    shots.push(snapshot(b, typed))

    const sms = await w.sms.count(jan.phone)
    const outbox = (await w.mail.all()).length + (await w.sms.all()).length
    await b.submit('Stuur verificatiecode')
    t.match(b.text, /De verificatiecode is verstuurd naar uw telefoon/, s.name)
    shots.push(snapshot(b, typed))
    if (s.real) {
      t.equal((await w.sms.count(jan.phone)), sms + 1, 'the real patient gets the SMS')
      const code = await w.sms.lastCodeTo(jan.phone)
      wrongCode = code === '111111' ? '222222' : '111111'
    } else {
      t.equal((await w.mail.all()).length + (await w.sms.all()).length, outbox, `${s.name}: nothing is sent`)
    }

    await b.submit('Verifieer code', { 'one-time-code': '12a456' })
    t.match(b.text, /Vul de 6 cijfers van de code in\./, `${s.name}: not a code`)
    shots.push(snapshot(b, typed))
    for (let i = 1; i <= 6; i++) {
      await b.submit('Verifieer code', { 'one-time-code': wrongCode })
      shots.push(snapshot(b, typed))
    }
    t.match(b.text, /Vraag eerst een code aan\./, `${s.name}: the sixth try meets no code (the fifth spent it), never a password delay`)
    w.clock.advanceSeconds(31)
    await b.submit('Verifieer code', { 'one-time-code': wrongCode })
    shots.push(snapshot(b, typed))
    w.clock.advanceSeconds(61)
    await b.submit('Stuur een nieuwe code')
    shots.push(snapshot(b, typed))
    w.clock.advanceMinutes(11)
    await b.submit('Verifieer code', { 'one-time-code': wrongCode })
    shots.push(snapshot(b, typed))
    answers[s.name] = shots
  }
  const steps = [
    'forgot page', 'Accountverificatie', 'Stuur verificatiecode', 'not a code (uncounted)',
    'wrong code 1', 'wrong code 2', 'wrong code 3', 'wrong code 4', 'wrong code 5 (spent)', 'sixth try (no code)',
    'a try at the spent code after the wait', 'Stuur een nieuwe code', 'a try after 11 minutes (expired)',
  ]
  const base = answers[scenarios[0]!.name]!
  t.match(base[4]!.body, /Deze code klopt niet/)
  t.match(base[8]!.body, /Deze code is niet meer geldig/, 'five wrong tries spend the code')
  t.match(base[9]!.body, /Vraag eerst een code aan/, 'the malformed try did not count: the sixth wrong one meets a spent code')
  t.match(base[12]!.body, /Deze code is verlopen/, 'the real code expired')
  for (const s of scenarios.slice(1)) {
    const shots = answers[s.name]!
    t.equal(shots.length, steps.length)
    steps.forEach((step, i) => t.same(shots[i], base[i], `${step}: ${s.name} = ${scenarios[0]!.name}`))
  }
})

await t.test("a decoy's masked digits are stable for the same input", async (t) => {
  const digitsFor = async (w: World, username: string, email: string) => {
    const b = w.browser()
    await b.get('/wachtwoord-vergeten')
    await b.submit('Volgende', { Gebruikersnaam: username, 'E-mailadres': email })
    return b.field('Telefoonnummer').attr('value')
  }
  const w = await world(t)
  await w.invite()
  const first = await digitsFor(w, 'onbekend', 'iemand@example.org')
  t.match(first, /^XXX-XXXX-\d{4}$/)
  t.equal(await digitsFor(w, 'onbekend', 'iemand@example.org'), first, 'the same input, another browser')
  t.equal(await digitsFor(w, 'Onbekend', 'IEMAND@example.org'), first, 'the same input in other letter case')
  // A restart on the same database shows the same digits too, and so does a rotated SECRET_KEY: the
  // decoys come from the installation's own key (decision 0017), or comparing before and after a
  // rotation would tell a decoy (its digits changed) from a real account (its number did not).
  const w2 = await world(t, { databasePath: w.databasePath })
  t.equal(await digitsFor(w2, 'onbekend', 'iemand@example.org'), first, 'the same after a restart')
  const rotated = await world(t, { databasePath: w.databasePath, env: { SECRET_KEY: 'fa451ace865690cad69a997493a9e6f7a08e1546d092d9cc9e98368f012e006c', SECRET_KEYS_OLD: testSecretKey } })
  t.equal(await digitsFor(rotated, 'onbekend', 'iemand@example.org'), first, 'the same after the key was rotated')
  const others = new Set([await digitsFor(w, 'onbekend', 'ander@example.org'), await digitsFor(w, 'anderman', 'iemand@example.org'), await digitsFor(w, 'jdevries', 'iemand@example.org')])
  t.notOk(others.has(first), 'other input, other digits (a real account shows its own)')
  t.not(await digitsFor(w, 'jdevries', 'iemand@example.org'), 'XXX-XXXX-1361', 'a wrong e-mail never shows the real number')
})

// A real account's resend cooldown and hourly cap are kept per account and sender (here one client, two
// browsers), whichever browser asks; a decoy walk keeps them per typed pair and sender in the database,
// so a second browser can not tell a right pair from a wrong one by whether its first 'Stuur
// verificatiecode' is refused.
await t.test('send limits across two browsers: the same answers for a right and a wrong pair', async (t) => {
  const w = await world(t)
  await w.invite()
  const answers = async (email: string) => {
    const seen: string[] = []
    const start = async () => {
      const b = w.browser()
      await b.get('/inloggen')
      await b.submit('Volgende', { username: 'jdevries' })
      await b.get('/wachtwoord-vergeten')
      await b.submit('Volgende', { email })
      return b
    }
    const first = await start()
    const second = await start()
    const error = (b: Awaited<ReturnType<typeof start>>) => b.$('.error-summary li').text().trim() || 'verstuurd'
    await first.submit('Stuur verificatiecode')
    seen.push(`first: ${first.status} ${error(first)}`)
    await second.submit('Stuur verificatiecode')
    seen.push(`second at once: ${second.status} ${error(second)}`)
    // Up to the hourly cap, from alternating browsers, 31 s apart.
    for (let i = 0; i < 5; i++) {
      w.clock.advanceSeconds(31)
      const b = i % 2 === 0 ? first : second
      await b.submit('Stuur een nieuwe code')
      seen.push(`send ${i + 3}: ${b.status} ${error(b)}`)
    }
    w.clock.advanceHours(2)
    return seen
  }
  const right = await answers('jan@example.org')
  const wrong = await answers('iemand@example.org')
  t.same(wrong, right, 'a wrong pair answers exactly like the right one')
  t.match(right[1]!, /U kunt over \d+ seconden een nieuwe code aanvragen/, 'the second browser meets the cooldown')
  t.match(right.at(-1)!, /maximum aantal codes/, 'and the cap is reached')
})

// Finding 4 of issue 11: the decoy keeps the same state as a real account, in the database under the
// typed pair. Since issue 19.3 each browser has its own code (a send from another browser, a stranger's,
// no longer voids it), and each sender its own limits; the decoy keeps its codes per pair and browser
// alike. Two browsers on the same pair, in both orders, read the same pages for a right pair and a wrong one.
await t.test('two browsers on one pair: the same answers for a right pair and a decoy, in both orders', async (t) => {
  const w = await world(t)
  await w.invite()
  const walk = async (email: string, order: 'first-then-second' | 'second-then-first') => {
    const seen: string[] = []
    const open = async (ip: string) => {
      const b = browserFrom(w, ip)
      await startForgot(b, 'jdevries', email)
      return b
    }
    const [a, b] = [await open('10.1.1.1'), await open('10.1.1.2')]
    const [x, y] = order === 'first-then-second' ? [a, b] : [b, a]
    // A code typed into the form of the page the browser shows (a page without the field, too: a
    // stranger posts what they like).
    const guess = (br: Browser, code: string) =>
      br.request({ method: 'POST', url: '/account/telefoon', form: { _csrf: csrfOf(br.html) ?? '', actie: 'verifieer', code } })
    const note = (who: string, br: Browser) =>
      seen.push(`${who}: ${br.status} ${br.$('.error-summary li').text().trim() || '-'} field=${br.$('input[autocomplete="one-time-code"]').length}`)
    await x.submit('Stuur verificatiecode')
    note('x sent', x)
    await y.get('/account/telefoon')
    note('y looks', y)
    await guess(y, '123456')
    note('y guesses before sending', y)
    w.clock.advanceSeconds(31)
    await y.request({ method: 'POST', url: '/account/telefoon', form: { _csrf: csrfOf(y.html) ?? '', actie: 'opnieuw' } })
    note('y sent', y)
    await guess(x, '123456')
    note('x guesses at its code after y sent one', x)
    await x.get('/account/telefoon')
    note('x looks again', x)
    await guess(y, '123456' === (await w.sms.lastCodeTo(jan.phone)) ? '654321' : '123456')
    note('y guesses wrong', y)
    w.clock.advanceHours(2)
    return seen
  }
  for (const order of ['first-then-second', 'second-then-first'] as const) {
    const right = await walk(jan.email, order)
    const decoy = await walk('iemand@example.org', order)
    t.same(decoy, right, `${order}: a wrong pair reads exactly what the right pair reads`)
    t.match(right[2]!, /Vraag eerst een code aan/, `${order}: a browser that asked for no code has none`)
    t.match(right[4]!, /Deze code klopt niet/, `${order}: the other browser's send did not void this browser's code`)
    t.match(right[6]!, /Deze code klopt niet/, `${order}: the browser with the live code gets "klopt niet"`)
  }
})

// Issue 23.3: a delay says when to try again. The counters are per typed username, so an unknown
// username meets the same delays at the same attempts, and its pages are the same bytes (apart from the
// CSRF token): saying how long reveals nothing.
await t.test('a delay says how long, in pages byte-identical for a known and an unknown username', async (t) => {
  const w = await world(t)
  await onboardWithApp(w)
  const walk = async (username: string, ip: string) => {
    const shots: Snapshot[] = []
    const texts: string[] = []
    const step = async (password: string) => {
      const b = browserFrom(w, ip)
      await b.get('/inloggen')
      await b.submit('Volgende', { username })
      await b.submit('Volgende', { 'current-password': password })
      shots.push(snapshot(b, [username]))
      texts.push(`${b.status} ${b.$('.error-summary li').text().trim()}`)
    }
    for (let i = 0; i < 5; i++) await step(wrongPassword)
    await step(wrongPassword)
    w.clock.advanceSeconds(10)
    await step(wrongPassword)
    w.clock.advanceSeconds(20)
    await step(wrongPassword)
    await step(wrongPassword)
    w.clock.advanceSeconds(59)
    await step(wrongPassword)
    w.clock.advanceHours(2)
    return { shots, texts }
  }
  const known = await walk('jdevries', '10.0.0.1')
  const unknown = await walk('onbekend', '10.0.0.2')
  t.same(known.texts.slice(5), [
    '429 Er zijn te veel pogingen gedaan. Probeer het over 30 seconden opnieuw.',
    '429 Er zijn te veel pogingen gedaan. Probeer het over 20 seconden opnieuw.',
    '422 De combinatie van gebruikersnaam en wachtwoord klopt niet. Logt u voor de eerste keer in, of weet u uw wachtwoord niet meer? Gebruik dan de link hieronder.',
    '429 Er zijn te veel pogingen gedaan. Probeer het over 1 minuut opnieuw.',
    '429 Er zijn te veel pogingen gedaan. Probeer het over 1 seconde opnieuw.',
  ], 'the known username is told when to try again')
  t.equal(unknown.shots.length, known.shots.length)
  known.shots.forEach((shot, i) => t.same(unknown.shots[i], shot, `attempt ${i + 1}: the unknown username's page is the known one's, byte for byte`))
})
