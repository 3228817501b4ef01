// Issue 20, the operator's side: `practice add|list|set`, `--practice` on invite, create-staff, list and
// client add (required once there is more than one practice, the error naming the choices), the first
// practice following PRACTICE_NAME/PRACTICE_CONTACT while it is the only one and the CLI never set it,
// and production refusing to start while a practice has no contact.
import { execFile, spawn } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { loadConfig } from '../src/config.ts'
import { getPractice, listPractices, setPractice } from '../src/domain/practices.ts'
import { createRuntime } from '../src/runtime.ts'
import { origin, testSecretKey, world, type World } from './helpers/world.ts'

const root = join(import.meta.dirname, '..')


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

await t.test('practice add, list and set; --practice on invite, create-staff, list and client add', async (t) => {
  const w = await world(t)
  const one = await cli(w, 'practice', 'list')
  t.equal(one.code, 0, one.stderr)
  t.match(one.stdout, /^praktijk\s+Praktijk De Linde\s+\(geen\)\s+Nederlands\s+0\s+0\s+ja$/m, 'the practice every installation starts with, following PRACTICE_NAME')
  // While there is one practice, --practice may be left out.
  t.equal((await cli(w, 'invite', '--name', 'Jan de Vries', '--email', 'jan@example.org', '--phone', '06-12341361')).code, 0)

  const noContact = await cli(w, 'practice', 'add', '--name', 'Praktijk Zonnebloem')
  t.equal(noContact.code, 1, 'a practice can not be made without a contact')
  t.match(noContact.stderr, /Geef aan hoe cliënten de praktijk bereiken \(--contact\)/)
  const added = await cli(w, 'practice', 'add', '--name', 'Praktijk Zonnebloem', '--contact', '020 222 22 22', '--language', 'en')
  t.equal(added.code, 0, added.stderr)
  t.equal(added.stdout, 'praktijk-zonnebloem\n', 'prints the code made from the name')
  t.match(added.stderr, /create-staff --practice praktijk-zonnebloem/, 'and says how to make its first beheerder')
  t.equal((await cli(w, 'practice', 'add', '--name', 'X', '--contact', '1', '--slug', 'praktijk-zonnebloem')).code, 1, 'a code is taken once')

  // Now there are two: --practice is required, and the error lists the choices.
  const which = await cli(w, 'invite', '--name', 'Piet Peters', '--email', 'piet@example.org', '--phone', '06-12341371')
  t.equal(which.code, 1)
  t.match(which.stderr, /Er zijn 2 praktijken: geef --practice met een van: praktijk \(Praktijk De Linde\), praktijk-zonnebloem \(Praktijk Zonnebloem\)\./)
  const unknown = await cli(w, 'create-staff', '--name', 'Dirk Dekker', '--email', 'dirk@example.org', '--phone', '06-12340011', '--role', 'beheerder', '--practice', 'zon')
  t.equal(unknown.code, 1)
  t.match(unknown.stderr, /Onbekende praktijk: zon\. Kies een van: praktijk \(Praktijk De Linde\), praktijk-zonnebloem/)
  const staff = await cli(w, 'create-staff', '--name', 'Dirk Dekker', '--email', 'dirk@example.org', '--phone', '06-12340011', '--role', 'beheerder', '--practice', 'praktijk-zonnebloem')
  t.equal(staff.code, 0, staff.stderr)
  t.match(staff.stderr, /\(beheerder, Engels, praktijk-zonnebloem\)/, "in the practice's language, and its code named")
  const piet = await cli(w, 'invite', '--name', 'Piet Peters', '--email', 'piet@example.org', '--phone', '06-12341371', '--practice', 'praktijk-zonnebloem', '--language', 'nl')
  t.equal(piet.code, 0, piet.stderr)
  const zonnebloem = (await listPractices(w.deps)).find((p) => p.slug === 'praktijk-zonnebloem')!
  t.match((await w.account('ddekker')), { practiceId: zonnebloem.id, role: 'beheerder', language: 'en' })
  t.match((await w.account('ppeters')), { practiceId: zonnebloem.id, language: 'nl' })
  t.equal((await w.account('jdevries')).practiceId, w.practice.id)
  t.equal((await w.mail.lastTo('piet@example.org', 'invite')).fromName, 'Praktijk Zonnebloem', "the invitation under B's name")

  t.equal((await cli(w, 'list')).code, 1, 'list: which practice?')
  const listed = await cli(w, 'list', '--practice', 'praktijk-zonnebloem', '--json')
  t.equal(listed.code, 0, listed.stderr)
  t.same((JSON.parse(listed.stdout) as { username: string }[]).map((a) => a.username).sort(), ['ddekker', 'ppeters'], "only B's accounts")

  // Other account commands act by username, unique over the installation: no --practice needed.
  const unlock = await cli(w, 'unlock', 'ppeters')
  t.equal(unlock.code, 0, unlock.stderr)

  const list = await cli(w, 'practice', 'list')
  t.match(list.stdout, /^praktijk\s+Praktijk De Linde\s+\(geen\)\s+Nederlands\s+1\s+0\s+nee$/m, 'with two practices the environment no longer names the first')
  t.match(list.stdout, /^praktijk-zonnebloem\s+Praktijk Zonnebloem\s+020 222 22 22\s+Engels\s+1\s+1\s+nee$/m)
  t.equal((await cli(w, 'practice', 'set', 'praktijk-zonnebloem', '--contact', ' ')).code, 1, 'a contact can not be emptied')
  const set = await cli(w, 'practice', 'set', 'praktijk', '--contact', '030 111 11 11', '--name', 'Praktijk De Linde en Eik')
  t.equal(set.code, 0, set.stderr)
  t.match((await getPractice(w.deps, w.practice.id)), { name: 'Praktijk De Linde en Eik', contact: '030 111 11 11', fromEnv: false })
  t.equal((await cli(w, 'practice', 'set', 'bestaat-niet', '--name', 'X')).code, 1)

  // An app for one practice, shown as such.
  const app = await cli(w, 'client', 'add', '--name', 'Zonnebloem-dossier', '--redirect-uri', 'http://localhost:9/cb', '--practice', 'praktijk-zonnebloem')
  t.equal(app.code, 0, app.stderr)
  t.match(app.stderr, /alleen praktijk praktijk-zonnebloem/)
  t.equal((await cli(w, 'client', 'add', '--name', 'X', '--redirect-uri', 'http://localhost:9/cb', '--practice', 'zon')).code, 1, 'an unknown practice is refused')
  const clients = await cli(w, 'client', 'list')
  t.match(clients.stdout, /praktijk: praktijk-zonnebloem/)
  const json = JSON.parse((await cli(w, 'client', 'list', '--json')).stdout) as { name: string; practice: string | null }[]
  t.same(json.map((c) => [c.name, c.practice]), [['Zonnebloem-dossier', 'praktijk-zonnebloem']])
  t.same(
    (await w.audit()).filter((e) => e.event === 'practice_added' || e.event === 'practice_changed').map((e) => [e.event, e.actor, JSON.parse(e.detail!).practice]),
    [['practice_changed', 'cli', 'praktijk'], ['practice_added', 'cli', 'praktijk-zonnebloem']],
    'every change to a practice audited',
  )
})

