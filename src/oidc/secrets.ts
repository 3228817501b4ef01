// The keys this folder derives from SECRET_KEY, each for one purpose (HKDF, as domain/secrets.ts does),
// and the same keys of each key in SECRET_KEYS_OLD: those open and verify, never seal or sign.
import { hkdfSync } from 'node:crypto'
import type { Config } from '../config.ts'

export interface OidcKeySet {
  /** Encrypts the signing keys' private parts and the clients' secrets at rest (AES-256-GCM). */
  atRest: Buffer
  /** Signs oidc-provider's cookies. */
  cookies: Buffer
}

export interface OidcKeys extends OidcKeySet {
  older: OidcKeySet[]
}

const derived = new WeakMap<Config, OidcKeys>()

function deriveSet(secretKey: Buffer): OidcKeySet {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `mtd:${info}`, 32))
  return { atRest: derive('oidc-at-rest'), cookies: derive('oidc-cookies') }
}

export function oidcKeys(config: Config): OidcKeys {
  let keys = derived.get(config)
  if (!keys) {
    keys = { ...deriveSet(config.secretKey), older: config.olderSecretKeys.map(deriveSet) }
    derived.set(config, keys)
  }
  return keys
}

/** Every at-rest key, the sealing one first: what opens a signing key, a client secret or a session id. */
export const atRestKeys = (keys: OidcKeys): Buffer[] => [keys.atRest, ...keys.older.map((k) => k.atRest)]
