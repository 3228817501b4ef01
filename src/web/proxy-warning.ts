// Issue 12.4: a portal behind a proxy without TRUST_PROXY sees the proxy's address for everyone, so one
// waiting room's typing errors would count as one client's. Requests carrying X-Forwarded-For while
// TRUST_PROXY is off are reported once per process (not per request), in the log and by deps.warn.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../domain/deps.ts'
import { operatorMessages } from '../operator.ts'

export function registerProxyWarning(app: FastifyInstance, deps: Deps): void {
  if (deps.config.trustProxy) return
  let warned = false
  app.addHook('onRequest', (req, _reply, done) => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      warned = true
      deps.warn?.(operatorMessages(deps.config.operatorLanguage).server.forwardedWithoutTrust)
    }
    done()
  })
}
