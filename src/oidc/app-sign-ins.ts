// Ending an account's sign-ins at the practice's apps whenever the portal ends the account's sessions
// (issue 19 #2): "Uitloggen op alle andere apparaten", a password change or reset, the practice's factor
// reset, deactivation, erasure (domain/sessions.ts endAccountSessions). The domain reaches this through
// the AppSignIns port (domain/deps.ts), filled in src/runtime.ts.
//
// Two halves, because the first must happen in the caller's transaction and the second may not:
// - end(): the database work, without oidc-provider (this module only imports its types). The rows are
//   the adapter's (adapter.ts: oidc_artifacts, ids hashed, payloads as JSON with the `sub` in
//   `accountId`): the account's provider sessions, its grants, every access token and code issued under
//   them, and finished app sign-ins not yet redeemed. A token whose row is gone is refused at userinfo
//   and introspection at once; the apps' own sessions are what the back-channel call is for. So the CLI,
//   which never loads the provider for its other commands, revokes the same rows as the server.
// - tell(): back-channel logout to every app of an ended provider session that registered a URI: a
//   signed logout token, made and sent by oidc-provider's own Client.backchannelLogout. In the server the
//   provider that serves /oidc does it (serveAppSignInsWith, from routes.ts); in the CLI one is loaded for
//   the purpose, only when there is an app to tell. It runs after the caller's transaction (a microtask
//   later), and skips a session whose row is still there (the transaction rolled back).
import type Provider from 'oidc-provider'
import { recordEvent } from '../domain/audit.ts'
import type { Actor, AppLogout, AppSignIns, AppSignInsEnded, Deps } from '../domain/deps.ts'
import { sha256 } from '../domain/secrets.ts'
import { getClient } from './clients.ts'

type ProviderSource = () => Promise<Provider>

/** Which provider tells the apps, per port: the server's (routes.ts) once it is mounted, else one of our own. */
const sources = new WeakMap<AppSignIns, ProviderSource>()

/** The server's provider tells the apps from now on (routes.ts); no second provider is made in the server. */
export function serveAppSignInsWith(port: AppSignIns, provider: ProviderSource): void {
  sources.set(port, provider)
}

interface SessionRow {
  id: string
  payload: string
}

interface SessionPayload {
  uid?: string
  authorizations?: Record<string, { sid?: string; grantId?: string }>
}

/** Models whose payload names the account in `accountId` and belong to a grant: removed with it. */
const grantModels = ['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']

