// Two portal processes on one PostgreSQL database (issue 21): the real server from the sources twice,
// the same PUBLIC_URL and SECRET_KEY, different ports, and a patient whose browser alternates between
// them on every request (redirect hops included). What one process guarantees must hold over both: one
// session, one throttle counter, a code or link used once, a message sent once, an app's OpenID Connect
// sign-in (and its end at Uitloggen) whichever process answers, one audit chain, and a patient who goes on
// through the other process when one is killed.
//
// Not in `npm test` (tap includes test/ only): it needs a server. Run it with
//   eval "$(bash scripts/postgres-server.sh start)"; npx tap --disable-coverage test-pg/; bash scripts/postgres-server.sh stop
import { generate } from 'otplib'
import * as client from 'openid-client'
import { SMTPServer } from 'smtp-server'
import t from 'tap'
import type { Test } from 'tap'
import { loadConfig } from '../src/config.ts'
import { createAccount, findAccountByUsername, type NewAccount } from '../src/domain/accounts.ts'
import { listEvents, verifyAuditLog } from '../src/domain/audit.ts'
import { listOutbox, type OutboxMessage, type Transports } from '../src/domain/delivery.ts'
import type { Deps } from '../src/domain/deps.ts'
import { sendInvitation } from '../src/domain/invitations.ts'
import { listPractices } from '../src/domain/practices.ts'
import { openDatabase } from '../src/db/index.ts'
import { outbox } from '../src/db/tables.ts'
import { addClient } from '../src/oidc/clients.ts'
import { createRuntime } from '../src/runtime.ts'
import { eq, sql } from 'drizzle-orm'
import { Browser, type Inject } from '../test/helpers/browser.ts'
import { freePort } from '../test/helpers/net.ts'
import { authRequest, backchannelReceiver, continueToApp, leftTo, redeem, verifiedByJwks } from '../test/helpers/oidc.ts'
import { hangGuardMs } from '../test/helpers/patience.ts'
import { secretOnPage, temporaryPasswordIn } from '../test/helpers/patients.ts'
import { startSourceServer, type SourceServer } from '../test/helpers/source-server.ts'
import { freshPostgresDatabase } from '../test/helpers/test-database.ts'
import { testSecretKey } from '../test/helpers/world.ts'

if (!process.env.TEST_POSTGRES_URL) throw new Error('TEST_POSTGRES_URL is not set: start a server with `eval "$(bash scripts/postgres-server.sh start)"` (the file\'s header says how)')

/** Polls (never a blind sleep) until `ok`, within a deadline. */
async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = hangGuardMs): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

// ---- A mail system behind two relays: each process sends through its own, so a relay names the process.

interface Relay {
  name: string
  port: number
  /** Messages the relay answered 250 to: delivered. */
  accepted: string[]
  /** While `hold` is on, messages are received but not yet answered (the sender waits for the reply). */
  hold: boolean
  held: { raw: string; accept: () => void }[]
  open: number
}

