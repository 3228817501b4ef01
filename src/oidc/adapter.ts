// oidc-provider's storage on our SQLite file (its own in-memory adapter forgets everything at a
// restart). One table for every model but Client: rows keyed by (model, SHA-256 of the id), the
// payload as JSON without the id itself. For codes and tokens the id is the secret, so the table
// alone redeems nothing; a Session's id (its cookie) is kept encrypted, because oidc-provider looks
// sessions up by their uid too. Expiry follows deps.clock (tests move it); domain/sweep.ts deletes
// expired rows. Clients come from oidc_clients (src/oidc/clients.ts).
import type { Adapter, AdapterPayload } from 'oidc-provider'
import type { Deps } from '../domain/deps.ts'
import { encrypt, openWithAny, sha256 } from '../domain/secrets.ts'
import { clientMetadata } from './clients.ts'
import { atRestKeys, oidcKeys } from './secrets.ts'

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
