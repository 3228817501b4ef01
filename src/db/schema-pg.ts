// schema.ts again for PostgreSQL (issue 21): the same exported names, property names, SQL names,
// nullability, defaults, keys and indexes, so a row reads the same from either engine
// (test/schema-parity.test.ts holds them together). Edit both files together, then `npm run db:generate`
// writes migrations/ (SQLite) and migrations-pg/ (this file).
// Types: times are `timestamptz(3)` read as Date (SQLite: integer ms); flags `boolean`; counters and ids
// `integer`; JSON stays `text`. Autoincrement keys are identities BY DEFAULT, so rows can be copied in
// with their ids (admin migrate-to-postgres). SQLite's INTEGER PRIMARY KEY without AUTOINCREMENT (an
// alias of the rowid, which drizzle types as optional on insert) is a plain integer key here: the
// two such columns (installation.id, oidc_subjects.account_id) are always given on insert.
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'

const time = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 })
const serialId = () => integer('id').primaryKey().generatedByDefaultAsIdentity()

/** A therapy practice served by this installation (issue 20); every account belongs to one. */
export const practices = pgTable(
  'practices',
  {
    id: serialId(),
    /** The operator's handle on the CLI (`--practice <slug>`) and the practice's id towards apps; never changes. */
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** How a patient reaches the practice, in every message that sends them there. */
    contact: text('contact').notNull(),
    /** The language of a new account when the inviter chooses none. */
    language: text('language', { enum: ['nl', 'en'] }).notNull().default('nl'),
    /** Takes PRACTICE_NAME/PRACTICE_CONTACT at start while it is the only practice and the CLI never changed it. */
    fromEnv: boolean('from_env').notNull().default(false),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('practices_slug').on(t.slug)],
)

/** A patient or staff member. Onboarding progress is a set of facts on the account, not a cursor. */
export const accounts = pgTable(
  'accounts',
  {
    id: serialId(),
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
    /** The last accepted TOTP time step (about 6e7 now: integer holds it): a code is accepted once. */
    totpLastStep: integer('totp_last_step'),
    lastSignInAt: time('last_sign_in_at'),
    deactivatedAt: time('deactivated_at'),
    /** Removed by the practice: personal data replaced, the row kept for the audit log's account ids. */
    erasedAt: time('erased_at'),
    /** Issue 11 #10: staff changes that start a cooling-off period (domain/cooling-off.ts). */
    staffContactChangedAt: time('staff_contact_changed_at'),
    staffMfaResetAt: time('staff_mfa_reset_at'),
    /** Issue 14: the language of this account's pages once signed in, and of its mails and SMS. */
    language: text('language', { enum: ['nl', 'en'] }).notNull().default('nl'),
    /** Issue 20: the practice the account belongs to, for good. */
    practiceId: integer('practice_id')
      .notNull()
      .references(() => practices.id),
  },
  (t) => [uniqueIndex('accounts_username').on(t.username), index('accounts_practice').on(t.practiceId, t.role)],
)

