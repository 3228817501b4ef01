// Every table in one file. Times are stored as integer milliseconds (UTC); drizzle maps them to Date.
// migrations/ is generated from this file by `npm run db:generate` (drizzle-kit) and committed.
// schema-pg.ts is the same for PostgreSQL: change both (test/schema-parity.test.ts fails otherwise).
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const time = (name: string) => integer(name, { mode: 'timestamp_ms' })

/**
 * A therapy practice served by this installation (issue 20, SPEC.md section 9). Every account belongs
 * to one; staff see only their own practice's accounts. The practice an upgrade or an empty database
 * starts with follows PRACTICE_NAME and PRACTICE_CONTACT (`fromEnv`, domain/practices.ts).
 */
export const practices = sqliteTable(
  'practices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The operator's handle on the CLI (`--practice <slug>`) and the practice's id towards apps; never changes. */
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** How a patient reaches the practice (a phone number and/or an address), in every message that sends them there. */
    contact: text('contact').notNull(),
    /** The language of a new account when the inviter chooses none. */
    language: text('language', { enum: ['nl', 'en'] }).notNull().default('nl'),
    /** Takes PRACTICE_NAME/PRACTICE_CONTACT at start while it is the only practice and the CLI never changed it. */
    fromEnv: integer('from_env', { mode: 'boolean' }).notNull().default(false),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('practices_slug').on(t.slug)],
)

/**
 * A patient or staff member. Onboarding progress is a set of facts on the account, not a cursor,
 * so the second e-mail's link continues in any browser on any device.
 */
export const accounts = sqliteTable(
  'accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    /** E.164, e.g. +31612341361. */
    phone: text('phone').notNull(),
    role: text('role', { enum: ['patient', 'behandelaar', 'beheerder'] }).notNull().default('patient'),
    createdAt: time('created_at').notNull(),
    emailVerifiedAt: time('email_verified_at'),
    phoneVerifiedAt: time('phone_verified_at'),
    passwordHash: text('password_hash'),
    passwordSetAt: time('password_set_at'),
    mfaMethod: text('mfa_method', { enum: ['app', 'email'] }),
    mfaEnrolledAt: time('mfa_enrolled_at'),
    /** AES-256-GCM under a key derived from SECRET_KEY; the pending one becomes active in one update. */
    totpSecretEnc: text('totp_secret_enc'),
    totpPendingSecretEnc: text('totp_pending_secret_enc'),
    /** The last accepted TOTP time step: a code is accepted once. */
    totpLastStep: integer('totp_last_step'),
    lastSignInAt: time('last_sign_in_at'),
    deactivatedAt: time('deactivated_at'),
    /** Removed by the practice: the personal data above is replaced, the row stays for the audit log's account ids. */
    erasedAt: time('erased_at'),
    /** Issue 11 #10: when staff last changed the e-mail address or mobile number after the onboarding,
     *  and when staff last reset the second factor; each starts a cooling-off period (domain/cooling-off.ts). */
    staffContactChangedAt: time('staff_contact_changed_at'),
    staffMfaResetAt: time('staff_mfa_reset_at'),
    /** Issue 14: the language of this account's pages once signed in, and of its mails and SMS. */
    language: text('language', { enum: ['nl', 'en'] }).notNull().default('nl'),
    /** Issue 20: the practice the account belongs to, for good (usernames stay unique over the installation). */
    practiceId: integer('practice_id')
      .notNull()
      .references(() => practices.id),
  },
  (t) => [uniqueIndex('accounts_username').on(t.username), index('accounts_practice').on(t.practiceId, t.role)],
)

/**
 * E-mailed secrets: the links (256-bit tokens) and the temporary passwords of the forgot-password
 * path (about 90 bits). Only their SHA-256 is stored.
 */
