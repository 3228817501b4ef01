// The e-mailed links of Stap 1: the invitation (72 h) and the link to continue (24 h). Single use,
// voided by a newer invitation, one page for every invalid link, and a GET that changes nothing.
import t from 'tap'
import type { Test } from 'tap'
import { sendInvitation } from '../src/domain/invitations.ts'
import { messages } from '../src/messages.ts'
import { csrfOf, type Browser } from './helpers/browser.ts'
import { jan, world, type World } from './helpers/world.ts'

/** The Dutch catalogue: the guide's words. */
const { text } = messages('nl')

const minute = 60_000
const hour = 60 * minute

/** A CSRF token of this browser's session, from a page with a form. */
async function tokenOf(b: Browser): Promise<string> {
  const own = csrfOf(b.html)
  if (own) return own
  const probe = await b.get('/inloggen')
  return csrfOf(probe.html)!
}

/** POSTs a link's Volgende without its page, the way a second click or a script would. */
async function postLink(b: Browser, path: string): Promise<Browser> {
  const token = await tokenOf(b)
  return await b.request({ method: 'POST', url: path, form: { _csrf: token }, headers: { origin: b.origin } })
}

/** The link-invalid page: 410, the Dutch explanation and the way on via the forgot-password path. */
function isInvalidPage(t: Test, b: Browser, what: string) {
  t.equal(b.status, 410, `${what}: 410`)
  t.equal(b.$('h1').text().trim(), text.linkInvalidTitle, `${what}: title`)
  t.equal(b.$('a[href="/wachtwoord-vergeten"]').length, 1, `${what}: points to the forgot-password path`)
  t.ok(b.text.includes('Bent u uw wachtwoord vergeten of logt u voor de eerste keer in?'), `${what}: with its label`)
}

/** Invitation confirmed: the path of the second mail's link. */
async function confirmInvite(w: World, b: Browser): Promise<string> {
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  return await w.mail.lastLinkTo(jan.email, 'continue')
}

const linkRows = (w: World) => w.sql.all<{ purpose: string; usedAt: number | null }>('select purpose, used_at as "usedAt", expires_at as "expiresAt" from links order by id')

await t.test('the invitation link is valid 72 hours', async (t) => {
  const rows = [
    { name: '71h59m: valid', after: 71 * hour + 59 * minute, valid: true },
    { name: '72h + 1 s: expired', after: 72 * hour + 1000, valid: false },
  ]
  for (const row of rows) {
    const w = await world(t)
    await w.invite()
    const b = w.browser()
    const link = await w.mail.lastLinkTo(jan.email, 'invite')
    w.clock.advance(row.after)
    await b.get(link)
    if (row.valid) {
      t.equal(b.status, 200, row.name)
      await b.submit('Volgende')
      t.equal(b.status, 200, row.name)
      t.ok((await w.account('jdevries')).emailVerifiedAt, `${row.name}: verified`)
    } else {
      isInvalidPage(t, b, row.name)
      await postLink(b, link)
      isInvalidPage(t, b, `${row.name} (POST)`)
      t.equal((await w.account('jdevries')).emailVerifiedAt, null, `${row.name}: not verified`)
      t.equal((await w.mail.all()).filter((m) => m.kind === 'continue').length, 0, `${row.name}: no second mail`)
    }
  }
})

await t.test('the link to continue is valid 24 hours', async (t) => {
  const rows = [
    { name: '23h59m: valid', after: 23 * hour + 59 * minute, valid: true },
    { name: '24h + 1 s: expired', after: 24 * hour + 1000, valid: false },
  ]
  for (const row of rows) {
    const w = await world(t)
    await w.invite()
    const link = await confirmInvite(w, w.browser())
    w.clock.advance(row.after)
    const b = w.browser()
    await b.get(link)
    if (row.valid) {
      t.equal(b.status, 200, row.name)
      await b.submit('Stuur verificatiecode')
      t.equal(b.url, '/account/telefoon', `${row.name}: on to Stap 2, bound and sent`)
    } else {
      isInvalidPage(t, b, row.name)
      await postLink(b, link)
      isInvalidPage(t, b, `${row.name} (POST)`)
      await b.get('/account')
      t.equal(b.history[0]!.location, '/inloggen', `${row.name}: no flow in this browser`)
    }
  }
})

