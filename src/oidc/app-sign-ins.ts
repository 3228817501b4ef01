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
//   the purpose, only when there is an app to tell. It runs once the caller's transaction has committed
//   (db.afterCommit), and skips a session whose row is still there.
import { and, eq, inArray, isNull, ne, notInArray, or } from 'drizzle-orm'
import type Provider from 'oidc-provider'
import { containsText, jsonField } from '../db/dialect.ts'
import { counted, first } from '../db/index.ts'
import { oidcArtifacts, oidcSubjects } from '../db/tables.ts'
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
    async end(accountId: number, keep?: string): Promise<AppSignInsEnded> {
      const { db } = deps()
      // Never makes a `sub`: an account without one never signed in to an app.
      const sub = (await db.select({ subject: oidcSubjects.subject }).from(oidcSubjects).where(eq(oidcSubjects.accountId, accountId)).then(first))?.subject
      if (!sub) return { sessions: 0, grants: 0, logouts: [] }
      const ofAccount = eq(jsonField(db, oidcArtifacts.payload, 'accountId'), sub)
      const rows: SessionRow[] = await db
        .select({ id: oidcArtifacts.id, payload: oidcArtifacts.payload })
        .from(oidcArtifacts)
        .where(and(eq(oidcArtifacts.model, 'Session'), ofAccount))
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
          if (authorization.sid && (await getClient(deps(), clientId))?.backchannelLogoutUri) logouts.push({ clientId, sub, sid: authorization.sid, session: row.id })
        }
      }
      const sessions = (
        await db
          .delete(oidcArtifacts)
          .where(and(eq(oidcArtifacts.model, 'Session'), ofAccount, keptId === null ? undefined : ne(oidcArtifacts.id, keptId)))
          .returning(counted)
      ).length
      // Grants are stored under the SHA-256 of their id; tokens and codes name theirs in grant_id.
      const keptGrantKeys = keptGrants.map((g) => sha256(g))
      const grants = (
        await db
          .delete(oidcArtifacts)
          .where(and(eq(oidcArtifacts.model, 'Grant'), ofAccount, keptGrantKeys.length === 0 ? undefined : notInArray(oidcArtifacts.id, keptGrantKeys)))
          .returning(counted)
      ).length
      await db
        .delete(oidcArtifacts)
        .where(
          and(
            inArray(oidcArtifacts.model, grantModels),
            ofAccount,
            keptGrants.length === 0 ? undefined : or(isNull(oidcArtifacts.grantId), notInArray(oidcArtifacts.grantId, keptGrants)),
          ),
        )
      // A sign-in our interaction finished for the account but the app's browser has not yet taken
      // back: it would become a code at the resume, whatever ended meanwhile. Interactions are the one
      // model anyone can create (issue 19 #4): the text filter passes over the others without parsing their JSON.
      const keptUid = keptPayload?.uid
      const sessionUid = jsonField(db, oidcArtifacts.payload, 'session', 'uid')
      await db
        .delete(oidcArtifacts)
        .where(
          and(
            eq(oidcArtifacts.model, 'Interaction'),
            containsText(db, oidcArtifacts.payload, sub),
            eq(jsonField(db, oidcArtifacts.payload, 'result', 'login', 'accountId'), sub),
            keptUid === undefined ? undefined : or(isNull(sessionUid), ne(sessionUid, keptUid)),
          ),
        )
      return { sessions, grants, logouts }
    },

    tell(by: Actor, accountId: number, logouts: AppLogout[]): void {
      if (logouts.length === 0) return
      // After the caller's transaction has committed (at once outside one). A rolled-back one (or an
      // attempt PostgreSQL refused and the handle runs again) leaves the rows and starts nothing here,
      // so `idle` never waits for work that will not come.
      deps().db.afterCommit(() => {
        const run = told(by, accountId, logouts)
        pending.add(run)
        void run.finally(() => pending.delete(run))
      })
    },

    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending])
    },
  }

  const told = async (by: Actor, accountId: number, logouts: AppLogout[]): Promise<void> => {
    try {
      const { db } = deps()
      const sessions = logouts.map((l) => l.session)
      const left = await db.select({ id: oidcArtifacts.id }).from(oidcArtifacts).where(and(eq(oidcArtifacts.model, 'Session'), inArray(oidcArtifacts.id, sessions)))
      const due = logouts.filter((l) => !left.some((row) => row.id === l.session))
      if (due.length === 0) return
      const provider = await (sources.get(port) ?? standalone)()
      await Promise.all(due.map((logout) => tellApp(deps(), provider, by, accountId, logout)))
    } catch (err) {
      deps().warn?.(`Uitloggen bij apps (back-channel) mislukt: ${err instanceof Error ? err.message : String(err)}`)
    }
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
