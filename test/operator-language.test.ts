// Issue 22 item 7: the operator reads configuration problems, start-up lines and the CLI in Dutch or
// English: OPERATOR_LANGUAGE, else the locale (LC_ALL, LC_MESSAGES, LANG); no language at all is Dutch.
// The two operator catalogues have the same keys and the same {placeholders}.
import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.ts'
import { operatorEn } from '../src/i18n/operator-en.ts'
import { operatorNl } from '../src/i18n/operator-nl.ts'
import { operatorLanguage } from '../src/operator.ts'
import { admin, newDatabase } from './helpers/admin.ts'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Every string of a catalogue by its path, with the placeholders it uses. */
function leaves(node: unknown, path = ''): Map<string, string[]> {
  const found = new Map<string, string[]>()
  if (typeof node === 'string') found.set(path, [...node.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort())
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) for (const [p, v] of leaves(value, path ? `${path}.${key}` : key)) found.set(p, v)
  }
  return found
}

await t.test('the operator catalogues: the same keys and placeholders, English written, not copied', async (t) => {
  const dutch = leaves(operatorNl)
  const english = leaves(operatorEn)
  t.ok(dutch.size > 150, `the Dutch operator catalogue has its ${dutch.size} texts`)
  t.same([...english.keys()].filter((k) => !dutch.has(k)), [], 'no key only in English')
  t.same([...dutch.keys()].filter((k) => !english.has(k)), [], 'no key only in Dutch')
  const differ = [...dutch].filter(([key, uses]) => JSON.stringify(english.get(key)) !== JSON.stringify(uses))
  t.same(differ.map(([key, uses]) => `${key}: nl ${uses.join(',')} / en ${english.get(key)?.join(',')}`), [], 'every placeholder in both')
  const same = [...dutch.keys()].filter((key) => {
    const get = (c: unknown) => key.split('.').reduce<unknown>((n, part) => (n as Record<string, unknown>)[part], c)
    return get(operatorNl) === get(operatorEn)
  })
  // Only what is typed as it is (a database path line, the version line) reads the same in both.
  t.ok(same.length < 8, `few texts are the same in both: ${same.join(', ')}`)
})

await t.test('which language: the setting, else the locale; Dutch when nothing names a language', async (t) => {
  const rows: [Record<string, string>, 'nl' | 'en'][] = [
    [{}, 'nl'],
    [{ LANG: 'C.UTF-8' }, 'nl'],
    [{ LANG: 'POSIX' }, 'nl'],
    [{ LANG: 'C' }, 'nl'],
    [{ LANG: 'nl_NL.UTF-8' }, 'nl'],
    [{ LANG: 'nl_BE@euro' }, 'nl'],
    [{ LANG: 'en_GB.UTF-8' }, 'en'],
    [{ LANG: 'de_DE.UTF-8' }, 'en'],
    [{ LANG: 'nl_NL.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'en_US.UTF-8', LC_MESSAGES: 'nl_NL.UTF-8', LC_ALL: 'en_GB.UTF-8' }, 'en'],
    [{ LANG: 'en_US.UTF-8', LC_ALL: '' }, 'en'],
    [{ LANG: 'en_US.UTF-8', OPERATOR_LANGUAGE: 'nl' }, 'nl'],
    [{ LANG: 'nl_NL.UTF-8', OPERATOR_LANGUAGE: 'EN' }, 'en'],
  ]
  for (const [env, lang] of rows) t.equal(operatorLanguage(env), lang, JSON.stringify(env))
})

await t.test('configuration problems in the operator’s language, and a wrong OPERATOR_LANGUAGE is one', async (t) => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ NODE_ENV: 'production', DATABASE_PATH: '/nonexistent/portal.db', ...env })
      return ''
    } catch (err) {
      return (err as ConfigError).message
    }
  }
  t.match(problems({}), /^Configuratie onjuist:\n {2}- PUBLIC_URL ontbreekt/)
  t.match(problems({ LANG: 'en_GB.UTF-8' }), /^Configuration problems:\n {2}- PUBLIC_URL is missing/)
  t.match(problems({ LANG: 'en_GB.UTF-8' }), /SECRET_KEY is missing: make one with `openssl rand -hex 32`/)
  t.match(problems({ OPERATOR_LANGUAGE: 'fr' }), /OPERATOR_LANGUAGE moet nl of en zijn \(nu "fr"\)/)
})

await t.test('the CLI in English: help, a refusal of the domain, a usage error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-operator-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const database = newDatabase(join(dir, 'portal.db'))
  const english = { LANG: 'en_GB.UTF-8' }
  const help = await admin(database, ['help'], english)
  t.match(help.stdout, /^Usage: npm run admin -- \[--env-file FILE\] <command> \[options\]/)
  t.match(help.stdout, /secret-key reseal\n\s+Encrypts everything still under a key of SECRET_KEYS_OLD again under SECRET_KEY\./)
  const bad = await admin(database, ['invite', '--name', 'Jan de Vries', '--email', 'jan@', '--phone', '+31612341361'], english)
  t.equal(bad.code, 1)
  t.match(bad.stderr, /Enter a valid email address/, 'the domain’s refusal in English too')
  const missing = await admin(database, ['invite', '--name', 'Jan'], english)
  t.match(missing.stderr, /Missing: --email, --phone\./)
  const dutch = await admin(database, ['invite', '--name', 'Jan'], { LANG: 'en_GB.UTF-8', OPERATOR_LANGUAGE: 'nl' })
  t.match(dutch.stderr, /Ontbrekend: --email, --phone\./, 'OPERATOR_LANGUAGE wins over the locale')
})

await t.test('the start check before the bundle (scripts/build.mjs --if-stale) speaks the operator\'s language too', async (t) => {
  // A copy of the script alone: no dist/ beside it, in production, so it refuses before building anything.
  const dir = mkdtempSync(join(tmpdir(), 'mtd-build-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'scripts'))
  copyFileSync(join(import.meta.dirname, '..', 'scripts', 'build.mjs'), join(dir, 'scripts', 'build.mjs'))
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [join(dir, 'scripts', 'build.mjs'), '--if-stale'], { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env }, encoding: 'utf8' })
  const dutch = run({})
  t.equal(dutch.status, 78, 'no bundle in production: exit code 78')
  t.match(dutch.stderr, /dist\/server\.js ontbreekt/)
  const english = run({ LANG: 'en_GB.UTF-8' })
  t.equal(english.status, 78)
  t.match(english.stderr, /dist\/server\.js is missing/)
  t.match(run({ LANG: 'en_GB.UTF-8', OPERATOR_LANGUAGE: 'nl' }).stderr, /ontbreekt/, 'the setting over the locale')
})
