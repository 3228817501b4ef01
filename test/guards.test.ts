// No step can be skipped: for every state a browser can be in, a GET or POST of any step other than
// the due one is answered with a 303 to the due step (or to /inloggen outside a flow), and such a
// POST changes nothing in the database.
import t from 'tap'
import { csrfOf, type Browser } from './helpers/browser.ts'
import { jan, world, type World } from './helpers/world.ts'

const password = 'blauwe fiets onder de brug'

/** What each step's form would send, so a POST that got through would change something. */
const posts: Record<string, Record<string, string>> = {
  '/account/telefoon': { actie: 'verstuur' },
  '/account/wachtwoord': { newPassword: password, confirmPassword: password },
  '/account/nieuw-wachtwoord': { temporaryPassword: 'ABCDEFGHJKLMNPQR', newPassword: password, confirmPassword: password },
  '/account/methode': { methode: 'email' },
  '/account/app': { actie: 'andere-methode', code: '123456' },
  '/inloggen/app-code': { code: '123456' },
  '/inloggen/email-code': { actie: 'verstuur' },
  '/account': {},
}
const paths = Object.keys(posts)

type Stage = 'none' | 'invite' | 'continue' | 'phone' | 'password' | 'app-chosen' | 'signed-in' | 'sign-in-password'

/** Walks a fresh patient up to `stage` and returns the browser, its last page holding a form when it has a session. */
async function walk(w: World, stage: Stage): Promise<Browser> {
  await w.invite()
  const b = w.browser()
  if (stage === 'none') return b
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  if (stage === 'invite') return await b.get('/inloggen')
  // The second link's 'Stuur verificatiecode' binds this browser and sends the SMS in one POST.
  await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await b.submit('Stuur verificatiecode')
  if (stage === 'continue') return b
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  if (stage === 'phone') return b
  await b.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  await b.submit('Volgende')
  if (stage === 'password') return b
  await b.submit('Volgende')
  if (stage === 'app-chosen') return b
  const secret = new URL(b.$('a[href^="otpauth://"]').attr('href')!).searchParams.get('secret')!
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
  if (stage === 'signed-in') return b
  await b.submit('Uitloggen')
  w.clock.advanceSeconds(30)
  await b.submit('Volgende', { username: 'jdevries' })
  await b.submit('Volgende', { 'current-password': password })
  return b
}

/** Every table, row by row: what "changes nothing in the database" compares. */
function snapshot(w: World): string {
  const db = w.deps.db.$client
  const tables = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name").all() as { name: string }[]).map((r) => r.name)
  return JSON.stringify(tables.map((name) => [name, db.prepare(`select * from "${name}" order by rowid`).all()]))
}

const states: { name: string; stage: Stage; due: string }[] = [
  { name: 'no session', stage: 'none', due: '/inloggen' },
  { name: 'after the first link only', stage: 'invite', due: '/inloggen' },
  { name: 'after the continue link (code sent)', stage: 'continue', due: '/account/telefoon' },
  { name: 'after the phone', stage: 'phone', due: '/account/wachtwoord' },
  { name: 'after the password', stage: 'password', due: '/account/methode' },
  { name: 'app chosen, not confirmed', stage: 'app-chosen', due: '/account/app' },
  { name: 'signed in', stage: 'signed-in', due: '/inloggen' },
  { name: 'sign-in: password right, app code due', stage: 'sign-in-password', due: '/inloggen/app-code' },
]

for (const state of states) {
  await t.test(`out of order: ${state.name}`, async (t) => {
    const w = await world(t)
    const b = await walk(w, state.stage)
    const token = csrfOf(b.html)
    if (state.stage !== 'none') t.ok(token, 'the browser holds a CSRF token of its session')

    /** One request with this browser's cookies, redirects not followed. */
    const probe = async (method: 'GET' | 'POST', path: string) => {
      const p = w.browser({ followRedirects: false })
      p.cookies = new Map(b.cookies)
      if (method === 'GET') return await p.get(path)
      return await p.request({ method, url: path, form: { ...(token ? { _csrf: token } : {}), ...posts[path] }, headers: { origin: p.origin } })
    }

    for (const path of paths) {
      const get = await probe('GET', path)
      if (path === state.due) {
        t.equal(get.status, 200, `GET ${path} is the due step`)
        continue
      }
      t.equal(get.status, 303, `GET ${path}: 303`)
      t.equal(get.headers.location, state.due, `GET ${path} -> ${state.due}`)

      const before = snapshot(w)
      const post = await probe('POST', path)
      if (state.stage === 'none') {
        // Without a session there is no CSRF token: the guard in front of every POST answers first.
        t.equal(post.status, 403, `POST ${path}: 403 without a session`)
      } else if (path === '/account') {
        // The flow's entry is a GET (the 'Volgende' after a confirmation page); there is no POST route.
        t.equal(post.status, 404, 'POST /account: no such form')
      } else {
        t.equal(post.status, 303, `POST ${path}: 303`)
        t.equal(post.headers.location, state.due, `POST ${path} -> ${state.due}`)
      }
      t.equal(snapshot(w), before, `POST ${path}: nothing changed in the database`)
    }
    t.equal((await w.sms.count(jan.phone)), ['none', 'invite'].includes(state.stage) ? 0 : 1, 'no SMS sent by the probes')
    t.equal((await w.mail.all()).filter((m) => m.kind === 'mfa-code').length, 0, 'no e-mail code sent by the probes')
  })
}
