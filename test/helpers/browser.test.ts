import t from 'tap'
import Fastify from 'fastify'
import formbody from '@fastify/formbody'
import { Browser, csrfOf, injectFrom } from './browser.ts'

const page = `<!doctype html><html lang="nl"><head><title>Test</title><style>p{}</style></head><body>
<h1>  Inloggen
   bij <em>uw</em> dossier</h1><p>Stap 1</p><p hidden>verborgen</p>
<form method="post" action="/login">
  <input type="hidden" name="_csrf" value="tok-123">
  <label for="u">Gebruikersnaam</label><input id="u" name="user" autocomplete="username" value="oud">
  <label>Wachtwoord <input type="password" name="pw" autocomplete="current-password"></label>
  <label for="n1">Nieuw wachtwoord</label><input id="n1" type="password" name="new1" autocomplete="new-password">
  <label for="n2">Herhaal wachtwoord</label><input id="n2" type="password" name="new2" autocomplete="new-password">
  <input name="praktijk" value="De Linde" readonly>
  <input name="uit" value="x" disabled>
  <fieldset><legend>Code ontvangen</legend>
    <label><input type="radio" name="kanaal" value="sms" checked> Per sms</label>
    <label><input type="radio" name="kanaal" value="email"> Per e-mail</label>
  </fieldset>
  <label><input type="checkbox" name="onthoud"> Onthoud mij</label>
  <select name="taal"><option value="nl">Nederlands</option><option value="en" selected>English</option></select>
  <textarea name="notitie">hallo</textarea>
  <button type="button">Toon wachtwoord</button>
  <button name="actie" value="inloggen">Inloggen</button>
  <button type="submit" name="actie" value="annuleren">Annuleren</button>
  <button>Dubbel</button><input type="submit" value="Dubbel">
</form>
<form action="/zoek"><label for="q">Zoekterm</label><input id="q" name="q" type="search"><button>Zoeken</button></form>
</body></html>`

