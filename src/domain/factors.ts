// The second factor at sign-in: the code from the app (each time step accepted once) or a code by
// e-mail (codes.ts, purpose 'email-mfa').
import { and, eq, isNull, lt, or } from 'drizzle-orm'
import { counted } from '../db/index.ts'
import { accounts } from '../db/tables.ts'
import type { Account } from './accounts.ts'
import { recordEvent } from './audit.ts'
import type { Actor, Deps } from './deps.ts'
import { fill } from '../messages.ts'
import { operatorMessages } from '../operator.ts'
import { Unopenable } from './secrets.ts'
import { checkTotp, openSecret } from './totp.ts'

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
    await recordEvent(deps, by, { event: 'secret_unreadable', outcome: 'failure', accountId: account.id, detail: { secret: 'totp' } })
    deps.warn?.(fill(operatorMessages(deps.config.operatorLanguage).server.secretUnreadable, { id: account.id }))
    return 'unreadable'
  }
  const now = deps.clock.now()
  const step = await checkTotp(secret, typed, now, account.totpLastStep)
  // Record the step only if no later one was recorded meanwhile: two tabs cannot both use one code.
  const accepted =
    step !== null &&
    (
      await deps.db
        .update(accounts)
        .set({ totpLastStep: step })
        .where(and(eq(accounts.id, account.id), or(isNull(accounts.totpLastStep), lt(accounts.totpLastStep, step))))
        .returning(counted)
    ).length === 1
  if (accepted) return 'ok'
  // Refused either way; only the message differs. A code that was right but used already tells the
  // patient to wait for the next one instead of doubting the app.
  const used = (step !== null || account.totpLastStep !== null) && (await checkTotp(secret, typed, now, null)) !== null
  await recordEvent(deps, by, { event: 'mfa_failed', outcome: 'failure', accountId: account.id, detail: { method: 'app', ...(used ? { reason: 'used' } : {}) } })
  return used ? 'used' : 'wrong'
}
