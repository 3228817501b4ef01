// Guesses are counted when they start, in the same synchronous step as the check: thirty wrong
// passwords sent at once meet the delay exactly as thirty in a row would (decision 0011).
import type { InjectOptions } from 'fastify'
import t from 'tap'
import { beginPasswordGuess, passwordRight } from '../src/domain/throttle.ts'
import { csrfOf } from './helpers/browser.ts'
import { world } from './helpers/world.ts'

async function passwordPage(w: Awaited<ReturnType<typeof world>>, username: string, remoteAddress: string) {
  // A small cookie jar: the CSRF cookie comes with the form, the session cookie with the username.
  const jar = new Map<string, string>()
  const inject = async (opts: InjectOptions) => {
    const res = await w.app.inject({ ...opts, remoteAddress, headers: { ...opts.headers, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } })
    for (const line of [res.headers['set-cookie'] ?? []].flat()) {
      const pair = String(line).split(';')[0]!
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1))
    }
    return res
  }
  const start = await inject({ method: 'GET', url: '/inloggen' })
  const form = (csrf: string, body: Record<string, string>) => new URLSearchParams({ _csrf: csrf, ...body }).toString()
  const headers = { 'content-type': 'application/x-www-form-urlencoded' }
  await inject({ method: 'POST', url: '/inloggen', headers, payload: form(csrfOf(start.body)!, { username }) })
  const page = await inject({ method: 'GET', url: '/inloggen/wachtwoord' })
  return (password: string) => inject({ method: 'POST', url: '/inloggen/wachtwoord', headers, payload: form(csrfOf(page.body)!, { password }) })
}

await t.test('30 parallel wrong passwords for one username from 30 addresses: 25 answered plainly, 5 in hidden mode, none refused', async (t) => {
  const w = await world(t)
  await w.invite()
  const posts = await Promise.all(Array.from({ length: 30 }, (_, i) => passwordPage(w, 'jdevries', `192.0.2.${i + 1}`)))
  const answers = await Promise.all(posts.map((post) => post('niet het goede wachtwoord')))
  const statuses = answers.map((a) => a.statusCode)
  t.equal(statuses.filter((s) => s === 422).length, 25, 'the username threshold for untrusted clients: 25 answered plainly')
  const hidden = answers.filter((a) => a.statusCode === 303)
  t.equal(hidden.length, 5, 'the rest go on to a second-factor step (hidden mode), counted exactly: no refusal (issue 19.3)')
  t.ok(hidden.every((a) => /^\/inloggen\/(app|email)-code$/.test(String(a.headers.location))))
  const failed = (await w.audit()).filter((e) => e.event === 'sign_in_failed')
  t.equal(failed.length, 30, 'every guess was verified and is a sign-in failure')
  t.equal(failed.filter((e) => /"hidden":true/.test(e.detail ?? '')).length, 5, 'five of them in hidden mode')
})

await t.test('30 parallel wrong passwords for one username from one address: 5 are verified, 25 wait', async (t) => {
  const w = await world(t)
  await w.invite()
  const posts = await Promise.all(Array.from({ length: 30 }, () => passwordPage(w, 'jdevries', '192.0.2.77')))
  const statuses = (await Promise.all(posts.map((post) => post('niet het goede wachtwoord')))).map((a) => a.statusCode)
  t.equal(statuses.filter((s) => s === 422).length, 5)
  t.equal(statuses.filter((s) => s === 429).length, 25)
})

await t.test('parallel guesses across usernames from one address: after ten, the answers hide the result', async (t) => {
  const w = await world(t)
  const posts = await Promise.all(Array.from({ length: 20 }, (_, i) => passwordPage(w, `gebruiker${i}`, '198.51.100.7')))
  const answers = await Promise.all(posts.map((post) => post('niet het goede wachtwoord')))
  t.equal(answers.filter((a) => a.statusCode === 422).length, 10, 'ten guesses from the address were answered plainly')
  const hidden = answers.filter((a) => a.statusCode === 303)
  t.equal(hidden.length, 10, 'then every answer goes on to a second-factor step, right or wrong')
  t.ok(hidden.every((a) => /^\/inloggen\/(app|email)-code$/.test(String(a.headers.location))))
})

await t.test('a right guess gives its advance count back, for the username and the address', async (t) => {
  const w = await world(t)
  const by = { actor: 'self', ip: '203.0.113.9' }
  const g = { username: 'jdevries', client: '203.0.113.9', device: null }
  const guess = () => beginPasswordGuess(w.deps, by, g)
  for (let i = 0; i < 4; i++) t.ok((await guess()).ok, `wrong guess ${i + 1} may go ahead`)
  t.ok((await guess()).ok, 'the fifth guess may go ahead, and is counted before it is checked')
  await passwordRight(w.deps, g)
  for (let i = 0; i < 5; i++) t.ok((await guess()).ok, `after the success, wrong guess ${i + 1} may go ahead again`)
  t.notOk((await guess()).ok, 'the sixth consecutive failure waits')
})
