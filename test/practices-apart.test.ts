// Issue 20, "strictly apart": staff see, search, change and audit only their own practice's accounts.
// Staff of practice B are walked against every route under /praktijk (taken from the app's own route
// table, so a route added later is walked too) with practice A's ids, GET, HEAD and POST: every answer
// must be exactly the answer for an id that does not exist, and nothing of A may change or be recorded.
import t from 'tap'
import { actions } from '../src/flows/practice/actions.ts'
import { countEvents, listEvents } from '../src/domain/audit.ts'
import { deactivate, resetSecondFactor } from '../src/domain/patients.ts'
import { setPractice } from '../src/domain/practices.ts'
import { csrfOf, type Browser } from './helpers/browser.ts'
import { peopleOf, twoPractices, type Team } from './helpers/practices.ts'
import type { World } from './helpers/world.ts'


const missingId = 987_654
const cli = { actor: 'cli' }

/**
 * An answer as the client sees it, with what differs per request taken out: the time, the CSRF tokens,
 * and the request's own path, which every page echoes in its language switch link (and so its length).
 */
function answer(b: Browser, path = b.url) {
  const { date: _date, 'content-length': _length, ...headers } = b.headers
  const body = b.html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""').split(encodeURIComponent(path)).join('PATH')
  return { status: b.status, headers, body }
}

/** Everything that could tell a staff member of B that an account of A exists or what it holds. */
function tracesOf(team: Team): string[] {
  const accounts = [team.beheerder.account, team.behandelaar.account, team.patient.account, team.invited]
  return accounts.flatMap((a) => [a.name, a.username, a.email, a.phone])
}

/** A's accounts as stored, their audit rows and their messages: a refused request changes none of them. */
async function stateOf(w: World, team: Team): Promise<string> {
  const ids = [team.beheerder.account.id, team.behandelaar.account.id, team.patient.account.id, team.invited.id]
  return JSON.stringify({
    accounts: await w.sql.all('select * from accounts where practice_id = ? order by id', team.practice.id),
    audit: await Promise.all(ids.map((id) => countEvents(w.deps, { accountId: id }))),
    outbox: await w.sql.count(`select count(*) from outbox where account_id in (${ids.join(',')})`),
    sessions: await w.sql.count('select count(*) from sessions'),
  })
}

await t.test("staff of B, on every /praktijk route with A's ids: the answer of an id that does not exist", async (t) => {
  const { w, a, b } = await twoPractices(t)
  const routes = [...new Map(w.app.routeTable.filter((r) => r.url.startsWith('/praktijk')).map((r) => [`${r.method} ${r.url}`, r])).values()]
  const withId = routes.filter((r) => r.url.includes(':'))
  t.ok(withId.length >= 6, `routes with an id: ${withId.map((r) => `${r.method} ${r.url}`).join(', ')}`)
  for (const route of withId) {
    const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1])
    t.same(params.filter((p) => p !== 'id' && p !== 'action'), [], `${route.url}: the walker knows every parameter (extend it for a new one)`)
  }
  const idsOfA = [a.patient.account.id, a.invited.id, a.beheerder.account.id, a.behandelaar.account.id]
  const before = await stateOf(w, a)
  let compared = 0

  for (const staff of [b.beheerder, b.behandelaar]) {
    const browser = staff.b
    await browser.get('/praktijk')
    const csrf = csrfOf(browser.html)!
    for (const route of withId) {
      const slugs = route.url.includes(':action') ? [...actions.map((x) => x.slug), 'bestaat-niet'] : ['']
      for (const slug of slugs) {
        const action = actions.find((x) => x.slug === slug)
        const field = action?.field ? { email: 'nieuw@example.org', phone: '06-87654321' }[action.slug === 'e-mail' ? 'email' : 'phone'] : undefined
        const form: Record<string, string> = { _csrf: csrf, ...(action?.field ? { [action.slug === 'e-mail' ? 'email' : 'phone']: field! } : {}) }
        const urlFor = (id: number) => route.url.replace(':id', String(id)).replace(':action', slug)
        const ask = async (id: number) => {
          await browser.request({ method: route.method, url: urlFor(id), ...(route.method === 'POST' ? { form } : {}) })
          return answer(browser)
        }
        const none = await ask(missingId)
        t.equal(none.status, 404, `${staff.account.username}: ${route.method} ${urlFor(missingId)} is a 404`)
        for (const id of idsOfA) {
          const got = await ask(id)
          t.same(got, none, `${staff.account.username}: ${route.method} ${urlFor(id)} (an account of A) answers as ${urlFor(missingId)}`)
          compared++
        }
      }
    }
  }
  t.ok(compared > 200, `${compared} answers compared`)
  t.equal(await stateOf(w, a), before, "nothing of A changed, nothing about A recorded")

  // The same routes do work for B's own accounts (the walk above proves something only if they can answer).
  await b.beheerder.b.get(`/praktijk/clienten/${b.patient.account.id}`)
  t.equal(b.beheerder.b.status, 200, "B's beheerder opens B's patient")
  await b.beheerder.b.get(`/praktijk/medewerkers/${b.behandelaar.account.id}`)
  t.equal(b.beheerder.b.status, 200, "and B's behandelaar")
  await b.beheerder.b.get(`/praktijk/clienten/${b.patient.account.id}/ontgrendelen`)
  t.equal(b.beheerder.b.status, 200, 'and an action of it')
})

