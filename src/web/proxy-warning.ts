// Issue 12.4: a portal behind a proxy without TRUST_PROXY sees the proxy's address for everyone, so one
// waiting room's typing errors would count as one client's. Requests carrying X-Forwarded-For while
// TRUST_PROXY is off are reported once per process (not per request), in the log and by deps.warn.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../domain/deps.ts'

export const forwardedWithoutTrust =
  'Waarschuwing: verzoeken komen binnen met X-Forwarded-For, maar TRUST_PROXY staat uit. Het portaal ziet dan het adres van de proxy voor iedereen, en de limieten per adres tellen alle cliënten samen. Zet TRUST_PROXY=true als het portaal achter één reverse proxy staat.'

export function registerProxyWarning(app: FastifyInstance, deps: Deps): void {
  if (deps.config.trustProxy) return
  let warned = false
  app.addHook('onRequest', (req, _reply, done) => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      warned = true
      deps.warn?.(forwardedWithoutTrust)
    }
    done()
  })
}

/** At start-up, when listening beyond loopback without TRUST_PROXY: every limit per address sees the connecting address. */
export const startupProxyNote =
  'Let op: TRUST_PROXY staat uit. X-Forwarded-For wordt genegeerd en de limieten per adres zien het verbindende adres. Staat het portaal achter een reverse proxy, zet dan TRUST_PROXY=true.'
