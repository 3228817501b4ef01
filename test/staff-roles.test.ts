// Issue 22 item 6: a staff member's role changes, behandelaar to beheerder and back, on the beheerder's
// page and with `npm run admin -- set-role`; audited; never the last beheerder, never one's own.
import t from 'tap'
import { listEvents } from '../src/domain/audit.ts'
import { changeStaffRole } from '../src/domain/staff.ts'
import { admin } from './helpers/admin.ts'
import { act, addStaff, anna, bert, follow, onboard, staffBrowser } from './helpers/practice.ts'
import { jan, world } from './helpers/world.ts'


await t.test('a beheerder makes a behandelaar beheerder and back; it applies at once; audited', async (t) => {
  const w = await world(t)
  const { b: annaB } = await staffBrowser(w, anna)
  const bertAccount = await addStaff(w, bert)
  const { b: bertB } = await onboard(w, bert)
  await bertB.get('/praktijk/medewerkers')
  t.equal(bertB.status, 404, 'a behandelaar does not reach the staff pages')

  await annaB.get('/praktijk/medewerkers')
  await follow(annaB, bert.name)
  t.notOk(annaB.text.includes('Behandelaar maken'), 'only the other role is offered')
  await act(annaB, 'Beheerder maken')
  t.match(annaB.text, /De rol is gewijzigd: beheerder/)
  t.equal((await w.account(bert.username)).role, 'beheerder')
  await bertB.get('/praktijk/medewerkers')
  t.equal(bertB.status, 200, 'in the session Bert already had')

  await act(annaB, 'Behandelaar maken')
  t.match(annaB.text, /De rol is gewijzigd: behandelaar/)
  await bertB.get('/praktijk/medewerkers')
  t.equal(bertB.status, 404, 'and the demotion too')

  const changes = await listEvents(w.deps, { accountId: bertAccount.id, event: 'role_changed' })
  t.same(
    changes.map((e) => [e.actor, JSON.parse(e.detail!)]).reverse(),
    [
      [`staff:${(await w.account(anna.username)).id}`, { role: 'beheerder', previous: 'behandelaar' }],
      [`staff:${(await w.account(anna.username)).id}`, { role: 'behandelaar', previous: 'beheerder' }],
    ],
    'both changes audited, by whom, from what to what',
  )
  await annaB.get(`/praktijk/medewerkers/${bertAccount.id}`)
  t.match(annaB.text, /Rol gewijzigd/, 'and shown in the account’s log')
})

await t.test('the last beheerder stays beheerder; nobody changes their own role; patients have none', async (t) => {
  const w = await world(t)
  const { b: annaB, account: annaAccount } = await staffBrowser(w, anna)
  const cli = { actor: 'cli' }
  t.match((await changeStaffRole(w.deps, cli, w.practice.id, annaAccount.id, 'behandelaar')), { ok: false, error: 'lastAdmin' }, 'the only beheerder')
  t.match((await changeStaffRole(w.deps, { actor: `staff:${annaAccount.id}` }, w.practice.id, annaAccount.id, 'behandelaar')), { ok: false, error: 'notYourself' })
  const patient = await w.invite(jan)
  t.match((await changeStaffRole(w.deps, cli, w.practice.id, patient.id, 'beheerder')), { ok: false, error: 'notStaff' })
  t.match((await changeStaffRole(w.deps, cli, w.practice.id, annaAccount.id, 'patient')), { ok: false, error: 'roleRequired' })
  // Issue 20: only within the practice the change is made for; another practice's staff are unknown there.
  const other = await w.addPractice({ name: 'Praktijk De Eik', contact: '010 765 43 21' })
  t.match((await changeStaffRole(w.deps, cli, other.id, annaAccount.id, 'behandelaar')), { ok: false, error: 'accountUnknown' }, 'not from another practice')

  // On the page: no role button on her own page; a POST anyway is refused and changes nothing.
  await annaB.get(`/praktijk/medewerkers/${annaAccount.id}`)
  t.notOk(annaB.text.includes('Behandelaar maken'))
  await annaB.get(`/praktijk/medewerkers/${annaAccount.id}/behandelaar-maken`)
  await annaB.submit('Behandelaar maken')
  t.equal(annaB.status, 422)
  t.match(annaB.text, /Dit kunt u niet voor uw eigen account doen/)
  t.equal((await w.account(anna.username)).role, 'beheerder')
  // A patient's page has the same action paths; they refuse too.
  await annaB.get(`/praktijk/clienten/${patient.id}/beheerder-maken`)
  await annaB.submit('Beheerder maken')
  t.equal(annaB.status, 422)
  t.equal((await w.account(jan.username!)).role, 'patient')

  // With a second beheerder, one of them can step down (by the other, or the CLI).
  const bertAccount = await addStaff(w, bert)
  t.match((await changeStaffRole(w.deps, cli, w.practice.id, bertAccount.id, 'beheerder')), { ok: true, changed: true })
  t.match((await changeStaffRole(w.deps, cli, w.practice.id, annaAccount.id, 'behandelaar')), { ok: true, changed: true })
  t.match((await changeStaffRole(w.deps, cli, w.practice.id, bertAccount.id, 'behandelaar')), { ok: false, error: 'lastAdmin' }, 'and then Bert is the last')
  t.match((await changeStaffRole(w.deps, cli, w.practice.id, bertAccount.id, 'beheerder')), { ok: true, changed: false }, 'the same role: nothing to do')
  t.equal((await listEvents(w.deps, { event: 'role_changed' })).length, 2, 'refusals and no-ops are not role changes')
})

await t.test('npm run admin -- set-role: the CLI, the same rules', async (t) => {
  const w = await world(t)
  await addStaff(w, anna)
  const bertAccount = await addStaff(w, bert)
  const up = await admin(w.databasePath, ['set-role', bert.username, '--role', 'beheerder'])
  t.equal(up.code, 0, up.stderr)
  t.match(up.stdout, /bjansen is nu beheerder/)
  t.match(up.stderr, new RegExp(`Database: ${w.databasePath}`), 'names the database it works on')
  const down = await admin(w.databasePath, ['set-role', anna.username, '--role', 'behandelaar'])
  t.equal(down.code, 0, down.stderr)
  const last = await admin(w.databasePath, ['set-role', bert.username, '--role', 'behandelaar'])
  t.equal(last.code, 1)
  t.match(last.stderr, /laatste actieve beheerder/)
  const wrong = await admin(w.databasePath, ['set-role', bert.username, '--role', 'directeur'])
  t.equal(wrong.code, 1)
  t.match(wrong.stderr, /Kies de rol: beheerder of behandelaar/)
  const none = await admin(w.databasePath, ['set-role', bert.username])
  t.match(none.stderr, /Ontbrekend: --role/)
  t.match(
    (await listEvents(w.deps, { accountId: bertAccount.id, event: 'role_changed' })).map((e) => e.actor),
    ['cli'],
    'audited with the CLI as actor',
  )
})
