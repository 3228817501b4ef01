import { and, count, desc, eq, gt, gte, isNull, lt, or, sql } from 'drizzle-orm'
import { adoptUnchainedTail, chainHash, chainWalk, genesisHash, verifyChain, type Adopted, type ChainCheck, type ChainRow } from '../db/audit-chain.ts'
import { lockAuditTail } from '../db/dialect.ts'
import { accounts, auditLog } from '../db/tables.ts'
import type { Role } from './accounts.ts'
import type { Actor, Deps } from './deps.ts'
import { first } from '../db/index.ts'

export type AuditEvent =
  | 'invite'
  | 'link_opened'
  | 'link_rejected'
  | 'email_verified'
  | 'code_sent'
  | 'code_refused'
  | 'code_failed'
  | 'phone_verified'
  | 'password_set'
  | 'password_rejected'
  | 'mfa_chosen'
  | 'mfa_enrolled'
  | 'mfa_failed'
  | 'sign_in'
  | 'sign_in_failed'
  | 'lockout'
  | 'logout'
  | 'session_expired'
  | 'account_created'
  /** A staff member opened an account's page (NEN 7513: who looked at whose record). */
  | 'record_viewed'
  | 'reset_started'
  | 'temporary_password_sent'
  | 'sessions_ended'
  | 'email_changed'
  | 'phone_changed'
  | 'mfa_reset'
  | 'account_unlocked'
  | 'account_deactivated'
  | 'account_activated'
  | 'account_erased'
  | 'password_changed'
  | 'mfa_changed'
  | 'reauth_failed'
  // Issue 11 #13: a staff member listed or searched accounts, or read the audit log.
  | 'list_viewed'
  | 'audit_viewed'
  /** Issue 11 #10: the forgot-password path or a new enrollment refused during the cooling-off. */
  | 'cooling_off'
  // Throttle (docs/decisions/0011-throttle.md).
  /** A guess refused by a delay or lock: the first of each wait, then a count. */
  | 'attempt_refused'
  /** The username's wrong passwords from untrusted clients reached the limit: hidden mode for all of them (issue 19.3). */
  | 'password_guessing'
  | 'sms_budget_reached'
  // OpenID Connect (src/oidc/): the practice's apps and every sign-in at one of them.
  | 'oidc_client_added'
  | 'oidc_client_removed'
  | 'oidc_client_secret_rotated'
  | 'oidc_keys_rotated'
  | 'oidc_authorization'
  | 'oidc_consent'
  /** An app was told by its back-channel logout URI that a sign-in ended (src/oidc/portal-logout.ts, app-sign-ins.ts). */
  | 'oidc_backchannel_logout'
  /** Issue 20: an app limited to one practice, reached by an account of another; nothing was issued. */
  | 'oidc_wrong_practice'
  // Issue 20: the practices of the installation (the operator's CLI; the first one also from the environment).
  | 'practice_added'
  | 'practice_changed'
  /** A client or an app started as many interactions as an hour allows (src/oidc/request-budget.ts). */
  | 'oidc_request_budget_reached'
  /** The account's sessions ended, and with them its sign-ins at the apps: provider sessions and grants removed (domain/sessions.ts). */
  | 'oidc_sign_ins_ended'
  // Issue 23.5: recovery codes (domain/recovery-codes.ts).
  | 'recovery_codes_created'
  | 'recovery_code_used'
  // Issue 22: keys that change, rows of an older version, staff roles.
  /** A sealed secret none of the configured keys opens (a sign-in could not check the app code). */
  | 'secret_unreadable'
  /** `secret-key reseal`: everything sealed under an older key sealed again under SECRET_KEY. */
  | 'secrets_resealed'
  /** `secret-key forget`: what a lost key alone could open, given up (domain/lost-key.ts). */
  | 'secrets_forgotten'
  /** Audit rows an older version wrote without a hash, taken into the chain at start (db/audit-chain.ts). */
  | 'audit_adopted'
  | 'role_changed'

export interface AuditEntry {
  event: AuditEvent
  outcome: 'success' | 'failure' | 'info'
  accountId?: number | null
  /** Non-secret facts only (a purpose, a reason, a method); stored as JSON, which escapes CR/LF. */
  detail?: Record<string, string | number | boolean | null>
}

