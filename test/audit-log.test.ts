// The audit log as evidence (issue 11 #13): append-only and hash-chained, checked by
// `npm run admin -- audit verify`; views recorded only when the staff member's own browser asked for
// them; list views and searches recorded; each role reads what it may.
import Database from 'better-sqlite3'
import t from 'tap'
import { admin } from './helpers/admin.ts'
import { countEvents, listEvents, recordEvent, recordSessionExpired, verifyAuditLog } from '../src/domain/audit.ts'
import { createStaff } from '../src/domain/staff.ts'
import { anna, bert, follow, onboard, staffBrowser } from './helpers/practice.ts'
import { jan, world } from './helpers/world.ts'



await t.test('append-only: UPDATE and DELETE are refused; a tampered row breaks the chain and verify says where', async (t) => {
  const w = await world(t)
  for (let i = 0; i < 5; i++) await recordEvent(w.deps, { actor: 'cli', ip: '192.0.2.1' }, { event: 'invite', outcome: 'success', accountId: i + 1, detail: { n: i } })
  const sqlite = w.deps.db.$client
  const ok = await verifyAuditLog(w.deps)
  t.ok(ok.ok, 'an untouched log verifies')
  t.equal(ok.ok && ok.rows, 5)

  t.throws(() => sqlite.prepare("update audit_log set actor = 'self' where id = 3").run(), /append-only/, 'UPDATE refused')
  t.throws(() => sqlite.prepare('delete from audit_log where id = 5').run(), /append-only/, 'DELETE refused')
  t.throws(() => sqlite.prepare('delete from audit_log').run(), /append-only/, 'DELETE of all refused')
  t.ok((await verifyAuditLog(w.deps)).ok, 'still intact')

  const cli = await admin(w.databasePath, ['audit', 'verify'])
  t.equal(cli.code, 0, cli.stderr)
  t.match(cli.stdout, /Auditlog in orde: 5 regels/)
  t.match(cli.stdout, /Laatste hash: [0-9a-f]{64}/)

  // Around the triggers, the way someone with the file would.
  sqlite.exec('drop trigger audit_log_no_update')
  sqlite.prepare(`update audit_log set detail = '{"n":99}' where id = 3`).run()
  const broken = await verifyAuditLog(w.deps)
  t.same(broken, { ok: false, rows: 2, id: 3, reason: 'hash' }, 'the changed row is the first broken one')
  const cliBroken = await admin(w.databasePath, ['audit', 'verify'])
  t.not(cliBroken.code, 0, 'verify exits non-zero')
  t.match(cliBroken.stderr, /Auditlog beschadigd bij regel 3/)
})

await t.test('the chain also catches a removed row, a row slipped in, and rows cut from the end', async (t) => {
  const w = await world(t)
  const sqlite = w.deps.db.$client
  const add = (n: number) => recordEvent(w.deps, { actor: 'cli' }, { event: 'invite', outcome: 'success', detail: { n } })
  for (let i = 0; i < 4; i++) await add(i)
  sqlite.exec('drop trigger audit_log_no_delete')
  sqlite.prepare('delete from audit_log where id = 2').run()
  t.match((await verifyAuditLog(w.deps)), { ok: false, id: 3, reason: 'hash' }, 'a row removed in the middle')

  // A row without a hash between hashed ones: no older version writes there (it only appends).
  const w2 = await world(t)
  for (let i = 0; i < 3; i++) await recordEvent(w2.deps, { actor: 'cli' }, { event: 'invite', outcome: 'success', detail: { i } })
  w2.deps.db.$client.exec('drop trigger audit_log_no_delete')
  w2.deps.db.$client.prepare('delete from audit_log where id = 2').run()
  w2.deps.db.$client.prepare("insert into audit_log (id, at, event, outcome, actor) values (2, 0, 'sign_in', 'success', 'self')").run()
  t.match((await verifyAuditLog(w2.deps)), { ok: false, id: 2, reason: 'missing-hash' }, 'a row slipped in without the chain')

  const w3 = await world(t)
  for (let i = 0; i < 3; i++) await recordEvent(w3.deps, { actor: 'cli' }, { event: 'invite', outcome: 'success', detail: { i } })
  w3.deps.db.$client.exec('drop trigger audit_log_no_delete')
  w3.deps.db.$client.prepare('delete from audit_log where id = 3').run()
  t.match((await verifyAuditLog(w3.deps)), { ok: false, id: 3, reason: 'tail-removed' }, 'the last row removed')
})

