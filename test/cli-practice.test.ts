// The operator's CLI, spawned the way an operator runs it, against the database of a test world:
// every practice command, its --help, its Dutch errors and its exit code.
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { getAccount } from '../src/domain/accounts.ts'
import { listEvents } from '../src/domain/audit.ts'
import { countFactorFailure } from '../src/domain/throttle.ts'
import { onboard, password, startSignIn } from './helpers/practice.ts'
import { jan, origin, testSecretKey, world, type World } from './helpers/world.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')


interface Run {
  code: number
  stdout: string
  stderr: string
}

function cli(w: World, ...args: string[]): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', DATABASE_PATH: w.databasePath, SECRET_KEY: testSecretKey, PUBLIC_URL: origin, DEV_OUTBOX: 'on' }
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'src', 'admin.ts'), ...args], { cwd: root, env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
    })
  })
}

const commands = ['invite', 'create-staff', 'resend', 'reset-mfa', 'unlock', 'deactivate', 'activate', 'change-email', 'change-phone', 'erase', 'list', 'audit']

await t.test('help: the overview, and --help for every command', async (t) => {
  const w = await world(t)
  const overview = await cli(w, 'help')
  t.equal(overview.code, 0)
  for (const name of commands) t.match(overview.stdout, new RegExp(`^  ${name}\\b`, 'm'), `${name} in the overview`)
  const none = await cli(w)
  t.equal(none.code, 64, 'no command is a usage error')
  const unknown = await cli(w, 'opruimen')
  t.equal(unknown.code, 64)
  t.match(unknown.stderr, /Onbekende opdracht: opruimen/)
  const helps = await Promise.all(commands.map((name) => cli(w, name, '--help')))
  helps.forEach((run, i) => {
    t.equal(run.code, 0, `${commands[i]} --help`)
    t.match(run.stdout, new RegExp(`^Gebruik: npm run admin -- ${commands[i]}`), `${commands[i]} --help explains itself`)
  })
})

await t.test('create-staff and invite: the accounts, the invitations, the errors', async (t) => {
  const w = await world(t)
  const rows: [string, string[], number, RegExp][] = [
    ['a missing role', ['create-staff', '--name', 'Anna Bakker', '--email', 'anna@praktijk.example', '--phone', '0612340001'], 1, /Ontbrekend: --role/],
    ['a role that is not a staff role', ['create-staff', '--name', 'Anna Bakker', '--email', 'anna@x', '--phone', '0612340001', '--role', 'patient'], 1, /geldig e-mailadres[\s\S]*Kies de rol/],
    ['an unknown option', ['create-staff', '--naam', 'Anna'], 1, /Onbekende optie: --naam/],
    ['an option without its value', ['invite', '--name'], 1, /heeft een waarde nodig/],
  ]
  for (const [name, args, code, message] of rows) {
    const run = await cli(w, ...args)
    t.equal(run.code, code, name)
    t.match(run.stderr, message, name)
  }
  t.equal(w.deps.db.$client.prepare('select count(*) as n from accounts').get() !== undefined, true)
  t.same((await listEvents(w.deps, { event: 'account_created' })), [], 'nothing was created by a failed command')

  const staff = await cli(w, 'create-staff', '--name', 'Anna Bakker', '--email', 'anna@praktijk.example', '--phone', '06-12340001', '--role', 'beheerder')
  t.equal(staff.code, 0, staff.stderr)
  t.equal(staff.stdout, 'abakker\n', 'prints the username')
  t.match(staff.stderr, /Uitnodiging voor Anna Bakker <anna@praktijk\.example> \(beheerder\)/)
  t.equal((await w.account('abakker')).role, 'beheerder')
  t.match((await w.mail.lastTo('anna@praktijk.example', 'invite')).text, /abakker/)
  const patient = await cli(w, 'invite', '--name', 'Jan de Vries', '--email', 'jan@example.org', '--phone', '+31612341361')
  t.equal(patient.code, 0)
  t.equal(patient.stdout, 'jdevries\n')
  t.equal((await w.account('jdevries')).role, 'patient')
  t.same((await listEvents(w.deps, { event: 'account_created' })).map((e) => e.actor), ['cli', 'cli'], 'audited as cli')
  const taken = await cli(w, 'invite', '--name', 'Jan de Vries', '--email', 'jan@example.org', '--phone', '+31612341361', '--username', 'jdevries')
  t.equal(taken.code, 1)
  t.match(taken.stderr, /al in gebruik/)
})