export const links = sqliteTable(
  'links',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['invite', 'continue', 'reset'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: time('created_at').notNull(),
    expiresAt: time('expires_at').notNull(),
    /** Set when the link was used, or voided by a newer one. */
    usedAt: time('used_at'),
    /** Wrong tries at a temporary password; 5 void it. */
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [uniqueIndex('links_token_hash').on(t.tokenHash), index('links_account').on(t.accountId, t.purpose)],
)

/**
 * One-time codes sent by SMS or e-mail. Stored as an HMAC keyed by SECRET_KEY, bound to one flow session.
 * 'phone': Stap 2 by SMS; 'email-mfa': the e-mail second factor; 'email-verify': a changed e-mail address.
 */
export const codes = sqliteTable(
  'codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['phone', 'email-mfa', 'email-verify'] }).notNull(),
    codeHash: text('code_hash').notNull(),
    /** Hash of the flow nonce of the session that asked for the code. */
    bindingHash: text('binding_hash').notNull(),
    createdAt: time('created_at').notNull(),
    expiresAt: time('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Set when the code was accepted, voided by a newer code to the same browser, or spent by too many wrong tries. */
    usedAt: time('used_at'),
    /** Who asked (domain/send-limits.ts): an HMAC of the device or client, never the address; null before issue 19.3. */
    sender: text('sender'),
    /** The sender was the patient's own (her device cookie, or an address she signed in from). */
    trusted: integer('trusted', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('codes_account').on(t.accountId, t.purpose, t.createdAt)],
)

/** Server-side sessions. The id is the SHA-256 of the cookie's session id: a leaked table opens no session. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    data: text('data').notNull(),
    accountId: integer('account_id'),
    expiresAt: time('expires_at').notNull(),
  },
  (t) => [index('sessions_account').on(t.accountId), index('sessions_expires').on(t.expiresAt)],
)

/**
 * Every mail and SMS, written in the same transaction as the code or link it carries, then delivered.
 * The body is encrypted at rest; the dev outbox reads this table.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel', { enum: ['mail', 'sms'] }).notNull(),
    accountId: integer('account_id'),
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    sender: text('sender'),
    /** The sender's display name when it is not part of `sender` (a practice's name on its invitation, issue 20). */
    senderName: text('sender_name'),
    subject: text('subject'),
    bodyEnc: text('body_enc'),
    createdAt: time('created_at').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: time('next_attempt_at').notNull(),
    lastError: text('last_error'),
    sentAt: time('sent_at'),
  },
  (t) => [index('outbox_due').on(t.status, t.nextAttemptAt), index('outbox_account').on(t.accountId)],
)

/** Security events (SPEC.md section 5). Never a secret: no password, code, token or session id. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: time('at').notNull(),
    event: text('event').notNull(),
    outcome: text('outcome', { enum: ['success', 'failure', 'info'] }).notNull(),
    accountId: integer('account_id'),
    /** Who did it: 'self', 'system', 'cli', or 'staff:<id>'. */
    actor: text('actor').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    detail: text('detail'),
    /** SHA-256 over the previous row's hash and this row's canonical content (db/audit-chain.ts):
     *  `npm run admin -- audit verify` finds the first row that was changed, removed or slipped in. */
    hash: text('hash'),
  },
  (t) => [index('audit_account').on(t.accountId, t.at), index('audit_at').on(t.at), index('audit_event').on(t.event, t.at)],
)

/**
 * Failure counters for guessing (docs/decisions/0011); kept in the database so a restart forgets nothing.
 * The key names the counter by HMACs only (never a clear username): `u:<user>`, `u:<user>:c:<client>`,
 * `u:<user>:d:<device>`, `c:<client>`, `f:<account>:<factor>[:d:<device>|:c:<client>]`, and SMS budgets `sms:...`.
 */
export const throttles = sqliteTable('throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: time('last_failure_at'),
  blockedUntil: time('blocked_until'),
  lockedAt: time('locked_at'),
  /** Refused attempts during the current wait: only the first is audited (decision 0011). */
  refused: integer('refused').notNull().default(0),
  /** Second factor: when the patient was mailed about this burst of failures. */
  notifiedAt: time('notified_at'),
})

/**
 * The pretend codes of decoy walks (forgot path with a wrong pair; a hidden-mode sign-in), kept like
 * `codes` keeps a real account's, but per typed pair or username (an HMAC): the row `key` holds the
 * pair's sends of the last hour with their senders; a row `key|<binding>` a browser's pretend code,
 * bound to it, voided by its next send (docs/decisions/0005, 0011; domain/decoy.ts).
 */
export const decoyCodes = sqliteTable('decoy_codes', {
  key: text('key').primaryKey(),
  bindingHash: text('binding_hash'),
  sentAt: time('sent_at'),
  expiresAt: time('expires_at'),
  attempts: integer('attempts').notNull().default(0),
  usedAt: time('used_at'),
  /** The sends of the last hour as JSON, `{ at, s: sender, t: trusted }` (bare epoch ms before issue 19.3): the same rolling limits as `codes`. */
  sends: text('sends').notNull().default('[]'),
})

