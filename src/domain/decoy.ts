// The pretend codes of decoy walks (docs/decisions/0005 and 0011), kept like codes.ts keeps a real
// account's: in the database, one active pretend code per typed pair (or username) for every browser,
// bound to the browser that asked for it, a newer send voids it, 10 minutes, 5 tries, a cooldown and a
// rolling hourly cap. So a second browser gets the answers it would get for a real account. Nothing is sent.
import { eq } from 'drizzle-orm'
import { decoyCodes } from '../db/schema.ts'
import { takeSms } from './budgets.ts'
import { bind, cleanCode, type CheckResult, type SendResult } from './codes.ts'
import { minutes, type Actor, type Deps } from './deps.ts'

const read = (deps: Deps, key: string) => deps.db.select().from(decoyCodes).where(eq(decoyCodes.key, key)).get()

/** "Sends" a pretend code: the same limits and answers as codes.ts's sendCode; `sms`: meets the SMS budgets too. */
export function decoySend(deps: Deps, by: Actor, key: string, nonce: string, perHour: number, sms: boolean): SendResult {
  const { codeResendCooldownSeconds, codeTtlMinutes } = deps.config.limits
  const now = deps.clock.now().getTime()
  return deps.db.transaction((): SendResult => {
    const row = read(deps, key)
    const recent = (JSON.parse(row?.sends ?? '[]') as number[]).filter((at) => at > now - minutes(60)).sort((a, b) => b - a)
    const cooldownEnds = recent.length > 0 ? recent[0]! + codeResendCooldownSeconds * 1000 : 0
    if (cooldownEnds > now) return { status: 'cooldown', retryInSeconds: Math.ceil((cooldownEnds - now) / 1000) }
    if (recent.length >= perHour) {
      const oldest = recent[recent.length - 1]!
      return { status: 'capped', retryInMinutes: Math.max(1, Math.ceil((oldest + minutes(60) - now) / 60_000)) }
    }
    if (sms && takeSms(deps, by, null) !== 'ok') return { status: 'budget' }
    const expiresAt = new Date(now + minutes(codeTtlMinutes))
    const values = { bindingHash: bind(nonce), sentAt: new Date(now), expiresAt, attempts: 0, usedAt: null, sends: JSON.stringify([now, ...recent]) }
    deps.db.insert(decoyCodes).values({ key, ...values }).onConflictDoUpdate({ target: decoyCodes.key, set: values }).run()
    return { status: 'sent', expiresAt }
  })
}

/** Is there a live pretend code for this browser (the page then shows the code field)? */
export function decoyHasCode(deps: Deps, key: string, nonce: string): boolean {
  const row = read(deps, key)
  return row !== undefined && row.usedAt === null && row.bindingHash === bind(nonce)
}

/** Every code is wrong, answered the way codes.ts's checkCode answers: none, expired, wrong, spent at the fifth try. */
export function decoyCheck(deps: Deps, key: string, nonce: string, typed: string): Exclude<CheckResult, 'ok'> {
  if (!cleanCode(typed)) return 'malformed'
  const now = deps.clock.now()
  return deps.db.transaction(() => {
    const row = read(deps, key)
    if (!row || row.usedAt !== null || row.bindingHash !== bind(nonce)) return 'none'
    if (!row.expiresAt || row.expiresAt.getTime() <= now.getTime()) return 'expired'
    const attempts = row.attempts + 1
    const spent = attempts >= deps.config.limits.codeMaxAttempts
    deps.db.update(decoyCodes).set({ attempts, ...(spent ? { usedAt: now } : {}) }).where(eq(decoyCodes.key, key)).run()
    return spent ? 'spent' : 'wrong'
  })
}
