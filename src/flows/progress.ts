// The facts every step of the account flow decides on: the account's own facts (progress that lives
// on the account, so it survives a change of browser) and this browser's flow (what it proved now).
import type { Account } from '../domain/accounts.ts'
import type { FlowState } from '../web/session.ts'

export interface Progress {
  kind: FlowState['kind']
  account: Account
  /** A decoy walk (forgot-password path, unknown username or wrong e-mail): looks real, proves nothing. */
  decoy: boolean
  /** May this account choose between methods (Stap 4)? Staff, and everyone when the practice switched e-mail off, have the app only. */
  methodChoice: boolean
  since: number
  proven: FlowState['proven']
  /** Hidden mode (decision 0011): the password's rightness was not shown, so nothing proves the account yet. */
  hidden: boolean
}

/**
 * Has this browser proven the account's mailbox in this flow? Onboarding began at the second mail's
 * link; the forgot-password path typed the temporary password from the mailbox; a sign-in proved
 * only the password, unless it confirmed a changed address with an e-mail code during this flow.
 * Choosing e-mail as the second factor counts as proving it only then (docs/security.md, issue 11 #9).
 */
export function mailboxProven(p: Progress): boolean {
  if (p.decoy) return false
  if (p.kind === 'onboarding') return true
  if (p.kind === 'reset') return p.proven.includes('password')
  return p.account.emailVerifiedAt !== null && p.account.emailVerifiedAt.getTime() >= p.since
}