async function startRelay(t: Test, name: string): Promise<Relay> {
  const relay: Relay = { name, port: await freePort(), accepted: [], hold: false, held: [], open: 0 }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      relay.open++
      callback()
    },
    onClose() {
      relay.open--
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, '')
        const accept = () => {
          relay.accepted.push(raw)
          callback()
        }
        if (relay.hold) relay.held.push({ raw, accept })
        else accept()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(relay.port, '127.0.0.1', () => resolve()))
  t.teardown(() => {
    release(relay)
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return relay
}

function release(relay: Relay): void {
  relay.hold = false
  for (const h of relay.held.splice(0)) h.accept()
}

// ---- The database, the two portals, and the test's own view of the database.

const databaseUrl = await freshPostgresDatabase(t)
const relays = [await startRelay(t, 'A'), await startRelay(t, 'B')] as const
const ports = [await freePort(), await freePort()] as const
const publicUrl = `http://127.0.0.1:${ports[0]}`
const common = { NODE_ENV: 'test', DATABASE_URL: databaseUrl, SECRET_KEY: testSecretKey, PUBLIC_URL: publicUrl, DEV_OUTBOX: 'on', TRUST_PROXY: 'true' }

// The test process opens the same database (and migrates it first). It never delivers: its own
// dispatcher is not started, nothing it queues kicks it (notify is a no-op), and its transports count.
let testProcessDeliveries = 0
const refuse: Transports = {
  mail: () => Promise.reject(new Error(`the test process delivered (${++testProcessDeliveries})`)),
  sms: () => Promise.reject(new Error(`the test process delivered (${++testProcessDeliveries})`)),
}
const runtime = await createRuntime(loadConfig({ ...common, SMTP_URL: `smtp://127.0.0.1:${relays[0].port}` }), { transports: refuse, log: () => {} })
t.teardown(() => runtime.close())
const deps: Deps = { ...runtime.deps, notify: () => {} }
const practiceId = (await listPractices(deps))[0]!.id

// Both portals start at once on the migrated database (each checks the migrations under the advisory lock).
interface Portal {
  name: string
  port: number
  server: SourceServer
  alive: boolean
  relay: Relay
}
const portals: Portal[] = await Promise.all(
  (['A', 'B'] as const).map(async (name, i) => ({
    name,
    port: ports[i]!,
    relay: relays[i]!,
    alive: true,
    server: await startSourceServer(t, { ...common, PORT: String(ports[i]), SMTP_URL: `smtp://127.0.0.1:${relays[i]!.port}` }),
  })),
)

/** Requests per portal, over every browser of the test. */
const served = new Map<string, number>()

/** A browser whose every request (each redirect hop too) goes to the next living portal, from `ip`; `pin` sends them all to one portal. */
function alternating(ip: string, first = 0, pin?: Portal, options: { followRedirects?: boolean } = {}): Browser {
  let turn = first
  const inject: Inject = async ({ method, url, headers, payload }) => {
    const living = portals.filter((p) => p.alive)
    const portal = pin ?? living[turn++ % living.length]!
    served.set(portal.name, (served.get(portal.name) ?? 0) + 1)
    const res = await fetch(`http://127.0.0.1:${portal.port}${url}`, { method, headers: { ...headers, 'x-forwarded-for': ip }, body: payload, redirect: 'manual' })
    const out: Record<string, string | string[]> = {}
    res.headers.forEach((value, name) => (out[name] = value))
    out['set-cookie'] = res.headers.getSetCookie()
    return { statusCode: res.status, headers: out, body: await res.text() }
  }
  return new Browser(inject, { origin: publicUrl, ...options })
}

// ---- The patient's inbox and phone, and the authenticator app (real clock: the portals use it).

const messages = (): Promise<OutboxMessage[]> => listOutbox(deps, { limit: 1000 })
async function lastTo(to: string, kind: string): Promise<OutboxMessage> {
  const found = (await messages()).find((m) => m.to === to && m.kind === kind)
  if (!found) throw new Error(`No ${kind} to ${to}`)
  return found
}
const linkIn = (text: string) => {
  const url = new URL(/https?:\/\/\S+/.exec(text)![0])
  return url.pathname + url.search
}
const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1]!

/** The code of the step `steps` away from now, never within 3 s of the step's end (it must arrive in the step it was made for). */
async function totp(secret: string, steps = 0): Promise<string> {
  await until('a TOTP step with time to spare', () => (Date.now() / 1000) % 30 < 27, 10_000)
  return await generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 })
}

let phones = 0
function patient(name: string): NewAccount {
  phones++
  return { name, email: `${name.toLowerCase()}@example.org`, phone: `+316123400${String(phones).padStart(2, '0')}`, username: name.toLowerCase() }
}

async function invite(who: NewAccount) {
  const created = await createAccount(deps, { actor: 'cli' }, practiceId, who)
  if (!created.ok) throw new Error(JSON.stringify(created.errors))
  await sendInvitation(deps, { actor: 'cli' }, created.account.id)
  return created.account
}

const password = 'zonneschijn op het strand'

/** Invitation link to Stap 4 (the method choice), through `b`. */
async function toMethodChoice(t: Test, b: Browser, who: NewAccount): Promise<void> {
  await b.get(linkIn((await lastTo(who.email, 'invite')).text))
  await b.submit('Volgende')
  t.match(b.text, /geverifieerd/, 'Stap 1: the e-mail address verified')
  await continueAfterInvite(t, b, who)
}

async function continueAfterInvite(t: Test, b: Browser, who: NewAccount): Promise<void> {
  await b.get(linkIn((await lastTo(who.email, 'continue')).text))
  t.match(b.text, /Accountverificatie/)
  await b.submit('Stuur verificatiecode')
  t.equal(b.url, '/account/telefoon')
  await b.submit('Verifieer code', { 'one-time-code': codeIn((await lastTo(who.phone, 'phone-code')).text) })
  await b.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  t.match(b.text, /Het wachtwoord is bijgewerkt/, 'Stap 3: the password set')
  await b.submit('Volgende')
  t.equal(b.url, '/account/methode', 'Stap 4')
}

