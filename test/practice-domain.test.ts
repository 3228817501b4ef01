// The practice's domain without pages: statuses derived from facts, search, and every action with
// its refusals, its audit record and its effect on the account's facts.
import t from 'tap'
import { createAccount, getAccount, updateAccount, type Account } from '../src/domain/accounts.ts'
import { countEvents, listEvents } from '../src/domain/audit.ts'
import { peekLink } from '../src/domain/invitations.ts'
import { countFactorFailure, countFailure } from '../src/domain/throttle.ts'
import {
  activate,
  changeEmail,
  changePhone,
  deactivate,
  erase,
  invitePatient,
  listAccounts,
  resendInvitation,
  resetSecondFactor,
  statusOf,
  summarize,
  unlockAccount,
} from '../src/domain/patients.ts'
import { createStaff, mayManage } from '../src/domain/staff.ts'
import { parseDay, startOfDay, startOfNextDay } from '../src/flows/practice/dates.ts'
import { messages } from '../src/messages.ts'
import { anna, bert, piet } from './helpers/practice.ts'
import { jan, world } from './helpers/world.ts'

const { error } = messages('nl')

const cli = { actor: 'cli' }
const at = new Date('2026-03-01T10:00:00Z')

await t.test('the status is derived from the facts, furthest first', async (t) => {
  const w = await world(t)
  const base = await w.invite()
  const rows: [string, Partial<Account>, boolean, string][] = [
    ['just invited', {}, false, 'invited'],
    ['e-mail verified', { emailVerifiedAt: at }, false, 'email-verified'],
    ['phone verified', { emailVerifiedAt: at, phoneVerifiedAt: at }, false, 'phone-verified'],
    ['password set', { emailVerifiedAt: at, phoneVerifiedAt: at, passwordSetAt: at }, false, 'password-set'],
    ['app pending is not enrolled', { emailVerifiedAt: at, phoneVerifiedAt: at, passwordSetAt: at, totpPendingSecretEnc: 'x' }, false, 'password-set'],
    ['all facts', { emailVerifiedAt: at, phoneVerifiedAt: at, passwordSetAt: at, mfaEnrolledAt: at, mfaMethod: 'app' }, false, 'active'],
    ['signed in once, second factor reset since', { emailVerifiedAt: at, passwordSetAt: at, lastSignInAt: at }, false, 'active'],
    ['locked beats every fact', { emailVerifiedAt: at, phoneVerifiedAt: at, passwordSetAt: at, mfaEnrolledAt: at }, true, 'locked'],
    ['locked while invited', {}, true, 'locked'],
    ['deactivated beats locked', { deactivatedAt: at }, true, 'deactivated'],
    ['erased beats everything', { deactivatedAt: at, erasedAt: at }, true, 'erased'],
  ]
  for (const [name, facts, locked, expected] of rows) t.equal(statusOf({ ...base, ...facts }, locked), expected, name)
})

await t.test('summaries: invitation expiry, expired, pending re-verifications', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  let s = await summarize(w.deps, account)
  t.equal(s.invitationExpiresAt?.toISOString(), '2026-03-05T09:00:00.000Z', '72 hours')
  t.equal(s.invitationExpired, false)
  w.clock.advanceHours(73)
  s = (await summarize(w.deps, account))
  t.equal(s.invitationExpired, true)
  t.equal(s.status, 'invited')
  await updateAccount(w.deps, account.id, { lastSignInAt: at, emailVerifiedAt: null, phoneVerifiedAt: null, mfaEnrolledAt: null })
  t.same((await summarize(w.deps, (await getAccount(w.deps, account.id))!)).pending, ['email', 'phone', 'mfa'])
})