/** `deps()`: the runtime's deps, read when first needed (they hold this port themselves). */
export function createAppSignIns(deps: () => Deps): AppSignIns {
  const pending = new Set<Promise<void>>()
  let ownProvider: Promise<Provider> | undefined

  // A provider for telling only, in a process that does not serve /oidc (the CLI). Its pages are never
  // rendered: it answers no request.
  const standalone: ProviderSource = () =>
    (ownProvider ??= import('./provider.ts').then(({ createProvider }) =>
      createProvider(deps(), { view: () => Promise.reject(new Error('no pages outside the server')), config: deps().config }),
    ))

  const port: AppSignIns = {
    end(accountId: number, keep?: string): AppSignInsEnded {
      const sql = deps().db.$client
      // Never makes a `sub`: an account without one never signed in to an app.
      const sub = sql.prepare<[number], { subject: string }>('select subject from oidc_subjects where account_id = ?').get(accountId)?.subject
      if (!sub) return { sessions: 0, grants: 0, logouts: [] }
      const rows = sql
        .prepare<[string], SessionRow>("select id, payload from oidc_artifacts where model = 'Session' and json_extract(payload, '$.accountId') = ?")
        .all(sub)
      // This browser's provider session stays, with its grants and their tokens ("other devices").
      const keptId = keep ? sha256(keep) : null
      const kept = rows.find((r) => r.id === keptId)
      const keptPayload = kept ? (JSON.parse(kept.payload) as SessionPayload) : undefined
      const keptGrants = Object.values(keptPayload?.authorizations ?? {}).flatMap((a) => (a.grantId ? [a.grantId] : []))
      const logouts: AppLogout[] = []
      for (const row of rows) {
        if (row.id === keptId) continue
        const payload = JSON.parse(row.payload) as SessionPayload
        for (const [clientId, authorization] of Object.entries(payload.authorizations ?? {})) {
          // Only apps that asked to be told; the others learn it when their token is refused.
          if (authorization.sid && getClient(deps(), clientId)?.backchannelLogoutUri) logouts.push({ clientId, sub, sid: authorization.sid, session: row.id })
        }
      }
      const keptGrantList = JSON.stringify(keptGrants)
      const keptGrantKeys = JSON.stringify(keptGrants.map((g) => sha256(g)))
      const sessions = sql
        .prepare("delete from oidc_artifacts where model = 'Session' and json_extract(payload, '$.accountId') = ? and id is not ?")
        .run(sub, keptId).changes
      // Grants are stored under the SHA-256 of their id; tokens and codes name theirs in grant_id.
      const grants = sql
        .prepare("delete from oidc_artifacts where model = 'Grant' and json_extract(payload, '$.accountId') = ? and id not in (select value from json_each(?))")
        .run(sub, keptGrantKeys).changes
      sql
        .prepare(
          `delete from oidc_artifacts where model in (select value from json_each(?)) and json_extract(payload, '$.accountId') = ?
           and coalesce(grant_id, '') not in (select value from json_each(?))`,
        )
        .run(JSON.stringify(grantModels), sub, keptGrantList)
      // A sign-in our interaction finished for the account but the app's browser has not yet taken
      // back: it would become a code at the resume, whatever ended meanwhile. Interactions are the one
      // model anyone can create (issue 19 #4): instr() passes over the others without parsing their JSON.
      sql
        .prepare(
          `delete from oidc_artifacts where model = 'Interaction' and instr(payload, ?) > 0 and json_extract(payload, '$.result.login.accountId') = ?
           and coalesce(json_extract(payload, '$.session.uid'), '') is not ?`,
        )
        .run(sub, sub, keptPayload?.uid ?? null)
      return { sessions, grants, logouts }
    },

    tell(by: Actor, accountId: number, logouts: AppLogout[]): void {
      if (logouts.length === 0) return
      const run = (async () => {
        // After the caller's transaction: this runs once the synchronous code that called us is done.
        await Promise.resolve()
        const sql = deps().db.$client
        const stillThere = sql.prepare<[string], { n: number }>("select count(*) as n from oidc_artifacts where model = 'Session' and id = ?")
        const due = logouts.filter((l) => stillThere.get(l.session)!.n === 0)
        if (due.length === 0) return
        const provider = await (sources.get(port) ?? standalone)()
        await Promise.all(due.map((logout) => tellApp(deps(), provider, by, accountId, logout)))
      })().catch((err: unknown) => deps().warn?.(`Uitloggen bij apps (back-channel) mislukt: ${err instanceof Error ? err.message : String(err)}`))
      pending.add(run)
      void run.finally(() => pending.delete(run))
    },

    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending])
    },
  }
  return port
}

/** One back-channel logout, audited either way; a failing app does not stop the others. */
export async function tellApp(deps: Deps, provider: Provider, by: Actor, accountId: number, logout: Pick<AppLogout, 'clientId' | 'sub' | 'sid'>): Promise<void> {
  const client = await provider.Client.find(logout.clientId)
  if (!client?.backchannelLogoutUri) return
  const detail = { clientId: logout.clientId, client: client.clientName ?? logout.clientId }
  await client.backchannelLogout(logout.sub, logout.sid).then(
    () => recordEvent(deps, by, { event: 'oidc_backchannel_logout', outcome: 'success', accountId, detail }),
    () => recordEvent(deps, by, { event: 'oidc_backchannel_logout', outcome: 'failure', accountId, detail }),
  )
}
