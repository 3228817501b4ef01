// TOTP (RFC 6238) for authenticator apps: 160-bit secret, SHA-1, 6 digits, 30 s, the current step
// plus one step back, each step accepted once. Secrets are encrypted at rest (AES-256-GCM).
import { createRequire } from 'node:module'
import { encrypt, keysOf, openWithAny, type Keys } from './secrets.ts'

/** Loaded on first use (an enrollment or an app code), not at start: 20-40 ms of start-up otherwise. */
let loaded: typeof import('otplib') | null = null
const otplib = () => (loaded ??= createRequire(import.meta.url)('otplib') as typeof import('otplib'))
/**
 * HMAC-SHA1 through node:crypto (OpenSSL) instead of otplib's pure-JS default: a check costs about
 * 0.5 ms of CPU in a server that has not yet run it thousands of times, against a few microseconds.
 */
let nodeCrypto: import('@otplib/plugin-crypto-node').NodeCryptoPlugin | null = null
const crypto = () => {
  if (!nodeCrypto) {
    const { NodeCryptoPlugin } = createRequire(import.meta.url)('@otplib/plugin-crypto-node') as typeof import('@otplib/plugin-crypto-node')
    nodeCrypto = new NodeCryptoPlugin()
  }
  return nodeCrypto
}

export function newTotpSecret(): string {
  return otplib().generateSecret({ length: 20 })
}

/** The parameters are spelled out even where they are the defaults: some apps misread a bare URI. */
export function totpUri(secret: string, issuer: string, accountName: string): string {
  return `${otplib().generateURI({ issuer, label: accountName, secret })}&algorithm=SHA1&digits=6&period=30`
}

/** An inline SVG: no extra request, scannable from any screen, no script. */
export async function qrSvg(uri: string): Promise<string> {
  // Loaded on the first enrollment, not at start (docs/benchmarks.md: idle memory, cold start).
  const { default: QRCode } = await import('qrcode')
  return await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 })
}

/**
 * The QR code as an image's data URI (drawn here, nothing loaded from elsewhere; CSP img-src data:),
 * so the page can give it an alt text that a text browser and a screen reader read (issue 23.10).
 */
export async function qrImage(uri: string): Promise<string> {
  return `data:image/svg+xml;base64,${Buffer.from(await qrSvg(uri)).toString('base64')}`
}

/** "JBSW Y3DP EHPK 3PXP ..." for typing into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim()
}

export const sealSecret = (key: Buffer, secret: string) => encrypt(key, secret)
/** Opens a secret sealed under any configured key; throws Unopenable (secrets.ts) when none does. */
export const openSecret = (keys: Keys, sealed: string) => openWithAny(keysOf(keys, 'totp'), sealed).text

/**
 * Checks a code against the secret at `now`. Returns the accepted time step, or null. A step at or
 * before `lastStep` is refused: a code seen over a shoulder or in a proxy log cannot be replayed.
 */
export async function checkTotp(secret: string, typed: string, now: Date, lastStep: number | null): Promise<number | null> {
  const token = typed.replace(/\s/g, '')
  // otplib throws on malformed tokens: only six digits get that far.
  if (!/^\d{6}$/.test(token)) return null
  const result = await otplib().verify({
    secret,
    token,
    crypto: crypto(),
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: [30, 0],
    ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
  })
  return result.valid && 'timeStep' in result ? result.timeStep : null
}
