// Issue 24 #4: every SMS is one segment (160 GSM-7 characters, or 70 once one character outside GSM-7
// turns it into UCS-2), in both languages, with the longest names the portal allows: first every SMS
// text of the catalogues with the worst values, then the SMS the portal really sends for a practice
// and a portal whose names are as long as allowed and full of characters outside GSM-7.
import t from 'tap'
import { SegmentedMessage } from 'sms-segments-calculator'
import { loadConfig } from '../src/config.ts'
import { updateAccount } from '../src/domain/accounts.ts'
import { addPractice, setPractice } from '../src/domain/practices.ts'
import { changeEmail, changePhone, resetSecondFactor } from '../src/domain/patients.ts'
import { gsmSafe, smsCost, smsNameMax } from '../src/domain/sms-text.ts'
import { formatShortDateTime, messages, type Lang } from '../src/messages.ts'
import { onboard } from './helpers/practice.ts'
import { jan, origin, testSecretKey, world } from './helpers/world.ts'

const langs: Lang[] = ['nl', 'en']

/** `length` characters, starting with `start`: 'ë' and '’' are outside GSM-7, '€' and '[' cost two septets there. */
const longest = (start: string, length: number) => (start + 'W'.repeat(length)).slice(0, length)
const worstPractice = longest('Praktijk Zoë’s €[Linde]—', smsNameMax.practiceName)
const worstContact = longest('+31 (0)30–123 45 67 ë', smsNameMax.practiceContact)
const worstPortal = longest('Mijn Therapie Dossier Noë €', smsNameMax.portal)

/** The longest short moment an SMS can name, in `lang`: every day of a year at a two-digit hour. */
function longestWhen(lang: Lang): string {
  let worst = ''
  for (let day = 0; day < 366; day++) {
    const shown = formatShortDateTime(new Date(Date.UTC(2026, 0, 1, 22, 59) + day * 86_400_000), lang)
    if (shown.length > worst.length) worst = shown
  }
  return worst
}

await t.test('gsmSafe: names in GSM-7 basic characters, never longer than they were', async (t) => {
  t.equal(gsmSafe('Praktijk Zoë'), 'Praktijk Zoe', "'ë' is not in GSM-7: it loses its accent")
  t.equal(gsmSafe('Café Müller España'), 'Café Müller España', "'é', 'ü', 'ñ' are in GSM-7 and stay")
  t.equal(gsmSafe('De ‘Linde’ – €[x]'), "De 'Linde' - E(x)", 'typographic marks and the extension set written plainly')
  t.equal(gsmSafe('診療所'), '???', 'no GSM-7 base: a question mark')
  for (const name of [worstPractice, worstContact, worstPortal, '診療所', 'Łódź…']) {
    const safe = gsmSafe(name)
    const message = new SegmentedMessage(safe, 'auto')
    t.equal(message.encodingName, 'GSM-7', `${JSON.stringify(name)} becomes GSM-7`)
    t.equal(message.numberOfCharacters, [...name].length, `${JSON.stringify(name)}: one septet per character`)
  }
  t.equal(smsCost('Praktijk Zoë').encoding, 'UCS-2', "the counter sees 'ë' as outside GSM-7 (what gsmSafe is for)")
  t.equal(smsCost('Café').encoding, 'GSM-7', "and 'é' as inside")
})

await t.test('every SMS text of both catalogues, with the worst values, is one segment', async (t) => {
  for (const lang of langs) {
    const { mail, sms } = messages(lang)
    // Only what gsmSafe and formatShortDateTime give the texts (domain/patients.ts, domain/codes.ts).
    const worst: Record<string, string | number> = {
      practice: gsmSafe(worstPractice),
      contact: gsmSafe(worstContact),
      portal: gsmSafe(worstPortal),
      when: longestWhen(lang),
      last4: '1361',
      code: '123456',
      // CODE_TTL_MINUTES is at most 10 (config.ts).
      minutes: 10,
    }
    // A field no row above knows fails here, so a new SMS with a new name is counted too.
    const values = new Proxy(worst, {
      get: (target, key) => {
        if (typeof key !== 'string' || !(key in target)) throw new Error(`an SMS uses ${String(key)}: add its worst value`)
        return target[key]
      },
    })
    const texts: [string, string][] = [['mail.smsCode', mail.smsCode(values as never)]]
    for (const [key, fn] of Object.entries(sms)) texts.push([`sms.${key}`, (fn as (v: unknown) => string)(values)])
    t.ok(texts.length >= 5, `${lang}: the code SMS and the ${texts.length - 1} notices`)
    for (const [key, text] of texts) {
      const cost = smsCost(text)
      t.same(cost, { encoding: 'GSM-7', segments: 1 }, `${lang} ${key}: one GSM-7 segment (${new SegmentedMessage(text, 'auto').numberOfCharacters} of 160): ${text}`)
    }
  }
})

