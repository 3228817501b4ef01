// The look every page shares (issue 12, item 7): the practice's name in the header once the account is
// proven (never before: issue 20), the card clear of
// the header, buttons that read as buttons in a text browser, and the audit log's details in Dutch.
import type { AddressInfo } from 'node:net'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import t, { type Test } from 'tap'
import { detailText } from '../src/flows/practice/audit.ts'
import { messages } from '../src/messages.ts'
import type { Browser } from './helpers/browser.ts'
import { launchChromium, navigate, noScriptContext, phone } from './helpers/chromium.ts'
import { anna, staffBrowser } from './helpers/practice.ts'
import { jan, world } from './helpers/world.ts'

const { auditDetail, error: errorText, label, text } = messages('nl')

// A name of its own, so the header can only have it from PRACTICE_NAME.
const practiceName = 'Therapiepraktijk Zonnebloem'
const env = { PRACTICE_NAME: practiceName }
const root = join(import.meta.dirname, '..')


/** What w3m shows for a submit control: its own [value] for <input type=submit>, the text inside a <button>. */
function textBrowserShows(b: Browser, el: unknown): string {
  const node = b.$(el as never)
  if ((node.prop('tagName') as string).toLowerCase() === 'input') return `[${node.attr('value') ?? ''}]`
  return node.text().replace(/\s+/g, ' ').trim()
}

/** Every submit control on the page: [what a text browser shows, what a screen reader names it]. */
function submitControls(b: Browser): [string, string][] {
  return b
    .$('button, input[type=submit], input[type=image], input[type=button], input[type=reset]')
    .toArray()
    .map((el) => [textBrowserShows(b, el), b.$(el).clone().find('[aria-hidden="true"]').remove().end().text().trim() || (b.$(el).attr('value') ?? '')])
}

/** `practice`: the name the header shows, or null for a page before the account is proven (issue 20). */
function checkHeaderAndButtons(t: Test, b: Browser, name: string, practice: string | null = null) {
  if (practice === null) t.equal(b.$('header .practice').length, 0, `${name}: no practice in the header before proof`)
  else t.equal(b.$('header .practice').text().trim(), practice, `${name}: the practice's name in the header`)
  t.equal(b.$('header .brand').text().trim(), 'Mijn Therapie Dossier', `${name}: the portal's name in the header`)
  for (const [shown, named] of submitControls(b)) {
    t.match(shown, /^\[[^\[\]]+\]$/, `${name}: a text browser shows the button ${JSON.stringify(named)} as ${shown}`)
    t.equal(shown, `[${named}]`, `${name}: its brackets around exactly its label`)
  }
}

await t.test("the practice's name in the header once proven, and every button bracketed for a text browser", async (t) => {
  const w = await world(t, { env })
  await w.invite()
  const b = w.browser()
  const pages: [string, string, number][] = [
    ['Gebruikersnaam', '/inloggen', 200],
    ['disclaimer', '/disclaimer', 200],
    ['privacy', '/privacy', 200],
    ['wachtwoord vergeten', '/wachtwoord-vergeten', 200],
    ['page not found', '/bestaat-niet', 404],
  ]
  for (const [name, path, status] of pages) {
    await b.get(path)
    t.equal(b.status, status, `${name}: status ${status}`)
    checkHeaderAndButtons(t, b, name)
  }
  await b.get('/inloggen')
  t.same(b.buttonLabels(), [label.next], 'the Gebruikersnaam page has its one button, named Volgende')
  t.ok(b.html.includes('<span class="tb" aria-hidden="true">[</span>Volgende<span class="tb" aria-hidden="true">]</span></button>'), 'w3m shows [Volgende]')

  // Error pages: a method the route does not take, and a form post without its token.
  await b.request({ method: 'PUT', url: '/inloggen' })
  t.equal(b.status, 405)
  checkHeaderAndButtons(t, b, 'method not allowed')
  await b.request({ method: 'POST', url: '/inloggen', form: { username: jan.username! } })
  t.equal(b.status, 403)
  checkHeaderAndButtons(t, b, 'forbidden')

  // The onboarding's first page, and the page with two named actions (code sent, verify or resend).
  const p = w.browser()
  await p.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  t.equal(p.status, 200)
  checkHeaderAndButtons(t, p, 'invitation')
  await p.submit(label.next)
  await p.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await p.submit(label.sendCode)
  t.same(p.buttonLabels(), [label.verifyCode, label.resendCode], 'Accountverificatie with the code sent: both buttons')
  checkHeaderAndButtons(t, p, 'Accountverificatie, code sent', practiceName)
  t.same(
    p.$('button[name=actie]').toArray().map((el) => p.$(el).attr('value')),
    ['verifieer', 'opnieuw'],
    'each button still posts its own action',
  )
  const sent = await w.sms.count(jan.phone)
  w.clock.advanceSeconds(120)
  await p.submit(label.resendCode)
  t.equal(p.status, 200, 'the second button still works')
  t.equal((await w.sms.count(jan.phone)), sent + 1, 'and sends a new code')
})

