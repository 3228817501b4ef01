// The ceiling of the stack: a bare Fastify route on the same machine, pinned to the same core as the
// portal, answering a small fixed HTML page. Started by bench/run.ts; prints "listening <port>".
import Fastify from 'fastify'

const html = '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Bench</title></head><body><p>ok</p></body></html>'
const app = Fastify({ logger: false })
app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').send(html))
const address = await app.listen({ port: 0, host: '127.0.0.1' })
console.log(`listening ${new URL(address).port}`)
const close = () => void app.close().then(() => process.exit(0))
process.on('SIGTERM', close)
process.on('SIGINT', close)