await t.test('a log written before the chain is chained once at start; the triggers come back after every start', async (t) => {
  const w = await world(t)
  await recordEvent(w.deps, { actor: 'cli' }, { event: 'invite', outcome: 'success' })
  await w.app.close()
  await w.runtime.close()
  // As an older portal left it: rows without hashes, no triggers.
  const raw = new Database(w.databasePath)
  raw.exec('drop trigger audit_log_no_update; drop trigger audit_log_no_delete')
  raw.exec('update audit_log set hash = null')
  raw.prepare("insert into audit_log (at, event, outcome, actor) values (1, 'sign_in', 'success', 'self')").run()
  raw.close()
  const again = await world(t, { databasePath: w.databasePath })
  t.same(again.runtime.adopted, { rows: 2, fromId: 1, toId: 2 }, 'the whole log is adopted, from the start of the chain')
  t.match((await verifyAuditLog(again.deps)), { ok: true, rows: 3, adoptions: [{ rows: 2, fromId: 1, toId: 2 }], pending: null }, 'and the adoption is the third row')
  t.throws(() => again.deps.db.$client.prepare('delete from audit_log').run(), /append-only/)
  t.throws(() => again.deps.db.$client.prepare("update audit_log set actor = 'x'").run(), /append-only/, 'the update trigger is back after the adoption')
})

await t.test('rows an older version appended (after a rollback) are adopted at the next start and named by verify; a changed row still fails', async (t) => {
  const w = await world(t)
  for (let i = 0; i < 3; i++) await recordEvent(w.deps, { actor: 'cli' }, { event: 'invite', outcome: 'success', accountId: i + 1 })
  await w.app.close()
  await w.runtime.close()
  // Rolled back to a version from before the chain: its recordEvent inserted every column but the id
  // and the hash (the statement of c25de3d^:src/domain/audit.ts). The triggers stay: it never updates.
  const old = new Database(w.databasePath)
  const insert = old.prepare('insert into audit_log (at, event, outcome, account_id, actor, ip, user_agent, detail) values (?, ?, ?, ?, ?, ?, ?, ?)')
  insert.run(w.clock.ms + 1000, 'sign_in', 'success', 1, 'self', '192.0.2.1', 'Firefox', null)
  insert.run(w.clock.ms + 2000, 'logout', 'success', 1, 'self', '192.0.2.1', 'Firefox', '{"via":"self"}')
  old.close()

  const before = await admin(w.databasePath, ['audit', 'verify'])
  t.equal(before.code, 0, `not tampering, before the upgrade starts either\n${before.stderr}`)
  t.match(before.stdout, /regels 4 tot en met 5 \(2\) hebben nog geen hash/)

  // Upgraded again: the start adopts them, and says so in the log itself.
  const again = await world(t, { databasePath: w.databasePath })
  t.same(again.runtime.adopted, { rows: 2, fromId: 4, toId: 5 })
  const [adoption] = await listEvents(again.deps, { event: 'audit_adopted' })
  t.match(adoption, { outcome: 'info', actor: 'system', detail: JSON.stringify({ rows: 2, fromId: 4, toId: 5 }) })
  t.match((await verifyAuditLog(again.deps)), { ok: true, rows: 6, adoptions: [{ rows: 2, fromId: 4, toId: 5 }], pending: null })
  await again.app.close()
  await again.runtime.close()
  const after = await admin(w.databasePath, ['audit', 'verify'])
  t.equal(after.code, 0, after.stderr)
  t.match(after.stdout, /Auditlog in orde: 6 regels/)
  t.match(after.stdout, /Opgenomen in de keten op .+: regels 4 tot en met 5 \(2\), geschreven door een oudere versie/)

  // A row changed inside the chain is still found, also an adopted one, and a new start hides nothing.
  const raw = new Database(w.databasePath)
  raw.exec('drop trigger audit_log_no_update')
  raw.prepare("update audit_log set actor = 'cli' where id = 4").run()
  raw.close()
  const third = await world(t, { databasePath: w.databasePath })
  t.equal(third.runtime.adopted, null, 'nothing to adopt: the changed row has its hash')
  t.match((await verifyAuditLog(third.deps)), { ok: false, id: 4, reason: 'hash' })
  await third.app.close()
  await third.runtime.close()
  const tampered = await admin(w.databasePath, ['audit', 'verify'])
  t.equal(tampered.code, 1)
  t.match(tampered.stderr, /Auditlog beschadigd bij regel 4/)
})

await t.test('recordSessionExpired records the expiry against the account', async (t) => {
  const w = await world(t)
  await recordSessionExpired(w.deps, { actor: 'system', ip: '192.0.2.7', userAgent: 'Firefox' }, 42, 'idle')
  const [entry] = await listEvents(w.deps, { accountId: 42 })
  t.match(entry, { event: 'session_expired', outcome: 'info', accountId: 42, actor: 'system', ip: '192.0.2.7' })
  t.ok((await verifyAuditLog(w.deps)).ok)
})