await t.test("B's pages show, count, search and audit only B's accounts", async (t) => {
  const { w, a, b } = await twoPractices(t)
  const traces = tracesOf(a)
  const staff = b.beheerder.b
  // Every page without an id, GET and POST (an empty form), read for any trace of A.
  const routes = [...new Set(w.app.routeTable.filter((r) => r.url.startsWith('/praktijk') && !r.url.includes(':')).map((r) => `${r.method} ${r.url}`))]
  t.ok(routes.length >= 6, routes.join(', '))
  for (const route of routes) {
    const [method, url] = route.split(' ') as [string, string]
    await staff.get('/praktijk')
    await staff.request({ method, url, ...(method === 'POST' ? { form: { _csrf: csrfOf(staff.html)! } } : {}) })
    for (const trace of traces) t.notOk(staff.html.includes(trace), `${route}: nothing of A (${trace})`)
  }

  await staff.get('/praktijk')
  t.match(staff.text, /Piet Peters/)
  t.match(staff.text, /Lies Lammers/)
  t.match(staff.text, /2 gevonden\./, "the count is B's patients only")
  await staff.get('/praktijk/medewerkers')
  t.match(staff.text, /3 gevonden\.|2 gevonden\./)
  t.equal(staff.$('table.accounts tbody tr').length, 2, "B's two staff members, not A's")

  // Before B's staff type A's names into B's own search (their searches are in B's log, issue 11 #13).
  await staff.get('/praktijk/auditlog')
  t.equal(staff.status, 200)
  for (const trace of traces) t.notOk(staff.html.includes(trace), `the audit log holds nothing of A (${trace})`)

  // A search for A's patient answers as a search for nobody.
  const search = async (term: string) => {
    await staff.get(`/praktijk?zoek=${encodeURIComponent(term)}`)
    return { status: staff.status, body: answer(staff).body.split(term).join('TERM') }
  }
  for (const term of [peopleOf.a.patient.name, peopleOf.a.patient.username!, peopleOf.a.patient.email, 'jan']) {
    t.same(await search(term), await search('niemand-bekend'), `searching for ${term} finds nothing, as for an unknown name`)
  }

  // The audit log: a username of A is as unknown as a made-up one; no entry of A shows.
  const filter = async (name: string) => {
    await staff.get(`/praktijk/auditlog?account=${encodeURIComponent(name)}`)
    return { status: staff.status, body: answer(staff).body.split(name).join('NAME') }
  }
  for (const username of [peopleOf.a.patient.username!, peopleOf.a.beheerder.username]) {
    const got = await filter(username)
    t.equal(got.status, 422, `${username}: unknown here`)
    t.same(got, await filter('bestaatniet'), `${username}: answered as a made-up username`)
  }
  const idsOfB = new Set([b.beheerder.account.id, b.behandelaar.account.id, b.patient.account.id, b.invited.id])
  const staffOfB = new Set([...idsOfB].map((id) => `staff:${id}`))
  for (const viewer of [b.beheerder.account, b.behandelaar.account]) {
    const rows = await listEvents(w.deps, { viewer: { id: viewer.id, role: viewer.role, practiceId: b.practice.id }, limit: 10_000 })
    t.ok(rows.length > 10, `${viewer.username} reads ${rows.length} entries`)
    t.same(
      rows.filter((e) => !(e.accountId !== null ? idsOfB.has(e.accountId) : staffOfB.has(e.actor))),
      [],
      `${viewer.username}: every entry is about an account of B, or made by B's staff`,
    )
  }
  const everything = await listEvents(w.deps, { limit: 10_000 })
  const ofA = await listEvents(w.deps, { viewer: { id: a.beheerder.account.id, role: 'beheerder', practiceId: a.practice.id }, limit: 10_000 })
  const ofB = await listEvents(w.deps, { viewer: { id: b.beheerder.account.id, role: 'beheerder', practiceId: b.practice.id }, limit: 10_000 })
  t.same(ofA.filter((e) => ofB.some((f) => f.id === e.id)), [], 'no entry is in both practices’ logs')
  t.ok(ofA.length + ofB.length <= everything.length, 'the operator (CLI, no viewer) reads them all')

  // A's staff see their own (the walk above is not passed by showing nothing to anyone).
  await a.beheerder.b.get('/praktijk')
  t.match(a.beheerder.b.text, /Jan de Vries/)
  t.notMatch(a.beheerder.b.text, /Piet Peters/)
})

