// oidc-provider's storage on our SQLite file (its own in-memory adapter forgets everything at a
// restart). One table for every model but Client: rows keyed by (model, SHA-256 of the id), the
// payload as JSON without the id itself. For codes and tokens the id is the secret, so the table
// alone redeems nothing; a Session's id (its cookie) is kept encrypted, because oidc-provider looks
// sessions up by their uid too. Expiry follows deps.clock (tests move it); domain/sweep.ts deletes
// expired rows. Clients come from oidc_clients (src/oidc/clients.ts).
//
// An interaction nobody has opened yet lives 10 minutes here, whatever oidc-provider asks (issue 19 #4):
// anyone can make the provider store one, and the browser of a patient who really signs in opens it at
// once (the provider's answer is a redirect to our page). Opening it (keepInteraction, from
// interaction.ts) gives it the whole sign-in; oidc-provider's own expiry, with its cookies, is that long
// from the start.
import type { Adapter, AdapterPayload } from 'oidc-provider'
import { minutes, type Deps } from '../domain/deps.ts'
import { encrypt, openWithAny, sha256 } from '../domain/secrets.ts'
import { clientMetadata } from './clients.ts'
import { atRestKeys, oidcKeys } from './secrets.ts'

/** How long an interaction nobody has opened is kept. */
export const unopenedInteractionMinutes = 10

/** How long an opened interaction is kept: the longest a sign-in, onboarding or reset may take. */
export const interactionSeconds = (deps: Deps) => deps.config.limits.flowAbsoluteMinutes * 60

/** The interaction `uid` was opened by its browser: it is kept for the whole sign-in from now. */
export function keepInteraction(deps: Deps, uid: string): void {
  const now = deps.clock.now().getTime()
  deps.db.$client
    .prepare("update oidc_artifacts set expires_at = ? where model = 'Interaction' and id = ? and expires_at > ?")
    .run(now + interactionSeconds(deps) * 1000, sha256(uid), now)
}

interface Row {
  payload: string
  expiresAt: number
  consumedAt: number | null
}

export function createAdapterFactory(deps: Deps): (model: string) => Adapter {
  const sql = deps.db.$client
  const upsert = sql.prepare(
    `insert into oidc_artifacts (model, id, payload, grant_id, uid, expires_at, consumed_at) values (?, ?, ?, ?, ?, ?, null)
     on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid, expires_at = excluded.expires_at`,
  )
  // An interaction without a result is one oidc-provider just made: on first store it gets the short
  // life; a later store never shortens what keepInteraction gave it.
  const upsertPending = sql.prepare(
    `insert into oidc_artifacts (model, id, payload, grant_id, uid, expires_at, consumed_at) values ('Interaction', ?, ?, ?, ?, ?, null)
     on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid, expires_at = max(oidc_artifacts.expires_at, excluded.expires_at)`,
  )
  const byId = sql.prepare<[string, string], Row>('select payload, expires_at as expiresAt, consumed_at as consumedAt from oidc_artifacts where model = ? and id = ?')
  const byUid = sql.prepare<[string, string], Row>('select payload, expires_at as expiresAt, consumed_at as consumedAt from oidc_artifacts where model = ? and uid = ?')
  const consume = sql.prepare('update oidc_artifacts set consumed_at = ? where model = ? and id = ?')
  const destroy = sql.prepare('delete from oidc_artifacts where model = ? and id = ?')
  const revoke = sql.prepare('delete from oidc_artifacts where grant_id = ?')
  const keys = oidcKeys(deps.config)
  const key = keys.atRest
  const openers = atRestKeys(keys)

  const now = () => deps.clock.now().getTime()
  const open = (row: Row | undefined, jti: string | null): AdapterPayload | undefined => {
    if (!row || row.expiresAt <= now()) return undefined
    const payload = JSON.parse(row.payload) as AdapterPayload & { jtiEnc?: string }
    const { jtiEnc, ...rest } = payload
    let id = jti ?? undefined
    if (id === undefined && jtiEnc) {
      // Sealed under any configured key; under none, the session is as good as gone (sign in again).
      try {
        id = openWithAny(openers, jtiEnc).text
      } catch {
        return undefined
      }
    }
    return {
      ...rest,
      ...(id !== undefined ? { jti: id } : {}),
      ...(row.consumedAt !== null ? { consumed: Math.floor(row.consumedAt / 1000) } : {}),
    }
  }

  return (model: string): Adapter => {
    if (model === 'Client') {
      return {
        find: async (id) => clientMetadata(deps, id),
        upsert: async () => {
          throw new Error('Clients are registered with the CLI (npm run admin -- client add)')
        },
        findByUid: async () => undefined,
        findByUserCode: async () => undefined,
        consume: async () => {},
        destroy: async () => {},
        revokeByGrantId: async () => {},
      }
    }
    return {
      async upsert(id, payload, expiresIn) {
        const { jti, ...rest } = payload
        const stored = model === 'Session' && typeof jti === 'string' ? { ...rest, jtiEnc: encrypt(key, jti) } : rest
        const grantId = typeof payload.grantId === 'string' ? payload.grantId : null
        const uid = typeof payload.uid === 'string' ? payload.uid : null
        if (model === 'Interaction' && payload.result === undefined) {
          upsertPending.run(sha256(id), JSON.stringify(stored), grantId, uid, now() + Math.min(expiresIn * 1000, minutes(unopenedInteractionMinutes)))
          return
        }
        upsert.run(model, sha256(id), JSON.stringify(stored), grantId, uid, now() + expiresIn * 1000)
      },
      find: async (id) => open(byId.get(model, sha256(id)), id),
      findByUid: async (uid) => open(byUid.get(model, uid), null),
      // No device flow here.
      findByUserCode: async () => undefined,
      async consume(id) {
        consume.run(now(), model, sha256(id))
      },
      async destroy(id) {
        destroy.run(model, sha256(id))
      },
      // A reused code revokes everything issued under its grant: every model's rows with that grant.
      async revokeByGrantId(grantId) {
        revoke.run(grantId)
      },
    }
  }
}