/** Stap 4 with the app; the enrolment code is the previous step's, so the current one is left for a sign-in. */
async function enrolApp(t: Test, b: Browser): Promise<string> {
  await b.submit('Volgende')
  const secret = secretOnPage(b)
  await b.submit('Doorgaan', { 'one-time-code': await totp(secret, -1) })
  t.match(b.text, /Welkom, /, 'enrolled and signed in')
  return secret
}

/** Invited and onboarded with the app through a browser from `ip` that alternates: the patient and the app's secret. */
async function onboarded(t: Test, name: string, ip: string): Promise<{ who: NewAccount; secret: string }> {
  const who = patient(name)
  await invite(who)
  const b = alternating(ip)
  await toMethodChoice(t, b, who)
  return { who, secret: await enrolApp(t, b) }
}

async function toAppCode(b: Browser, username: string, pw = password): Promise<Browser> {
  await b.get('/inloggen')
  await b.submit('Volgende', { username })
  return await b.submit('Volgende', { 'current-password': pw })
}

// ---- The tests.

await t.test('one patient onboards and signs in again, every request to the other process', async (t) => {
  const who = patient('Anna')
  await invite(who)
  const before = new Map(served)
  const b = alternating('198.51.100.1')
  await toMethodChoice(t, b, who)
  const secret = await enrolApp(t, b)
  const account = (await findAccountByUsername(deps, who.username!))!
  t.ok(account.emailVerifiedAt && account.phoneVerifiedAt && account.passwordSetAt, 'every step committed')
  t.equal(account.mfaMethod, 'app')
  t.ok((await messages()).some((m) => m.to === who.email && m.kind === 'mfa-enrolled'), 'the enrolment mail queued')

  const later = alternating('198.51.100.2', 1)
  await toAppCode(later, who.username!)
  t.equal(later.url, '/inloggen/app-code', 'the password step passed')
  await later.submit('Verifieer code', { 'one-time-code': await totp(secret) })
  t.match(later.text, /Welkom, Anna/, 'signed in with password and app code')
  for (const _ of portals) {
    await later.get('/')
    t.match(later.text, /Welkom, Anna/, 'the signed-in session holds on the next process too')
  }
  const a = (served.get('A') ?? 0) - (before.get('A') ?? 0)
  const bb = (served.get('B') ?? 0) - (before.get('B') ?? 0)
  t.ok(a >= 10 && Math.abs(a - bb) <= 1, `both processes served the walk in turn (A ${a}, B ${bb})`)
})

await t.test('the forgot path, every request to the other process, ends signed in with the app', async (t) => {
  const { who, secret } = await onboarded(t, 'Bram', '198.51.100.3')

  const b = alternating('198.51.100.4', 1)
  await b.get('/inloggen')
  await b.submit('Volgende', { username: who.username! })
  const link = b.$('a').filter((_, a) => b.$(a).text().trim() === 'Bent u uw wachtwoord vergeten of logt u voor de eerste keer in?')
  await b.get(link.attr('href')!)
  t.equal(b.url, '/wachtwoord-vergeten')
  await b.submit('Volgende', { 'E-mailadres': who.email })
  await b.submit('Stuur verificatiecode')
  t.match(b.text, /De verificatiecode is verstuurd/)
  await b.submit('Verifieer code', { 'one-time-code': codeIn((await lastTo(who.phone, 'phone-code')).text) })
  t.equal(b.url, '/account/nieuw-wachtwoord', 'Wachtwoord wijzigen')
  const temporary = temporaryPasswordIn((await lastTo(who.email, 'temporary-password')).text)
  const newPassword = 'lente in het bos bij de beek'
  await b.submit('Volgende', { 'Tijdelijk wachtwoord (zie e-mail)': temporary, 'Nieuw wachtwoord': newPassword, 'Bevestig het wachtwoord': newPassword })
  t.match(b.text, /Het wachtwoord is bijgewerkt/)
  await b.submit('Volgende')
  t.equal(b.url, '/inloggen/app-code', 'the second factor is due, never skipped')
  await b.submit('Verifieer code', { 'one-time-code': await totp(secret) })
  t.match(b.text, /Welkom, Bram/, 'signed in after the reset')
})

