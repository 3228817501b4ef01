// The second factor at sign-in: the code from the app (each time step accepted once) or a code by
// e-mail (codes.ts, purpose 'email-mfa').
import { and, eq, isNull, lt, or } from 'drizzle-orm'
import { accounts } from '../db/schema.ts'
import type { Account } from './accounts.ts'
import { recordEvent } from './audit.ts'
import type { Actor, Deps } from './deps.ts'
import { checkTotp, openSecret } from './totp.ts'

export async function verifyAppCode(deps: Deps, by: Actor, account: Account, typed: string): Promise<boolean> {
  if (!account.totpSecretEnc) return false
  const step = await checkTotp(openSecret(deps.keys.totp, account.totpSecretEnc), typed, deps.clock.now(), account.totpLastStep)
  // Record the step only if no later one was recorded meanwhile: two tabs cannot both use one code.
  const accepted =
    step !== null &&
    deps.db
      .update(accounts)
      .set({ totpLastStep: step })
      .where(and(eq(accounts.id, account.id), or(isNull(accounts.totpLastStep), lt(accounts.totpLastStep, step))))
      .run().changes === 1
  if (!accepted) recordEvent(deps, by, { event: 'mfa_failed', outcome: 'failure', accountId: account.id, detail: { method: 'app' } })
  return accepted
}
