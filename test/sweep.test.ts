// The sweeper keeps the tables that grow with use bounded: what is past its use goes, what a patient,
// the practice or the throttle still needs stays.
import t from 'tap'
import { codes, links, sessions, throttles } from '../src/db/tables.ts'
import { hours, minutes } from '../src/domain/deps.ts'
import { sweepExpired } from '../src/domain/sweep.ts'
import { jan, world } from './helpers/world.ts'

await t.test('a sweep removes what is past its use and keeps the rest', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  const { db } = w.deps
  // Every row is made relative to "now"; the sweep then runs a moment later.
  const now = w.clock.ms
  const at = (offsetMs: number) => new Date(now + offsetMs)
  await db.delete(links)

  const sessionRows: [string, number, boolean][] = [
    // id, expires at (relative), kept
    ['expired an hour ago', -hours(1), false],
    ['expired a second ago', -1000, false],
    ['expires in a minute', minutes(1), true],
    ['expires in eight hours', hours(8), true],
  ]
  for (const [id, expires] of sessionRows) await db.insert(sessions).values({ id, data: '{}', accountId: null, expiresAt: at(expires) })

  const codeRows: [string, number, number | null, boolean][] = [
    // code hash, expires at, used at, kept
    ['used 25 hours ago', -hours(25) + minutes(10), -hours(25), false],
    ['expired 25 hours ago, never used', -hours(25), null, false],
    ['used an hour ago', minutes(9), -hours(1), true],
    ['expired an hour ago, never used', -hours(1), null, true],
    ['live', minutes(10), null, true],
  ]
  for (const [codeHash, expires, used] of codeRows) {
    await db.insert(codes)
      .values({ accountId: account.id, purpose: 'phone', codeHash, bindingHash: 'b', createdAt: at(expires - minutes(10)), expiresAt: at(expires), usedAt: used === null ? null : at(used) })
      
  }

  const linkRows: [string, 'invite' | 'continue' | 'reset', number, number | null, boolean][] = [
    // token hash, purpose, expires at, used at, kept
    ['invite used 2 days ago', 'invite', hours(24), -hours(48), false],
    ['invite expired 2 days ago, never used', 'invite', -hours(48), null, true],
    ['continue link expired 2 days ago, never used', 'continue', -hours(48), null, false],
    ['temporary password expired 2 days ago', 'reset', -hours(48), null, false],
    ['continue link used an hour ago', 'continue', hours(20), -hours(1), true],
    ['live invitation', 'invite', hours(72), null, true],
  ]
  for (const [tokenHash, purpose, expires, used] of linkRows) {
    await db.insert(links)
      .values({ accountId: account.id, purpose, tokenHash, createdAt: at(-hours(72)), expiresAt: at(expires), usedAt: used === null ? null : at(used) })
      
  }

  const throttleRows: [string, number, number, number | null, boolean][] = [
    // key, failures, last failure (from now), blocked until (from now), kept (decision 0011)
    ['c:1', 3, -hours(2), null, false], // a client's counter forgets after an hour of quiet
    ['c:2', 3, -hours(2), -hours(1), false],
    ['c:3', 3, -minutes(10), null, true],
    ['c:4', 3, -hours(2), minutes(5), true], // a wait still running
    ['c:5', 0, -minutes(1), null, false], // back at zero
    ['u:jan', 3, -hours(48), null, true], // a username's counts for untrusted clients: 30 days
    ['u:oud', 3, -hours(24 * 31), null, false],
    ['u:jan:c:1', 3, -hours(25), null, false], // at one client: a day
    ['u:jan:c:2', 3, -hours(2), null, true],
    ['f:7:app', 3, -hours(48), null, true], // a second factor's: 30 days
    ['f:7:app:c:1', 3, -hours(25), null, false], // a second factor's at one client: a day
    ['f:7:app:c:2', 3, -hours(2), null, true],
    ['u:iemand', 0, -minutes(1), null, false],
    ['u:geblokkeerd', 0, -minutes(1), minutes(5), true],
    ['sms:all', 3, -hours(2), -hours(1), false], // an SMS budget whose hour ended
    ['sms:c:1', 3, -minutes(10), minutes(50), true],
    [`user:${jan.username}`, 3, -minutes(1), minutes(5), false], // the old format named the username: it goes
    ['ip:192.0.2.3', 3, -minutes(1), null, false],
  ]
  for (const [key, failures, last, blocked] of throttleRows) {
    await db.insert(throttles).values({ key, failures, lastFailureAt: at(last), blockedUntil: blocked === null ? null : at(blocked) })
  }
  await db.insert(throttles).values({ key: 'u:op-slot', failures: 0, lastFailureAt: at(-hours(1)), lockedAt: at(-hours(1)) })
  await db.insert(throttles).values({ key: 'u:jan:d:1', failures: 100, lastFailureAt: at(-hours(24 * 40)), lockedAt: at(-hours(24 * 40)) })
  // A username-wide lock from before issue 19.3 (that count neither waits nor locks any more): gone after 30 quiet days.
  await db.insert(throttles).values({ key: 'u:oud-slot', failures: 100, lastFailureAt: at(-hours(24 * 31)), lockedAt: at(-hours(24 * 31)) })

  w.clock.advanceSeconds(1)
  const removed = await sweepExpired(w.deps)

  const keptIds = (rows: { id: string }[]) => new Set(rows.map((r) => r.id))
  const sessionIds = keptIds((await db.select({ id: sessions.id }).from(sessions)))
  for (const [id, , kept] of sessionRows) t.equal(sessionIds.has(id), kept, `session ${id}: ${kept ? 'kept' : 'removed'}`)
  const codeIds = keptIds((await db.select({ id: codes.codeHash }).from(codes)))
  for (const [id, , , kept] of codeRows) t.equal(codeIds.has(id), kept, `code ${id}: ${kept ? 'kept' : 'removed'}`)
  const linkIds = keptIds((await db.select({ id: links.tokenHash }).from(links)))
  for (const [id, , , , kept] of linkRows) t.equal(linkIds.has(id), kept, `link ${id}: ${kept ? 'kept' : 'removed'}`)
  const throttleIds = keptIds((await db.select({ id: throttles.key }).from(throttles)))
  for (const [id, , , , kept] of throttleRows) t.equal(throttleIds.has(id), kept, `throttle ${id}: ${kept ? 'kept' : 'removed'}`)
  t.ok(throttleIds.has('u:op-slot'), 'a username-wide row with an old lock stays while it is recent')
  t.ok(throttleIds.has('u:jan:d:1'), "a device's lock stays, however old")
  t.notOk(throttleIds.has('u:oud-slot'), 'an old username-wide lock goes after 30 quiet days')

  t.same(removed, {
    sessions: sessionRows.filter((r) => !r[2]).length,
    codes: codeRows.filter((r) => !r[3]).length,
    links: linkRows.filter((r) => !r[4]).length,
    throttles: throttleRows.filter((r) => !r[4]).length + 1,
    oidc: 0,
  })
  t.same((await sweepExpired(w.deps)), { sessions: 0, codes: 0, links: 0, throttles: 0, oidc: 0 }, 'a second sweep finds nothing')
})

await t.test('sessions a patient walked away from are swept once their time is up, and the flow still works after', async (t) => {
  const w = await world(t)
  await w.invite()
  const count = async () => (await w.deps.db.select({ id: sessions.id }).from(sessions)).length
  const visitors = [w.browser(), w.browser(), w.browser()]
  for (const b of visitors) await b.get('/inloggen')
  t.equal((await count()), 0, 'looking at the form keeps nothing (its token is derived from the cookie)')
  for (const b of visitors) await b.submit('Volgende', { username: 'iemand' })
  t.equal((await count()), 3, 'each typed username keeps a session')
  t.equal((await sweepExpired(w.deps)).sessions, 0, 'nothing is due yet')
  w.clock.advanceHours(9)
  t.equal((await sweepExpired(w.deps)).sessions, 3)
  t.equal((await count()), 0)
  const b = w.browser()
  await b.get('/inloggen')
  await b.submit('Volgende', { username: jan.username! })
  t.equal(b.status, 200, 'a new visit works after a sweep')
  t.match(b.text, /Wachtwoord/)
})
