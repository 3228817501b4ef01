// Randomness, hashing and encryption, all from node:crypto. Nothing here is hand-rolled crypto:
// these are thin, named wrappers so every caller uses the same, reviewed choices.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/**
 * Keys for separate purposes, derived with HKDF from one secret key. Which purposes open and which
 * only check, and what a second key means for each, is docs/decisions/0017-key-rotation.md.
 */
export interface KeySet {
  codes: Buffer
  totp: Buffer
  outbox: Buffer
  /** @fastify/session's secret: signs the session id in the cookie (web/session.ts). */
  cookie: Buffer
  /** The key of the CSRF tokens (web/security.ts). */
  csrf: Buffer
  /** Names throttle counters: HMACs of usernames, clients and devices, never the clear text (decision 0011). */
  throttle: Buffer
  /** Signs device cookies (web/device-cookie.ts). */
  device: Buffer
  /** Seals what a visitor typed (a username, an e-mail address) while it waits in the session row (web/session.ts). */
  typed: Buffer
  /** The HMAC of recovery codes (domain/recovery-codes.ts). */
  recovery: Buffer
}

export type Purpose = keyof KeySet

/**
 * The keys of SECRET_KEY, which seal and sign everything new, and `older`: the same purposes derived
 * from each key of SECRET_KEYS_OLD (newest first), which only open and verify what was made under them.
 */
export interface Keys extends KeySet {
  older: KeySet[]
  /**
   * Names and shapes decoy walks (their digits, method and pretend codes): the installation's own
   * random key (table `installation`), not derived from SECRET_KEY, so a rotation does not change
   * how a decoy looks (docs/decisions/0017-key-rotation.md).
   */
  decoy: Buffer
}

function deriveSet(secretKey: Buffer): KeySet {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `mtd:${info}`, 32))
  return {
    codes: derive('code-hmac'),
    totp: derive('totp-secret'),
    outbox: derive('outbox-body'),
    cookie: derive('session-cookie'),
    csrf: derive('csrf-token'),
    throttle: derive('throttle-key'),
    device: derive('device-cookie'),
    typed: derive('typed-input'),
    recovery: derive('recovery-code'),
  }
}

/** `decoyKey`: the installation's (src/runtime.ts reads it); tools without a database derive one. */
export function deriveKeys(secretKey: Buffer, olderKeys: readonly Buffer[] = [], decoyKey?: Buffer): Keys {
  const decoy = decoyKey ?? Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'mtd:decoy', 32))
  return { ...deriveSet(secretKey), older: olderKeys.map(deriveSet), decoy }
}

/** Every key of one purpose, the sealing one first: what opens or verifies. */
export function keysOf(keys: Keys, purpose: Purpose): Buffer[] {
  return [keys[purpose], ...keys.older.map((set) => set[purpose])]
}

/** A sealed value that none of the configured keys opens (it was sealed under a key no longer set). */
export class Unopenable extends Error {
  constructor() {
    super('sealed under a key that is not configured')
  }
}

/**
 * Opens a value sealed under any of `candidates` (the first key's first). `index` 0: it was sealed
 * under the sealing key; more: under an older one, so `secret-key reseal` has work to do for it.
 */
export function openWithAny(candidates: readonly Buffer[], sealed: string): { text: string; index: number } {
  for (const [index, key] of candidates.entries()) {
    try {
      return { text: decrypt(key, sealed), index }
    } catch {
      // Not this key (GCM's tag does not match): try the next.
    }
  }
  throw new Unopenable()
}

/** A link token: 256 bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Tokens carry 256 bits of randomness, so a plain SHA-256 is enough to make a stolen table useless. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** Six-digit codes have only 10^6 values: they are stored keyed, so the table alone cannot be brute-forced. */
export function hmac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex')
}

/** The raw HMAC-SHA256 of `value`, as URL-safe text (43 characters). */
export function mac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url')
}

/** Constant-time comparison of two strings of any length and content. */
export function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function newCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0')
}

export function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && timingSafeEqual(x, y)
}

/** A random password for the forgot-password mail: 16 characters from an unambiguous alphabet (~90 bits). */
export function newTemporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  let out = ''
  for (let i = 0; i < 16; i++) out += alphabet[randomInt(0, alphabet.length)]
  return out
}

/** AES-256-GCM; the output is `v1.<base64url(iv | tag | ciphertext)>`. */
export function encrypt(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`
}

export function decrypt(key: Buffer, sealed: string): string {
  if (!sealed.startsWith('v1.')) throw new Error('Unknown ciphertext version')
  const raw = Buffer.from(sealed.slice(3), 'base64url')
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
  decipher.setAuthTag(raw.subarray(12, 28))
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
}
