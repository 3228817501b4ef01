// Issue 19 item 1: after the practice (or the operator's CLI) reset a second factor, no way in links a new
// one until the cooling-off has passed: not for staff (who skip Stap 4), not for a patient who can only
// use the app (MFA_EMAIL_ENABLED=false), not for a patient with both methods. Password and SMS are not
// enough; every route that starts or confirms a factor, GET and POST, is tried, also a POST straight to
// the confirm step with a right code for a secret obtained earlier. After the wait it works.
import t, { type Test } from 'tap'
import { updateAccount } from '../src/domain/accounts.ts'
import { countEvents } from '../src/domain/audit.ts'
import { factorCoolingUntil, isCooling } from '../src/domain/cooling-off.ts'
import { chooseMethod, confirmAppEnrollment } from '../src/domain/onboarding.ts'
import { resetSecondFactor } from '../src/domain/patients.ts'
import { confirmAppChange, confirmEmailChange, startAppChange, startEmailChange } from '../src/domain/security.ts'
import { openSecret, sealSecret } from '../src/domain/totp.ts'
import { messages } from '../src/messages.ts'
import { csrfOf, type Browser } from './helpers/browser.ts'
import { onboardWithApp, signInWithApp } from './helpers/patients.ts'
import { act, addStaff, anna, bert, onboard, password, startSignIn } from './helpers/practice.ts'
import { jan, world, type World } from './helpers/world.ts'


const carla = { name: 'Carla de Boer', email: 'carla@praktijk.example', phone: '+31612340003', username: 'cdeboer', role: 'beheerder' } as const

/** A secret in base32, as an attacker would have copied it from an enrollment page before. */
const earlierSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

interface Row {
  who: string
  env?: Record<string, string>
  /** Creates and onboards the account; returns its username, e-mail and phone. */
  make: (w: World) => Promise<{ username: string; email: string; phone: string }>
  /** Where a signed-in session of this account lands. */
  home: RegExp
  methodChoice: boolean
  staff: boolean
}

const rows: Row[] = [
  {
    who: 'a behandelaar',
    make: async (w) => ((await addStaff(w, bert)), await onboard(w, bert), bert),
    home: /\/praktijk/,
    methodChoice: false,
    staff: true,
  },
  {
    who: 'a beheerder',
    make: async (w) => ((await addStaff(w, carla)), await onboard(w, carla), carla),
    home: /\/praktijk/,
    methodChoice: false,
    staff: true,
  },
  {
    who: 'an app-only patient (MFA_EMAIL_ENABLED=false)',
    env: { MFA_EMAIL_ENABLED: 'false' },
    make: async (w) => ((await w.invite(jan)), await onboard(w, jan), { username: jan.username!, email: jan.email, phone: jan.phone }),
    home: /Welkom, Jan de Vries/,
    methodChoice: false,
    staff: false,
  },
  {
    who: 'a patient with both methods',
    make: async (w) => ((await w.invite(jan)), await onboard(w, jan), { username: jan.username!, email: jan.email, phone: jan.phone }),
    home: /Welkom, Jan de Vries/,
    methodChoice: true,
    staff: false,
  },
]

/** Password and the SMS code: the browser stands at the factor step (or its wait); with a form token of its flow. */
async function passwordAndSms(w: World, who: { username: string; phone: string }): Promise<{ b: Browser; token: string }> {
  // Twenty minutes on: the walks of this test stay under the 5 SMS codes an hour.
  w.clock.advanceMinutes(20)
  const b = await startSignIn(w, who.username)
  await b.submit('Stuur verificatiecode')
  const token = csrfOf(b.html)!
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(who.phone)) })
  return { b, token }
}

async function nothingLinked(t: Test, w: World, username: string, where: string) {
  const a = await w.account(username)
  t.equal(a.mfaEnrolledAt, null, `${where}: no factor enrolled`)
  t.equal(a.mfaMethod, null, `${where}: no method`)
  t.equal(a.totpSecretEnc, null, `${where}: no app secret`)
}

