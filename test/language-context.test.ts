// Issue 23.7: language and context kept. The language switch right after Stap 1 shows the same page;
// pages reached from an app name the app while its sign-in is walked; "Ingelogd blijven" after an app's
// sign-out returns to the app; each invitation carries one line in the other language; the resume
// notice names the walk the browser was really in.
import t from 'tap'
import * as client from 'openid-client'
import type { Browser } from './helpers/browser.ts'
import { authRequest, backchannelReceiver, leftTo, oidcWorld, redeem, registerApp } from './helpers/oidc.ts'
import { enterPassword, onboardWithApp, startForgot } from './helpers/patients.ts'
import { jan, world } from './helpers/world.ts'


const h1 = (b: Browser) => b.$('h1').first().text().trim()
const switchLink = (b: Browser) => b.$('a.lang').attr('href')!

await t.test('the language switch right after Stap 1 shows the same "verified" page, not "no longer valid"', async (t) => {
  const w = await world(t)
  await w.invite()
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  t.equal(h1(b), 'Uw e-mailadres is geverifieerd')
  await b.get(switchLink(b))
  t.equal(b.status, 200)
  t.equal(h1(b), 'Your email address has been verified')
  t.notMatch(b.text, /no longer works/)
  await b.get(switchLink(b))
  t.equal(h1(b), 'Uw e-mailadres is geverifieerd', 'and back')
  // Another browser with the used link still gets the honest page.
  const other = w.browser()
  await other.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  t.equal(other.status, 410)
  t.equal(h1(other), 'Deze link is niet meer geldig')
})

await t.test('each invitation carries one line in the other language', async (t) => {
  const w = await world(t)
  await w.invite()
  await w.invite({ name: 'Harry Jones', email: 'harry@example.org', phone: '+31612349876', username: 'hjones', language: 'en' })
  const dutch = (await w.mail.lastTo(jan.email, 'invite')).text
  const english = (await w.mail.lastTo('harry@example.org', 'invite')).text
  t.match(dutch, /^The portal is also in English: choose "English" at the top of any page\.$/m)
  t.match(english, /^Het portaal is er ook in het Nederlands: kies "Nederlands" bovenaan elke pagina\.$/m)
  t.notMatch(dutch, /Het portaal is er ook/)
  t.notMatch(english, /The portal is also in English/)
})

await t.test('the resume notice names the walk the browser was really in', async (t) => {
  const w = await world(t)
  const p = await onboardWithApp(w)
  await p.browser.submit('Uitloggen')
  const signIn = await enterPassword(w.browser(), 'jdevries', p.password)
  await signIn.get('/inloggen')
  t.match(signIn.text, /U was bezig met inloggen\. Terug naar waar u was/)
  t.notMatch(signIn.text, /activeren/)

  w.clock.advanceMinutes(1)
  const reset = await startForgot(w.browser(), 'jdevries', jan.email)
  await reset.get('/inloggen')
  t.match(reset.text, /U was bezig met het instellen van een nieuw wachtwoord\./)

  await w.invite({ name: 'Piet Peters', email: 'piet@example.org', phone: '+31687654321', username: 'ppeters' })
  const onboarding = w.browser()
  await onboarding.get((await w.mail.lastLinkTo('piet@example.org', 'invite')))
  await onboarding.submit('Volgende')
  await onboarding.get((await w.mail.lastLinkTo('piet@example.org', 'continue')))
  await onboarding.submit('Stuur verificatiecode')
  await onboarding.get('/inloggen')
  t.match(onboarding.text, /U was bezig met het activeren van uw account\./)
})

await t.test('pages reached from an app name the app, escaped, while its sign-in is walked', async (t) => {
  const w = await oidcWorld(t)
  const p = await onboardWithApp(w)
  await p.browser.submit('Uitloggen')
  const app = await registerApp(w, { name: 'Dossier <b>&</b>' })
  const b = w.browser()
  await b.get((await authRequest(app)).url.href)
  t.equal(b.url, '/inloggen')
  t.equal(h1(b), 'Inloggen bij Dossier <b>&</b>')
  t.match(b.html, /<h1>Inloggen bij Dossier &lt;b&gt;&amp;&lt;\/b&gt;<\/h1>/, 'escaped')
  t.match(b.$('title').text(), /^Inloggen bij Dossier <b>&<\/b> - /)
  await b.get(switchLink(b))
  t.equal(h1(b), 'Sign in to Dossier <b>&</b>')
  await b.get(switchLink(b))
  await b.submit('Volgende', { username: 'jdevries' })
  t.equal(h1(b), 'Inloggen bij Dossier <b>&</b>', 'the password page')
  // A page of the walk with a title of its own names the app in a line of its own.
  await b.get('/wachtwoord-vergeten')
  t.equal(b.$('p.for-app').text(), 'U logt in bij Dossier <b>&</b>.')
  await b.get('/inloggen')
  w.clock.advanceSeconds(30)
  await b.submit('Volgende', { username: 'jdevries' })
  await b.submit('Volgende', { 'current-password': p.password })
  t.equal(b.url, '/inloggen/app-code')
  t.equal(h1(b), 'Inloggen bij Dossier <b>&</b>', 'the second step, through the new session id of the password step')
  t.equal(b.$('p.for-app').length, 0, 'not twice')
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(p.secret) })
  t.match(b.url, /^\/interaction\/[\w-]+\/verder$/)
  await b.get('/')
  t.equal(b.$('p.for-app').length, 0, 'once signed in, no app named')
  t.notMatch(b.text, /Dossier <b>/)

  // Without an app, plain "Inloggen".
  const plain = w.browser()
  await plain.get('/inloggen')
  t.equal(h1(plain), 'Inloggen')
})

await t.test('after signing out from an app, Ingelogd blijven returns to the app and keeps the portal session', async (t) => {
  const w = await oidcWorld(t)
  const { url: backchannel, received } = await backchannelReceiver(t)
  const app = await registerApp(w, { name: 'Dossier', backchannelLogoutUri: backchannel, postLogoutUris: ['http://localhost:9/bye'] })
  const p = await onboardWithApp(w)
  const b = p.browser
  const auth = await authRequest(app)
  await b.get(auth.url.href)
  const tokens = await redeem(app, leftTo(b), auth)
  await b.get(client.buildEndSessionUrl(app.config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://localhost:9/bye', state: 'tot-ziens' }).href)
  t.same(b.buttonLabels(), ['Uitloggen', 'Ingelogd blijven'])
  await b.submit('Ingelogd blijven')
  t.equal(leftTo(b).href, 'http://localhost:9/bye?state=tot-ziens', 'back to the app')
  t.equal(received.length, 1, 'the app hears that its own sign-in ended')
  await b.get('/')
  t.match(b.text, /Welkom, Jan de Vries/, 'still signed in to the portal')

  // Without a post-logout URI there is no app to return to: a link to the portal's home page.
  const bare = await registerApp(w, { name: 'Agenda' })
  const auth2 = await authRequest(bare)
  await b.get(auth2.url.href)
  const tokens2 = await redeem(bare, leftTo(b), auth2)
  await b.get(client.buildEndSessionUrl(bare.config, { id_token_hint: tokens2.id_token! }).href)
  t.same(b.buttonLabels(), ['Uitloggen'])
  t.equal(b.$('a').filter((_, a) => b.$(a).text() === 'Ingelogd blijven').attr('href'), '/')
})
