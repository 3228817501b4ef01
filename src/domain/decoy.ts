// The pretend codes of decoy walks (docs/decisions/0005 and 0011), kept like codes.ts keeps a real
// account's: in the database, under the typed pair (or username) for every browser. The sends of the
// last hour are one list per pair, with their senders, so the same limits answer (send-limits.ts: a
// cooldown and cap per sender, a ceiling of which strangers get a share); each browser's pretend code is
// a row of its own, bound to it, voided by its next send, 10 minutes, 5 tries. So a second browser gets
// the answers it would get for a real account. Nothing is sent.
import { eq } from 'drizzle-orm'
import { decoyCodes } from '../db/tables.ts'
import { takeSms } from './budgets.ts'
import { bind, cleanCode, type CheckResult, type CodePurpose, type SendResult } from './codes.ts'
import { minutes, type Actor, type Deps } from './deps.ts'
import { sendLimit, type PastSend, type Sender } from './send-limits.ts'
import { first } from '../db/index.ts'

const read = (deps: Deps, key: string) => deps.db.select().from(decoyCodes).where(eq(decoyCodes.key, key)).then(first)

/** The row of one browser's pretend code: the pair's key and the browser's binding. */
const codeKey = (key: string, nonce: string) => `${key}|${bind(nonce).slice(0, 32)}`

/** The pair's sends of the last hour, newest first. Lists from before senders were kept hold bare times. */
function recentSends(sends: string | undefined, now: number): PastSend[] {
  const parsed = JSON.parse(sends ?? '[]') as (number | { at: number; s: string; t: boolean })[]
  return parsed
    .map((entry) => (typeof entry === 'number' ? { at: entry, sender: null, trusted: false } : { at: entry.at, sender: entry.s, trusted: entry.t }))
    .filter((send) => send.at > now - minutes(60))
    .sort((a, b) => b.at - a.at)
}

async function upsert(deps: Deps, key: string, values: Omit<typeof decoyCodes.$inferInsert, 'key'>): Promise<void> {
  await deps.db.insert(decoyCodes).values({ key, ...values }).onConflictDoUpdate({ target: decoyCodes.key, set: values })
}

/** "Sends" a pretend code: the same limits and answers as codes.ts's sendCode; `sms`: meets the SMS budgets too. */
export async function decoySend(deps: Deps, by: Actor, key: string, nonce: string, purpose: CodePurpose, sms: boolean, sender: Sender): Promise<SendResult> {
  const now = deps.clock.now().getTime()
  return await deps.db.transaction(async (): Promise<SendResult> => {
    const recent = recentSends((await read(deps, key))?.sends, now)
    const limited = sendLimit(deps, purpose, recent, sender, now)
    if (limited) return limited
    if (sms && (await takeSms(deps, by, null)) !== 'ok') return { status: 'budget' }
    const sends = JSON.stringify([{ at: now, s: sender.tag, t: sender.trusted }, ...recent.map((r) => ({ at: r.at, s: r.sender, t: r.trusted }))])
    // The list's row expires with its newest send's hour, so the sweep removes it a day after that.
    await upsert(deps, key, { bindingHash: null, sentAt: new Date(now), expiresAt: new Date(now + minutes(60)), attempts: 0, usedAt: null, sends })
    const expiresAt = new Date(now + minutes(deps.config.limits.codeTtlMinutes))
    await upsert(deps, codeKey(key, nonce), { bindingHash: bind(nonce), sentAt: new Date(now), expiresAt, attempts: 0, usedAt: null, sends: '[]' })
    return { status: 'sent', expiresAt }
  })
}

/** Is there a live pretend code for this browser (the page then shows the code field)? */
export async function decoyHasCode(deps: Deps, key: string, nonce: string): Promise<boolean> {
  const row = await read(deps, codeKey(key, nonce))
  return row !== undefined && row.usedAt === null && row.bindingHash === bind(nonce)
}

/** Every code is wrong, answered the way codes.ts's checkCode answers: none, expired, wrong, spent at the fifth try. */
export async function decoyCheck(deps: Deps, key: string, nonce: string, typed: string): Promise<Exclude<CheckResult, 'ok'>> {
  if (!cleanCode(typed)) return 'malformed'
  const now = deps.clock.now()
  const rowKey = codeKey(key, nonce)
  return await deps.db.transaction(async () => {
    const row = await read(deps, rowKey)
    if (!row || row.usedAt !== null || row.bindingHash !== bind(nonce)) return 'none'
    if (!row.expiresAt || row.expiresAt.getTime() <= now.getTime()) return 'expired'
    const attempts = row.attempts + 1
    const spent = attempts >= deps.config.limits.codeMaxAttempts
    await deps.db.update(decoyCodes).set({ attempts, ...(spent ? { usedAt: now } : {}) }).where(eq(decoyCodes.key, rowKey))
    return spent ? 'spent' : 'wrong'
  })
}
