// The second factor at sign-in: the code from the app (each time step accepted once) or a code by
// e-mail (codes.ts, purpose 'email-mfa').
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import { preparedFor } from '../db/prepared.ts'
import { accounts } from '../db/schema.ts'
import type { Account } from './accounts.ts'
import { recordEvent } from './audit.ts'
import type { Actor, Deps } from './deps.ts'
import { fill } from '../messages.ts'
import { operatorMessages } from '../operator.ts'
import { Unopenable } from './secrets.ts'
import { checkTotp, openSecret } from './totp.ts'

/** Every app sign-in records its step: prepared once per database (src/db/prepared.ts). */
const recordStep = preparedFor((db) =>
  db
    .update(accounts)
    .set({ totpLastStep: sql`${sql.placeholder('step')}` })
    .where(and(eq(accounts.id, sql.placeholder('id')), or(isNull(accounts.totpLastStep), lt(accounts.totpLastStep, sql.placeholder('step')))))
    .prepare(),
)

/**
 * 'used': the code is the app's right code, but it was accepted already (a replay, or pressed twice).
 * 'unreadable': the secret was sealed under a key that is no longer configured; no code can be checked
 * until the key is set again (SECRET_KEYS_OLD) or the practice resets the second factor.
 */
export type AppCodeResult = 'ok' | 'wrong' | 'used' | 'unreadable'

export async function verifyAppCode(deps: Deps, by: Actor, account: Account, typed: string): Promise<AppCodeResult> {
  if (!account.totpSecretEnc) return 'wrong'
  let secret: string
  try {
    secret = openSecret(deps.keys, account.totpSecretEnc)
  } catch (err) {
    if (!(err instanceof Unopenable)) throw err
    recordEvent(deps, by, { event: 'secret_unreadable', outcome: 'failure', accountId: account.id, detail: { secret: 'totp' } })
    deps.warn?.(fill(operatorMessages(deps.config.operatorLanguage).server.secretUnreadable, { id: account.id }))
    return 'unreadable'
  }
  const now = deps.clock.now()
  const step = await checkTotp(secret, typed, now, account.totpLastStep)
  // Record the step only if no later one was recorded meanwhile: two tabs cannot both use one code.
  const accepted = step !== null && recordStep(deps.db).run({ id: account.id, step }).changes === 1
  if (accepted) return 'ok'
  // Refused either way; only the message differs. A code that was right but used already tells the
  // patient to wait for the next one instead of doubting the app.
  const used = (step !== null || account.totpLastStep !== null) && (await checkTotp(secret, typed, now, null)) !== null
  recordEvent(deps, by, { event: 'mfa_failed', outcome: 'failure', accountId: account.id, detail: { method: 'app', ...(used ? { reason: 'used' } : {}) } })
  return used ? 'used' : 'wrong'
}
