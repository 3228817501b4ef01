// The id_token signing keys: an RSA 2048 key (RS256, the default) and an EC P-256 key (ES256, for
// apps that ask for it), made with node:crypto at the first start, private parts encrypted under
// SECRET_KEY. `keys rotate` makes a new pair and retires the old one; a retired public key stays in
// the JWKS until the tokens it signed have expired (retiredKeysPublishedHours), so an app that
// fetched the new JWKS can still check a token signed just before the rotation.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { asc, eq, isNull, lt } from 'drizzle-orm'
import { oidcKeys as keysTable } from '../db/tables.ts'
import { recordEvent } from '../domain/audit.ts'
import type { Actor, Deps } from '../domain/deps.ts'
import { hours } from '../domain/deps.ts'
import { encrypt, openWithAny } from '../domain/secrets.ts'
import { atRestKeys, oidcKeys } from './secrets.ts'
import { counted } from '../db/index.ts'

export type SigningAlg = 'RS256' | 'ES256'

/** Longer than any token signed with a key lives (id_token 1 hour): then the retired key goes. */
export const retiredKeysPublishedHours = 24

export interface Jwk {
  kid: string
  alg: SigningAlg
  use: 'sig'
  [key: string]: unknown
}

function makeKey(alg: SigningAlg): Jwk {
  const { privateKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: randomBytes(12).toString('base64url'), alg, use: 'sig' }
}

async function insertPair(deps: Deps): Promise<void> {
  const key = oidcKeys(deps.config).atRest
  const now = deps.clock.now()
  for (const alg of ['RS256', 'ES256'] as const) {
    const jwk = makeKey(alg)
    await deps.db.insert(keysTable).values({ kid: jwk.kid, alg, privateJwkEnc: encrypt(key, JSON.stringify(jwk)), createdAt: now })
  }
}

/** The signing keys for oidc-provider, active ones first (it signs with the first of an algorithm). */
export async function loadSigningKeys(deps: Deps): Promise<Jwk[]> {
  // Two processes starting at once on an empty table make one pair between them.
  return await deps.db.transaction(async () => {
    const keys = atRestKeys(oidcKeys(deps.config))
    const opened = new Map<string, Jwk>()
    for (const row of await deps.db.select().from(keysTable)) {
      try {
        opened.set(row.kid, JSON.parse(openWithAny(keys, row.privateJwkEnc).text) as Jwk)
      } catch {
        // Sealed under a key that is neither SECRET_KEY nor in SECRET_KEYS_OLD: unusable. (The start
        // refuses such a key for the active pair, domain/key-check.ts; this is a retired one, or a test.)
        // Retired, so the sweeper removes it and a new pair is made below.
        if (row.retiredAt === null) await deps.db.update(keysTable).set({ retiredAt: deps.clock.now() }).where(eq(keysTable.kid, row.kid))
      }
    }
    const rows = await deps.db.select().from(keysTable).orderBy(asc(keysTable.createdAt))
    if (!rows.some((r) => r.retiredAt === null)) {
      await insertPair(deps)
      return await loadSigningKeys(deps)
    }
    const ordered = [...rows.filter((r) => r.retiredAt === null).reverse(), ...rows.filter((r) => r.retiredAt !== null).reverse()]
    return ordered.flatMap((r) => opened.get(r.kid) ?? [])
  })
}

/** A new RS256 and ES256 key; the current ones are retired (still published, no longer used to sign). */
export async function rotateSigningKeys(deps: Deps, by: Actor): Promise<{ retired: number; created: string[] }> {
  return await deps.db.transaction(async () => {
    const now = deps.clock.now()
    const retired = (await deps.db.update(keysTable).set({ retiredAt: now }).where(isNull(keysTable.retiredAt)).returning(counted)).length
    await insertPair(deps)
    const created = (await deps.db.select({ kid: keysTable.kid }).from(keysTable).where(isNull(keysTable.retiredAt))).map((r) => r.kid)
    await recordEvent(deps, by, { event: 'oidc_keys_rotated', outcome: 'success', detail: { retired, created: created.join(' ') } })
    return { retired, created }
  })
}

/** Retired keys whose tokens have all expired (run by domain/sweep.ts). */
export async function sweepRetiredKeys(deps: Deps): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - hours(retiredKeysPublishedHours))
  return (await deps.db.delete(keysTable).where(lt(keysTable.retiredAt, before)).returning(counted)).length
}