await t.test('every submit control in the templates comes from the one partial that brackets it', async (t) => {
  const templates = join(root, 'templates')
  const files = readdirSync(templates, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eta'))
  t.ok(files.length > 20, `${files.length} templates`)
  const partial = join('partials', 'submit.eta')
  for (const file of files) {
    const source = readFileSync(join(templates, file), 'utf8')
    if (file === partial) {
      t.match(source, /<button type="submit".*?><span class="tb" aria-hidden="true">\[<\/span><%= it\.label %><span class="tb" aria-hidden="true">\]<\/span><\/button>/, 'the partial brackets the label')
      continue
    }
    t.notMatch(source, /<button\b/i, `${relative(root, join(templates, file))}: no <button> of its own (use partials/submit)`)
    t.notMatch(source, /type="?(submit|button|reset|image)\b/i, `${relative(root, join(templates, file))}: no submit input of its own`)
  }
  const css = readFileSync(join(root, 'static', 'portal.css'), 'utf8')
  t.match(css, /\.tb\s*\{\s*display:\s*none;?\s*\}/, 'the stylesheet hides the brackets from graphical browsers')
  t.ok(Buffer.byteLength(css) < 10 * 1024, `the stylesheet is ${Buffer.byteLength(css)} bytes, under 10 KB`)
})

await t.test("the practice's audit log shows the details in Dutch", async (t) => {
  const w = await world(t, { env })
  const staff = await staffBrowser(w, anna)
  await w.invite()
  // Two events with details: a sign-in with an unknown password, a sent SMS code after a resend.
  const other = w.browser()
  await other.get('/inloggen')
  await other.submit(label.next, { username: jan.username! })
  await other.submit(label.next, { 'current-password': 'niet mijn wachtwoord' })

  await staff.b.get('/praktijk/auditlog')
  t.equal(staff.b.status, 200)
  checkHeaderAndButtons(t, staff.b, 'audit log', practiceName)
  const details = staff.b.$('article.message dt').filter((_, el) => staff.b.$(el).text().trim() === text.auditDetail).next('dd').map((_, el) => staff.b.$(el).text().trim()).get()
  t.ok(details.includes('Stap: wachtwoord'), `the failed sign-in: "Stap: wachtwoord" (details: ${JSON.stringify(details)})`)
  t.ok(details.includes('Rol: cliënt'), 'the account created: "Rol: cliënt"')
  t.ok(details.includes('Waarvoor: telefoonnummer verifiëren; Reden: verstuurd'), 'the SMS code of the staff onboarding')
  for (const d of details) t.notMatch(d, /\b(purpose|reason|factor|role|via|method|email-mfa|phone|sent)\b/, `no stored key or value shows: ${d}`)

  // The account page uses the same entries.
  await staff.b.get(`/praktijk/medewerkers/${staff.account.id}`)
  t.match(staff.b.text, /Methode: authenticatie app/, "the account page's own log in Dutch too")
})

await t.test('detailText: names, values, booleans, numbers, and what it cannot name', async (t) => {
  t.equal(detailText(JSON.stringify({ purpose: 'email-mfa', reason: 'wrong' }), 'nl'), 'Waarvoor: inlogcode per e-mail; Reden: verkeerde code')
  t.equal(detailText(JSON.stringify({ from: 'email', to: 'app' }), 'nl'), 'Van: e-mail; Naar: authenticatie app')
  t.equal(detailText(JSON.stringify({ wasLocked: true }), 'nl'), 'Was vergrendeld: ja')
  t.equal(detailText(JSON.stringify({ wasLocked: false, sessionsEnded: 2 }), 'nl'), 'Was vergrendeld: nee; Sessies beëindigd: 2')
  t.equal(detailText(JSON.stringify({ method: null }), 'nl'), 'Methode: geen')
  t.equal(detailText(JSON.stringify({ reason: 'passwordContainsName' }), 'nl'), 'Reden: wachtwoord bevat de naam')
  t.equal(detailText(JSON.stringify({ brandnew: 'x' }), 'nl'), 'brandnew: x', 'an unknown key shows as stored, not hidden')
  t.equal(detailText('not json', 'nl'), '')
  t.equal(detailText('[1,2]', 'nl'), '')
  t.equal(detailText(null, 'nl'), '')
})

/** Source files under src/, for the scan below. */
function sources(): { file: string; source: string }[] {
  const dir = join(root, 'src')
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: f, source: readFileSync(join(dir, f), 'utf8') }))
}

