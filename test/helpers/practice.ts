// Staff and patients for the practice's tests: accounts created the way the CLI creates them, then
// onboarded and signed in through the real pages, mail and SMS.
import type { NewAccount } from '../../src/domain/accounts.ts'
import { createStaff } from '../../src/domain/staff.ts'
import type { Browser } from './browser.ts'
import type { World } from './world.ts'

export const password = 'zonneschijn op het strand'

export const anna = { name: 'Anna Bakker', email: 'anna@praktijk.example', phone: '+31612340001', username: 'abakker', role: 'beheerder' } as const
export const bert = { name: 'Bert Jansen', email: 'bert@praktijk.example', phone: '+31612340002', username: 'bjansen', role: 'behandelaar' } as const
export const piet: NewAccount = { name: 'Piet Peters', email: 'piet@example.org', phone: '+31687654321', username: 'ppeters' }

/** A staff member as the CLI's create-staff makes one. */
export interface StaffPerson {
  name: string
  email: string
  phone: string
  username: string
  role: 'beheerder' | 'behandelaar'
  language?: 'nl' | 'en'
}

export async function addStaff(w: World, person: StaffPerson, practiceId = w.practice.id) {
  const created = await createStaff(w.deps, { actor: 'cli' }, practiceId, { ...person })
  if (!created.ok) throw new Error(JSON.stringify(created.errors))
  return created.account
}

export const secretOf = (b: Browser) => new URL(b.$('a[href^="otpauth://"]').attr('href')!).searchParams.get('secret')!

/** Stap 1-5 with the app, from the invitation in the outbox; ends signed in. */
export async function onboard(w: World, person: { email: string; phone: string }, pw = password) {
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(person.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(person.email, 'continue')))
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(person.phone)) })
  await b.submit('Volgende', { 'Nieuw wachtwoord': pw, 'Bevestiging wachtwoord': pw })
  await b.submit('Volgende')
  // Staff have the app only: the method page is not shown to them.
  if (b.url === '/account/methode') await b.submit('Volgende')
  const secret = secretOf(b)
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
  return { b, secret }
}

/** Username and password, up to whatever the account flow asks next (not submitted). */
export async function startSignIn(w: World, username: string, pw = password, b = w.browser()) {
  await b.get('/inloggen')
  await b.submit('Volgende', { username })
  await b.submit('Volgende', { 'current-password': pw })
  return b
}

/** A full sign-in with the app; the clock moves on a step first, so a code is never replayed. */
export async function signIn(w: World, username: string, secret: string, pw = password, b = w.browser()) {
  w.clock.advanceSeconds(30)
  await startSignIn(w, username, pw, b)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(secret) })
  return b
}

/** A staff member (of the first practice unless `practiceId` is given) created, onboarded and signed in: their browser is on /praktijk. */
export async function staffBrowser(w: World, person: StaffPerson, practiceId = w.practice.id) {
  const account = await addStaff(w, person, practiceId)
  const { b, secret } = await onboard(w, person)
  return { b, secret, account }
}

/** Follows the link whose visible text is `text` (exactly one must exist). */
export async function follow(b: Browser, text: string) {
  const links = b.$('a').filter((_, el) => b.$(el).text().replace(/\s+/g, ' ').trim() === text)
  if (links.length !== 1) throw new Error(`follow(${JSON.stringify(text)}): ${links.length} links on ${b.url}`)
  return await b.get(links.attr('href')!)
}

/** An action on an account page: its button opens the confirmation page, whose button (same label) does it. */
export async function act(b: Browser, label: string, fields: Record<string, string> = {}) {
  await b.submit(label)
  if (b.status !== 200) throw new Error(`act(${JSON.stringify(label)}): confirmation page answered ${b.status}`)
  return await b.submit(label, fields)
}

/** What the list shows for the account named `name`: each column's header with its cell (issue 23.9: a table). */
export function rowIn(b: Browser, name: string): Record<string, string> {
  const tr = b.$('table.accounts tbody tr').filter((_, el) => b.$(el).find('th[scope="row"]').text().trim() === name)
  if (tr.length !== 1) throw new Error(`rowIn(${JSON.stringify(name)}): ${tr.length} rows on ${b.url}`)
  const headers = b.$('table.accounts thead th').toArray().map((th) => b.$(th).text().trim())
  const row: Record<string, string> = {}
  tr.find('td').each((i, td) => {
    const html = (b.$(td).html() ?? '').replace(/<br\s*\/?>/g, ' ')
    row[headers[i + 1]!] = b.$(`<div>${html}</div>`).text().replace(/\s+/g, ' ').trim()
  })
  return row
}