await t.test('links are single use', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = w.browser()
  const invite = await w.mail.lastLinkTo(jan.email, 'invite')
  await b.get(invite)
  const token = csrfOf(b.html)!
  await b.submit('Volgende')
  t.equal(b.status, 200)
  await b.request({ method: 'POST', url: invite, form: { _csrf: token }, headers: { origin: b.origin } })
  isInvalidPage(t, b, 'invitation, second POST')
  await b.get(invite)
  // The browser that used it sees its "verified" page again (the language switch returns there, issue
  // 23.7, test/language-context.test.ts); it does nothing and sends nothing. Any other browser: invalid.
  t.equal(b.status, 200)
  t.equal(b.$('h1').text().trim(), text.emailVerifiedTitle)
  const elsewhere = w.browser()
  await elsewhere.get(invite)
  isInvalidPage(t, elsewhere, 'invitation, GET after use')
  t.equal((await w.mail.all()).filter((m) => m.kind === 'continue').length, 1, 'one second mail only')

  const next = await w.mail.lastLinkTo(jan.email, 'continue')
  const c = w.browser()
  await c.get(next)
  await c.submit('Stuur verificatiecode')
  t.equal(c.url, '/account/telefoon')
  await postLink(c, next)
  isInvalidPage(t, c, 'continue, second POST')
  const other = w.browser()
  await postLink(other, next)
  isInvalidPage(t, other, 'continue, second POST from another browser')
  await other.get('/account')
  t.equal(other.history[0]!.location, '/inloggen', 'the other browser got no flow')
  t.equal((await w.audit()).filter((e) => e.event === 'link_opened').length, 1, 'opened once')
  t.ok((await w.audit()).filter((e) => e.event === 'link_rejected').length >= 2, 'the refusals are audited')
})

await t.test('a new invitation voids the old link', async (t) => {
  const w = await world(t)
  const account = await w.invite()
  const old = await w.mail.lastLinkTo(jan.email, 'invite')
  w.clock.advanceMinutes(5)
  await sendInvitation(w.deps, { actor: 'cli' }, account.id)
  const fresh = await w.mail.lastLinkTo(jan.email, 'invite')
  t.not(fresh, old)
  const b = w.browser()
  await b.get(old)
  isInvalidPage(t, b, 'old invitation')
  await postLink(b, old)
  isInvalidPage(t, b, 'old invitation (POST)')
  t.equal((await w.account('jdevries')).emailVerifiedAt, null)
  await b.get(fresh)
  t.equal(b.status, 200)
  await b.submit('Volgende')
  t.ok((await w.account('jdevries')).emailVerifiedAt, 'the new link works')
})

await t.test('an altered, unknown or malformed token gets the same page as an expired one', async (t) => {
  const w = await world(t)
  await w.invite()
  const invite = await w.mail.lastLinkTo(jan.email, 'invite')
  const token = invite.split('/').pop()!
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1)

  const b = w.browser()
  w.clock.advanceHours(73)
  await b.get(invite)
  isInvalidPage(t, b, 'expired')
  const reference = b.text

  const rows = [
    { name: 'last character changed', path: `/uitnodiging/${flip(token, token.length - 1)}` },
    { name: 'first character changed', path: `/uitnodiging/${flip(token, 0)}` },
    { name: 'one character short', path: `/uitnodiging/${token.slice(1)}` },
    { name: 'one character more', path: `/uitnodiging/${token}A` },
    { name: 'garbage', path: '/uitnodiging/abc' },
    { name: 'invite token as a continue link', path: `/verder/${token}` },
    { name: 'altered continue link', path: `/verder/${flip(token, 5)}` },
  ]
  for (const row of rows) {
    await b.get(row.path)
    isInvalidPage(t, b, row.name)
    t.equal(b.text, reference, `${row.name}: the same page`)
    await postLink(b, row.path)
    isInvalidPage(t, b, `${row.name} (POST)`)
    t.equal(b.text, reference, `${row.name} (POST): the same page`)
  }
  t.equal((await w.account('jdevries')).emailVerifiedAt, null)
})

