// The password rules (SPEC.md section 5, NIST 800-63B-4 3.1.1.2) and argon2id, unit by unit.
import { randomBytes } from 'node:crypto'
import argon2 from 'argon2'
import { availableParallelism } from 'node:os'
import t from 'tap'
import { defaultLimits } from '../src/config.ts'
import { checkNewPassword, codePoints, hashPassword, maxBytes, verifyPassword, type PasswordContext } from '../src/domain/passwords.ts'

const ctx: PasswordContext = {
  username: 'jdevries',
  name: 'Jan de Vries',
  email: 'jan@example.org',
  practiceName: 'Praktijk De Linde',
  portalName: 'Mijn Therapie Dossier',
}

const random = (chars: number) => randomBytes(chars).toString('base64').slice(0, chars)

await t.test('checkNewPassword', async (t) => {
  const rows: { name: string; password: string; want: ReturnType<typeof checkNewPassword> }[] = [
    { name: 'empty', password: '', want: { key: 'passwordTooShort', count: 0 } },
    { name: '11 characters', password: 'zonnebloem1', want: { key: 'passwordTooShort', count: 11 } },
    { name: '11 emoji (22 UTF-16 units) count as 11', password: '🌻'.repeat(11), want: { key: 'passwordTooShort', count: 11 } },
    { name: '11 characters with a combining accent count after NFKC', password: 'zonnebloe\u0301m', want: { key: 'passwordTooShort', count: 10 } },
    { name: '12 random characters', password: 'kx7#Qm2!vLp9', want: null },
    { name: '12 different emoji', password: '🌻🐝🍀🌈🦋🌙⭐🍓🐢🎈🌵🍉', want: null },
    { name: 'spaces and accents', password: 'één café in Zürich, graag', want: null },
    { name: 'lowercase words only: no composition rules', password: 'blauwe fiets onder de brug', want: null },
    { name: '256 characters', password: random(256), want: null },
    { name: '257 characters', password: random(257), want: { key: 'passwordTooLong' } },
    { name: 'over the byte limit', password: '🌻'.repeat(maxBytes / 4 + 1), want: { key: 'passwordTooLong' } },
    { name: 'the username', password: 'mooie jdevries zomer', want: { key: 'passwordContainsUsername' } },
    { name: 'the username in capitals', password: 'mooie JDEVRIES zomer', want: { key: 'passwordContainsUsername' } },
    { name: 'the whole name', password: 'ik ben Jan de Vries!!', want: { key: 'passwordContainsName' } },
    { name: 'part of the name', password: 'mooie vries wolken 88', want: { key: 'passwordContainsName' } },
    { name: 'part of the name with an accent', password: 'zomer vriës strand 9', want: { key: 'passwordContainsName' } },
    { name: 'the e-mail address', password: 'mijn jan@example.org wachtwoord', want: { key: 'passwordContainsEmail' } },
    { name: 'the e-mail address in capitals', password: 'mijn JAN@EXAMPLE.ORG kluis', want: { key: 'passwordContainsEmail' } },
    { name: 'the practice name', password: 'PraktijkDeLinde2025', want: { key: 'passwordContainsPractice' } },
    { name: 'part of the practice name', password: 'onder de linde 7 zon', want: { key: 'passwordContainsPractice' } },
    { name: 'the portal name', password: 'TherapieDossier gr00t', want: { key: 'passwordContainsPractice' } },
    { name: 'a common password', password: 'password1234', want: { key: 'passwordCommon' } },
    { name: 'a common Dutch password', password: 'wachtwoord123', want: { key: 'passwordCommon' } },
    { name: 'digits in a row', password: '123456789012', want: { key: 'passwordCommon' } },
    { name: 'a keyboard row', password: 'qwertyuiopas', want: { key: 'passwordCommon' } },
    { name: 'one character repeated', password: 'aaaaaaaaaaaaaaaa', want: { key: 'passwordCommon' } },
  ]
  for (const row of rows) t.same(checkNewPassword(row.password, ctx), row.want, row.name)
  t.equal(codePoints('🌻🌻'), 2)
  t.equal(codePoints('e\u0301'), 2, 'codePoints itself counts what it gets; the policy counts after NFKC')
})