/** E-mailed secrets: links and the forgot path's temporary passwords. Only their SHA-256 is stored. */
export const links = pgTable(
  'links',
  {
    id: serialId(),
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

/** One-time codes sent by SMS or e-mail: an HMAC keyed by SECRET_KEY, bound to one flow session. */
export const codes = pgTable(
  'codes',
  {
    id: serialId(),
    accountId: integer('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['phone', 'email-mfa', 'email-verify'] }).notNull(),
    codeHash: text('code_hash').notNull(),
    /** Hash of the flow nonce of the session that asked for the code. */
    bindingHash: text('binding_hash').notNull(),
    createdAt: time('created_at').notNull(),
    expiresAt: time('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Set when accepted, voided by a newer code to the same browser, or spent by too many wrong tries. */
    usedAt: time('used_at'),
    /** Who asked (domain/send-limits.ts): an HMAC of the device or client, never the address. */
    sender: text('sender'),
    /** The sender was the patient's own (her device cookie, or an address she signed in from). */
    trusted: boolean('trusted').notNull().default(false),
  },
  (t) => [index('codes_account').on(t.accountId, t.purpose, t.createdAt)],
)

/** Server-side sessions, keyed by the SHA-256 of the cookie's session id. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    data: text('data').notNull(),
    accountId: integer('account_id'),
    expiresAt: time('expires_at').notNull(),
  },
  (t) => [index('sessions_account').on(t.accountId), index('sessions_expires').on(t.expiresAt)],
)

/** Every mail and SMS, written in the transaction that creates what it carries; the body sealed. */
export const outbox = pgTable(
  'outbox',
  {
    id: serialId(),
    channel: text('channel', { enum: ['mail', 'sms'] }).notNull(),
    accountId: integer('account_id'),
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    sender: text('sender'),
    /** The sender's display name when it is not part of `sender` (a practice's name on its invitation). */
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

/** Security events (SPEC.md section 5). Never a secret. Append-only by triggers (db/pg.ts). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: serialId(),
    at: time('at').notNull(),
    event: text('event').notNull(),
    outcome: text('outcome', { enum: ['success', 'failure', 'info'] }).notNull(),
    accountId: integer('account_id'),
    /** Who did it: 'self', 'system', 'cli', or 'staff:<id>'. */
    actor: text('actor').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    detail: text('detail'),
    /** SHA-256 over the previous row's hash and this row's canonical content (db/audit-chain.ts). */
    hash: text('hash'),
  },
  (t) => [index('audit_account').on(t.accountId, t.at), index('audit_at').on(t.at), index('audit_event').on(t.event, t.at)],
)

/** Failure counters for guessing (decision 0011), named by HMACs only. */
export const throttles = pgTable('throttles', {
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

/** The pretend codes of decoy walks, per typed pair or username (an HMAC); domain/decoy.ts. */
export const decoyCodes = pgTable('decoy_codes', {
  key: text('key').primaryKey(),
  bindingHash: text('binding_hash'),
  sentAt: time('sent_at'),
  expiresAt: time('expires_at'),
  attempts: integer('attempts').notNull().default(0),
  usedAt: time('used_at'),
  /** The sends of the last hour as JSON text (epoch ms inside): the same rolling limits as `codes`. */
  sends: text('sends').notNull().default('[]'),
})

/** Recovery codes (decision 0016): ten single-use codes, only an HMAC of each stored. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: serialId(),
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

/** The practice's apps (OpenID Connect clients); the secret sealed, not hashed (src/oidc/clients.ts). */
export const oidcClients = pgTable('oidc_clients', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  secretEnc: text('secret_enc').notNull(),
  /** JSON arrays of exact URIs. */
  redirectUris: text('redirect_uris').notNull(),
  postLogoutUris: text('post_logout_uris').notNull().default('[]'),
  backchannelLogoutUri: text('backchannel_logout_uri'),
  /** The practice's own app: no consent page. */
  firstParty: boolean('first_party').notNull().default(false),
  idTokenAlg: text('id_token_alg', { enum: ['RS256', 'ES256'] }).notNull().default('RS256'),
  /** How the app sends its secret to the token endpoint. */
  authMethod: text('auth_method', { enum: ['client_secret_basic', 'client_secret_post'] }).notNull().default('client_secret_basic'),
  createdAt: time('created_at').notNull(),
  secretRotatedAt: time('secret_rotated_at'),
  /** Issue 20: an app for one practice only; null: for every practice. */
  practiceId: integer('practice_id').references(() => practices.id),
})

/** oidc-provider's artifacts through our adapter; `id` is the SHA-256 of the artifact's id. */
export const oidcArtifacts = pgTable(
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

/** The id_token signing keys: private JWKs sealed under SECRET_KEY; retired ones stay published a while. */
export const oidcKeys = pgTable('oidc_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg', { enum: ['RS256', 'ES256'] }).notNull(),
  privateJwkEnc: text('private_jwk_enc').notNull(),
  createdAt: time('created_at').notNull(),
  retiredAt: time('retired_at'),
})

/** The `sub` an account has towards every app: random, so it tells nothing. */
export const oidcSubjects = pgTable(
  'oidc_subjects',
  {
    accountId: integer('account_id')
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
  },
  (t) => [uniqueIndex('oidc_subjects_subject').on(t.subject)],
)

/** One row (id 1): what this installation keeps whatever SECRET_KEY is (issue 22; decision 0017). */
export const installation = pgTable('installation', {
  id: integer('id').primaryKey(),
  decoyKey: text('decoy_key').notNull(),
  createdAt: time('created_at').notNull(),
})
