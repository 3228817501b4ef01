// The device cookie (OWASP "Slow Down Online Guessing Attacks with Device Cookies", decision 0011):
// a browser that completed a sign-in for an account keeps a signed note of it, and its later guesses for
// that username count on their own, so a stranger's failures elsewhere cannot lock it out.
// The one place that reads and writes the cookie: with @fastify/cookie, `reply.header('set-cookie')`
// below becomes `reply.setCookie(name, value, attributes)` and `readCookie` becomes `req.cookies`.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { randomBytes } from 'node:crypto'
import type { Config } from '../config.ts'
import { normalizeUsername } from '../domain/accounts.ts'
import type { Deps } from '../domain/deps.ts'
import { equalText, keysOf, mac } from '../domain/secrets.ts'

const lifetimeDays = 180

export const deviceCookieName = (config: Config) => (config.secure ? '__Host-mtd_device' : 'mtd_device')

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

const userTag = (key: Buffer, username: string) => mac(key, `user:${normalizeUsername(username)}`).slice(0, 22)

/**
 * The device id of this browser's cookie when it is valid for `username` (signed by us, for this
 * username, not older than 180 days); null otherwise. `v1.<device>.<user tag>.<issued s>.<mac>`.
 * Signed under SECRET_KEY or a key of SECRET_KEYS_OLD (tag and signature under the same one); the
 * next complete sign-in issues it again under SECRET_KEY.
 */
export function deviceFor(req: FastifyRequest, deps: Deps, username: string): string | null {
  const value = readCookie(req.headers.cookie, deviceCookieName(deps.config))
  if (!value || value.length > 200) return null
  const parts = value.split('.')
  if (parts.length !== 5 || parts[0] !== 'v1') return null
  const [, device, tag, issued, signature] = parts as [string, string, string, string, string]
  const key = keysOf(deps.keys, 'device').find((k) => equalText(signature, mac(k, `${device}.${tag}.${issued}`)))
  if (key === undefined) return null
  if (!equalText(tag, userTag(key, username))) return null
  const age = deps.clock.now().getTime() / 1000 - Number(issued)
  if (!Number.isFinite(age) || age < -300 || age > lifetimeDays * 86_400) return null
  return device
}

/** After a complete sign-in: the browser keeps (or renews) its device cookie for this username. */
export async function issueDeviceCookie(req: FastifyRequest, reply: FastifyReply, deps: Deps, username: string): Promise<void> {
  const { config } = deps
  // Like the session cookie: a Secure cookie is not sent over plain http behind a misconfigured proxy.
  if (config.secure && req.protocol !== 'https') return
  const device = deviceFor(req, deps, username) ?? randomBytes(16).toString('base64url')
  const tag = userTag(deps.keys.device, username)
  const issued = Math.floor(deps.clock.now().getTime() / 1000)
  const value = `v1.${device}.${tag}.${issued}.${mac(deps.keys.device, `${device}.${tag}.${issued}`)}`
  const attributes = `Path=/; Max-Age=${lifetimeDays * 86_400}; HttpOnly; SameSite=Strict${config.secure ? '; Secure' : ''}`
  // Fastify appends to an existing set-cookie header instead of replacing it (the session's stays).
  reply.header('set-cookie', `${deviceCookieName(config)}=${value}; ${attributes}`)
}
