// Patients, fast: onboarded with the app or with e-mail codes, and the walks a returning patient
// makes (sign-in, the forgot-password path), each driven through the real pages like world.ts does.
import type { Account, NewAccount } from '../../src/domain/accounts.ts'
import { Browser, type BrowserOptions, type Inject } from './browser.ts'
import { jan, origin, walkToMethodChoice, type World } from './world.ts'

export const defaultPassword = 'zonneschijn op het strand'

export interface Patient {
  account: Account
  /** Signed in (onboarding ends in a signed-in session). */
  browser: Browser
  password: string
}

export interface AppPatient extends Patient {
  /** The TOTP secret the patient's authenticator app holds. */
  secret: string
}

/** A browser whose requests come from `ip` (light-my-request's remoteAddress, what req.ip reads). */
export function browserFrom(w: World, ip: string, options: BrowserOptions = {}): Browser {
  const inject: Inject = async (opts) => {
    const res = await w.app.inject({ ...opts, remoteAddress: ip })
    return { statusCode: res.statusCode, headers: res.headers, body: res.body }
  }
  return new Browser(inject, { origin, ...options })
}

/** Stap 1-3 for any invited account; for jan this is world.ts's walkToMethodChoice itself. */
async function walkToMethodChoiceAs(w: World, who: NewAccount, password: string): Promise<Browser> {
  if (who === jan) return await walkToMethodChoice(w, password)
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(who.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(who.email, 'continue')))
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(who.phone)) })
  await b.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  await b.submit('Volgende')
  return b
}

function expectText(b: Browser, pattern: RegExp, where: string): void {
  if (!pattern.test(b.text)) throw new Error(`${where}: expected ${pattern} on ${b.url} (status ${b.status}):\n${b.text}`)
}

/** The secret in the otpauth:// link of the enrollment page. */
export function secretOnPage(b: Browser): string {
  const uri = b.$('a[href^="otpauth://"]').attr('href')
  if (!uri) throw new Error(`No otpauth:// link on ${b.url}:\n${b.text}`)
  return new URL(uri).searchParams.get('secret')!
}

/** Invites `who` (into the first practice unless `practiceId` is given) and walks the whole onboarding with the authenticator app; ends signed in. */
export async function onboardWithApp(w: World, who: NewAccount = jan, password = defaultPassword, practiceId = w.practice.id): Promise<AppPatient> {
  await w.invite(who, practiceId)
  const b = await walkToMethodChoiceAs(w, who, password)
  await b.submit('Volgende') // 'Met authenticatie app' is checked by default
  const secret = secretOnPage(b)
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
  expectText(b, /Welkom, /, 'onboardWithApp')
  return { account: (await w.account(who.username!)), browser: b, password, secret }
}

/** Invites `who` and walks the whole onboarding choosing e-mail codes; ends signed in. */
export async function onboardWithEmail(w: World, who: NewAccount = jan, password = defaultPassword): Promise<Patient> {
  await w.invite(who)
  const b = await walkToMethodChoiceAs(w, who, password)
  b.choose('Met e-mail')
  await b.submit('Volgende')
  expectText(b, /Welkom, /, 'onboardWithEmail')
  return { account: (await w.account(who.username!)), browser: b, password }
}

/** Gebruikersnaam -> Volgende -> Wachtwoord -> Volgende: `b` ends on whatever the password step answers. */
export async function enterPassword(b: Browser, username: string, password: string): Promise<Browser> {
  await b.get('/inloggen')
  await b.submit('Volgende', { username })
  return await b.submit('Volgende', { 'current-password': password })
}

/** A whole sign-in with the app at the fake clock's now; the clock must be past the last used step. */
export async function signInWithApp(w: World, b: Browser, p: AppPatient): Promise<Browser> {
  await enterPassword(b, p.account.username, p.password)
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  expectText(b, /Welkom, /, 'signInWithApp')
  return b
}

/** A whole sign-in with an e-mail code; the clock must be past the 30 s resend cooldown. */
export async function signInWithEmail(w: World, b: Browser, p: Patient): Promise<Browser> {
  await enterPassword(b, p.account.username, p.password)
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.mail.lastCodeTo(p.account.email)) })
  expectText(b, /Welkom, /, 'signInWithEmail')
  return b
}

/** /inloggen, the username, the forgot link on the password page, E-mailadres and Volgende. */
export async function startForgot(b: Browser, username: string, email: string): Promise<Browser> {
  await b.get('/inloggen')
  await b.submit('Volgende', { username })
  const link = b.$('a').filter((_, a) => b.$(a).text().trim() === 'Bent u uw wachtwoord vergeten of logt u voor de eerste keer in?')
  if (link.length !== 1) throw new Error(`No forgot link on ${b.url}:\n${b.text}`)
  await b.get(link.attr('href')!)
  return await b.submit('Volgende', { 'E-mailadres': email })
}

/** The temporary password: the one line of the mail that stands alone between blank lines, without spaces. */
export function temporaryPasswordIn(text: string): string {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''))
  const alone = lines.filter((l, i) => l !== '' && !/\s/.test(l) && lines[i - 1] === '' && lines[i + 1] === '')
  if (alone.length !== 1) throw new Error(`Expected one line standing alone, found ${alone.length}:\n${text}`)
  return alone[0]!
}

/** The forgot path from the phone step through Wachtwoord wijzigen to 'Het wachtwoord is bijgewerkt'. */
export async function resetPassword(w: World, b: Browser, who: Pick<Account, 'email' | 'phone'>, newPassword: string): Promise<string> {
  await b.submit('Stuur verificatiecode')
  expectText(b, /De verificatiecode is verstuurd/, 'resetPassword')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(who.phone)) })
  const temporary = temporaryPasswordIn((await w.mail.lastTo(who.email, 'temporary-password')).text)
  await b.submit('Volgende', {
    'Tijdelijk wachtwoord (zie e-mail)': temporary,
    'Nieuw wachtwoord': newPassword,
    'Bevestig het wachtwoord': newPassword,
  })
  expectText(b, /Het wachtwoord is bijgewerkt/, 'resetPassword')
  return temporary
}
