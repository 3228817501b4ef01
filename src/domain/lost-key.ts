// `secret-key forget`: when a key is truly lost, what only it could open is given up, so the portal can
// start again (its start refuses a database its keys do not fit, domain/sealed.ts). Each kind in the way
// the product already knows: an app secret of a patient or staff member is a second-factor reset (the
// account enrolls again, is told by mail and SMS, the cooling-off of issue 11 applies), an app gets a new
// secret (printed once), a signing key goes (a new pair is made at start), a queued message fails, a
// provider session or a pending app secret is dropped. Everything is in the audit log.
import { and, eq } from 'drizzle-orm'
import { oidcArtifacts, oidcKeys as signingKeys, outbox } from '../db/tables.ts'
import { getClient, rotateClientSecret } from '../oidc/clients.ts'
import { getAccount, updateAccount } from './accounts.ts'
import { recordEvent } from './audit.ts'
import type { Actor, Deps } from './deps.ts'
import { resetSecondFactor } from './patients.ts'
import { unopenedRows } from './sealed.ts'

export interface Forgotten {
  /** Accounts whose second factor was reset. */
  accounts: number[]
  /** Apps with a new secret, to hand to each app. */
  clients: { id: string; name: string; secret: string }[]
  signingKeys: number
  pending: number
  outbox: number
  oidcSessions: number
}

export async function forgetUnopenable(deps: Deps, by: Actor): Promise<Forgotten> {
  const accounts = (await unopenedRows(deps, 'totp')).map((row) => Number(row.id))
  // The operator's repair crosses practices: each account is reset within its own practice.
  for (const id of accounts) {
    const account = await getAccount(deps, id)
    if (account) await resetSecondFactor(deps, by, account.practiceId, id)
  }
  const clients: Forgotten['clients'] = []
  for (const row of await unopenedRows(deps, 'clients')) {
    const name = (await getClient(deps, String(row.id)))?.name ?? String(row.id)
    const rotated = await rotateClientSecret(deps, by, String(row.id))
    if (rotated) clients.push({ id: String(row.id), name, secret: rotated.secret })
  }
  return await deps.db.transaction(async () => {
    const keys = await unopenedRows(deps, 'signingKeys')
    for (const row of keys) await deps.db.delete(signingKeys).where(eq(signingKeys.kid, String(row.id)))
    const pending = await unopenedRows(deps, 'pendingTotp')
    for (const row of pending) await updateAccount(deps, Number(row.id), { totpPendingSecretEnc: null })
    const queued = await unopenedRows(deps, 'outbox')
    for (const row of queued) await deps.db.update(outbox).set({ status: 'failed', bodyEnc: null, lastError: 'sealed under a key that is lost' }).where(eq(outbox.id, Number(row.id)))
    const sessions = await unopenedRows(deps, 'oidcSessions')
    for (const row of sessions) await deps.db.delete(oidcArtifacts).where(and(eq(oidcArtifacts.model, 'Session'), eq(oidcArtifacts.id, String(row.id))))
    const forgotten = { accounts, clients, signingKeys: keys.length, pending: pending.length, outbox: queued.length, oidcSessions: sessions.length }
    await recordEvent(deps, by, {
      event: 'secrets_forgotten',
      outcome: 'info',
      detail: { accounts: accounts.length, clients: clients.length, signingKeys: keys.length, pending: pending.length, outbox: queued.length, oidcSessions: sessions.length },
    })
    return forgotten
  })
}