await t.test('list, resend, reset-mfa, unlock, deactivate, activate, audit: each on the accounts it names', async (t) => {
  const w = await world(t, { env: { LOCK_AFTER_FAILURES: '3' } })
  const account = await w.invite()
  await w.invite({ name: 'Piet Peters', email: 'piet@example.org', phone: '+31687654321', username: 'ppeters' })
  const { b: p } = await onboard(w, jan)

  const table = await cli(w, 'list')
  t.equal(table.code, 0)
  t.match(table.stdout, /^GEBRUIKERSNAAM\s+NAAM\s+ROL\s+STATUS\s+UITNODIGING GELDIG TOT\s+LAATST INGELOGD$/m)
  t.match(table.stdout, /^jdevries\s+Jan de Vries\s+patient\s+actief\s/m)
  t.match(table.stdout, /^ppeters\s+Piet Peters\s+patient\s+uitgenodigd\s+5 maart 2026 om 10:00/m)
  const json = await cli(w, 'list', '--json', '--search', 'peters')
  t.equal(json.code, 0)
  t.match(JSON.parse(json.stdout), [{ username: 'ppeters', status: 'uitgenodigd', role: 'patient', invitationExpiresAt: '2026-03-05T09:00:00.000Z', lastSignInAt: null }])
  t.equal(JSON.parse(json.stdout).length, 1)
  const staffOnly = await cli(w, 'list', '--role', 'staff')
  t.match(staffOnly.stdout, /Geen accounts gevonden/)
  t.equal((await cli(w, 'list', '--role', 'cliënt')).code, 1, 'an unknown role')

  const oldLink = await w.mail.lastLinkTo('piet@example.org', 'invite')
  const resent = await cli(w, 'resend', 'ppeters')
  t.equal(resent.code, 0, resent.stderr)
  t.match(resent.stdout, /Nieuwe uitnodiging verstuurd naar piet@example\.org/)
  t.not((await w.mail.lastLinkTo('piet@example.org', 'invite')), oldLink)
  const refused = await cli(w, 'resend', 'jdevries')
  t.equal(refused.code, 1, 'refused after the onboarding')
  t.match(refused.stderr, /aanmelding al afgerond/)

  const failures: [string, string[], number, RegExp][] = [
    ['an unknown username', ['unlock', 'niemand'], 1, /Geen account met gebruikersnaam niemand/],
    ['no username', ['deactivate'], 1, /Geef de gebruikersnaam/],
    ['two usernames', ['activate', 'jdevries', 'ppeters'], 1, /Onverwacht argument: ppeters/],
    ['reset-mfa without a second factor', ['reset-mfa', 'ppeters'], 1, /nog geen tweede stap/],
    ['erase without --yes', ['erase', 'ppeters'], 1, /--yes/],
    ['change-phone without --phone', ['change-phone', 'ppeters'], 1, /Ontbrekend: --phone/],
    ['change-phone to a landline', ['change-phone', 'ppeters', '--phone', '020-1234567'], 1, /geldig mobiel nummer/],
    ['audit with a date it can not read', ['audit', '--since', 'gisteren'], 1, /--since begrijp ik niet/],
    ['audit of an unknown username', ['audit', '--username', 'niemand'], 1, /Geen account/],
  ]
  for (const [name, args, code, message] of failures) {
    const run = await cli(w, ...args)
    t.equal(run.code, code, name)
    t.match(run.stderr, message, name)
  }

  // Wrong codes after the right password lock the second factor (strangers' wrong passwords lock nothing).
  for (let i = 0; i < 3; i++) await countFactorFailure(w.deps, { actor: 'self' }, (await w.account('jdevries')), 'app', '10.0.0.1')
  t.match(JSON.parse((await cli(w, 'list', '--json', '--search', 'jdevries')).stdout), [{ status: 'vergrendeld', locked: true }])
  const unlocked = await cli(w, 'unlock', 'jdevries')
  t.equal(unlocked.code, 0)
  t.match(unlocked.stdout, /jdevries is ontgrendeld/)

  const deactivated = await cli(w, 'deactivate', '--username', 'jdevries')
  t.equal(deactivated.code, 0)
  t.match(deactivated.stdout, /jdevries is gedeactiveerd \(1 sessie\(s\) beëindigd\)/)
  await p.get('/')
  t.match(p.url, /^\/inloggen/, "the patient's open session ended at once")
  t.match((await startSignIn(w, 'jdevries')).text, /Uw account is gedeactiveerd/, 'the right password is told so (issue 12.3)')
  t.equal((await cli(w, 'activate', 'jdevries')).code, 0)
  t.equal((await getAccount(w.deps, account.id))!.deactivatedAt, null)

  const reset = await cli(w, 'reset-mfa', 'jdevries')
  t.equal(reset.code, 0, reset.stderr)
  t.equal((await getAccount(w.deps, account.id))!.mfaEnrolledAt, null)
  t.match((await w.mail.lastTo(jan.email, 'mfa-reset')).text, /gereset/)
  w.clock.advanceSeconds(30)
  t.equal((await startSignIn(w, 'jdevries', password)).url, '/account/telefoon', 'the next sign-in proves the phone again')

  const changed = await cli(w, 'change-phone', 'ppeters', '--phone', '06-11223344')
  t.equal(changed.code, 0)
  t.equal((await w.account('ppeters')).phone, '+31611223344')
  const erased = await cli(w, 'erase', 'ppeters', '--yes')
  t.equal(erased.code, 0)
  t.match(erased.stdout, /Account #\d+ is verwijderd/)

  const audit = await cli(w, 'audit', '--username', 'jdevries', '--limit', '3')
  t.equal(audit.code, 0)
  const lines = audit.stdout.trim().split('\n')
  t.match(lines[0], /^TIJD \(UTC\)\s+GEBEURTENIS\s+UITKOMST\s+ACCOUNT\s+DOOR/)
  t.equal(lines.length, 4, 'a header and three events')
  t.match(lines[1], /mfa_reset\s+success\s+jdevries\s+cli/)
  const recent = JSON.parse((await cli(w, 'audit', '--since', '1d', '--event', 'account_deactivated', '--json')).stdout)
  t.match(recent, [{ event: 'account_deactivated', username: 'jdevries', actor: 'cli', detail: { sessionsEnded: 1 } }], 'the CLI runs on the real clock: only its own events are this recent')
  const fromDay = JSON.parse((await cli(w, 'audit', '--since', '2-3-2026', '--event', 'sign_in', '--json')).stdout)
  t.equal(fromDay.length, 1, "the patient's sign-in on the test clock's day")
})