await t.test('search by name, username or e-mail; wildcards are literal; scopes; paging', async (t) => {
  const w = await world(t)
  await w.invite()
  await w.invite(piet)
  await w.invite({ name: 'Mia de Wit', email: 'mia_w@example.net', phone: '+31611112222', username: 'm.wit' })
  await createStaff(w.deps, cli, w.practice.id, { ...anna })
  const names = async (search: string, scope?: 'patients' | 'staff' | 'all') => (await listAccounts(w.deps, w.practice.id, { search, ...(scope ? { scope } : {}) })).rows.map((r) => r.account.username)
  const rows: [string, string, 'patients' | 'staff' | 'all' | undefined, string[]][] = [
    ['everyone (patients by name)', '', undefined, ['jdevries', 'm.wit', 'ppeters']],
    ['part of a name, any case', 'DE V', undefined, ['jdevries']],
    ['part of a username', 'peter', undefined, ['ppeters']],
    ['part of an e-mail address', 'example.net', undefined, ['m.wit']],
    ['an underscore is not a wildcard', 'a_w', undefined, ['m.wit']],
    ['a percent sign is not a wildcard', '%', undefined, []],
    ['nothing matches', 'zzz', undefined, []],
    ['staff are not patients', 'anna', undefined, []],
    ['staff scope', '', 'staff', ['abakker']],
    ['all scope', 'a', 'all', ['abakker', 'jdevries', 'm.wit', 'ppeters']],
  ]
  for (const [name, search, scope, expected] of rows) t.same((await names(search, scope)), expected, name)
  const page = await listAccounts(w.deps, w.practice.id, { limit: 2, offset: 2 })
  t.equal(page.total, 3)
  t.same(page.rows.map((r) => r.account.username), ['ppeters'])
})

await t.test('resend: voids the old link, refused once the onboarding is finished', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  const before = await w.mail.lastLinkTo(jan.email, 'invite')
  const resent = await resendInvitation(w.deps, { actor: 'staff:9' }, w.practice.id, account.id)
  t.equal(resent.ok, true)
  t.not((await w.mail.lastLinkTo(jan.email, 'invite')), before, 'a new link')
  t.equal((await listEvents(w.deps, { accountId: account.id, event: 'invite' }))[0]?.actor, 'staff:9', 'audited with the staff member as actor')
  await updateAccount(w.deps, account.id, { lastSignInAt: at })
  t.same((await resendInvitation(w.deps, cli, w.practice.id, account.id)), { ok: false, error: 'resendOnboarded' })
  t.equal(error.resendOnboarded, resendRefusal(), 'worded in Dutch by the catalogue')
  await updateAccount(w.deps, account.id, { lastSignInAt: null, deactivatedAt: at })
  t.equal((await resendInvitation(w.deps, cli, w.practice.id, account.id)).ok, false, 'refused while deactivated')
  t.equal((await resendInvitation(w.deps, cli, w.practice.id, 9999)).ok, false, 'unknown account')
})

function resendRefusal() {
  return 'Dit account heeft de aanmelding al afgerond; een uitnodiging is niet meer nodig. Kan de cliënt niet inloggen? Dan helpt ‘wachtwoord vergeten’ op de inlogpagina, of reset de tweede stap.'
}

await t.test('change e-mail and phone: validated like a new account', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  const rows: [string, 'email' | 'phone', string, RegExp][] = [
    ['empty e-mail', 'email', '  ', /Vul het e-mailadres in/],
    ['not an address', 'email', 'jan@', /geldig e-mailadres/],
    ['control characters', 'email', 'jan\r\n@example.org', /geldig e-mailadres/],
    ['the same address, other case', 'email', 'JAN@example.org', /al het e-mailadres/],
    ['empty phone', 'phone', '', /Vul het mobiele nummer in/],
    ['a landline', 'phone', '020-1234567', /geldig mobiel nummer/],
    ['letters', 'phone', 'zes-nul', /geldig mobiel nummer/],
    ['the same number, written differently', 'phone', '06-12341361', /al het mobiele nummer/],
  ]
  for (const [name, field, value, message] of rows) {
    const result = field === 'email' ? (await changeEmail(w.deps, cli, w.practice.id, account.id, value)) : (await changePhone(w.deps, cli, w.practice.id, account.id, value))
    t.equal(result.ok, false, name)
    if (!result.ok) t.match(error[result.error], message, name)
  }
  t.same((await getAccount(w.deps, account.id)), account, 'nothing changed')
  t.equal((await countEvents(w.deps, { accountId: account.id, event: 'email_changed' })), 0)
})