async function notSignedIn(t: Test, b: Browser, home: RegExp, where: string) {
  await b.get('/')
  t.notMatch(`${b.url} ${b.text}`, home, `${where}: not signed in`)
  t.notOk(b.$('form[action="/uitloggen"]').length, `${where}: no Uitloggen`)
}

for (const row of rows) {
  for (const how of ['cli', 'web'] as const) {
    await t.test(`${row.who}, reset by the ${how === 'cli' ? "operator's CLI" : "practice's page"}: no new factor during the wait`, async (t) => {
      const w = await world(t, { env: row.env ?? {} })
      const staff = ((await addStaff(w, anna)), await onboard(w, anna))
      const who = await row.make(w)
      const id = (await w.account(who.username)).id
      if (how === 'cli') {
        t.ok((await resetSecondFactor(w.deps, { actor: 'cli' }, w.practice.id, id)).ok)
      } else {
        await staff.b.get(`/praktijk/${row.staff ? 'medewerkers' : 'clienten'}/${id}`)
        await act(staff.b, messages('nl').label.resetMfa)
        t.match(staff.b.text, /is gereset/)
      }
      await nothingLinked(t, w, who.username, 'after the reset')

      // 1. The pages: the wait, not a QR code or a secret.
      let { b, token } = await passwordAndSms(w, who)
      t.match(b.url, row.methodChoice ? /^\/account\/methode$/ : /^\/account\/app$/, 'password and SMS lead to the factor step')
      for (const path of ['/account/methode', '/account/app', '/account']) {
        await b.get(path)
        t.match(b.text, /kunt u pas vanaf .* een nieuwe tweede stap instellen/, `GET ${path} shows the wait`)
        t.equal(b.$('a[href^="otpauth://"]').length, 0, `GET ${path} shows no secret`)
        t.equal(b.$('svg').length, 0, `GET ${path} shows no QR code`)
        t.equal(b.$('input[name="methode"]').length, 0, `GET ${path} offers no choice`)
      }
      await nothingLinked(t, w, who.username, 'after the GETs')
      t.equal((await w.account(who.username)).totpPendingSecretEnc, null, 'no secret started by a GET')

      // 2. A direct POST to the confirm step, with the right code of a secret obtained earlier.
      ;({ b, token } = await passwordAndSms(w, who))
      await updateAccount(w.deps, id, { totpPendingSecretEnc: sealSecret(w.deps.keys.totp, earlierSecret) })
      await b.request({ method: 'POST', url: '/account/app', form: { _csrf: token, actie: 'doorgaan', code: await w.totp(earlierSecret) } })
      t.match(b.text, /een nieuwe tweede stap instellen/, 'the confirm POST answers with the wait')
      await nothingLinked(t, w, who.username, 'after the confirm POST')
      await notSignedIn(t, b, row.home, 'after the confirm POST')
      await updateAccount(w.deps, id, { totpPendingSecretEnc: null })

      // 3. The method choice by POST, both ways (for those without a choice the runner answers with the due step).
      for (const methode of ['app', 'email']) {
        ;({ b, token } = await passwordAndSms(w, who))
        await b.request({ method: 'POST', url: '/account/methode', form: { _csrf: token, methode } })
        t.match(b.text, /een nieuwe tweede stap instellen/, `POST methode=${methode} answers with the wait`)
        await nothingLinked(t, w, who.username, `after POST methode=${methode}`)
        t.equal((await w.account(who.username)).totpPendingSecretEnc, null, `no secret started by POST methode=${methode}`)
        await notSignedIn(t, b, row.home, `after POST methode=${methode}`)
      }

      // 4. The Beveiliging routes: not signed in, so they send the browser to the sign-in.
      ;({ b, token } = await passwordAndSms(w, who))
      const form = { _csrf: token, factor: 'app', factorCurrentPassword: password, actie: 'doorgaan', code: await w.totp(earlierSecret) }
      for (const path of ['/beveiliging/tweede-stap', '/beveiliging/app', '/beveiliging/email']) {
        await b.get(path)
        t.equal(b.url, '/inloggen', `GET ${path}: to the sign-in`)
        await b.request({ method: 'POST', url: path, form })
        t.match(b.url, /^\/(inloggen|account)/, `POST ${path}: refused`)
      }
      await nothingLinked(t, w, who.username, 'after the Beveiliging routes')
      await notSignedIn(t, b, row.home, 'after the Beveiliging routes')

      // 5. After the wait, the same walk links the app and signs in.
      w.clock.advanceHours(25)
      ;({ b } = await passwordAndSms(w, who))
      if (row.methodChoice) {
        t.equal(b.url, '/account/methode')
        await b.submit('Volgende')
      }
      t.equal(b.url, '/account/app')
      const secret = new URL(b.$('a[href^="otpauth://"]').attr('href')!).searchParams.get('secret')!
      await b.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
      t.match(`${b.url} ${b.text}`, row.home, 'after the wait: signed in with the new app')
      t.not((await w.account(who.username)).mfaEnrolledAt, null)
    })
  }
}

