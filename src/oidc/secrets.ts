// The keys this folder derives from SECRET_KEY, each for one purpose (HKDF, as domain/secrets.ts does).
import { hkdfSync } from 'node:crypto'
import type { Config } from '../config.ts'

export interface OidcKeys {
  /** Encrypts the signing keys' private parts and the clients' secrets at rest (AES-256-GCM). */
  atRest: Buffer
  /** Signs oidc-provider's cookies. */
  cookies: Buffer
}

const derived = new WeakMap<Buffer, OidcKeys>()

export function oidcKeys(config: Config): OidcKeys {
  let keys = derived.get(config.secretKey)
  if (!keys) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', config.secretKey, Buffer.alloc(0), `mtd:${info}`, 32))
    keys = { atRest: derive('oidc-at-rest'), cookies: derive('oidc-cookies') }
    derived.set(config.secretKey, keys)
  }
  return keys
}