await t.test('one username over the installation; no staff action reaches into another practice', async (t) => {
  const { w, a, b } = await twoPractices(t)
  const staff = b.beheerder.b
  await staff.get('/praktijk/clienten/nieuw')
  // A second Jan de Vries, at B: the username proposed is free over every practice.
  await staff.submit('Gebruikersnaam voorstellen', { Naam: 'Jan de Vries' })
  t.equal(staff.field('Gebruikersnaam').attr('value'), 'jdevries2', "the proposal skips A's jdevries")
  await staff.submit('Uitnodigen', { 'E-mailadres': 'jan2@example.org', 'Mobiel nummer': '06-87654321', Gebruikersnaam: 'jdevries' })
  t.equal(staff.status, 422)
  t.match(staff.text, /Deze gebruikersnaam is al in gebruik\./, 'a username of A is taken at B too')
  await staff.submit('Uitnodigen', { Gebruikersnaam: 'jdevries2' })
  t.match(staff.url, /^\/praktijk\/clienten\/\d+$/)
  t.equal((await w.account('jdevries2')).practiceId, b.practice.id, "the new patient is B's")
  t.equal((await w.account('jdevries')).practiceId, a.practice.id, "A's stays A's")

  // The form proposes the practice's own default language.
  await setPractice(w.deps, cli, b.practice.id, { language: 'en' })
  await staff.get('/praktijk/clienten/nieuw')
  t.equal(staff.$('#language-en').attr('checked'), 'checked', "B's new accounts default to B's language")
  await a.beheerder.b.get('/praktijk/clienten/nieuw')
  t.equal(a.beheerder.b.$('#language-nl').attr('checked'), 'checked', "A's to A's")

  // The domain functions act only within the practice they are given, whoever calls them.
  t.match((await deactivate(w.deps, cli, a.practice.id, b.patient.account.id)), { ok: false, error: 'accountUnknown' }, "B's patient is unknown to an action for A")
  t.match((await resetSecondFactor(w.deps, cli, b.practice.id, a.patient.account.id)), { ok: false, error: 'accountUnknown' }, "and A's to one for B")
  // The last beheerder is counted per practice: A having one does not let B's only one go.
  t.match((await deactivate(w.deps, cli, b.practice.id, b.beheerder.account.id)), { ok: false, error: 'lastAdmin' }, "B's only beheerder stays")
  await b.behandelaar.b.get(`/praktijk/medewerkers/${b.beheerder.account.id}`)
  t.equal(b.behandelaar.b.status, 404, 'a behandelaar does not manage staff, in any practice')
})
