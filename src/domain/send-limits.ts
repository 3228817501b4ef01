// How many codes an account may be sent in an hour, and by whose asking (docs/decisions/0011-throttle.md,
// issue 19.3). Every send is kept with its sender: the browser's device cookie for the account, or else
// its client (an IPv4 address or an IPv6 /64). A sender has its own cooldown and hourly cap (5 SMS, 20
// e-mail codes), so a stranger who knows the username and e-mail address can not spend the patient's
// recovery. The account has a ceiling over all senders (SMS_PER_ACCOUNT_PER_HOUR, toll fraud and SMS
// bombing), of which strangers together get all but one sender's worth: the rest stays for the patient's
// own senders, a browser with her device cookie or an address she signed in from. A decoy walk keeps
// its sends the same way (decoy.ts), so a wrong pair answers like the right one.
import { and, desc, eq, gt } from 'drizzle-orm'
import { auditLog } from '../db/tables.ts'
import type { CodePurpose, SendResult } from './codes.ts'
import { hours, minutes, type Deps } from './deps.ts'
import { hmac } from './secrets.ts'
import { clientOf } from './throttle.ts'

/** Who asks for a code. trusted: the patient's own (her device cookie, or an address she signed in from). */
export interface Sender {
  /** `d:<hmac>` for a device, `c:<hmac>` for a client: never the address itself. */
  tag: string
  trusted: boolean
}

/** A send of the last hour, as kept with the code (codes.ts) or the decoy (decoy.ts). */
export interface PastSend {
  /** Epoch ms. */
  at: number
  /** null for sends kept before senders were (they count towards the account and the strangers' share). */
  sender: string | null
  trusted: boolean
}

/** An address counts as the patient's own for this long after a complete sign-in from it (the device cookie's lifetime). */
const knownForDays = 180

const tag = (deps: Deps, kind: 'device' | 'client', value: string) => `${kind[0]}:${hmac(deps.keys.throttle, `sender-${kind}:${value}`).slice(0, 32)}`

/**
 * The sender of this request: the device of a valid device cookie for the account's username, or the
 * client, trusted when the account completed a sign-in from it lately. `accountId` null: no account
 * (a decoy of an unknown username), so no address of it is known.
 */
export async function senderFor(deps: Deps, accountId: number | null, ip: string | null | undefined, device: string | null): Promise<Sender> {
  if (device) return { tag: tag(deps, 'device', device), trusted: true }
  const client = ip ? clientOf(ip) : 'none'
  return { tag: tag(deps, 'client', client), trusted: accountId !== null && (await signedInFrom(deps, accountId, client)) }
}

/** Did the account complete a sign-in from this client lately? Its last 20 sign-ins in the audit log (indexed by account). */
async function signedInFrom(deps: Deps, accountId: number, client: string): Promise<boolean> {
  const since = new Date(deps.clock.now().getTime() - hours(24 * knownForDays))
  return (await deps.db
    .select({ ip: auditLog.ip })
    .from(auditLog)
    .where(and(eq(auditLog.accountId, accountId), gt(auditLog.at, since), eq(auditLog.event, 'sign_in'), eq(auditLog.outcome, 'success')))
    .orderBy(desc(auditLog.at))
    .limit(20))
    .some((row) => row.ip !== null && clientOf(row.ip) === client)
}

/** Codes per sender per hour for `purpose`: SMS costs money, e-mail codes do not (issue 12.4). */
export const capFor = (deps: Deps, purpose: CodePurpose) => (purpose === 'phone' ? deps.config.limits.codesPerHour : deps.config.limits.emailCodesPerHour)

/** Codes per account per hour from all senders together. */
export const ceilingFor = (deps: Deps, purpose: CodePurpose) => (purpose === 'phone' ? deps.config.limits.smsPerAccountPerHour : 3 * deps.config.limits.emailCodesPerHour)

/** Minutes until the `limit`-th newest of `sends` (newest first) is an hour old, so one fewer is counted. */
const minutesUntilFree = (sends: PastSend[], limit: number, now: number) => Math.max(1, Math.ceil((sends[limit - 1]!.at + minutes(60) - now) / 60_000))

/**
 * Why a send must not go out now, or null when it may. `recent`: the account's (or decoy's) sends of
 * the last hour for this purpose, newest first.
 */
export function sendLimit(deps: Deps, purpose: CodePurpose, recent: PastSend[], sender: Sender, now: number): Exclude<SendResult, { status: 'sent' }> | null {
  const { codeResendCooldownSeconds } = deps.config.limits
  const cap = capFor(deps, purpose)
  const ceiling = ceilingFor(deps, purpose)
  const mine = recent.filter((s) => s.sender === sender.tag)
  const cooldownEnds = mine.length > 0 ? mine[0]!.at + codeResendCooldownSeconds * 1000 : 0
  if (cooldownEnds > now) return { status: 'cooldown', retryInSeconds: Math.ceil((cooldownEnds - now) / 1000) }
  if (mine.length >= cap) return { status: 'capped', retryInMinutes: minutesUntilFree(mine, cap, now) }
  if (recent.length >= ceiling) return { status: 'account', retryInMinutes: minutesUntilFree(recent, ceiling, now) }
  const strangers = recent.filter((s) => !s.trusted)
  if (!sender.trusted && strangers.length >= ceiling - cap) return { status: 'account', retryInMinutes: minutesUntilFree(strangers, ceiling - cap, now) }
  return null
}