await t.test('change e-mail before the onboarding: a new invitation to the new address, old links void', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  const oldLink = (await w.mail.lastLinkTo(jan.email, 'invite')).split('/').pop()!
  await updateAccount(w.deps, account.id, { emailVerifiedAt: at })
  const flow = JSON.stringify({ flow: { kind: 'onboarding', accountId: account.id, since: 0, proven: [] } })
  await w.sql.run("insert into sessions (id, data, account_id, expires_at) values ('x', ?, null, ?)", flow, new Date(Date.now() + 1e9))
  const result = await changeEmail(w.deps, { actor: 'staff:3' }, w.practice.id, account.id, 'jan.nieuw@example.org')
  t.equal(await w.sql.count('select count(*) from sessions'), 0, 'the onboarding begun from the old mailbox ends')
  t.equal((await peekLink(w.deps, 'invite', oldLink)), null, 'the link sent to the old address is void')
  t.equal(result.ok, true)
  const after = (await getAccount(w.deps, account.id))!
  t.equal(after.email, 'jan.nieuw@example.org')
  t.equal(after.emailVerifiedAt, null, 'the new address is not verified yet')
  t.match((await w.mail.lastTo('jan.nieuw@example.org', 'invite')).text, /jdevries/)
  t.same((await w.mail.all()).filter((m) => m.kind === 'email-changed'), [], 'no change notices during onboarding')
  t.equal((await listEvents(w.deps, { accountId: account.id, event: 'email_changed' }))[0]?.actor, 'staff:3')
})

await t.test('change e-mail after the onboarding: verified at the next sign-in, both addresses told', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  await updateAccount(w.deps, account.id, { emailVerifiedAt: at, phoneVerifiedAt: at, passwordSetAt: at, mfaEnrolledAt: at, mfaMethod: 'app', lastSignInAt: at })
  t.equal((await changeEmail(w.deps, cli, w.practice.id, account.id, 'jan.nieuw@example.org')).ok, true)
  t.equal((await getAccount(w.deps, account.id))!.emailVerifiedAt, null)
  t.match((await w.mail.lastTo(jan.email, 'email-changed')).text, /gewijzigd/)
  t.match((await w.mail.lastTo('jan.nieuw@example.org', 'email-changed')).text, /bevestigen met een code/)
  await t.rejects(w.mail.lastTo('jan.nieuw@example.org', 'invite'), 'no invitation once onboarded')
})

await t.test('change phone: the new number must be proven, old codes are void, a notice goes out', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  await updateAccount(w.deps, account.id, { emailVerifiedAt: at, phoneVerifiedAt: at })
  t.equal((await changePhone(w.deps, cli, w.practice.id, account.id, '06-87654321')).ok, true)
  const after = (await getAccount(w.deps, account.id))!
  t.equal(after.phone, '+31687654321', 'stored in E.164')
  t.equal(after.phoneVerifiedAt, null)
  t.match((await w.mail.lastTo(jan.email, 'phone-changed')).text, /eindigt op 4321/)
  t.notMatch((await w.mail.lastTo(jan.email, 'phone-changed')).text, /87654321/, 'never the whole number in a mail')
})

await t.test('reset the second factor: every factor fact cleared, sessions ended, notice mailed', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  t.same((await resetSecondFactor(w.deps, cli, w.practice.id, account.id)), { ok: false, error: 'noSecondFactor' })
  await updateAccount(w.deps, account.id, {
    emailVerifiedAt: at, phoneVerifiedAt: at, passwordSetAt: at, mfaMethod: 'app', mfaEnrolledAt: at, totpSecretEnc: 'sealed', totpLastStep: 5,
  })
  await w.sql.run(
    "insert into sessions (id, data, account_id, expires_at) values ('a', '{}', ?, ?), ('b', ?, null, ?)",
    account.id, new Date(Date.now() + 1e9), JSON.stringify({ flow: { kind: 'sign-in', accountId: account.id } }), new Date(Date.now() + 1e9),
  )
  t.equal((await resetSecondFactor(w.deps, { actor: 'staff:4' }, w.practice.id, account.id)).ok, true)
  const after = (await getAccount(w.deps, account.id))!
  t.same(
    [after.mfaMethod, after.mfaEnrolledAt, after.totpSecretEnc, after.totpPendingSecretEnc, after.totpLastStep, after.phoneVerifiedAt],
    [null, null, null, null, null, null],
  )
  t.not(after.passwordSetAt, null, 'the password stays')
  t.equal(await w.sql.count('select count(*) from sessions'), 0, 'signed-in and in-flow sessions ended')
  t.match((await w.mail.lastTo(jan.email, 'mfa-reset')).text, /gereset/)
  t.equal((await listEvents(w.deps, { accountId: account.id, event: 'mfa_reset' }))[0]?.actor, 'staff:4')
})

