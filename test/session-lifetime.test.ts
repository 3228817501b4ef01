// A session that is not signed in (a sign-in with the second factor still due, an onboarding, a reset)
// ends after 30 minutes without a request and 90 minutes after it began, however busy (issue 11,
// finding 16): the rule on its own, then a half-finished sign-in through the real pages.
import t from 'tap'
import { defaultLimits } from '../src/config.ts'
import { flowExpired } from '../src/web/session-lifetime.ts'
import { enterPassword, onboardWithApp } from './helpers/patients.ts'
import { world } from './helpers/world.ts'

const expired = /Uw sessie is verlopen\. Log opnieuw in\./
const minute = 60_000
const limits = { flowIdleMinutes: 30, flowAbsoluteMinutes: 90 }

await t.test('flowExpired: the rule', async (t) => {
  t.equal(defaultLimits.flowIdleMinutes, 30)
  t.equal(defaultLimits.flowAbsoluteMinutes, 90)
  const start = Date.parse('2026-03-02T09:00:00Z')
  const flow = { kind: 'sign-in' as const, accountId: 7, since: start, proven: [] }
  const rows: [string, Parameters<typeof flowExpired>[0], number, boolean][] = [
    ['an empty session', {}, start + 999 * minute, false],
    ['signed in (its own limits apply)', { accountId: 7, signedInAt: start, seenAt: start }, start + 999 * minute, false],
    ['a typed username, 30 min idle', { sealedUsername: 'v1.sealed', seenAt: start }, start + 30 * minute, false],
    ['a typed username, 30 min + 1 ms idle', { sealedUsername: 'v1.sealed', seenAt: start }, start + 30 * minute + 1, true],
    ['a flow, 30 min idle', { flow, seenAt: start }, start + 30 * minute, false],
    ['a flow, 30 min + 1 ms idle', { flow, seenAt: start }, start + 30 * minute + 1, true],
    ['a busy flow at 90 min', { flow, seenAt: start + 89 * minute }, start + 90 * minute, false],
    ['a busy flow at 90 min + 1 ms', { flow, seenAt: start + 89 * minute }, start + 90 * minute + 1, true],
    ['a flow never seen (the request that made it)', { flow }, start + 10 * minute, false],
  ]
  for (const [name, session, now, want] of rows) t.equal(flowExpired(session, now, limits), want, name)
})

await t.test('The 30-minute idle limit of a half-finished sign-in', async (t) => {
  const w = await world(t)
  const patient = await onboardWithApp(w)
  await patient.browser.submit('Uitloggen')
  const b = w.browser()
  await enterPassword(b, patient.account.username, patient.password)
  const factorPage = b.url
  t.match(b.text, /Verifieer code/, 'password right: the second factor is due')

  w.clock.advanceMinutes(30)
  await b.get(factorPage)
  t.equal(b.url, factorPage, 'after 30 minutes without a request: still there')

  w.clock.advanceMinutes(30)
  w.clock.advanceSeconds(1)
  await b.get(factorPage)
  t.equal(b.url, '/inloggen', '30 minutes and a second later: back to the start')
  t.match(b.text, expired, 'told why')
  await b.get(factorPage)
  t.equal(b.url, '/inloggen', 'the half-finished sign-in is gone for good')
})

await t.test('a half-finished sign-in ends 90 minutes after the password, however busy', async (t) => {
  const w = await world(t)
  const patient = await onboardWithApp(w)
  await patient.browser.submit('Uitloggen')
  const b = w.browser()
  await enterPassword(b, patient.account.username, patient.password)
  const factorPage = b.url
  let kept = 0
  for (let m = 10; m <= 90; m += 10) {
    w.clock.advanceMinutes(10)
    await b.get(factorPage)
    if (b.url === factorPage) kept++
  }
  t.equal(kept, 9, 'a request every 10 minutes keeps it for 90 minutes')
  w.clock.advanceSeconds(1)
  await b.get(factorPage)
  t.equal(b.url, '/inloggen', 'at 90 minutes and a second: ended despite the activity')
  t.match(b.text, expired)
  await b.submit('Volgende', { username: patient.account.username })
  await b.submit('Volgende', { 'current-password': patient.password })
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(patient.secret) })
  t.match(b.text, /Welkom, Jan de Vries/, 'a fresh sign-in works')
})
