// Walks every screen a patient (and the practice) can reach, over real HTTP with the test Browser,
// and weighs the HTML that arrives: bytes, scripts, and the requests a browser would make for it.
// The walk follows the guide: sign-in with the app, onboarding (app and e-mail), the forgot-password
// path, the error pages, then every same-site link on the signed-in pages (bounded). Codes and links
// are read from the mail and SMS the portal delivered to the bench's sinks (bench/lib/sinks.ts).
import { generate } from 'otplib'
import type { Config } from '../../src/config.ts'
import { createAccount, updateAccount } from '../../src/domain/accounts.ts'
import { sendInvitation } from '../../src/domain/invitations.ts'
import { hashPassword } from '../../src/domain/passwords.ts'
import { sealSecret } from '../../src/domain/totp.ts'
import { listPractices } from '../../src/domain/practices.ts'
import { createRuntime } from '../../src/runtime.ts'
import { Browser } from '../../test/helpers/browser.ts'
import { httpInject, send } from './http.ts'
import { benchPassword, benchPublicUrl, proxyHeaders } from './prepare.ts'
import type { Sinks } from './sinks.ts'

export interface Screen {
  name: string
  path: string
  status: number
  bytes: number
  scripts: number
  /** Requests a browser makes for the page beyond the HTML: stylesheets, images, scripts, frames, fonts. */
  subresources: string[]
}

export interface Weights {
  screens: Screen[]
  stylesheet: { path: string; bytes: number; cacheControl: string }
  /** Screens the walk meant to reach but could not, with the reason. */
  missed: string[]
}

const newPassword = 'lange avondwandeling langs de Maas in maart'