async function build() {
  const app = Fastify()
  await app.register(formbody)
  const seen: { method: string; url: string; body: unknown; headers: Record<string, unknown> }[] = []
  app.addHook('onRequest', async (req) => { seen.push({ method: req.method, url: req.url, body: undefined, headers: req.headers }) })
  app.addHook('preHandler', async (req) => { seen[seen.length - 1]!.body = req.body })
  app.get('/set', async (_req, reply) => {
    reply.header('set-cookie', ['a=1; Path=/; HttpOnly', 'b=2', 'c=3; Max-Age=60'])
    return 'ok'
  })
  app.get('/del', async (_req, reply) => {
    reply.header('set-cookie', ['a=; Max-Age=0', 'b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'c=4'])
    return 'ok'
  })
  app.get('/clear', async (_req, reply) => reply.header('clear-site-data', '"cache", "cookies"').header('set-cookie', 'd=5').send('ok'))
  app.get('/clear-storage', async (_req, reply) => reply.header('clear-site-data', '"cache", "storage"').send('ok'))
  app.get('/form', async (_req, reply) => reply.type('text/html').send(page))
  app.post('/login', async (_req, reply) => reply.header('set-cookie', 'sid=s1; HttpOnly').redirect('/klaar', 303))
  app.get('/klaar', async (_req, reply) => reply.type('text/html').send('<body><p>Klaar</p></body>'))
  app.get('/zoek', async (req) => req.query)
  app.get('/loop', async (_req, reply) => reply.redirect('/loop', 302))
  await app.ready()
  t.teardown(() => app.close())
  return { app, seen, b: new Browser(injectFrom(app)) }
}

await t.test('cookie jar: set, overwrite, delete, sent back', async (t) => {
  const { b, seen } = await build()
  await b.get('/set')
  t.same(Object.fromEntries(b.cookies), { a: '1', b: '2', c: '3' })
  t.equal(b.lastSetCookies.length, 3)
  await b.get('/del')
  t.same(Object.fromEntries(b.cookies), { c: '4' })
  t.equal(seen.at(-1)!.headers.cookie, 'a=1; b=2; c=3')
  t.equal(seen.at(-1)!.headers['user-agent'], 'Mozilla/5.0 (test-browser)')
})

await t.test('Clear-Site-Data: "cookies" empties the jar before the answer\'s own cookies; other types leave it', async (t) => {
  const { b } = await build()
  await b.get('/set')
  await b.get('/clear-storage')
  t.same(Object.fromEntries(b.cookies), { a: '1', b: '2', c: '3' }, '"cache", "storage": the cookies stay')
  await b.get('/clear')
  t.same(Object.fromEntries(b.cookies), { d: '5' }, '"cookies": only the cookie set by the same answer is left')
})

await t.test('text, csrfOf, formFor', async (t) => {
  const { b } = await build()
  await b.get('/form')
  t.equal(b.status, 200)
  t.match(b.text, /^Inloggen bij uw dossier Stap 1 /)
  t.notMatch(b.text, /verborgen|p\{\}/)
  t.equal(csrfOf(b.html), 'tok-123')
  t.equal(csrfOf('<p>geen</p>'), undefined)
  const f = b.formFor('Inloggen')
  t.same(f, {
    action: '/login', method: 'POST',
    fields: [['_csrf', 'tok-123'], ['user', 'oud'], ['pw', ''], ['new1', ''], ['new2', ''], ['praktijk', 'De Linde'],
      ['kanaal', 'sms'], ['taal', 'en'], ['notitie', 'hallo'], ['actie', 'inloggen']],
  })
  t.equal(b.field('Zoekterm').attr('name'), 'q')
  t.equal(b.field('new-password').length, 2)
})

await t.test('submit POST by label, autocomplete, name; 303 becomes GET', async (t) => {
  const { b, seen } = await build()
  await b.get('/form')
  await b.choose('Per e-mail').choose('Onthoud mij').submit('Annuleren', {
    username: 'anna', Wachtwoord: 'geheim wachtwoord&=', new1: 'n1', praktijk: 'Andere praktijk',
  })
  const post = seen.find((s) => s.method === 'POST')!
  t.same(post.body, {
    _csrf: 'tok-123', user: 'anna', pw: 'geheim wachtwoord&=', new1: 'n1', new2: '', praktijk: 'Andere praktijk',
    kanaal: 'email', onthoud: 'on', taal: 'en', notitie: 'hallo', actie: 'annuleren',
  })
  t.equal(post.headers.origin, 'http://localhost:3000')
  t.equal(post.headers['content-type'], 'application/x-www-form-urlencoded')
  t.equal(seen.at(-1)!.method, 'GET')
  t.equal(seen.at(-1)!.headers.cookie, 'sid=s1')
  t.equal(seen.at(-1)!.headers.origin, undefined)
  t.equal(b.url, '/klaar')
  t.equal(b.text, 'Klaar')
  t.same(b.history.map((h) => [h.method, h.url, h.status]), [['POST', '/login', 303], ['GET', '/klaar', 200]])
})

await t.test('GET form puts fields in the query string', async (t) => {
  const { b } = await build()
  await b.get('/form')
  await b.submit('Zoeken', { Zoekterm: 'a b&c' })
  t.equal(b.url, '/zoek?q=a+b%26c')
  t.same(JSON.parse(b.html), { q: 'a b&c' })
})

await t.test('redirects can be left unfollowed; loops are reported', async (t) => {
  const { app } = await build()
  const raw = new Browser(injectFrom(app), { followRedirects: false })
  await raw.request({ method: 'POST', url: '/login', form: { a: '1' } })
  t.equal(raw.status, 303)
  t.equal(raw.headers.location, '/klaar')
  t.same(raw.lastSetCookies, ['sid=s1; HttpOnly'])
  await t.rejects(new Browser(injectFrom(app)).get('/loop'), /Too many redirects/)
})

await t.test('clear errors', async (t) => {
  const { b } = await build()
  await b.get('/form')
  t.throws(() => b.formFor('Verstuur'), /no button with that label[\s\S]*"Inloggen"[\s\S]*"Zoeken"/)
  t.throws(() => b.formFor('Dubbel'), /2 buttons with that label/)
  await t.rejects(b.submit('Inloggen', { Onbekend: 'x' }), /"Onbekend" matches no field[\s\S]*label="Gebruikersnaam" autocomplete="username" name="user"/)
  await t.rejects(b.submit('Inloggen', { 'new-password': 'x' }), /"new-password" is ambiguous: it matches 2 fields by autocomplete/)
  t.throws(() => b.choose('Per fax'), /no radio\/checkbox with that label/)
})
