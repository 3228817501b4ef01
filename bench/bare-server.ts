// The ceiling of the stack: a bare Fastify route on the same machine, pinned to the same core as the
// portal, answering a small fixed HTML page. Started by bench/run.ts; prints "listening <port>".
// BENCH_STACK=session adds @fastify/cookie + @fastify/session (in-memory store) and reads the session;
// BENCH_STACK=view adds that and renders the portal's app-code page with @fastify/view + Eta: the
// price of each layer of the stack, without the portal's own code.
import cookie from '@fastify/cookie'
import session from '@fastify/session'
import view from '@fastify/view'
import { Eta } from 'eta'
import Fastify from 'fastify'
import { join } from 'node:path'
import { error, label, text } from '../src/messages.ts'

const stack = process.env.BENCH_STACK ?? 'bare'
const html = '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Bench</title></head><body><p>ok</p></body></html>'
const app = Fastify({ logger: false })
if (stack === 'bare') {
  app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').send(html))
} else {
  await app.register(cookie)
  await app.register(session, { secret: 'x'.repeat(64), cookieName: 's', saveUninitialized: false, rolling: false, cookie: { secure: false, httpOnly: true, sameSite: 'lax', path: '/' } })
  await app.register(view, { engine: { eta: new Eta({ autoEscape: true, autoTrim: false, cache: true }) }, root: join(import.meta.dirname, '..', 'templates'), production: true })
  app.get('/start', async (req, reply) => {
    ;(req.session as unknown as Record<string, unknown>).csrf = 'c'.repeat(43)
    return reply.type('text/html; charset=utf-8').send(html)
  })
  app.get('/', async (req, reply) => {
    const csrf = (req.session as unknown as Record<string, unknown>).csrf
    if (stack === 'session') return reply.type('text/html; charset=utf-8').send(html)
    return reply.type('text/html; charset=utf-8').view('sign-in/app-code', { title: text.signInTitle, errors: {}, values: {}, hasErrors: false, csrf, label, text, error, portalName: 'Mijn Therapie Dossier', practiceName: 'Praktijk', signedIn: false, stylesheet: '/static/portal.css' })
  })
}
const address = await app.listen({ port: 0, host: '127.0.0.1' })
console.log(`listening ${new URL(address).port}`)
const close = () => void app.close().then(() => process.exit(0))
process.on('SIGTERM', close)
process.on('SIGINT', close)