await t.test('a cross-site GET records no view and shows nothing; the staff member opens it from there', async (t) => {
  const w = await world(t)
  const { b } = await staffBrowser(w, anna)
  const patient = await w.invite()
  await onboard(w, jan)
  const views = () => countEvents(w.deps, { accountId: patient.id, event: 'record_viewed' })
  const url = `/praktijk/clienten/${patient.id}`

  for (const site of ['cross-site', 'same-site']) {
    await b.get(url, { 'sec-fetch-site': site })
    t.equal(b.status, 200)
    t.equal((await views()), 0, `${site}: no view recorded`)
    t.notOk(b.text.includes(jan.email) || b.text.includes(jan.name), `${site}: none of the record shown`)
    t.match(b.text, /via een link van buiten het portaal/)
  }
  const lists = await countEvents(w.deps, { event: 'list_viewed' })
  await b.get('/praktijk?zoek=Vries', { 'sec-fetch-site': 'cross-site' })
  t.equal((await countEvents(w.deps, { event: 'list_viewed' })), lists, 'a cross-site search records nothing')
  t.notOk(b.text.includes(jan.name), 'and shows no names')

  await b.get(url, { 'sec-fetch-site': 'cross-site' })
  await follow(b, 'Pagina openen')
  t.equal((await views()), 1, 'opened from the portal: recorded')
  t.ok(b.text.includes(jan.email))
  await b.get(url, { 'sec-fetch-site': 'same-origin' })
  await b.get(url, { 'sec-fetch-site': 'none' })
  await b.get(url)
  t.equal((await views()), 4, 'same-origin, typed (none) and browsers without Fetch Metadata are recorded')
})

await t.test('list views and searches are recorded with who, what was searched and how many were found', async (t) => {
  const w = await world(t)
  const { b, account } = await staffBrowser(w, anna)
  await w.invite()
  await b.get('/praktijk?zoek=vries')
  await b.get('/praktijk/medewerkers')
  const [staffList, search] = await listEvents(w.deps, { event: 'list_viewed' })
  t.match(search, { actor: `staff:${account.id}`, accountId: null })
  t.same(JSON.parse(search!.detail!), { list: 'patients', search: 'vries', page: 1, results: 1 })
  t.same(JSON.parse(staffList!.detail!), { list: 'staff', page: 1, results: 1 })
  await b.get('/praktijk/auditlog?gebeurtenis=sign_in')
  const [read] = await listEvents(w.deps, { event: 'audit_viewed' })
  t.match(read, { actor: `staff:${account.id}` })
  t.match(JSON.parse(read!.detail!), { event: 'sign_in', page: 1 })
})

await t.test("a behandelaar reads patients' entries and their own, not a colleague's; a beheerder reads all", async (t) => {
  const w = await world(t)
  const annaStaff = await staffBrowser(w, anna)
  const bertStaff = await staffBrowser(w, bert)
  const patient = await w.invite()
  await onboard(w, jan)
  const carolCreated = await createStaff(w.deps, { actor: 'cli' }, w.practice.id, { name: 'Carol de Wit', email: 'carol@praktijk.example', phone: '+31612340003', username: 'cdewit', role: 'behandelaar' })
  if (!carolCreated.ok) throw new Error('carol')
  const carol = carolCreated.account
  // Anna looks at Jan: an entry about a patient, by a colleague, from Anna's address.
  await annaStaff.b.get(`/praktijk/clienten/${patient.id}`, { 'user-agent': 'AnnasBrowser/1.0' })

  const b = bertStaff.b
  await b.get('/praktijk/auditlog')
  t.notOk(b.text.includes('cdewit'), "no colleague's account in the behandelaar's log")
  t.notOk(b.text.includes('AnnasBrowser'), "nor a colleague's browser")
  const visible = await listEvents(w.deps, { viewer: { id: bertStaff.account.id, role: 'behandelaar', practiceId: w.practice.id }, limit: 1000 })
  t.ok(visible.length > 0)
  for (const e of visible) {
    const own = e.accountId === bertStaff.account.id || e.actor === `staff:${bertStaff.account.id}`
    t.ok(own || e.accountId === patient.id, `${e.event} by ${e.actor} about ${e.accountId}: own or a patient's`)
  }
  t.notOk(visible.some((e) => e.accountId === annaStaff.account.id || e.accountId === carol.id), "nothing about Anna's or Carol's account")
  t.ok(visible.some((e) => e.accountId === patient.id && e.actor === 'self'), "the patient's own entries")
  t.ok(visible.some((e) => e.actor === `staff:${bertStaff.account.id}`), 'his own actions')
  t.ok(visible.some((e) => e.event === 'record_viewed' && e.actor === `staff:${annaStaff.account.id}`), "a colleague's view of a patient")
  await b.get(`/praktijk/clienten/${patient.id}`)
  t.notOk(b.text.includes('AnnasBrowser'), "but not the colleague's browser or address")

  await b.get('/praktijk/auditlog?account=abakker')
  t.equal(b.status, 422, "a colleague's username is unknown here")
  t.match(b.text, /Er is geen account met deze gebruikersnaam/)

  const all = await listEvents(w.deps, { viewer: { id: annaStaff.account.id, role: 'beheerder', practiceId: w.practice.id }, limit: 1000 })
  t.equal(all.length, (await listEvents(w.deps, { limit: 1000 })).length, 'a beheerder reads every entry')
  await annaStaff.b.get('/praktijk/auditlog?account=bjansen')
  t.equal(annaStaff.b.status, 200)
  t.ok((await verifyAuditLog(w.deps)).ok, 'and all of it chained')
})