await t.test('the SMS the portal sends for the longest names are one segment each', async (t) => {
  const w = await world(t, { env: { PORTAL_NAME: worstPortal } })
  const changed = await setPractice(w.deps, { actor: 'cli' }, w.practice.id, { name: worstPractice, contact: worstContact })
  t.ok(changed.ok, 'the longest allowed name and contact are accepted')
  for (const [i, language] of langs.entries()) {
    const person = { ...jan, username: `pat${i}`, email: `pat${i}@example.org`, phone: `+3161234136${i}` }
    const account = await w.invite(person)
    // Stap 1-5 in Dutch (the phone code SMS on the way), then the account's language, then the staff's
    // changes: their notices go out by SMS in that language.
    await onboard(w, person)
    await updateAccount(w.deps, account.id, { language })
    await changeEmail(w.deps, { actor: 'cli' }, w.practice.id, account.id, `nieuw${i}@example.org`)
    await changePhone(w.deps, { actor: 'cli' }, w.practice.id, account.id, `+3161234137${i}`)
    await resetSecondFactor(w.deps, { actor: 'cli' }, w.practice.id, account.id)
  }
  const sent = await w.sms.all()
  const kinds = new Set(sent.map((m) => m.kind))
  for (const kind of ['phone-code', 'email-changed', 'phone-changed', 'mfa-reset']) t.ok(kinds.has(kind), `a ${kind} SMS was sent`)
  for (const m of sent) t.same(smsCost(m.text), { encoding: 'GSM-7', segments: 1 }, `${m.kind} to ${m.to}: one segment: ${m.text}`)
  t.ok(sent.some((m) => m.text.includes('Praktijk Zoe')), "the practice's name, in GSM-7")
  t.ok(sent.some((m) => m.kind === 'mfa-reset' && m.text.startsWith('Praktijk Zoe') && m.text.includes('set up a new one from')), 'an English notice with its moment')
})

await t.test('longer names are refused: practice add and set, PRACTICE_NAME, PRACTICE_CONTACT, PORTAL_NAME', async (t) => {
  const w = await world(t)
  const tooLong = await addPractice(w.deps, { actor: 'cli' }, { name: 'x'.repeat(smsNameMax.practiceName + 1), contact: '1'.repeat(smsNameMax.practiceContact + 1) })
  t.same(tooLong.ok ? {} : tooLong.errors, { name: 'practiceNameInvalid', contact: 'practiceContactInvalid' })
  t.match(messages('nl').error.practiceNameInvalid, `maximaal ${smsNameMax.practiceName} gewone tekens`)
  t.match(messages('nl').error.practiceContactInvalid, `maximaal ${smsNameMax.practiceContact} gewone tekens`)
  t.match(messages('en').error.practiceNameInvalid, `at most ${smsNameMax.practiceName} ordinary characters`)
  const set = await setPractice(w.deps, { actor: 'cli' }, w.practice.id, { name: 'y'.repeat(smsNameMax.practiceName + 1) })
  t.same(set.ok ? {} : set.errors, { name: 'practiceNameInvalid' })
  const base = { NODE_ENV: 'test', DATABASE_PATH: w.databasePath, SECRET_KEY: testSecretKey, PUBLIC_URL: origin }
  const refused = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env })
      return ''
    } catch (err) {
      return String((err as Error).message)
    }
  }
  t.match(refused({ PRACTICE_NAME: 'x'.repeat(smsNameMax.practiceName + 1) }), `PRACTICE_NAME mag hoogstens ${smsNameMax.practiceName} gewone tekens`)
  t.match(refused({ PRACTICE_CONTACT: '1'.repeat(smsNameMax.practiceContact + 1) }), `PRACTICE_CONTACT mag hoogstens ${smsNameMax.practiceContact}`)
  t.match(refused({ PORTAL_NAME: 'p'.repeat(smsNameMax.portal + 1) }), `PORTAL_NAME moet 1 tot ${smsNameMax.portal} tekens`)
  t.equal(refused({ PRACTICE_NAME: worstPractice, PRACTICE_CONTACT: worstContact, PORTAL_NAME: worstPortal }), '', 'the longest allowed are accepted')
})