/** What a reset leaves, without ending the sessions: a future path that forgot to, or a session it missed. */
async function resetKeepingSessions(w: World, id: number) {
  await updateAccount(w.deps, id, { staffMfaResetAt: w.clock.now(), mfaMethod: null, mfaEnrolledAt: null, totpSecretEnc: null, totpLastStep: null })
}

await t.test('every domain function that starts or confirms a factor refuses during the wait, and audits it', async (t) => {
  const w = await world(t)
  const patient = await onboardWithApp(w)
  const id = patient.account.id
  t.ok((await resetSecondFactor(w.deps, { actor: 'cli' }, w.practice.id, id)).ok)
  const by = { actor: 'self' }
  const mailsBefore = (await w.mail.all()).length
  const planted = async () => ((await updateAccount(w.deps, id, { totpPendingSecretEnc: sealSecret(w.deps.keys.totp, earlierSecret) })), (await w.account(jan.username!)))
  const calls: [string, () => unknown][] = [
    ['chooseMethod app', async () => chooseMethod(w.deps, by, (await w.account(jan.username!)), 'app')],
    ['chooseMethod email', async () => chooseMethod(w.deps, by, (await w.account(jan.username!)), 'email')],
    ['confirmAppEnrollment', async () => confirmAppEnrollment(w.deps, by, (await planted()), await w.totp(earlierSecret))],
    ['startAppChange', async () => startAppChange(w.deps, by, (await w.account(jan.username!)))],
    ['confirmAppChange', async () => confirmAppChange(w.deps, by, (await planted()), await w.totp(earlierSecret))],
    ['startEmailChange', async () => startEmailChange(w.deps, by, (await w.account(jan.username!)), 'nonce')],
    ['confirmEmailChange', async () => confirmEmailChange(w.deps, by, (await w.account(jan.username!)), 'nonce', '123456')],
  ]
  for (const [name, call] of calls) {
    const before = await countEvents(w.deps, { accountId: id, event: 'cooling_off' })
    const result = await call()
    t.ok(isCooling(result), `${name}: refused with the wait`)
    t.equal((await countEvents(w.deps, { accountId: id, event: 'cooling_off' })), before + 1, `${name}: audited once`)
    await updateAccount(w.deps, id, { totpPendingSecretEnc: null })
    await nothingLinked(t, w, jan.username!, name)
  }
  t.equal((await w.mail.all()).length, mailsBefore, 'no code or notice went out')

  w.clock.advanceHours(25)
  t.equal((await chooseMethod(w.deps, by, (await w.account(jan.username!)), 'app')), 'ok', 'after the wait it starts')
})