await t.test('opening a link changes nothing (mail scanners open links too)', async (t) => {
  const w = await world(t)
  await w.invite()
  const invite = await w.mail.lastLinkTo(jan.email, 'invite')
  const before = { links: await linkRows(w), outbox: (await w.mail.all()).length, audit: (await w.audit()).length }

  for (const ua of ['Mozilla/5.0 (scanner)', 'Mozilla/5.0 (patient)']) {
    const b = w.browser({ userAgent: ua })
    await b.get(invite)
    t.equal(b.status, 200, `${ua}: the page shows`)
    await b.get(invite)
    t.equal(b.status, 200, `${ua}: and shows again`)
  }
  t.equal((await w.account('jdevries')).emailVerifiedAt, null, 'not verified by a GET')
  t.same((await linkRows(w)), before.links, 'the link is untouched')
  t.equal((await w.mail.all()).length, before.outbox, 'no second mail')
  t.same((await w.audit()).map((e) => e.event).filter((e) => e === 'email_verified' || e === 'link_opened'), [], 'no verification in the audit log')
  t.equal((await w.audit()).length, before.audit, 'nothing audited')

  // The second link: same.
  const b = w.browser()
  await b.get(invite)
  await b.submit('Volgende')
  const next = await w.mail.lastLinkTo(jan.email, 'continue')
  const linksNow = await linkRows(w)
  const auditNow = (await w.audit()).length
  const scanner = w.browser({ userAgent: 'Mozilla/5.0 (scanner)' })
  await scanner.get(next)
  t.equal(scanner.status, 200)
  await scanner.get(next)
  t.equal(scanner.status, 200)
  t.same((await linkRows(w)), linksNow, 'the continue link is untouched')
  t.equal((await w.audit()).length, auditNow, 'nothing audited')
  await scanner.get('/account')
  t.equal(scanner.history[0]!.location, '/inloggen', 'the scanner got no flow')

  const patient = w.browser()
  await patient.get(next)
  await patient.submit('Stuur verificatiecode')
  t.equal(patient.url, '/account/telefoon', 'still valid after being opened')
})

await t.test('the link to continue of an account that finished onboarding says so and is refused', async (t) => {
  const w = await world(t)
  await w.invite()
  const next = await confirmInvite(w, w.browser())

  // The patient never used the second mail: the forgot-password / first-login path instead.
  const b = w.browser()
  await b.get('/inloggen')
  await b.submit('Volgende', { username: 'jdevries' })
  await b.get('/wachtwoord-vergeten')
  await b.submit('Volgende', { email: jan.email })
  w.clock.advanceMinutes(1) // a patient takes a moment: the factor is enrolled after this flow began
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  const temporary = (await w.mail.lastTo(jan.email, 'temporary-password')).text.split('\n').map((l) => l.trim()).find((l) => /^[A-Za-z0-9]{16}$/.test(l))!
  await b.submit('Volgende', { 'Tijdelijk wachtwoord (zie e-mail)': temporary, 'Nieuw wachtwoord': 'blauwe fiets onder de brug', 'Bevestig het wachtwoord': 'blauwe fiets onder de brug' })
  await b.submit('Volgende')
  b.choose('Met e-mail')
  await b.submit('Volgende')
  t.equal(b.url, '/', 'onboarded and signed in')

  // The account is active: the link says so, and points to signing in (issue 12).
  const isActivePage = (what: string) => {
    t.equal(c.status, 200, `${what}: 200`)
    t.equal(c.$('h1').text().trim(), text.alreadyActiveTitle, `${what}: title`)
    t.equal(c.$('a.button-link').first().attr('href'), '/inloggen', `${what}: primary action is signing in`)
  }
  const c = w.browser()
  await c.get(next)
  isActivePage('continue link after onboarding')
  const sent = (await w.mail.all()).length + (await w.sms.all()).length
  await postLink(c, next)
  isActivePage('continue link after onboarding (POST)')
  t.equal((await w.mail.all()).length + (await w.sms.all()).length, sent, 'nothing sent')
  const refusal = (await w.audit()).find((e) => e.event === 'link_rejected')
  t.equal(refusal?.accountId, (await w.account('jdevries')).id, 'the refusal is audited against the account')
  await c.get('/account')
  t.equal(c.history[0]!.location, '/inloggen', 'no flow, no sign-in')
  await c.get('/')
  t.equal(c.history[0]!.location, '/inloggen')
})