/** Control characters would let a crafted user agent forge log lines in an export; they are escaped. */
function clean(value: string | null | undefined, max: number): string | null {
  if (value == null) return null
  return value.slice(0, max).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

export async function recordEvent(deps: Deps, by: Actor, entry: AuditEntry): Promise<void> {
  const content = {
    at: deps.clock.now().getTime(),
    event: entry.event,
    outcome: entry.outcome,
    account_id: entry.accountId ?? null,
    actor: clean(by.actor, 64) ?? 'system',
    ip: clean(by.ip, 64),
    user_agent: clean(by.userAgent, 300),
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  }
  // Read the head and append in one write transaction: two writers (the portal and the CLI) can not
  // both chain onto the same row. Inside a caller's transaction, that transaction is the one.
  await deps.db.transaction(async () => {
    await lockAuditTail(deps.db)
    const head = await deps.db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).then(first)
    const row: ChainRow = { id: (head?.id ?? 0) + 1, ...content }
    await deps.db.insert(auditLog).values({
      id: row.id, at: new Date(row.at), event: row.event, outcome: entry.outcome, accountId: row.account_id, actor: row.actor,
      ip: row.ip, userAgent: row.user_agent, detail: row.detail, hash: chainHash(head?.hash ?? genesisHash, row),
    })
  })
  deps.events?.emit({ type: 'audit', entry })
}

/** The session layer calls this when a signed-in session ends by its idle or absolute limit. */
export async function recordSessionExpired(deps: Deps, by: Actor, accountId: number, limit: 'idle' | 'absolute'): Promise<void> {
  await recordEvent(deps, by, { event: 'session_expired', outcome: 'info', accountId, detail: { reason: limit } })
}

/** `npm run admin -- audit verify`: the first row that breaks the chain, or the head when none does. */
export async function verifyAuditLog(deps: Pick<Deps, 'db'>): Promise<ChainCheck> {
  if (deps.db.dialect === 'sqlite') return verifyChain(deps.db.$client)
  // PostgreSQL: the rows in pages of ids. Its triggers can be dropped only by the table's owner (not the
  // portal's role, docs/postgresql.md), and its sequences are not transactional, so no removed tail is
  // read from the sequence (null).
  const walk = chainWalk()
  for await (const row of pagesOf(deps, 0, null)) {
    const broken = walk.next({ ...row, at: row.at.getTime(), account_id: row.accountId, user_agent: row.userAgent })
    if (broken) return broken
  }
  return walk.end(null)
}

/** Audit rows by id from `afterId` on, a page at a time (PostgreSQL has no cursor on a pooled connection). */
async function* pagesOf(deps: Pick<Deps, 'db'>, afterId: number, between: { since: Date; until: Date } | null) {
  const page = 1000
  for (let last = afterId; ; ) {
    const rows = await deps.db
      .select()
      .from(auditLog)
      .where(and(gt(auditLog.id, last), between ? and(gte(auditLog.at, between.since), lt(auditLog.at, between.until)) : undefined))
      .orderBy(auditLog.id)
      .limit(page)
    yield* rows
    if (rows.length < page) return
    last = rows.at(-1)!.id
  }
}

/**
 * At start (src/runtime.ts): rows an older version appended without a hash join the chain, and the log
 * says so in the same transaction (how many, which ids), so `audit verify` can name the adoption
 * instead of reporting the rows as slipped in (db/audit-chain.ts).
 */
export async function adoptOlderRows(deps: Deps): Promise<Adopted | null> {
  // Only an SQLite file can hold rows of a version from before the chain: PostgreSQL came after it
  // (admin migrate-to-postgres copies an adopted log).
  if (deps.db.dialect !== 'sqlite') return null
  // The raw statements of adoptUnchainedTail run on the handle's connection, inside its transaction.
  return await deps.db.transaction(async () => {
    const adopted = adoptUnchainedTail(deps.db.$client)
    if (adopted) await recordEvent(deps, { actor: 'system' }, { event: 'audit_adopted', outcome: 'info', detail: { ...adopted } })
    return adopted
  })
}

export interface EventFilter {
  accountId?: number
  event?: AuditEvent
  /** From this moment on (inclusive). */
  since?: Date
  /** Before this moment (exclusive). */
  until?: Date
  limit?: number
  offset?: number
  /** Who reads the log; the rows a behandelaar may see are fewer (see visibleTo). */
  viewer?: AuditViewer
}

export interface AuditViewer {
  id: number
  role: Role
  /** The staff member's practice: the log they read is that practice's (issue 20). */
  practiceId: number
}