await t.test('unlock, deactivate, activate', async (t) => {
  const w = await world(t, { env: { LOCK_AFTER_FAILURES: '2' } })
  const account = await w.invite()
  // Wrong codes after the right password lock the second factor (strangers' wrong passwords lock nothing).
  await countFactorFailure(w.deps, cli, account, 'app', '10.0.0.1')
  await countFactorFailure(w.deps, cli, account, 'app', '10.0.0.1')
  t.equal((await summarize(w.deps, account)).status, 'locked')
  const unlocked = await unlockAccount(w.deps, cli, w.practice.id, account.id)
  t.same(unlocked.ok && unlocked.wasLocked, true)
  t.equal((await summarize(w.deps, account)).status, 'invited')
  t.equal((await listEvents(w.deps, { accountId: account.id, event: 'account_unlocked' })).length, 1)

  const deactivated = await deactivate(w.deps, { actor: 'staff:2' }, w.practice.id, account.id)
  t.equal(deactivated.ok, true)
  t.equal((await summarize(w.deps, (await getAccount(w.deps, account.id))!)).status, 'deactivated')
  t.equal((await activate(w.deps, cli, w.practice.id, account.id)).ok, true)
  t.equal((await getAccount(w.deps, account.id))!.deactivatedAt, null)
  t.same(
    (await listEvents(w.deps, { accountId: account.id })).slice(0, 2).map((e) => [e.event, e.actor]),
    [['account_activated', 'cli'], ['account_deactivated', 'staff:2']],
  )
})

await t.test('staff: roles, who may manage whom, no action on yourself, the last beheerder stays', async (t) => {
  const w = await world(t)
  const refused = await createStaff(w.deps, cli, w.practice.id, { ...anna, role: 'patient', email: 'nope' })
  t.equal(refused.ok, false)
  if (!refused.ok) t.same(Object.keys(refused.errors).sort(), ['email', 'role'], 'every problem at once')
  t.equal((await listAccounts(w.deps, w.practice.id, { scope: 'all' })).total, 0, 'nothing created')
  const a = await createStaff(w.deps, cli, w.practice.id, { ...anna })
  const b = await createStaff(w.deps, cli, w.practice.id, { ...bert })
  if (!a.ok || !b.ok) throw new Error('staff not created')
  t.match((await w.mail.lastTo(anna.email, 'invite')).text, /abakker/)
  const patient = await w.invite()
  const rows: [string, Account, Pick<Account, 'role'>, boolean][] = [
    ['beheerder manages patients', a.account, patient, true],
    ['beheerder manages staff', a.account, b.account, true],
    ['behandelaar manages patients', b.account, patient, true],
    ['behandelaar does not manage staff', b.account, a.account, false],
    ['a patient manages nobody', patient, patient, false],
  ]
  for (const [name, actor, subject, expected] of rows) t.equal(mayManage(actor, subject), expected, name)

  const self = { actor: `staff:${a.account.id}` }
  for (const act of [deactivate, erase, resetSecondFactor]) {
    const result = await act(w.deps, self, w.practice.id, a.account.id)
    t.match(result, { ok: false, error: 'notYourself' }, `${act.name} on yourself`)
  }
  t.match((await deactivate(w.deps, cli, w.practice.id, a.account.id)), { ok: false, error: 'lastAdmin' })
  t.match((await erase(w.deps, cli, w.practice.id, a.account.id)), { ok: false, error: 'lastAdmin' })
  t.equal((await deactivate(w.deps, cli, w.practice.id, b.account.id)).ok, true, 'a behandelaar can go')
})