await t.test('the hash: argon2id with m=19456 KiB, t=2, p=1', async (t) => {
  const hash = await hashPassword('blauwe fiets onder de brug', defaultLimits)
  // PHC string: $argon2id$v=19$<params>$<salt>$<hash>. argon2 0.45 writes the params as m,p,t.
  const [, id, version, params] = hash.split('$')
  t.equal(id, 'argon2id')
  t.equal(version, 'v=19')
  t.same(Object.fromEntries(params!.split(',').map((kv) => kv.split('='))), { m: '19456', t: '2', p: '1' }, 'm=19456 KiB, t=2, p=1')
  const salt = hash.split('$')[4]!
  t.ok(Buffer.from(salt, 'base64').length >= 16, 'a salt of at least 128 bits')
  const again = await hashPassword('blauwe fiets onder de brug', defaultLimits)
  t.not(again, hash, 'a fresh salt every time')
  t.equal(await verifyPassword(hash, 'blauwe fiets onder de brug'), true)
  t.equal(await verifyPassword(hash, 'blauwe fiets onder de brug '), false, 'not trimmed')
})

await t.test('NFKC: é as U+00E9 and as e + U+0301 are the same password', async (t) => {
  const composed = 'een caf\u00e9 aan de gracht'
  const decomposed = 'een cafe\u0301 aan de gracht'
  t.not(composed, decomposed)
  const hash = await hashPassword(composed, defaultLimits)
  t.equal(await verifyPassword(hash, decomposed), true, 'decomposed verifies')
  t.equal(await verifyPassword(hash, composed), true, 'composed verifies')
  t.equal(await verifyPassword(hash, 'een cafe aan de gracht'), false, 'without the accent it is another password')
  const fullwidth = await hashPassword('\uff21BC sleutelbos 42', defaultLimits)
  t.equal(await verifyPassword(fullwidth, 'ABC sleutelbos 42'), true, 'compatibility forms fold (NFKC)')
})

await t.test('no truncation, no case folding', async (t) => {
  // A letter first, so that the case check below always runs (a random first character may be a digit).
  const long = `k${random(99)}`
  t.equal(long.length, 100)
  const hash = await hashPassword(long, defaultLimits)
  t.equal(await verifyPassword(hash, long), true)
  t.equal(await verifyPassword(hash, long.slice(0, 72)), false, 'the first 72 characters are not enough')
  t.equal(await verifyPassword(hash, long.slice(0, 99)), false, 'nor the first 99')
  t.equal(await verifyPassword(hash, `K${long.slice(1)}`), false, 'the first letter in the other case fails')
  const upper = await hashPassword('Blauwe fiets onder de brug', defaultLimits)
  t.equal(await verifyPassword(upper, 'blauwe fiets onder de brug'), false, 'case matters')
})

await t.test('verifyPassword refuses huge and broken input without throwing', async (t) => {
  const hash = await hashPassword('blauwe fiets onder de brug', defaultLimits)
  t.equal(await verifyPassword(hash, 'x'.repeat(maxBytes + 1)), false, 'over the byte limit: refused before hashing')
  t.equal(await verifyPassword('not-a-hash', 'blauwe fiets onder de brug'), false, 'a broken hash is a mismatch')
  t.equal(await verifyPassword(hash, ''), false)
})

await t.test('a burst of verifications runs at most one argon2id per core at a time, and all of them finish', async (t) => {
  const hash = await hashPassword('zonneschijn op het strand', defaultLimits)
  const original = argon2.verify
  let running = 0
  let most = 0
  argon2.verify = async (...args: Parameters<typeof argon2.verify>) => {
    most = Math.max(most, ++running)
    try {
      return await original(...args)
    } finally {
      running--
    }
  }
  t.teardown(() => {
    argon2.verify = original
  })
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => verifyPassword(hash, i % 2 ? 'zonneschijn op het strand' : 'fout')))
  t.same(results, [false, true, false, true, false, true, false, true], 'every verification answered, right and wrong alike')
  t.ok(most >= 1 && most <= Math.max(1, availableParallelism()), `at most ${availableParallelism()} at once (saw ${most})`)
  t.equal(running, 0)
})