/**
 * Which entries are a practice's (issue 20, docs/decisions/0015-practices.md): those about one of its
 * accounts, and those its staff made about no account (list views, searches). An account never moves
 * to another practice, so this never changes for a row, and the chained rows need no column of their
 * own. Entries about no account that no staff member made (an unknown username, an SMS budget, the
 * operator's app registrations) are the installation's: the operator reads them with `audit`.
 */
function ofPractice(practiceId: number) {
  const members = sql`select ${accounts.id} from ${accounts} where ${accounts.practiceId} = ${practiceId}`
  const staff = sql`select 'staff:' || ${accounts.id} from ${accounts} where ${accounts.practiceId} = ${practiceId}`
  return or(sql`${auditLog.accountId} in (${members})`, and(isNull(auditLog.accountId), sql`${auditLog.actor} in (${staff})`))
}

/**
 * What a staff member may read of the log: only their own practice's entries, and of those, a
 * beheerder everything (NEN 7513 makes the practice review access). A behandelaar: the entries about
 * patients (every patient is theirs to help: the practice's pages are not split per caseload), the
 * entries about their own account, and what they did themselves; not their colleagues' accounts
 * (sign-ins, addresses, browsers) nor the entries without an account (unknown usernames, other
 * staff's list views and searches). No viewer: the operator's CLI, which reads every entry.
 */
function visibleTo(viewer: AuditViewer | undefined) {
  if (viewer === undefined) return undefined
  const practice = ofPractice(viewer.practiceId)
  if (viewer.role === 'beheerder') return practice
  if (viewer.role !== 'behandelaar') return sql`1 = 0`
  const patients = sql`select ${accounts.id} from ${accounts} where ${accounts.role} = 'patient' and ${accounts.practiceId} = ${viewer.practiceId}`
  return and(practice, or(eq(auditLog.actor, `staff:${viewer.id}`), eq(auditLog.accountId, viewer.id), sql`${auditLog.accountId} in (${patients})`))
}

function whereOf(filter: EventFilter) {
  return and(
    filter.accountId === undefined ? undefined : eq(auditLog.accountId, filter.accountId),
    filter.event === undefined ? undefined : eq(auditLog.event, filter.event),
    filter.since === undefined ? undefined : gte(auditLog.at, filter.since),
    filter.until === undefined ? undefined : lt(auditLog.at, filter.until),
    visibleTo(filter.viewer),
  )
}

/** Newest first. */
export async function listEvents(deps: Pick<Deps, 'db'>, filter: EventFilter = {}) {
  return await deps.db
    .select()
    .from(auditLog)
    .where(whereOf(filter))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
}

export async function countEvents(deps: Pick<Deps, 'db'>, filter: EventFilter = {}): Promise<number> {
  return (await deps.db.select({ n: count() }).from(auditLog).where(whereOf(filter)).then(first))?.n ?? 0
}

/** A row of the log as `audit export` writes it: every column, with the account's username. */
export interface ExportRow {
  id: number
  at: number
  event: string
  outcome: string
  accountId: number | null
  username: string | null
  actor: string
  ip: string | null
  userAgent: string | null
  detail: string | null
  hash: string | null
}

/**
 * Every entry from `since` (inclusive) to `until` (exclusive), oldest first, one row at a time from the
 * database's cursor: a retention export of years is never held in memory (issue 22 item 6).
 */
export async function* eventsBetween(deps: Pick<Deps, 'db'>, since: Date, until: Date): AsyncGenerator<ExportRow> {
  if (deps.db.dialect === 'pg') {
    const names = new Map<number, string | null>()
    for await (const row of pagesOf(deps, 0, { since, until })) {
      let username: string | null = null
      if (row.accountId !== null) {
        if (!names.has(row.accountId)) names.set(row.accountId, (await deps.db.select({ username: accounts.username }).from(accounts).where(eq(accounts.id, row.accountId)).then(first))?.username ?? null)
        username = names.get(row.accountId)!
      }
      yield { id: row.id, at: row.at.getTime(), event: row.event, outcome: row.outcome, accountId: row.accountId, username, actor: row.actor, ip: row.ip, userAgent: row.userAgent, detail: row.detail, hash: row.hash }
    }
    return
  }
  yield* deps.db.$client
    .prepare<[number, number], ExportRow>(
      `select l.id, l.at, l.event, l.outcome, l.account_id as accountId, a.username, l.actor, l.ip, l.user_agent as userAgent, l.detail, l.hash
       from audit_log l left join accounts a on a.id = l.account_id
       where l.at >= ? and l.at < ? order by l.id`,
    )
    .iterate(since.getTime(), until.getTime())
}