await t.test('the first practice follows PRACTICE_NAME and PRACTICE_CONTACT until the CLI sets it or a second is added', async (t) => {
  const w = await world(t, { env: { PRACTICE_NAME: 'Praktijk Oost', PRACTICE_CONTACT: '010 555 55 55' } })
  t.match((await getPractice(w.deps, w.practice.id)), { name: 'Praktijk Oost', contact: '010 555 55 55', fromEnv: true })
  const restart = async (env: Record<string, string>) => {
    const runtime = await createRuntime(loadConfig({ NODE_ENV: 'test', DATABASE_PATH: w.databasePath, SECRET_KEY: testSecretKey, ...env }), { log: () => {} })
    const practice = await getPractice(runtime.deps, w.practice.id)
    void runtime.close()
    return practice
  }
  t.match((await restart({ PRACTICE_NAME: 'Praktijk Oost-West' })), { name: 'Praktijk Oost-West', contact: '010 555 55 55' }, 'a changed setting applies at the next start')
  t.match((await restart({})), { name: 'Praktijk Oost-West', contact: '010 555 55 55' }, 'a setting left out (a CLI without the service’s environment) changes nothing')
  await setPractice(w.deps, { actor: 'cli' }, w.practice.id, { contact: '010 666 66 66' })
  t.match((await restart({ PRACTICE_NAME: 'Iets anders', PRACTICE_CONTACT: '0' })), { name: 'Praktijk Oost-West', contact: '010 666 66 66', fromEnv: false }, 'once the CLI set it, the settings no longer apply')

  const other = await world(t, { env: { PRACTICE_NAME: 'Praktijk Noord' } })
  await other.addPractice({ name: 'Praktijk Zuid', contact: '040 000 00 00' })
  const runtime = await createRuntime(loadConfig({ NODE_ENV: 'test', DATABASE_PATH: other.databasePath, SECRET_KEY: testSecretKey, PRACTICE_NAME: 'Veranderd' }), { log: () => {} })
  t.equal((await getPractice(runtime.deps, other.practice.id))?.name, 'Praktijk Noord', 'with two practices, neither follows the settings')
  await runtime.close()
})

await t.test('production refuses to start while a practice has no contact: the real server, exit 78', async (t) => {
  const w = await world(t)
  await w.app.close()
  const start = (extra: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: 'https://dossier.example', TRUST_PROXY: 'true',
        SECRET_KEY: testSecretKey, SMTP_URL: 'smtp://127.0.0.1:9', SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms', DATABASE_PATH: w.databasePath, ...extra,
      },
    })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    t.teardown(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    })
    return new Promise<{ code: number | null | 'listening'; output: string }>((resolve) => {
      child.on('exit', (code) => resolve({ code, output }))
      child.stdout.on('data', () => {
        if (/draait op/.test(output)) {
          child.kill('SIGTERM')
          resolve({ code: 'listening', output })
        }
      })
    })
  }
  const refused = await start({})
  t.equal(refused.code, 78, 'refused with exit code 78')
  t.match(refused.output, /Praktijk praktijk \(Praktijk De Linde\) heeft geen contact/)
  t.match(refused.output, /Stel PRACTICE_CONTACT in \(één praktijk\), of: npm run admin -- practice set praktijk --contact/)
  t.notMatch(refused.output, /draait op/)
  const started = await start({ PRACTICE_CONTACT: '030 123 45 67' })
  t.equal(started.code, 'listening', 'with PRACTICE_CONTACT it starts')
})
