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
}