await t.test('a factor linked after the wait is the patient\'s own: changing it later is not held up', async (t) => {
  const w = await world(t)
  const patient = await onboardWithApp(w)
  t.ok((await resetSecondFactor(w.deps, { actor: 'cli' }, w.practice.id, patient.account.id)).ok)
  w.clock.advanceHours(25)
  t.equal((await chooseMethod(w.deps, { actor: 'self' }, (await w.account(jan.username!)), 'app')), 'ok')
  const secret = openSecret(w.deps.keys, (await w.account(jan.username!)).totpPendingSecretEnc!)
  t.equal(await confirmAppEnrollment(w.deps, { actor: 'self' }, (await w.account(jan.username!)), await w.totp(secret)), 'ok')
  // The operator lengthens the cooling-off afterwards: the reset is now "within" it again, the factor stands.
  const longer = { ...w.deps, config: { ...w.deps.config, limits: { ...w.deps.config.limits, staffChangeCoolingHours: 168 } } }
  t.equal(factorCoolingUntil(longer, (await w.account(jan.username!))), null)
  t.equal((await startAppChange(longer, { actor: 'self' }, (await w.account(jan.username!)))), 'ok')
})

await t.test('Beveiliging during the wait (a signed-in session a reset did not end): the pages say until when, nothing is linked', async (t) => {
  const w = await world(t, { env: { PRACTICE_CONTACT: '030 123 45 67' } })
  const patient = await onboardWithApp(w)
  const b = patient.browser
  const id = patient.account.id

  // Changes started before the reset, in two browsers: their QR codes are on the pages.
  w.clock.advanceSeconds(30)
  const b2 = await signInWithApp(w, w.browser(), patient)
  const started: { token: string; secret: string }[] = []
  for (const x of [b, b2]) {
    await x.get('/beveiliging/tweede-stap')
    await x.submit('Tweede stap wijzigen', { 'current-password': patient.password })
    t.equal(x.url, '/beveiliging/app')
    started.push({ token: csrfOf(x.html)!, secret: new URL(x.$('a[href^="otpauth://"]').attr('href')!).searchParams.get('secret')! })
  }
  const token = started[0]!.token
  await resetKeepingSessions(w, id)

  await b.get('/beveiliging/app')
  t.match(b.text, /kunt u pas vanaf .* een nieuwe tweede stap instellen/, 'the app page shows the wait')
  t.match(b.text, /Bel dan Praktijk De Linde \(030 123 45 67\)/, "with the practice's contact")
  t.equal(b.$('a[href^="otpauth://"]').length + b.$('svg').length, 0, 'no QR code, no secret')
  const pending = started[1]!.secret
  await updateAccount(w.deps, id, { totpPendingSecretEnc: sealSecret(w.deps.keys.totp, pending) })
  await b2.request({ method: 'POST', url: '/beveiliging/app', form: { _csrf: started[1]!.token, actie: 'doorgaan', code: await w.totp(pending) } })
  t.match(b2.text, /een nieuwe tweede stap instellen/, 'the confirm POST with the right code answers with the wait')
  await nothingLinked(t, w, jan.username!, 'Beveiliging app')

  await b.get('/beveiliging/tweede-stap')
  t.match(b.text, /kunt u pas vanaf .* een nieuwe tweede stap instellen/, 'the task page shows the wait')
  t.equal(b.$('input[name="factor"]').length, 0, 'and offers no change')
  for (const factor of ['app', 'email']) {
    await b.request({ method: 'POST', url: '/beveiliging/tweede-stap', form: { _csrf: token, factor, factorCurrentPassword: patient.password } })
    t.equal(b.status, 403, `POST factor=${factor}: refused`)
    t.match(b.text, /een nieuwe tweede stap instellen/)
  }
  await b.request({ method: 'POST', url: '/beveiliging/email', form: { _csrf: token, actie: 'opnieuw', code: '' } })
  await nothingLinked(t, w, jan.username!, 'Beveiliging, every route')
  t.equal((await w.account(jan.username!)).totpPendingSecretEnc, null, 'no secret pending')
  t.notOk((await w.mail.all()).some((m) => m.kind === 'mfa-code' || m.kind === 'mfa-changed'), 'no e-mail code sent, no factor changed')
})
