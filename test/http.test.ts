// HTTP hygiene: the security headers on every kind of answer, the session cookie, a new session id
// at sign-in, the CSRF guard, and bad input of any kind ending in a Dutch 4xx page.
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import t from 'tap'
import type { Test } from 'tap'
import { Browser, csrfOf, injectFrom, type Inject } from './helpers/browser.ts'
import { jan, world, type World } from './helpers/world.ts'

const csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
const password = 'blauwe fiets onder de brug'

function checkHeaders(t: Test, b: Browser, what: string) {
  const h = b.headers
  t.equal(h['content-security-policy'], csp, `${what}: CSP`)
  t.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`)
  t.equal(h['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`)
  t.equal(h['cache-control'], 'no-store', `${what}: Cache-Control`)
  t.equal(h['x-frame-options'], 'DENY', `${what}: X-Frame-Options`)
  t.equal(h['x-powered-by'], undefined, `${what}: no X-Powered-By`)
  t.notMatch(String(h.server ?? ''), /\d/, `${what}: no version in Server`)
}

/** A Dutch error page: HTML, lang="nl", a known title, nothing of the insides. */
function checkErrorPage(t: Test, b: Browser, what: string, title: RegExp) {
  t.ok(b.status >= 400 && b.status < 500, `${what}: a 4xx (${b.status})`)
  t.match(String(b.headers['content-type']), /^text\/html; charset=utf-8/, `${what}: HTML`)
  t.match(b.html, /<html lang="nl"/, `${what}: Dutch`)
  t.match(b.$('h1').text(), title, `${what}: title`)
  for (const inside of [/\n\s+at /, /node_modules/, /\/work\//, /FST_/, /Error:/, /\.ts:\d+/, /SQLITE/i]) {
    t.notMatch(b.html, inside, `${what}: no ${inside}`)
  }
}

/** The patient onboarded with the app, signed out, and 30 s later (a new TOTP step). */
async function onboarded(w: World): Promise<{ b: Browser; secret: string }> {
  await w.invite()
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  await b.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  await b.submit('Volgende')
  await b.submit('Volgende')
  const secret = new URL(b.$('a[href^="otpauth://"]').attr('href')!).searchParams.get('secret')!
  await b.submit('Doorgaan', { 'one-time-code': await w.totp(secret) })
  await b.submit('Uitloggen')
  w.clock.advanceSeconds(30)
  return { b, secret }
}

const cookieName = 'mtd_session'
const sessionCookie = (b: Browser) => b.cookies.get(cookieName) ?? b.cookies.get(`__Host-${cookieName}`)

await t.test('security headers on a sample of answers', async (t) => {
  const w = await world(t)
  await w.invite()
  const rows: { name: string; status: number; go: (b: Browser) => Promise<unknown> }[] = [
    { name: 'GET /inloggen', status: 200, go: (b) => b.get('/inloggen') },
    { name: 'GET a link', status: 200, go: async (b) => b.get((await w.mail.lastLinkTo(jan.email, 'invite'))) },
    { name: 'GET /account without a flow', status: 303, go: (b) => b.get('/account') },
    { name: 'GET /', status: 303, go: (b) => b.get('/') },
    { name: 'GET an unknown page', status: 404, go: (b) => b.get('/bestaat-niet') },
    { name: 'GET an unknown link', status: 410, go: (b) => b.get(`/uitnodiging/${'A'.repeat(43)}`) },
    { name: 'POST an empty username', status: 422, go: async (b) => { await b.get('/inloggen'); return await b.submit('Volgende', { username: '' }) } },
    { name: 'POST without a token', status: 403, go: (b) => b.request({ method: 'POST', url: '/inloggen', form: { username: 'jdevries' } }) },
    { name: 'TRACE /', status: 405, go: (b) => b.request({ method: 'TRACE', url: '/' }) },
  ]
  for (const row of rows) {
    const b = w.browser({ followRedirects: false })
    await row.go(b)
    t.equal(b.status, row.status, `${row.name}: ${row.status}`)
    checkHeaders(t, b, row.name)
  }
  const css = w.browser()
  await css.get('/inloggen')
  await css.get(css.$('link[rel=stylesheet]').attr('href')!)
  t.equal(css.status, 200)
  t.match(String(css.headers['content-type']), /^text\/css/)
  t.equal(css.headers['x-content-type-options'], 'nosniff', 'the stylesheet: nosniff')
  t.equal(css.headers['strict-transport-security'], undefined, 'no HSTS over http')
})

/** The attributes of a Set-Cookie line, lower-cased. */
const attributesOf = (set: string) => set.split(';').slice(1).map((a) => a.trim().toLowerCase())

await t.test('the cookies over http: HttpOnly, SameSite=Lax, Path=/; a first look writes no row', async (t) => {
  const w = await world(t)
  const b = w.browser()
  await b.get('/inloggen')
  const rowCount = () => w.sql.count('select count(*) from sessions')
  t.notOk(b.lastSetCookies.some((c) => c.startsWith(`${cookieName}=`)), 'looking at the form starts no session')
  t.equal(await rowCount(), 0, 'and writes no row')
  const csrf = b.lastSetCookies.find((c) => c.startsWith('mtd_csrf='))
  t.ok(csrf, "the form's CSRF secret has a cookie of its own")
  for (const set of [csrf!]) {
    const attrs = attributesOf(set)
    t.ok(attrs.includes('httponly') && attrs.includes('samesite=lax') && attrs.includes('path=/'), 'CSRF cookie: HttpOnly, SameSite=Lax, Path=/')
    t.notOk(attrs.includes('secure'), 'not Secure over http (the browser would drop it)')
  }

  await b.submit('Volgende', { username: 'iemand' })
  const set = b.history.flatMap((h) => h.setCookies).find((c) => c.startsWith(`${cookieName}=`))
  t.ok(set, 'a session cookie once there is something to keep')
  const attrs = attributesOf(set!)
  t.ok(attrs.includes('httponly'), 'HttpOnly')
  t.ok(attrs.includes('samesite=lax'), 'SameSite=Lax')
  t.ok(attrs.includes('path=/'), 'Path=/')
  t.notOk(attrs.some((a) => a.startsWith('domain=')), 'no Domain')
  t.notOk(attrs.some((a) => a.startsWith('expires=') || a.startsWith('max-age=')), 'a browser-session cookie: the server decides when it ends')
  t.notOk(attrs.includes('secure'), 'not Secure over http (the browser would drop it)')
  const id = decodeURIComponent(set!.split(';')[0]!.split('=').slice(1).join('=')).split('.')[0]!
  t.ok(Buffer.from(id, 'base64url').length >= 16, 'at least 128 bits of id')
  const rows = await w.sql.all<{ id: string }>('select id from sessions')
  t.equal(rows.length, 1, 'the typed username is kept server-side')
  t.not(rows[0]!.id, id, 'the table holds a hash of the id, not the id')
  t.match(rows[0]!.id, /^[0-9a-f]{64}$/)
})

await t.test("a planted CSRF secret gives no token: tokens are keyed by the server's key, not by a cookie signature", async (t) => {
  const w = await world(t)
  // @fastify/csrf-protection's own token maker, from its dependency.
  const Tokens = createRequire(import.meta.resolve('@fastify/csrf-protection'))('@fastify/csrf') as new (o?: { userInfo?: boolean; hmacKey?: Buffer }) => { create(secret: string, userInfo: string): string }
  const secret = 'een-geheim-van-de-aanvaller'
  const post = async (token: string) => {
    const b = w.browser({ followRedirects: false })
    b.cookies.set('mtd_csrf', secret)
    await b.request({ method: 'POST', url: '/inloggen', form: { _csrf: token, username: 'jdevries' }, headers: { origin: w.config.publicUrl.origin } })
    return b.status
  }
  t.equal(await post(new Tokens({ userInfo: true }).create(secret, 'visitor')), 403, 'a token for the planted secret, made without our key: 403')
  t.equal(await post(new Tokens({ userInfo: true, hmacKey: randomBytes(32) }).create(secret, 'visitor')), 403, 'made under another key: 403')
  // What the key alone decides: the same secret with our key is accepted (only the server can make this).
  t.equal(await post(new Tokens({ userInfo: true, hmacKey: w.deps.keys.csrf }).create(secret, 'visitor')), 303, "made under the portal's key: accepted")
})

await t.test('the session cookie under https: __Host- prefix and Secure, and HSTS', async (t) => {
  // Without a trusted proxy saying the request came over https, no session cookie goes out at all.
  const direct = await world(t, { env: { PUBLIC_URL: 'https://portal.example' } })
  const plain = direct.browser({ origin: 'https://portal.example' })
  await plain.get('/inloggen')
  t.equal(plain.status, 200)
  t.same(plain.lastSetCookies, [], 'no cookie over plain http')

  // Behind the TLS-terminating proxy (TRUST_PROXY=true, X-Forwarded-Proto: https).
  const w = await world(t, { env: { PUBLIC_URL: 'https://portal.example', TRUST_PROXY: 'true' } })
  await w.invite()
  t.match((await w.mail.lastLinkTo(jan.email, 'invite')), /^\/uitnodiging\//)
  t.match((await w.mail.lastTo(jan.email, 'invite')).text, /https:\/\/portal\.example\/uitnodiging\//, 'links from PUBLIC_URL')
  const viaProxy: Inject = (opts) => injectFrom(w.app)({ ...opts, headers: { ...opts.headers, 'x-forwarded-proto': 'https' } })
  const b = new Browser(viaProxy, { origin: 'https://portal.example' })
  await b.get('/inloggen')
  t.equal(b.status, 200)
  const csrf = b.lastSetCookies.find((c) => c.startsWith('__Host-mtd_csrf='))
  t.ok(csrf, 'the CSRF cookie has the __Host- prefix')
  await b.submit('Volgende', { username: 'jdevries' })
  const set = b.history.flatMap((h) => h.setCookies).find((c) => c.startsWith('__Host-mtd_session='))
  t.ok(set, 'the session cookie has the __Host- prefix')
  for (const [name, line] of [['session', set!], ['CSRF', csrf!]] as const) {
    const attrs = attributesOf(line)
    t.ok(attrs.includes('secure'), `${name}: Secure`)
    t.ok(attrs.includes('httponly'), `${name}: HttpOnly`)
    t.ok(attrs.includes('samesite=lax'), `${name}: SameSite=Lax`)
    t.ok(attrs.includes('path=/'), `${name}: Path=/ (required by __Host-)`)
    t.notOk(attrs.some((a) => a.startsWith('domain=')), `${name}: no Domain (required by __Host-)`)
  }
  t.notOk(b.history.flatMap((h) => h.setCookies).some((c) => /^mtd_(session|csrf)=/.test(c)), 'no unprefixed cookie')
  const hsts = String(b.headers['strict-transport-security'] ?? '')
  t.match(hsts, /max-age=(\d+)/)
  t.ok(Number(/max-age=(\d+)/.exec(hsts)?.[1]) >= 31536000, 'HSTS for at least a year')
  t.match(hsts, /includeSubDomains/)
  // Forms work from the configured origin.
  t.equal(b.url, '/inloggen/wachtwoord')
  await b.get('/bestaat-niet')
  t.equal(b.status, 404)
  t.ok(b.headers['strict-transport-security'], 'HSTS on errors too')
})

await t.test('a new session id at sign-in; the old ones are dead', async (t) => {
  const w = await world(t)
  const { b, secret } = await onboarded(w)
  await b.get('/inloggen')
  await b.submit('Volgende', { username: 'jdevries' })
  const before = sessionCookie(b)!
  t.ok(before)
  await b.submit('Volgende', { 'current-password': password })
  t.equal(b.url, '/inloggen/app-code')
  const between = sessionCookie(b)!
  t.not(between, before, 'a new id once the password is right')
  await b.submit('Verifieer code', { 'one-time-code': await w.totp(secret) })
  t.equal(b.url, '/')
  const after = sessionCookie(b)!
  t.not(after, before, 'a new id at sign-in')
  t.not(after, between, 'and again after the second factor')

  for (const [name, value] of [['before the password', before], ['between password and code', between]] as const) {
    const old = w.browser({ followRedirects: false })
    old.cookies.set(cookieName, value)
    await old.get('/')
    t.equal(old.status, 303, `${name}: not signed in`)
    t.equal(old.headers.location, '/inloggen')
    await old.get('/inloggen/app-code')
    t.equal(old.headers.location, '/inloggen', `${name}: no flow either`)
    await old.get('/inloggen/wachtwoord')
    t.equal(old.headers.location, '/inloggen', `${name}: not even the typed username`)
  }
  const current = w.browser({ followRedirects: false })
  current.cookies.set(cookieName, after)
  await current.get('/')
  t.equal(current.status, 200, 'the new cookie is signed in')
})

await t.test('CSRF: a token of this session and a same-site request, or 403', async (t) => {
  const w = await world(t)
  await w.invite()
  const other = w.browser()
  await other.get('/inloggen')
  const foreign = csrfOf(other.html)!

  const rows: { name: string; token: 'own' | 'foreign' | 'none' | 'empty'; headers: Record<string, string>; status: number }[] = [
    { name: 'no token', token: 'none', headers: {}, status: 403 },
    { name: 'an empty token', token: 'empty', headers: {}, status: 403 },
    { name: "another session's token", token: 'foreign', headers: {}, status: 403 },
    { name: 'Origin: https://evil.example', token: 'own', headers: { origin: 'https://evil.example' }, status: 403 },
    { name: 'Origin: null from a cross-site frame', token: 'own', headers: { origin: 'null', 'sec-fetch-site': 'cross-site' }, status: 403 },
    { name: 'Origin: null without a token', token: 'none', headers: { origin: 'null' }, status: 403 },
    // Referrer-Policy no-referrer makes browsers send Origin: null with their own posts; old ones send no Sec-Fetch-Site.
    { name: 'Origin: null from an old browser, with the token', token: 'own', headers: { origin: 'null' }, status: 303 },
    { name: 'Sec-Fetch-Site: cross-site', token: 'own', headers: { 'sec-fetch-site': 'cross-site' }, status: 403 },
    { name: 'Sec-Fetch-Site: same-site', token: 'own', headers: { 'sec-fetch-site': 'same-site' }, status: 403 },
    { name: 'valid, from this origin', token: 'own', headers: { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }, status: 303 },
    { name: 'valid, without Origin (a script)', token: 'own', headers: {}, status: 303 },
  ]
  for (const row of rows) {
    const b = w.browser({ followRedirects: false })
    await b.get('/inloggen')
    const own = csrfOf(b.html)!
    const token = { own, foreign, none: undefined, empty: '' }[row.token]
    await b.request({ method: 'POST', url: '/inloggen', headers: row.headers, form: { ...(token === undefined ? {} : { _csrf: token }), username: 'jdevries' } })
    t.equal(b.status, row.status, `${row.name}: ${row.status}`)
    await b.get('/inloggen/wachtwoord')
    if (row.status === 403) {
      t.equal(b.status, 303, `${row.name}: the username was not taken`)
      t.equal(b.headers.location, '/inloggen')
    } else {
      t.equal(b.status, 200, `${row.name}: on to the password`)
    }
  }
  const refused = w.browser()
  await refused.request({ method: 'POST', url: '/inloggen', form: { username: 'jdevries' } })
  checkErrorPage(t, refused, '403', /Formulier verlopen/)
  checkHeaders(t, refused, '403')
})

await t.test('bad input gets a Dutch 4xx page, never a 500 or a stack trace', async (t) => {
  const w = await world(t)
  await w.invite()
  const form = 'application/x-www-form-urlencoded'
  const rows: { name: string; method?: string; url?: string; type?: string; body: (token: string) => string; status?: number; title: RegExp }[] = [
    { name: 'repeated fields', type: form, body: (tk) => `_csrf=${tk}&username=jan&username=piet`, status: 400, title: /Dit verzoek kunnen wij niet verwerken/ },
    { name: 'a repeated token', type: form, body: (tk) => `_csrf=${tk}&_csrf=${tk}&username=jan`, status: 403, title: /Formulier verlopen/ },
    { name: 'a JSON body', type: 'application/json', body: (tk) => JSON.stringify({ _csrf: tk, username: 'jan' }), status: 415, title: /Onbekend formaat/ },
    { name: 'a 100 KB body', type: form, body: (tk) => `_csrf=${tk}&username=${'a'.repeat(100 * 1024)}`, status: 413, title: /Te veel gegevens verstuurd/ },
    { name: 'invalid UTF-8 (%FF)', type: form, body: (tk) => `_csrf=${tk}&username=%FF`, title: /Inloggen|niet verwerken/ },
    { name: 'invalid UTF-8 in a password', url: '/inloggen/wachtwoord', type: form, body: (tk) => `_csrf=${tk}&password=%FF%FE`, title: /Inloggen|niet verwerken/ },
    { name: 'text/plain', type: 'text/plain', body: (tk) => `_csrf=${tk}&username=jan`, status: 415, title: /Onbekend formaat/ },
    { name: 'multipart/form-data', type: 'multipart/form-data; boundary=x', body: (tk) => `--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${tk}\r\n--x--\r\n`, status: 415, title: /Onbekend formaat/ },
    { name: 'XML', type: 'application/xml', body: () => '<a/>', status: 415, title: /Onbekend formaat/ },
    { name: 'a field as an array', type: form, body: (tk) => `_csrf=${tk}&username[]=jan`, title: /Inloggen|niet verwerken/ },
    { name: 'a malformed URL', method: 'GET', url: '/%FF', body: () => '', status: 400, title: /Dit verzoek kunnen wij niet verwerken/ },
    { name: 'a malformed link token', method: 'GET', url: '/uitnodiging/%E0%A4%A', body: () => '', title: /niet verwerken|niet meer geldig/ },
  ]
  for (const row of rows) {
    const b = w.browser({ followRedirects: false })
    await b.get('/inloggen')
    const token = csrfOf(b.html)!
    if (row.url === '/inloggen/wachtwoord') {
      await b.request({ method: 'POST', url: '/inloggen', form: { _csrf: token, username: 'jdevries' } })
    }
    const method = row.method ?? 'POST'
    await b.request({ method, url: row.url ?? '/inloggen', headers: method === 'POST' ? { 'content-type': row.type! } : {}, ...(method === 'POST' ? { payload: row.body(token) } : {}) })
    if (row.status !== undefined) t.equal(b.status, row.status, `${row.name}: ${row.status}`)
    checkErrorPage(t, b, row.name, row.title)
  }

  // SQL metacharacters are just characters: no 500, no SQL in the answer, the accounts intact.
  const sql = w.browser({ followRedirects: false })
  await sql.get('/inloggen')
  await sql.request({ method: 'POST', url: '/inloggen', form: { _csrf: csrfOf(sql.html)!, username: "jdevries' or '1'='1" } })
  t.ok(sql.status < 500, `SQL in a field: ${sql.status}`)
  t.notMatch(sql.html, /SQLITE|syntax error|select /i)
  t.ok((await w.account('jdevries')), 'the account is still there')
})

await t.test('the 404 page is Dutch; TRACE and other methods get a 4xx', async (t) => {
  const w = await world(t)
  const b = w.browser()
  await b.get('/bestaat-niet')
  t.equal(b.status, 404)
  checkErrorPage(t, b, '404', /Pagina niet gevonden/)
  t.ok(b.text.includes('Deze pagina bestaat niet (meer).'))
  t.equal(b.$('a[href="/"]').length >= 1, true, 'a way back to the start')

  for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND']) {
    for (const url of ['/', '/inloggen', '/bestaat-niet']) {
      const m = w.browser({ followRedirects: false })
      await m.request({ method, url })
      t.ok(m.status >= 400 && m.status < 500, `${method} ${url}: 4xx (${m.status})`)
      t.notOk(m.html.includes('Welkom'), `${method} ${url}: no page content`)
      if (method === 'TRACE') t.equal(m.status, 405, `${method} ${url}: 405`)
      if (method === 'TRACE') t.notMatch(m.html, /cookie|user-agent/i, 'TRACE echoes nothing')
    }
  }
  // GET on a POST-only route changes nothing.
  const g = w.browser({ followRedirects: false })
  await g.get('/uitloggen')
  t.ok(g.status === 404 || g.status === 405, `GET /uitloggen: ${g.status}`)
})

await t.test('a remembered page carries each session its own token, and never what a visitor typed', async (t) => {
  const w = await world(t)
  const [a, b] = [w.browser(), w.browser()]
  await a.get('/inloggen')
  await b.get('/inloggen')
  const [tokenA, tokenB] = [csrfOf(a.html)!, csrfOf(b.html)!]
  t.not(tokenA, tokenB, 'two sessions, two tokens')
  t.equal(a.html.replace(tokenA, 'TOKEN'), b.html.replace(tokenB, 'TOKEN'), 'otherwise the same page')
  t.ok(w.app.views.shared!.size > 0, 'the start page was remembered')
  await a.submit('Volgende', { username: 'piet de boer' })
  t.equal(a.status, 422)
  t.match(a.html, /value="piet de boer"/, 'the typed value is shown again')
  t.notOk([...w.app.views.shared!.keys(), ...[...w.app.views.shared!.values()].flat()].some((k) => k.includes('piet')), 'and not remembered')
  // Each token still belongs to its own session only.
  await b.request({ method: 'POST', url: '/inloggen', form: { _csrf: tokenA, username: 'jdevries' } })
  t.equal(b.status, 403, "another session's token is refused")
  await b.request({ method: 'POST', url: '/inloggen', form: { _csrf: tokenB, username: 'jdevries' } })
  t.equal(b.url, '/inloggen/wachtwoord', 'its own is taken')
})
