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
import { and, eq, gt, sql } from 'drizzle-orm'
import type { Adapter, AdapterPayload } from 'oidc-provider'
import { greatest } from '../db/dialect.ts'
import { first } from '../db/index.ts'
import { oidcArtifacts } from '../db/tables.ts'
import { minutes, type Deps } from '../domain/deps.ts'
import { encrypt, openWithAny, sha256 } from '../domain/secrets.ts'
import { clientMetadata } from './clients.ts'
import { atRestKeys, oidcKeys } from './secrets.ts'

/** How long an interaction nobody has opened is kept. */
export const unopenedInteractionMinutes = 10

/** How long an opened interaction is kept: the longest a sign-in, onboarding or reset may take. */
export const interactionSeconds = (deps: Deps) => deps.config.limits.flowAbsoluteMinutes * 60

/** The interaction `uid` was opened by its browser: it is kept for the whole sign-in from now. */
export async function keepInteraction(deps: Deps, uid: string): Promise<void> {
  const now = deps.clock.now()
  await deps.db
    .update(oidcArtifacts)
    .set({ expiresAt: new Date(now.getTime() + interactionSeconds(deps) * 1000) })
    .where(and(eq(oidcArtifacts.model, 'Interaction'), eq(oidcArtifacts.id, sha256(uid)), gt(oidcArtifacts.expiresAt, now)))
}

interface Row {
  payload: string
  expiresAt: Date
  consumedAt: Date | null
}

const columns = { payload: oidcArtifacts.payload, expiresAt: oidcArtifacts.expiresAt, consumedAt: oidcArtifacts.consumedAt }

export function createAdapterFactory(deps: Deps): (model: string) => Adapter {
  const { db } = deps
  const store = (model: string, id: string, payload: string, grantId: string | null, uid: string | null, expiresAt: Date, pending: boolean) =>
    db
      .insert(oidcArtifacts)
      .values({ model, id, payload, grantId, uid, expiresAt, consumedAt: null })
      .onConflictDoUpdate({
        target: [oidcArtifacts.model, oidcArtifacts.id],
        // An interaction without a result is one oidc-provider just made: on first store it gets the
        // short life; a later store never shortens what keepInteraction gave it.
        set: { payload, grantId, uid, expiresAt: pending ? greatest(db, oidcArtifacts.expiresAt, sql`excluded.expires_at`) : expiresAt },
      })
  const byId = (model: string, id: string) => db.select(columns).from(oidcArtifacts).where(and(eq(oidcArtifacts.model, model), eq(oidcArtifacts.id, id))).then(first)
  const byUid = (model: string, uid: string) => db.select(columns).from(oidcArtifacts).where(and(eq(oidcArtifacts.model, model), eq(oidcArtifacts.uid, uid))).then(first)
  const keys = oidcKeys(deps.config)
  const key = keys.atRest
  const openers = atRestKeys(keys)

  const now = () => deps.clock.now().getTime()
  const open = (row: Row | undefined, jti: string | null): AdapterPayload | undefined => {
    if (!row || row.expiresAt.getTime() <= now()) return undefined
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
      ...(row.consumedAt !== null ? { consumed: Math.floor(row.consumedAt.getTime() / 1000) } : {}),
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
          await store(model, sha256(id), JSON.stringify(stored), grantId, uid, new Date(now() + Math.min(expiresIn * 1000, minutes(unopenedInteractionMinutes))), true)
          return
        }
        await store(model, sha256(id), JSON.stringify(stored), grantId, uid, new Date(now() + expiresIn * 1000), false)
      },
      find: async (id) => open(await byId(model, sha256(id)), id),
      findByUid: async (uid) => open(await byUid(model, uid), null),
      // No device flow here.
      findByUserCode: async () => undefined,
      async consume(id) {
        await db.update(oidcArtifacts).set({ consumedAt: new Date(now()) }).where(and(eq(oidcArtifacts.model, model), eq(oidcArtifacts.id, sha256(id))))
      },
      async destroy(id) {
        await db.delete(oidcArtifacts).where(and(eq(oidcArtifacts.model, model), eq(oidcArtifacts.id, sha256(id))))
      },
      // A reused code revokes everything issued under its grant: every model's rows with that grant.
      async revokeByGrantId(grantId) {
        await db.delete(oidcArtifacts).where(eq(oidcArtifacts.grantId, grantId))
      },
    }
  }
}