await t.test('erase: personal data replaced, traces deleted, the audit log keeps the account id only', async (t) => {
  const w = await world(t)
  const created = await invitePatient(w.deps, { actor: 'staff:7' }, w.practice.id, jan)
  if (!created.ok) throw new Error('not created')
  const id = created.account.id
  await countFailure(w.deps, cli, 'jdevries', '10.0.0.1')
  const eventsBefore = await countEvents(w.deps, { accountId: id })
  t.equal((await erase(w.deps, { actor: 'staff:7' }, w.practice.id, id)).ok, true)
  const after = (await getAccount(w.deps, id))!
  t.match(after, { username: `verwijderd:${id}`, name: 'Verwijderd', email: '', phone: '', passwordHash: null })
  t.not(after.erasedAt, null)
  t.not(after.deactivatedAt, null)
  for (const table of ['links', 'codes', 'outbox']) {
    t.equal(await w.sql.count(`select count(*) from ${table} where account_id = ?`, id), 0, `no ${table} rows`)
  }
  t.equal(await w.sql.count("select count(*) from throttles where key like '%jdevries%'"), 0, 'no counter under the old username')
  const dump = JSON.stringify(await w.sql.all('select * from audit_log'))
  t.notMatch(dump, /jdevries|Jan de Vries|jan@example|1361/, 'no personal data of the patient in the audit log')
  t.equal((await countEvents(w.deps, { accountId: id })), eventsBefore + 1, 'every event kept, and the erasure recorded')
  t.equal((await listAccounts(w.deps, w.practice.id, { scope: 'all' })).total, 0, 'gone from every list')
  t.match((await changeEmail(w.deps, cli, w.practice.id, id, 'x@example.org')), { ok: false, error: 'accountErased' }, 'no more actions')
  t.equal((await createAccount(w.deps, cli, w.practice.id, jan)).ok, true, 'the username is free again')
})

await t.test('audit filters: account, event, period, paging', async (t) => {
  const w = await world(t)
  const a = await w.invite()
  w.clock.advanceHours(24)
  const p = await w.invite(piet)
  const since = new Date(w.clock.ms - 1000)
  t.same((await listEvents(w.deps, { accountId: p.id })).map((e) => e.event), ['invite', 'account_created'])
  t.same((await listEvents(w.deps, { event: 'invite' })).map((e) => e.accountId), [p.id, a.id])
  t.same((await listEvents(w.deps, { since })).map((e) => e.accountId), [p.id, p.id])
  t.same((await listEvents(w.deps, { until: since })).map((e) => e.accountId), [a.id, a.id])
  t.same((await listEvents(w.deps, { limit: 1, offset: 1 })).map((e) => e.event), ['account_created'])
  t.equal((await countEvents(w.deps, { event: 'account_created' })), 2)
})

await t.test('days in Amsterdam', async (t) => {
  const rows: [string, string | null][] = [
    ['2026-03-02', '2026-03-01T23:00:00.000Z'],
    ['2-3-2026', '2026-03-01T23:00:00.000Z'],
    ['02/03/2026', '2026-03-01T23:00:00.000Z'],
    ['2026-07-01', '2026-06-30T22:00:00.000Z'],
    ['31-2-2026', null],
    ['2026-13-01', null],
    ['gisteren', null],
    ['', null],
  ]
  for (const [raw, expected] of rows) {
    const day = parseDay(raw)
    t.equal(day ? startOfDay(day.year, day.month, day.day).toISOString() : null, expected, raw)
  }
  t.equal(startOfNextDay({ year: 2026, month: 3, day: 28 }).toISOString(), '2026-03-28T23:00:00.000Z', 'across the change to summer time')
  t.equal(startOfNextDay({ year: 2026, month: 12, day: 31 }).toISOString(), '2026-12-31T23:00:00.000Z', 'across a year')
})