/**
 * Recovery codes (issue 23.5, docs/decisions/0016): ten single-use codes a patient with the app prints
 * or writes down, for a sign-in without the phone. Only an HMAC of each is stored (key `mtd:recovery-code`,
 * bound to the account); a new set deletes the old one. Each code carries 80 random bits.
 */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: time('created_at').notNull(),
    /** Set when the code signed someone in: it never works again. */
    usedAt: time('used_at'),
  },
  (t) => [uniqueIndex('recovery_codes_account_hash').on(t.accountId, t.codeHash)],
)

export type Account = typeof accounts.$inferSelect

// --- OpenID Connect provider (src/oidc/) ---

/**
 * The practice's apps that may ask who signed in (OpenID Connect clients), managed with the CLI.
 * The secret is stored encrypted, not hashed: oidc-provider compares the presented client_secret with
 * the registered one itself, so it needs the value (src/oidc/clients.ts).
 */
export const oidcClients = sqliteTable('oidc_clients', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  secretEnc: text('secret_enc').notNull(),
  /** JSON arrays of exact URIs. */
  redirectUris: text('redirect_uris').notNull(),
  postLogoutUris: text('post_logout_uris').notNull().default('[]'),
  backchannelLogoutUri: text('backchannel_logout_uri'),
  /** The practice's own app: no consent page. */
  firstParty: integer('first_party', { mode: 'boolean' }).notNull().default(false),
  idTokenAlg: text('id_token_alg', { enum: ['RS256', 'ES256'] }).notNull().default('RS256'),
  /** How the app sends its secret to the token endpoint: HTTP Basic (the default) or in the form body. */
  authMethod: text('auth_method', { enum: ['client_secret_basic', 'client_secret_post'] }).notNull().default('client_secret_basic'),
  createdAt: time('created_at').notNull(),
  secretRotatedAt: time('secret_rotated_at'),
  /** Issue 20: an app for one practice only; null: for the patients and staff of every practice. */
  practiceId: integer('practice_id').references(() => practices.id),
})

/**
 * oidc-provider's artifacts (sessions, interactions, codes, tokens, grants), through our adapter
 * (src/oidc/adapter.ts). `id` is the SHA-256 of the artifact's id, which for codes and tokens is the
 * secret itself: the table alone redeems nothing.
 */
export const oidcArtifacts = sqliteTable(
  'oidc_artifacts',
  {
    model: text('model').notNull(),
    id: text('id').notNull(),
    payload: text('payload').notNull(),
    grantId: text('grant_id'),
    uid: text('uid'),
    expiresAt: time('expires_at').notNull(),
    consumedAt: time('consumed_at'),
  },
  (t) => [
    uniqueIndex('oidc_artifacts_key').on(t.model, t.id),
    index('oidc_artifacts_grant').on(t.grantId),
    index('oidc_artifacts_uid').on(t.model, t.uid),
    index('oidc_artifacts_expires').on(t.expiresAt),
  ],
)

/** The id_token signing keys: private JWKs encrypted under SECRET_KEY; retired ones stay published a while. */
export const oidcKeys = sqliteTable('oidc_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg', { enum: ['RS256', 'ES256'] }).notNull(),
  privateJwkEnc: text('private_jwk_enc').notNull(),
  createdAt: time('created_at').notNull(),
  retiredAt: time('retired_at'),
})

/** The `sub` an account has towards every app: random, so a renamed account keeps it and it tells nothing. */
export const oidcSubjects = sqliteTable(
  'oidc_subjects',
  {
    accountId: integer('account_id')
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
  },
  (t) => [uniqueIndex('oidc_subjects_subject').on(t.subject)],
)

/**
 * One row (id 1): what this installation keeps whatever SECRET_KEY is (issue 22). `decoyKey` (32 random
 * bytes, hex) names and shapes the decoy walks of unknown usernames (the digits, the method, their
 * pretend codes): a key rotation must not change how a decoy looks, or comparing before and after
 * would tell a decoy from a real account (docs/decisions/0017-key-rotation.md). Made at the first start.
 */
export const installation = sqliteTable('installation', {
  id: integer('id').primaryKey(),
  decoyKey: text('decoy_key').notNull(),
  createdAt: time('created_at').notNull(),
})