await t.test('every detail the code records has a Dutch name', async (t) => {
  // Keys and literal values of every `detail: { ... }` in src/.
  const recorded = new Map<string, Set<string>>()
  for (const { source } of sources()) {
    for (const m of source.matchAll(/\bdetail:\s*\{([^{}]*)\}/g)) {
      for (const part of m[1]!.split(',')) {
        const entry = /^\s*(\w+)\s*(?::\s*(.*?))?\s*$/.exec(part)
        if (!entry) continue
        const [, key, value] = entry
        if (!recorded.has(key!)) recorded.set(key!, new Set())
        const literal = value ? /^'([^']*)'$/.exec(value) : null
        if (literal) recorded.get(key!)!.add(literal[1]!)
      }
    }
  }
  t.ok(recorded.size >= 10, `${recorded.size} detail keys found in src/`)
  for (const [key, values] of recorded) {
    t.ok(key in auditDetail.keys, `detail key ${key} has a Dutch name`)
    for (const value of values) t.ok(auditDetail.values[key]?.[value] !== undefined, `${key}: '${value}' has a Dutch name`)
  }

  // The values that come from variables: their sets, read from the code that makes them.
  const read = (file: string) => readFileSync(join(root, 'src', file), 'utf8')
  const quoted = (s: string) => [...s.matchAll(/'([^']+)'/g)].map((m) => m[1]!)
  const codes = read('domain/codes.ts')
  const union = (name: string) => quoted(new RegExp(`export type ${name} =([^\\n]*)`).exec(codes)![1]!)
  const dynamic: [string, string[]][] = [
    ['purpose', union('CodePurpose')],
    ['reason', union('CheckResult')],
    ['reason', [...codes.matchAll(/status: '(\w+)'/g)].map((m) => m[1]!)],
    ['reason', [...read('domain/passwords.ts').matchAll(/key: '(\w+)'/g)].map((m) => m[1]!)],
    ['purpose', [...sources().map((s) => s.source).join('\n').matchAll(/checkCurrentPassword\([^)]*'([\w-]+)'\)/g)].map((m) => m[1]!)],
    ['role', ['patient', 'behandelaar', 'beheerder']],
    ['method', ['app', 'email']],
    ['from', ['app', 'email']],
    ['to', ['app', 'email']],
  ]
  for (const [key, values] of dynamic) {
    t.ok(values.length > 0, `values of ${key} found`)
    for (const value of values) t.ok(auditDetail.values[key]?.[value] !== undefined, `${key}: '${value}' has a Dutch name`)
  }
  // The password refusals are the error keys of the same names.
  for (const key of Object.keys(auditDetail.values.reason!).filter((k) => k.startsWith('password'))) t.ok(key in errorText, `${key} is a password refusal`)
})

await t.test('in Chromium: the card clear of the header, the practice in it once proven, buttons without brackets', async (t) => {
  const browser = await launchChromium(t)
  const w = await world(t, { env })
  await w.app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(w.app.server.address() as AddressInfo).port}`
  const context = await noScriptContext(browser, base)
  t.teardown(() => context.close())
  const page = await context.newPage()
  // An onboarding begun at the second mail's link proves the account: its pages name the practice.
  await w.invite()
  const onboarding = w.browser()
  await onboarding.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await onboarding.submit(label.next)
  await onboarding.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await onboarding.submit(label.sendCode)
  const pages = [['Gebruikersnaam', '/inloggen', null], ['page not found', '/bestaat-niet', null], ['Accountverificatie', '/account/telefoon', practiceName]] as const
  for (const [name, path, practice] of pages) {
    if (practice) await context.addCookies([...onboarding.cookies].map(([cookie, value]) => ({ name: cookie, value, url: base })))
    await navigate(page, () => page.goto(path))
    for (const width of [1280, phone.width]) {
      await page.setViewportSize({ width, height: 640 })
      const gap = await page.evaluate(() => document.querySelector('.card')!.getBoundingClientRect().top - document.querySelector('header')!.getBoundingClientRect().bottom)
      t.ok(gap >= 16, `${name} at ${width} px: ${gap} px between the header and the card`)
      if (practice === null) {
        t.equal(await page.locator('header .practice').count(), 0, `${name} at ${width} px: no practice before proof`)
        continue
      }
      t.equal((await page.locator('header .practice').innerText()).trim(), practice, `${name} at ${width} px: the practice's name shows`)
      const inside = await page.evaluate(() => {
        const header = document.querySelector('header')!.getBoundingClientRect()
        const practice = document.querySelector('header .practice')!.getBoundingClientRect()
        return practice.top >= header.top && practice.bottom <= header.bottom && practice.right <= window.innerWidth
      })
      t.ok(inside, `${name} at ${width} px: the practice's name inside the header`)
    }
    await page.setViewportSize({ width: 1280, height: 800 })
  }
  await navigate(page, () => page.goto('/inloggen'))
  const volgende = page.getByRole('button', { name: label.next, exact: true })
  t.equal(await volgende.count(), 1, 'one button named Volgende')
  t.equal((await volgende.innerText()).trim(), label.next, 'it reads Volgende on screen, no brackets')
})