function weigh(name: string, b: Browser): Screen {
  const html = b.html
  const $ = b.$
  const subresources: string[] = []
  $('link[rel~="stylesheet"], link[rel~="icon"], link[rel~="preload"], link[rel~="manifest"]').each((_, e) => {
    subresources.push($(e).attr('href') ?? '')
  })
  $('img[src], script[src], iframe[src], embed[src], object[data], source[src], video[src], audio[src]').each((_, e) => {
    const src = $(e).attr('src') ?? $(e).attr('data') ?? ''
    if (!src.startsWith('data:')) subresources.push(src)
  })
  // Inline styles that fetch (url(...) that is not a data: URI).
  for (const m of html.matchAll(/url\(\s*['"]?(?!data:)([^'")]+)/g)) subresources.push(m[1]!)
  return { name, path: b.url, status: b.status, bytes: Buffer.byteLength(html), scripts: $('script').length, subresources }
}

/**
 * Accounts for the walk, made before the server starts: invited ones, and one with each second factor.
 * The invitations are delivered as the portal delivers them (to the bench's SMTP sink), and read there.
 */
export async function prepareScreenAccounts(config: Config, sinks: Sinks): Promise<{ inviteLinks: string[] }> {
  const runtime = await createRuntime(config, { log: () => {} })
  const { deps } = runtime
  const by = { actor: 'cli' }
  const enrolled = new Date(Date.now() - 86_400_000)
  const hash = await hashPassword(benchPassword, config.limits)
  const inviteLinks: string[] = []
  for (const n of [1, 2]) {
    const created = await createAccount(deps, by, (await listPractices(deps))[0]!.id, { name: `Nieuwe Cliënt ${n}`, email: `nieuw${n}@example.org`, phone: `+3162000000${n}`, username: `nieuw${n}` })
    if (!created.ok) throw new Error(JSON.stringify(created.errors))
    const since = sinks.mark()
    await sendInvitation(deps, by, created.account.id)
    const mail = await sinks.wait(`nieuw${n}@example.org`, since, /\/uitnodiging\//)
    inviteLinks.push(new URL(/https?:\/\/\S+/.exec(mail)![0]).pathname)
  }
  const mailUser = await createAccount(deps, by, (await listPractices(deps))[0]!.id, { name: 'Mail Cliënt', email: 'mailclient@example.org', phone: '+31620000010', username: 'mailclient' })
  if (!mailUser.ok) throw new Error(JSON.stringify(mailUser.errors))
  await updateAccount(deps, mailUser.account.id, { emailVerifiedAt: enrolled, phoneVerifiedAt: enrolled, passwordHash: hash, passwordSetAt: enrolled, mfaMethod: 'email', mfaEnrolledAt: enrolled })
  for (const [username, role] of [['vergeten', 'patient'], ['beheer', 'beheerder']] as const) {
    const created = await createAccount(deps, by, (await listPractices(deps))[0]!.id, { name: `Bench ${username}`, email: `${username}@example.org`, phone: '+31620000011', username, role })
    if (!created.ok) throw new Error(JSON.stringify(created.errors))
    await updateAccount(deps, created.account.id, {
      emailVerifiedAt: enrolled, phoneVerifiedAt: enrolled, passwordHash: hash, passwordSetAt: enrolled, mfaMethod: 'app', mfaEnrolledAt: enrolled,
      totpSecretEnc: sealSecret(deps.keys.totp, screenSecret),
    })
  }
  await runtime.close()
  return { inviteLinks }
}

/** The app secret of the prepared 'vergeten' and 'beheer' accounts (test data only; each account spends its own time steps). */
const screenSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

export async function walkScreens(port: number, inviteLinks: string[], sinks: Sinks): Promise<Weights> {
  const origin = benchPublicUrl
  // The next message to `to` after `since` (that matches), as delivered: the dispatcher sends it just after the response.
  const received = (to: string, since: number, match?: RegExp) => sinks.wait(to, since, match)
  const code = (text: string) => /\b(\d{6})\b/.exec(text)?.[1] ?? ''
  const linkIn = (text: string) => new URL(/https?:\/\/\S+/.exec(text)?.[0] ?? origin).pathname
  const totp = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) })
  const screens: Screen[] = []
  const missed: string[] = []
  const browser = () => new Browser(httpInject(port), { origin, userAgent: 'mtd-bench' })
  const take = (name: string, b: Browser) => {
    screens.push(weigh(name, b))
  }
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn()
    } catch (err) {
      missed.push(`${what}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`)
    }
  }

  // Stap 6: sign-in with the app, wrong password first.
  await attempt('sign-in with the app', async () => {
    const b = browser()
    await b.get('/inloggen')
    take('Inloggen: gebruikersnaam', b)
    await b.submit('Volgende', { username: '' })
    take('Inloggen: gebruikersnaam (fout)', b)
    await b.submit('Volgende', { username: 'vergeten' })
    take('Inloggen: wachtwoord', b)
    await b.submit('Volgende', { password: 'niet het goede wachtwoord' })
    take('Inloggen: wachtwoord (fout)', b)
    await b.submit('Volgende', { password: benchPassword })
    take('Inloggen: code uit de app', b)
    await b.submit('Verifieer code', { 'one-time-code': '000000' })
    take('Inloggen: code uit de app (fout)', b)
    await b.submit('Verifieer code', { 'one-time-code': await totp(screenSecret) })
    take('Home (ingelogd)', b)
    await crawl(b, screens, 25)
    await b.get('/')
    await b.submit('Uitloggen')
    take('Uitgelogd', b)
  })

  // Stap 1-5 with the app.
  await attempt('onboarding with the app', async () => {
    const b = browser()
    await b.get(inviteLinks[0]!)
    take('Stap 1: e-mail bevestigen', b)
    let since = sinks.mark()
    await b.submit('Volgende')
    take('Stap 1: e-mail geverifieerd', b)
    await b.get(linkIn(await received('nieuw1@example.org', since, /\/verder\//)))
    take('Stap 1: verder (tweede mail)', b)
    await b.submit('Volgende')
    take('Stap 2: telefoon', b)
    since = sinks.mark()
    await b.submit('Stuur verificatiecode')
    take('Stap 2: code verstuurd', b)
    await b.submit('Verifieer code', { 'one-time-code': '000000' })
    take('Stap 2: code (fout)', b)
    await b.submit('Verifieer code', { 'one-time-code': code(await received('+31620000001', since, /\d{6}/)) })
    take('Stap 3: wachtwoord instellen', b)
    await b.submit('Volgende', { 'Nieuw wachtwoord': 'kort', 'Bevestiging wachtwoord': 'kort' })
    take('Stap 3: wachtwoord (fout)', b)
    await b.submit('Volgende', { 'Nieuw wachtwoord': newPassword, 'Bevestiging wachtwoord': newPassword })
    take('Stap 3: wachtwoord bijgewerkt', b)
    await b.submit('Volgende')
    take('Stap 4: methode kiezen', b)
    await b.submit('Volgende')
    take('Stap 5: app koppelen (QR)', b)
    const secret = new URL(b.$('a[href^="otpauth://"]').attr('href') ?? 'otpauth://x?secret=').searchParams.get('secret') ?? ''
    await b.submit('Doorgaan', { 'one-time-code': '000000' })
    take('Stap 5: app koppelen (fout)', b)
    await b.submit('Doorgaan', { 'one-time-code': await totp(secret) })
    take('Home (na onboarding)', b)
  })

  // Stap 4-5 with e-mail, and the e-mail code at sign-in.
  await attempt('onboarding with e-mail', async () => {
    const b = browser()
    await b.get(inviteLinks[1]!)
    let since = sinks.mark()
    await b.submit('Volgende')
    await b.get(linkIn(await received('nieuw2@example.org', since, /\/verder\//)))
    await b.submit('Volgende')
    since = sinks.mark()
    await b.submit('Stuur verificatiecode')
    await b.submit('Verifieer code', { 'one-time-code': code(await received('+31620000002', since, /\d{6}/)) })
    await b.submit('Volgende', { 'Nieuw wachtwoord': newPassword, 'Bevestiging wachtwoord': newPassword })
    await b.submit('Volgende')
    b.choose('Met e-mail')
    await b.submit('Volgende')
    if (b.status !== 200) throw new Error(`e-mail method: ${b.status} on ${b.url}`)
  })
  await attempt('sign-in with an e-mail code', async () => {
    const b = browser()
    await b.get('/inloggen')
    await b.submit('Volgende', { username: 'mailclient' })
    await b.submit('Volgende', { password: benchPassword })
    take('Inloggen: e-mailcode', b)
    const since = sinks.mark()
    await b.submit('Stuur verificatiecode')
    take('Inloggen: e-mailcode verstuurd', b)
    await b.submit('Verifieer code', { 'one-time-code': code(await received('mailclient@example.org', since, /\d{6}/)) })
    if (!/Uitloggen/.test(b.html)) throw new Error(`not signed in: ${b.status} on ${b.url}`)
  })

  // The forgot-password path: e-mail, phone, temporary password, and the app code after it.
  await attempt('forgot-password path', async () => {
    const b = browser()
    await b.get('/inloggen')
    await b.submit('Volgende', { username: 'vergeten' })
    await b.get('/wachtwoord-vergeten')
    take('Wachtwoord vergeten', b)
    await b.submit('Volgende', { 'E-mailadres': 'vergeten@example.org' })
    take('Vergeten: telefoon', b)
    const since = sinks.mark()
    await b.submit('Stuur verificatiecode')
    await b.submit('Verifieer code', { 'one-time-code': code(await received('+31620000011', since, /\d{6}/)) })
    take('Vergeten: nieuw wachtwoord', b)
    const temporaryPattern = /^\s*([A-Za-z0-9]{16})\s*$/m
    const temporary = temporaryPattern.exec(await received('vergeten@example.org', since, temporaryPattern))?.[1] ?? ''
    await b.submit('Volgende', { 'Tijdelijk wachtwoord (zie e-mail)': temporary, 'Nieuw wachtwoord': newPassword, 'Bevestig het wachtwoord': newPassword })
    take('Vergeten: wachtwoord bijgewerkt', b)
  })

  // The practice's pages, signed in as a beheerder, by following their links.
  await attempt('practice pages', async () => {
    const b = browser()
    await b.get('/inloggen')
    await b.submit('Volgende', { username: 'beheer' })
    await b.submit('Volgende', { password: benchPassword })
    await b.submit('Verifieer code', { 'one-time-code': await totp(screenSecret) })
    if (!/Uitloggen/.test(b.html)) throw new Error(`not signed in: ${b.status} on ${b.url}`)
    await b.get('/praktijk')
    if (b.status === 200) {
      take('Praktijk: start', b)
      await crawl(b, screens, 30)
    } else missed.push(`practice pages: GET /praktijk answered ${b.status}`)
  })

  // Pages anyone can reach, and the error pages.
  await attempt('other pages', async () => {
    const b = browser()
    for (const [name, path] of [
      ['Disclaimer', '/disclaimer'],
      ['Privacy', '/privacy'],
      ['Link ongeldig', `/uitnodiging/${'A'.repeat(43)}`],
      ['Niet gevonden (404)', '/bestaat-niet'],
    ] as const) {
      await b.get(path)
      take(name, b)
    }
    await b.request({ method: 'POST', url: '/inloggen', form: { username: 'x' } })
    take('Geweigerd (403)', b)
  })

  const css = screens.flatMap((s) => s.subresources).find((s) => s.includes('.css')) ?? '/static/portal.css'
  const sheet = await send(port, { method: 'GET', path: css, headers: { ...proxyHeaders } })
  return {
    screens,
    stylesheet: { path: css, bytes: sheet.bytes, cacheControl: String(sheet.headers['cache-control'] ?? '') },
    missed,
  }
}

/** /praktijk/clienten/12 and /praktijk/clienten/13 are one kind of page. */
const kindOf = (path: string) => path.split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/:id')

/** Follows same-site GET links from the current page, breadth first, two pages of each kind at most. */
async function crawl(b: Browser, screens: Screen[], max: number): Promise<void> {
  const seen = new Set(screens.map((s) => s.path.split('?')[0]))
  const kinds = new Map<string, number>()
  for (const s of screens) kinds.set(kindOf(s.path), (kinds.get(kindOf(s.path)) ?? 0) + 1)
  const queue = [b.url]
  let visited = 0
  while (queue.length && visited < max) {
    const path = queue.shift()!
    if (path !== b.url) {
      if ((kinds.get(kindOf(path)) ?? 0) >= 2) continue
      await b.get(path)
      if (b.status !== 200 || seen.has(b.url.split('?')[0])) continue
      seen.add(b.url.split('?')[0])
      kinds.set(kindOf(b.url), (kinds.get(kindOf(b.url)) ?? 0) + 1)
      const title = b.$('h1').first().text().trim() || b.url
      screens.push(weigh(title, b))
      visited++
    }
    b.$('a[href]').each((_, e) => {
      const href = b.$(e).attr('href') ?? ''
      if (!href.startsWith('/') || href.startsWith('//')) return
      const clean = href.split('#')[0]!
      if (!seen.has(clean.split('?')[0]) && !queue.includes(clean)) queue.push(clean)
    })
  }
}