await t.test('30 parallel wrong passwords spread over both processes meet one counter, as in one process', async (t) => {
  // test/throttle-parallel.test.ts's first case, over two processes: the same numbers.
  const who = patient('Cees')
  const account = await invite(who)
  // No redirects followed: each browser makes exactly four requests, so the last goes to B for even i, to A for odd i.
  const browsers = Array.from({ length: 30 }, (_, i) => alternating(`192.0.2.${i + 1}`, i % 2, undefined, { followRedirects: false }))
  for (const b of browsers) {
    await b.get('/inloggen')
    await b.submit('Volgende', { username: who.username! })
    await b.get('/inloggen/wachtwoord')
  }
  const before = new Map(served)
  await Promise.all(browsers.map((b) => b.submit('Volgende', { 'current-password': 'niet het goede wachtwoord' })))
  t.same(
    portals.map((p) => (served.get(p.name) ?? 0) - (before.get(p.name) ?? 0)),
    [15, 15],
    'fifteen guesses to each process, all at once',
  )
  const answers = browsers.map((b) => b.history[0]!)
  t.comment(`answers: ${answers.map((a) => a.status).join(' ')}`)
  t.equal(answers.filter((a) => a.status === 422).length, 25, 'the username threshold for untrusted clients: 25 answered plainly')
  const hidden = answers.filter((a) => a.status === 303)
  t.equal(hidden.length, 5, 'the rest go on to a second-factor step (hidden mode): one counter over both processes')
  t.ok(hidden.every((a) => /^\/inloggen\/(app|email)-code$/.test(String(a.location))))
  const failed = (await listEvents(deps, { accountId: account.id, limit: 1000 })).filter((e) => e.event === 'sign_in_failed')
  t.equal(failed.length, 30, 'every guess verified and recorded once')
  t.equal(failed.filter((e) => /"hidden":true/.test(e.detail ?? '')).length, 5, 'five of them in hidden mode')
})

await t.test('a link and a code are used once, even sent to both processes at the same moment', async (t) => {
  const who = patient('Dirk')
  await invite(who)
  const inviteLink = linkIn((await lastTo(who.email, 'invite')).text)
  const pair = portals.map((p, i) => alternating(`198.51.100.${10 + i}`, 0, p))
  for (const b of pair) await b.get(inviteLink)
  await Promise.all(pair.map((b) => b.submit('Volgende')))
  const winners = pair.filter((b) => /geverifieerd/.test(b.text))
  t.equal(winners.length, 1, 'the invitation confirmed by one process only')
  t.ok(pair.every((b) => b.status < 500), 'the other gets an answer, not an error')
  t.equal((await messages()).filter((m) => m.to === who.email && m.kind === 'continue').length, 1, 'one continue mail')

  const b = alternating('198.51.100.12')
  b.cookies = new Map(winners[0]!.cookies)
  await continueAfterInvite(t, b, who)
  const secret = await enrolApp(t, b)

  const tabs = portals.map((p, i) => alternating(`198.51.100.${13 + i}`, 0, p))
  for (const tab of tabs) {
    await toAppCode(tab, who.username!)
    t.equal(tab.url, '/inloggen/app-code')
  }
  const code = await totp(secret)
  await Promise.all(tabs.map((tab) => tab.submit('Verifieer code', { 'one-time-code': code })))
  t.equal(tabs.filter((tab) => /Welkom, Dirk/.test(tab.text)).length, 1, 'the same app code, sent to both at once, signs in once')
  const refused = tabs.find((tab) => !/Welkom, Dirk/.test(tab.text))!
  t.equal(refused.url, '/inloggen/app-code', 'the other stays at the code step')
})

await t.test('a queued message, while both outbox workers run, is sent exactly once', async (t) => {
  const before = relays.map((r) => r.accepted.length)
  // The test process queues without kicking anyone: the two portals' workers find the messages on their polls.
  const queued = await Promise.all(Array.from({ length: 10 }, (_, i) => invite(patient(`Post${i}`))))
  const rows = async () => (await messages()).filter((m) => m.kind === 'invite' && queued.some((a) => a.email === m.to))
  await until('every invitation sent, no delivery in flight', async () => (await rows()).every((m) => m.status === 'sent') && relays.every((r) => r.open === 0))
  const sent = await rows()
  t.equal(sent.length, 10)
  for (const m of sent) {
    const copies = relays.flatMap((r) => r.accepted).filter((raw) => raw.includes(linkIn(m.text)))
    t.equal(copies.length, 1, `${m.to}: delivered once`)
    t.equal(m.attempts, 1, `${m.to}: one attempt`)
  }
  t.equal(relays.reduce((n, r, i) => n + r.accepted.length - before[i]!, 0), 10, `ten mails in all (A ${relays[0].accepted.length - before[0]!}, B ${relays[1].accepted.length - before[1]!})`)
  t.equal(testProcessDeliveries, 0, 'the test process delivered nothing')
})

await t.test('the sweeper runs in one process at a time (db.exclusive: a session advisory lock)', async (t) => {
  // Two handles with their own pools: to the server they are two clients, as two processes are.
  const other = await openDatabase({ databasePath: '', databaseUrl })
  t.teardown(() => other.close())
  let inside = false
  const first = await deps.db.exclusive('sweep', async () => {
    inside = true
    t.equal(await other.exclusive('sweep', () => Promise.resolve('ran')), undefined, 'the other skips the round while one sweeps')
    const locks = await other.rows<{ n: number }>(sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and granted`)
    t.ok(locks[0]!.n >= 1, 'the advisory lock is held on the server')
    return 'swept'
  })
  t.ok(inside)
  t.equal(first, 'swept')
  t.equal(await other.exclusive('sweep', () => Promise.resolve('ran')), 'ran', 'after it, the other may sweep')
})

await t.test('an OpenID Connect sign-in with every request to the other process, and the portal\'s Uitloggen ends it on both', async (t) => {
  const { url: backchannel, received } = await backchannelReceiver(t)
  const redirectUri = 'http://localhost:9/callback-two-processes'
  const added = await addClient(deps, { actor: 'cli' }, { name: 'Dossier', firstParty: true, redirectUris: [redirectUri], backchannelLogoutUri: backchannel })
  if (!added.ok) throw new Error(added.problems.join('\n'))
  // The app talks to the issuer (A's address) and each of its requests goes to the next portal in turn.
  const rpServed: string[] = []
  let rpTurn = 0
  const rpFetch: client.CustomFetch = (url, options) => {
    const portal = portals[rpTurn++ % portals.length]!
    rpServed.push(portal.name)
    const to = new URL(url)
    to.port = String(portal.port)
    return fetch(to, options as RequestInit)
  }
  const secret = added.value.secret
  const config = await client.discovery(new URL(publicUrl), added.value.client.id, secret, client.ClientSecretBasic(secret), {
    execute: [client.allowInsecureRequests],
    [client.customFetch]: rpFetch,
  })
  const app = { id: added.value.client.id, secret, name: 'Dossier', redirectUri, config }

  const { who, secret: appSecret } = await onboarded(t, 'Floor', '198.51.100.20')

  const b = alternating('198.51.100.21', 1)
  const auth = await authRequest(app)
  await b.get(auth.url.href)
  t.equal(b.url, '/inloggen', 'no portal session yet: to the sign-in')
  await b.submit('Volgende', { username: who.username! })
  await b.submit('Volgende', { 'current-password': password })
  await b.submit('Verifieer code', { 'one-time-code': await totp(appSecret) })
  t.match(b.text, /Verder naar Dossier/, 'the interaction, begun on one process, finished on the other')
  const callback = await continueToApp(b)
  t.equal(callback.origin + callback.pathname, redirectUri, 'back at the app with a code')

  const tokens = await redeem(app, callback, auth)
  const claims = tokens.claims()!
  t.equal(claims.iss, publicUrl)
  t.same(claims.amr, ['pwd', 'otp', 'mfa'])
  const { payload } = await verifiedByJwks(publicUrl, tokens.id_token!)
  t.equal(payload.sub, claims.sub, 'the id_token verifies against the published keys')
  for (const _ of portals) {
    const info = await client.fetchUserInfo(app.config, tokens.access_token, claims.sub)
    t.equal(info.name, 'Floor', 'the access token holds on the next process too')
  }
  t.ok(rpServed.includes('A') && rpServed.includes('B'), `the app's requests went to both (${rpServed.join(' ')})`)

  // Single sign-on from the other process: straight back, no sign-in.
  const again = await authRequest(app)
  await b.get(again.url.href)
  t.notOk(b.history.some((h) => h.url.startsWith('/inloggen')), 'single sign-on holds over both processes')
  await redeem(app, leftTo(b), again)

  // The portal's Uitloggen on one process: the app hears it once, its tokens die on both.
  await b.get('/')
  await b.submit('Uitloggen')
  t.equal(b.url, '/inloggen?uitgelogd=1')
  await until('the back-channel call', () => received.length > 0)
  t.equal(received.length, 1, 'one back-channel call')
  const logout = await verifiedByJwks(publicUrl, new URLSearchParams(received[0]!.body).get('logout_token')!)
  t.equal(logout.payload.sid, claims.sid)
  for (const _ of portals) await t.rejects(client.fetchUserInfo(app.config, tokens.access_token, claims.sub), 'the access token is revoked, on either process')
  const third = await authRequest(app)
  await b.get(third.url.href)
  t.equal(b.url, '/inloggen', 'no single sign-on left, on either process')
})

await t.test('SIGKILL one process in the middle of a walk: the patient goes on through the other, nothing lost', async (t) => {
  const who = patient('Eva')
  await invite(who)
  const b = alternating('198.51.100.20')
  await until('no mail pending, no delivery in flight', async () => (await messages()).every((m) => m.status === 'sent') && relays.every((r) => r.open === 0))
  // Both relays hold what they receive: whichever process claims the next mail is left waiting for the reply.
  for (const r of relays) r.hold = true
  await b.get(linkIn((await lastTo(who.email, 'invite')).text))
  await b.submit('Volgende')
  t.match(b.text, /geverifieerd/)
  const continued = await lastTo(who.email, 'continue')
  const path = linkIn(continued.text)
  await until('a process claims the continue mail', () => relays.some((r) => r.held.some((h) => h.raw.includes(path))))
  const victim = portals.find((p) => p.relay.held.some((h) => h.raw.includes(path)))!
  const survivor = portals.find((p) => p !== victim)!
  release(survivor.relay)

  victim.server.process.kill('SIGKILL')
  t.same(await victim.server.exited, { code: null, signal: 'SIGKILL' }, `${victim.name} killed while sending`)
  victim.alive = false
  victim.relay.hold = false
  victim.relay.held.length = 0 // its connection is gone: the relay never answered, nothing was delivered
  const claimed = (await deps.db.select().from(outbox).where(eq(outbox.id, continued.id)))[0]!
  t.equal(claimed.status, 'pending', 'the claimed mail is still to be sent')
  t.ok(claimed.nextAttemptAt.getTime() > Date.now() + 60_000, 'under the killed process\'s lease (2 minutes)')

  // The same cookie goes on through the survivor, at the same step.
  await continueAfterInvite(t, b, who)
  await enrolApp(t, b)
  const account = (await findAccountByUsername(deps, who.username!))!
  t.ok(account.emailVerifiedAt && account.phoneVerifiedAt && account.passwordSetAt && account.mfaEnrolledAt, 'every step committed')
  await until('the survivor sends the enrolment mail', async () => (await lastTo(who.email, 'mfa-enrolled')).status === 'sent')
  t.equal((await lastTo(who.email, 'continue')).status, 'pending', 'while its lease runs, the survivor leaves the claimed mail alone')

  // The lease runs out (moved, not waited for: the processes keep the real clock): the survivor sends it, once.
  await deps.db.update(outbox).set({ nextAttemptAt: new Date() }).where(eq(outbox.id, continued.id))
  await until('the claimed mail sent after its lease', async () => (await lastTo(who.email, 'continue')).status === 'sent' && survivor.relay.open === 0)
  t.equal(survivor.relay.accepted.filter((raw) => raw.includes(path)).length, 1, 'delivered once, by the survivor')
  t.equal(victim.relay.accepted.filter((raw) => raw.includes(path)).length, 0, 'never by the killed process')
})

await t.test('the audit chain after both processes wrote at once: intact, no gaps, one row per event', async (t) => {
  const check = await verifyAuditLog(deps)
  t.ok(check.ok, `verifyAuditLog: ${JSON.stringify(check)}`)
  const [ids] = await deps.db.rows<{ n: number; lo: number; hi: number }>(sql`select count(*)::int as n, min(id)::int as lo, max(id)::int as hi from audit_log`)
  t.equal(ids!.lo, 1)
  t.equal(ids!.hi, ids!.n, 'ids 1..n without a gap')
  if (check.ok) t.equal(check.rows, ids!.n, 'every row in the chain')
  const events = await listEvents(deps, { limit: 100_000 })
  t.equal(events.length, ids!.n, 'rows == events')
  t.ok(events.filter((e) => e.event === 'sign_in_failed').length >= 30, 'the parallel guesses among them')
})
