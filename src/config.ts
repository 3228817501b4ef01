// The one place that reads the environment. loadConfig turns it into a typed Config or a list of
// every problem at once, so an operator fixes a broken .env in one go instead of one restart per typo.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fill, isLang, type Lang } from './messages.ts'
import { operatorLanguage, operatorMessages, type OperatorCatalogue } from './operator.ts'
import { smsNameMax } from './domain/sms-text.ts'

export type Mode = 'development' | 'production' | 'test'

export interface Config {
  mode: Mode
  port: number
  host: string
  publicUrl: URL
  /** https PUBLIC_URL: Secure + __Host- cookies and HSTS. */
  secure: boolean
  trustProxy: boolean
  databasePath: string
  /**
   * DATABASE_URL: PostgreSQL (`postgres://`), where several processes share one database; `pglite:` (a
   * folder, or `pglite:memory`) runs PostgreSQL inside this one process, for tests and trials. Null:
   * SQLite at databasePath.
   */
  databaseUrl: string | null
  smtpUrl: string | null
  smsWebhookUrl: string | null
  smsWebhookToken: string | null
  devOutbox: boolean
  portalName: string
  /** PRACTICE_NAME, or null when not set: the installation's first practice takes it at start (domain/practices.ts). */
  practiceName: string | null
  senders: { practice: string; system: string; mfa: string }
  /** The first key (SECRET_KEY): everything sealed or signed from now on is under this one. */
  secretKey: Buffer
  /** SECRET_KEYS_OLD, newest first: they still open and verify what was made under them, never seal. */
  olderSecretKeys: Buffer[]
  /** The language of the operator's messages (src/operator.ts). */
  operatorLanguage: Lang
  emailMfaEnabled: boolean
  disclaimerText: string
  privacyText: string
  /**
   * ACCESSIBILITY_CONTACT: where anyone reports an accessibility problem (issue 24 #3). The statement is
   * read before any proof, so it names no practice: null means the only practice's contact, or, with
   * several practices, "your practice".
   */
  accessibilityContact: string | null
  limits: Limits
  // Throttle (docs/decisions/0011-throttle.md).
  /** PRACTICE_CONTACT: how a patient reaches the first practice (a phone number, an address), or null when not set. */
  practiceContact: string | null
  /** ISO country codes whose numbers may get an SMS. */
  smsCountries: string[]
  /** Prometheus metrics on a listener of their own, never on the public site; null: none. */
  metrics: MetricsConfig | null
  /** /readyz fails when a due message has waited this long without being sent (a stuck dispatcher). */
  readyOutboxDueMinutes: number
}

export interface MetricsConfig {
  port: number
  host: string
  /** A bearer token the scraper must send; required when the listener is not on loopback. */
  token: string | null
}

export interface Limits {
  inviteLinkTtlHours: number
  continueLinkTtlHours: number
  codeTtlMinutes: number
  codeMaxAttempts: number
  codeResendCooldownSeconds: number
  /** SMS codes per hour for one account asked from one sender (a client, or a browser with the device
   *  cookie): SMS costs money and invites toll fraud (decision 0011). */
  codesPerHour: number
  tempPasswordTtlMinutes: number
  sessionIdleMinutes: number
  sessionAbsoluteHours: number
  /** Unauthenticated flow sessions (onboarding, sign-in in progress) live this long without a request. */
  flowIdleMinutes: number
  /** And this long in all from the moment the flow began, however busy (a half-signed-in session ends).
   *  At least tempPasswordTtlMinutes: the forgot-password flow must outlive its temporary password. */
  flowAbsoluteMinutes: number
  argon2MemoryKiB: number
  argon2Iterations: number
  /** Guessing: consecutive failures per typed username before the delay starts, the delay doubling from
   *  delayBaseSeconds up to delayCapMinutes, and the hard lock. */
  failuresBeforeDelay: number
  delayBaseSeconds: number
  delayCapMinutes: number
  lockAfterFailures: number
  /** Failures from one client (IPv4 address, IPv6 /64), across usernames, before its sign-ins go into hidden mode (decision 0011). */
  ipFailuresBeforeDelay: number
  /** Issue 11 #10: after staff change a patient's e-mail or mobile number, or reset the second factor,
   *  the forgot-password path and a new enrollment wait this long (0 only outside production). */
  staffChangeCoolingHours: number
  // Throttle and budgets (docs/decisions/0011-throttle.md).
  /** Failures of one username from all untrusted clients together before every untrusted client's
   *  answers go into hidden mode (no delay and no lock: issue 19.3). The name is kept for existing settings. */
  usernameFailuresBeforeDelay: number
  /** E-mail sign-in codes per account and sender per hour (well above the SMS cap: e-mail costs nothing);
   *  an account gets at most three times this many from all senders together. */
  emailCodesPerHour: number
  /** SMS codes of one account per hour from all senders together, against toll fraud; strangers' senders
   *  share all but CODES_PER_HOUR of them, which stay for the patient's own (decision 0011). */
  smsPerAccountPerHour: number
  /** SMS per client (IPv4 address, IPv6 /64) per hour, over all accounts and decoys. */
  smsPerClientPerHour: number
  /** SMS of the whole portal per hour. */
  smsPerHour: number
  /** Issue 20: SMS to the accounts of one practice per hour, so one practice's incident can not spend the others' budget. */
  smsPerPracticePerHour: number
  // Apps' sign-in requests (issue 19 #4, docs/oidc.md): what anonymous requests may make the provider store.
  /** Interactions (a sign-in or consent an app asked for) one client (IPv4 address, IPv6 /64) may start per hour. */
  oidcInteractionsPerClientPerHour: number
  /** Interactions per app per hour, over all clients: bounds the store against many addresses. */
  oidcInteractionsPerAppPerHour: number
}

export const defaultLimits: Limits = {
  inviteLinkTtlHours: 72,
  continueLinkTtlHours: 24,
  codeTtlMinutes: 10,
  codeMaxAttempts: 5,
  codeResendCooldownSeconds: 30,
  codesPerHour: 5,
  tempPasswordTtlMinutes: 60,
  sessionIdleMinutes: 15,
  sessionAbsoluteHours: 8,
  flowIdleMinutes: 30,
  flowAbsoluteMinutes: 90,
  argon2MemoryKiB: 19456,
  argon2Iterations: 2,
  failuresBeforeDelay: 5,
  delayBaseSeconds: 30,
  delayCapMinutes: 15,
  lockAfterFailures: 100,
  ipFailuresBeforeDelay: 10,
  staffChangeCoolingHours: 24,
  usernameFailuresBeforeDelay: 25,
  emailCodesPerHour: 20,
  smsPerAccountPerHour: 20,
  smsPerClientPerHour: 30,
  smsPerHour: 300,
  smsPerPracticePerHour: 100,
  oidcInteractionsPerClientPerHour: 60,
  oidcInteractionsPerAppPerHour: 5000,
}

const limitEnv: Record<keyof Limits, string> = {
  inviteLinkTtlHours: 'INVITE_LINK_TTL_HOURS',
  continueLinkTtlHours: 'CONTINUE_LINK_TTL_HOURS',
  codeTtlMinutes: 'CODE_TTL_MINUTES',
  codeMaxAttempts: 'CODE_MAX_ATTEMPTS',
  codeResendCooldownSeconds: 'CODE_RESEND_COOLDOWN_SECONDS',
  codesPerHour: 'CODES_PER_HOUR',
  tempPasswordTtlMinutes: 'TEMP_PASSWORD_TTL_MINUTES',
  sessionIdleMinutes: 'SESSION_IDLE_MINUTES',
  sessionAbsoluteHours: 'SESSION_ABSOLUTE_HOURS',
  flowIdleMinutes: 'FLOW_IDLE_MINUTES',
  flowAbsoluteMinutes: 'FLOW_ABSOLUTE_MINUTES',
  argon2MemoryKiB: 'ARGON2_MEMORY_KIB',
  argon2Iterations: 'ARGON2_ITERATIONS',
  failuresBeforeDelay: 'FAILURES_BEFORE_DELAY',
  delayBaseSeconds: 'DELAY_BASE_SECONDS',
  delayCapMinutes: 'DELAY_CAP_MINUTES',
  lockAfterFailures: 'LOCK_AFTER_FAILURES',
  ipFailuresBeforeDelay: 'IP_FAILURES_BEFORE_DELAY',
  staffChangeCoolingHours: 'STAFF_CHANGE_COOLING_HOURS',
  usernameFailuresBeforeDelay: 'USERNAME_FAILURES_BEFORE_DELAY',
  emailCodesPerHour: 'EMAIL_CODES_PER_HOUR',
  smsPerAccountPerHour: 'SMS_PER_ACCOUNT_PER_HOUR',
  smsPerClientPerHour: 'SMS_PER_CLIENT_PER_HOUR',
  smsPerHour: 'SMS_PER_HOUR',
  smsPerPracticePerHour: 'SMS_PER_PRACTICE_PER_HOUR',
  oidcInteractionsPerClientPerHour: 'OIDC_INTERACTIONS_PER_CLIENT_PER_HOUR',
  oidcInteractionsPerAppPerHour: 'OIDC_INTERACTIONS_PER_APP_PER_HOUR',
}

/**
 * The range of every limit, in every mode: below the floor or above the ceiling a setting is unsafe
 * (or locks patients out), whatever the operator asks. docs/security.md lists them with their reasons.
 */
export const limitBounds: Record<keyof Limits, readonly [floor: number, ceiling: number]> = {
  // A patient invited on Friday reads mail on Monday; longer than a week is a link lying around.
  inviteLinkTtlHours: [1, 168],
  continueLinkTtlHours: [1, 72],
  // SPEC.md section 5: codes live at most 10 minutes, and a handful of tries (6 digits: 10^6 values).
  codeTtlMinutes: [1, 10],
  codeMaxAttempts: [1, 10],
  // A cooldown of 0 turns the resend button into an SMS pump; over 5 minutes keeps a patient waiting.
  codeResendCooldownSeconds: [10, 300],
  // SMS costs money and invites toll fraud.
  codesPerHour: [1, 10],
  tempPasswordTtlMinutes: [5, 120],
  // NIST 800-63B-4 AAL2: re-authenticate after at most 1 hour idle and 24 hours in all.
  sessionIdleMinutes: [1, 60],
  sessionAbsoluteHours: [1, 24],
  flowIdleMinutes: [1, 60],
  flowAbsoluteMinutes: [5, 240],
  // OWASP's argon2id minimum (m=19456 KiB, t=2); above 1 GiB or 10 passes a sign-in takes seconds.
  argon2MemoryKiB: [19456, 1_048_576],
  argon2Iterations: [2, 10],
  failuresBeforeDelay: [1, 20],
  delayBaseSeconds: [1, 300],
  delayCapMinutes: [1, 60],
  // NIST 800-63B 3.2.2: at most 100 consecutive failures.
  lockAfterFailures: [1, 100],
  ipFailuresBeforeDelay: [1, 1000],
  // Decision 0011: hidden mode for all untrusted clients from at most 100 failures of the username.
  usernameFailuresBeforeDelay: [5, 100],
  // E-mail costs nothing, but a code a minute is plenty; SMS budgets bound what a script can cost.
  emailCodesPerHour: [1, 60],
  // At least two senders' worth (one for strangers, one kept for the patient); 100 an hour is toll fraud.
  smsPerAccountPerHour: [10, 100],
  smsPerClientPerHour: [1, 300],
  smsPerHour: [1, 10_000],
  // A practice of a few hundred patients onboards a few dozen an hour at most; a third of the portal's default.
  smsPerPracticePerHour: [1, 10_000],
  // A practice's office behind one address starts a handful of app sign-ins an hour per person; below 10
  // a busy office waits, and the ceilings only keep what an hour may store finite (about 6 KB each).
  oidcInteractionsPerClientPerHour: [10, 100_000],
  oidcInteractionsPerAppPerHour: [100, 1_000_000],
  // Issue 11 #10: a week at most between a staff change and its use (0 only outside production).
  staffChangeCoolingHours: [0, 168],
}
/** Issue 11 #10: production keeps at least half a day between a staff change and its use. */
const staffChangeCoolingHoursProductionFloor = 12

export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    lang: Lang = 'nl',
  ) {
    super(`${operatorMessages(lang).config.heading}\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

type Env = Record<string, string | undefined>

/** DATABASE_PATH, or data/portal.db under the working folder: where loadConfig would open the database. */
export function databasePathOf(env: Env, cwd = process.cwd()): string {
  return env.DATABASE_PATH?.trim() || join(cwd, 'data', 'portal.db')
}

export function loadConfig(env: Env, opts: { cwd?: string } = {}): Config {
  const problems: string[] = []
  const get = (name: string) => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  const lang = operatorLanguage(env)
  const o = operatorMessages(lang).config
  const rawLanguage = get('OPERATOR_LANGUAGE')
  if (rawLanguage !== undefined && !isLang(rawLanguage.toLowerCase())) problems.push(fill(o.operatorLanguage, { value: JSON.stringify(rawLanguage) }))

  const rawMode = get('NODE_ENV') ?? 'development'
  const mode: Mode = rawMode === 'production' || rawMode === 'test' ? rawMode : 'development'
  const production = mode === 'production'

  const port = integer(get('PORT') ?? '3000', 'PORT', problems, o, 0, 65535)
  const host = get('HOST') ?? '127.0.0.1'

  let publicUrl = new URL(`http://localhost:${port}`)
  const rawPublicUrl = get('PUBLIC_URL')
  if (rawPublicUrl) {
    try {
      publicUrl = new URL(rawPublicUrl)
      if (publicUrl.protocol !== 'http:' && publicUrl.protocol !== 'https:') problems.push(o.publicUrlScheme)
    } catch {
      problems.push(fill(o.publicUrlInvalid, { value: JSON.stringify(rawPublicUrl) }))
    }
  } else if (production) {
    problems.push(o.publicUrlMissing)
  }
  const secure = publicUrl.protocol === 'https:'
  if (production && rawPublicUrl && !secure) problems.push(o.publicUrlHttp)
  // The portal speaks no TLS itself: with an https PUBLIC_URL it sits behind a proxy, and without
  // TRUST_PROXY it would see every request as plain http and never keep a session.
  if (production && secure && get('TRUST_PROXY') !== 'true') {
    problems.push(o.trustProxy)
  }

  const databasePath = databasePathOf(env, opts.cwd)
  const databaseUrl = get('DATABASE_URL') ?? null
  if (databaseUrl && !/^(postgres|postgresql):\/\/|^pglite:/.test(databaseUrl)) problems.push(o.databaseUrlScheme)

  const smtpUrl = get('SMTP_URL') ?? null
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push(o.smtpScheme)
  const smsWebhookUrl = get('SMS_WEBHOOK_URL') ?? null
  if (smsWebhookUrl && !/^https?:\/\//.test(smsWebhookUrl)) problems.push(o.smsScheme)

  // Fail closed (issue 11, finding 5): a forgotten NODE_ENV=production must not serve every code and
  // link at /dev/outbox. The dev outbox is on only when asked for, or by default on a loopback
  // PUBLIC_URL with no real transport; and development refuses to start where it looks like production.
  const loopbackUrl = isLoopback(publicUrl.hostname)
  const realTransport = smtpUrl !== null || smsWebhookUrl !== null
  const devOutboxSetting = get('DEV_OUTBOX')
  let devOutbox = !production && loopbackUrl && !realTransport
  if (devOutboxSetting !== undefined) {
    if (/^(true|on)$/.test(devOutboxSetting)) devOutbox = true
    else if (/^(false|off)$/.test(devOutboxSetting)) devOutbox = false
    else problems.push(fill(o.devOutboxValue, { value: JSON.stringify(devOutboxSetting) }))
  }
  if (production) {
    if (!smtpUrl) problems.push(o.smtpMissing)
    if (!smsWebhookUrl) problems.push(o.smsMissing)
    if (devOutbox) problems.push(fill(o.devOutboxProduction, { value: devOutboxSetting ?? '' }))
  }
  if (mode === 'development') {
    const looksLive = o.looksLive
    if (secure) problems.push(fill(o.devHttps, { looksLive }))
    if (smtpUrl) problems.push(fill(o.devSmtp, { looksLive }))
    if (smsWebhookUrl) problems.push(fill(o.devSms, { looksLive }))
    if (!isLoopback(host)) problems.push(fill(o.devHost, { host: JSON.stringify(host), looksLive }))
  }

  const secretKey = readSecretKey(get('SECRET_KEY'), mode, databasePath, problems, o)
  const olderSecretKeys = readOlderKeys(get('SECRET_KEYS_OLD'), get('SECRET_KEY'), secretKey, problems, o)

  // The first practice's name and contact (domain/practices.ts) go into mail headers and SMS like any practice's.
  const practiceName = get('PRACTICE_NAME')
  const practiceContact = get('PRACTICE_CONTACT')
  // The longest names go into one SMS segment (domain/sms-text.ts, issue 24 #4).
  if (practiceName !== undefined && ([...practiceName.trim()].length > smsNameMax.practiceName || /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u.test(practiceName))) {
    problems.push(o.practiceNameTooLong)
  }
  if (practiceContact !== undefined && ([...practiceContact.trim()].length > smsNameMax.practiceContact || /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u.test(practiceContact))) {
    problems.push(o.practiceContactTooLong)
  }
  const accessibilityContact = get('ACCESSIBILITY_CONTACT')?.trim() || undefined
  if (accessibilityContact !== undefined && (accessibilityContact.length > 200 || /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u.test(accessibilityContact))) {
    problems.push(o.accessibilityContactTooLong)
  }
  const portalName = get('PORTAL_NAME') ?? 'Mijn Therapie Dossier'
  if ([...portalName].length > smsNameMax.portal || portalName.trim() === '') {
    problems.push(o.portalNameTooLong)
  }

  const limits = { ...defaultLimits }
  for (const key of Object.keys(limitEnv) as (keyof Limits)[]) {
    const raw = get(limitEnv[key])
    if (raw !== undefined) limits[key] = integer(raw, limitEnv[key], problems, o, ...limitBounds[key])
  }

  if (limits.flowAbsoluteMinutes < limits.tempPasswordTtlMinutes) {
    problems.push(fill(o.flowShorterThanTemporary, { flow: limits.flowAbsoluteMinutes, temporary: limits.tempPasswordTtlMinutes }))
  }
  if (limits.smsPerAccountPerHour < 2 * limits.codesPerHour) {
    problems.push(fill(o.smsPerAccount, { perAccount: limits.smsPerAccountPerHour, perSender: limits.codesPerHour }))
  }
  if (production && limits.staffChangeCoolingHours < staffChangeCoolingHoursProductionFloor && !problems.some((p) => p.startsWith(limitEnv.staffChangeCoolingHours))) {
    problems.push(fill(o.coolingFloor, { floor: staffChangeCoolingHoursProductionFloor }))
  }

  const metrics = readMetrics(get, port, problems, o)
  const readyOutboxDueMinutes = integer(get('READY_OUTBOX_DUE_MINUTES') ?? '5', 'READY_OUTBOX_DUE_MINUTES', problems, o, 1, 1440)

  const config: Config = {
    mode,
    port,
    host,
    publicUrl,
    secure,
    trustProxy: get('TRUST_PROXY') === 'true',
    databasePath,
    databaseUrl,
    smtpUrl,
    smsWebhookUrl,
    smsWebhookToken: get('SMS_WEBHOOK_TOKEN') ?? null,
    devOutbox,
    portalName,
    practiceName: practiceName ?? null,
    senders: {
      practice: get('MAIL_FROM_PRACTICE') ?? '"Praktijk De Linde" <no-reply@praktijk.example>',
      system: get('MAIL_FROM_SYSTEM') ?? '"Mijn Therapie Dossier" <no-reply@mijntherapiedossier.example>',
      mfa: get('MAIL_FROM_MFA') ?? '"Mijn Therapie Dossier verificatie" <verificatie@mijntherapiedossier.example>',
    },
    secretKey,
    olderSecretKeys,
    operatorLanguage: lang,
    emailMfaEnabled: get('MFA_EMAIL_ENABLED') !== 'false',
    disclaimerText: readText(get('DISCLAIMER_FILE'), 'DISCLAIMER_FILE', problems, o),
    privacyText: readText(get('PRIVACY_FILE'), 'PRIVACY_FILE', problems, o),
    accessibilityContact: accessibilityContact ?? null,
    limits,
    practiceContact: practiceContact ?? null,
    smsCountries: readCountries(get('SMS_COUNTRIES'), problems, o),
    metrics,
    readyOutboxDueMinutes,
  }
  if (problems.length > 0) throw new ConfigError(problems, lang)
  return config
}

type Words = OperatorCatalogue['config']

function integer(raw: string, name: string, problems: string[], o: Words, min: number, max: number): number {
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    problems.push(fill(o.integer, { name, min, max, value: JSON.stringify(raw) }))
    return min
  }
  return value
}

/**
 * METRICS_PORT (unset: no metrics), METRICS_HOST (127.0.0.1) and METRICS_TOKEN: the metrics listen on a
 * port of their own, so the proxy never serves them; beyond loopback only with a token of 32 or more
 * characters (`openssl rand -hex 32`), since a scraper from another machine crosses a network.
 */
function readMetrics(get: (name: string) => string | undefined, port: number, problems: string[], o: Words): MetricsConfig | null {
  const raw = get('METRICS_PORT')
  const host = get('METRICS_HOST') ?? '127.0.0.1'
  const token = get('METRICS_TOKEN') ?? null
  if (raw === undefined) return null
  const metricsPort = integer(raw, 'METRICS_PORT', problems, o, 1, 65535)
  if (metricsPort === port) problems.push(fill(o.metricsSamePort, { port: metricsPort }))
  if (token !== null && token.length < 32) problems.push(o.metricsTokenShort)
  if (!isLoopback(host) && token === null) problems.push(fill(o.metricsHostWithoutToken, { host: JSON.stringify(host) }))
  return { port: metricsPort, host, token }
}

/** SMS_COUNTRIES: ISO 3166 codes, comma-separated; NL, BE and DE by default. */
function readCountries(raw: string | undefined, problems: string[], o: Words): string[] {
  if (raw === undefined) return ['NL', 'BE', 'DE']
  const codes = raw.split(',').map((c) => c.trim().toUpperCase()).filter((c) => c !== '')
  if (codes.length === 0 || codes.some((c) => !/^[A-Z]{2}$/.test(c))) {
    problems.push(fill(o.smsCountries, { value: JSON.stringify(raw) }))
  }
  return codes
}

function readText(path: string | undefined, name: string, problems: string[], o: Words): string {
  if (!path) return ''
  try {
    return readFileSync(path, 'utf8')
  } catch {
    problems.push(fill(o.unreadableFile, { name, path }))
    return ''
  }
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can reach them. */
export function isLoopback(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name)
}

/**
 * SECRET_KEY: exactly 32 bytes, written as 64 hex characters or as 43 base64 or base64url characters
 * (44 with its `=`), decoded strictly. In development and tests a key is generated once into the data
 * folder, so a fresh clone starts with no set-up.
 */
function readSecretKey(raw: string | undefined, mode: Mode, databasePath: string, problems: string[], o: Words): Buffer {
  if (raw) {
    const key = parseSecretKey(raw, 'SECRET_KEY', o)
    if (typeof key === 'string') problems.push(key)
    return typeof key === 'string' ? Buffer.alloc(32) : key
  }
  if (mode === 'production') {
    problems.push(o.secretKeyMissing)
    return Buffer.alloc(32)
  }
  const file = join(dirname(databasePath), 'secret.key')
  try {
    if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex')
    // The data folder and the key in it are the service's alone (issue 11, finding 6).
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    const key = randomBytes(32)
    writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 })
    return key
  } catch (err) {
    // An unwritable data folder is a setting's problem like any other: a plain line, not a stack trace.
    const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : '?'
    problems.push(fill(o.secretKeyFileUnwritable, { file, code, folder: dirname(file) }))
    return Buffer.alloc(32)
  }
}

/**
 * SECRET_KEYS_OLD: the keys SECRET_KEY replaced, newest first, separated by commas or white space, each
 * written like SECRET_KEY. They open what was sealed under them and verify what they signed, until
 * `secret-key reseal` has moved everything to SECRET_KEY (docs/operations.md). Without a SECRET_KEY
 * of its own (development's generated one) an old key would make no sense: refused.
 */
function readOlderKeys(raw: string | undefined, rawFirst: string | undefined, first: Buffer, problems: string[], o: Words): Buffer[] {
  if (raw === undefined) return []
  if (rawFirst === undefined) {
    problems.push(o.olderKeysWithoutKey)
    return []
  }
  const keys: Buffer[] = []
  raw
    .split(/[\s,]+/)
    .filter((k) => k !== '')
    .forEach((text, i) => {
      const name = fill(o.olderKeyName, { n: i + 1 })
      const key = parseSecretKey(text, name, o)
      if (typeof key === 'string') problems.push(key)
      else if (key.equals(first) || keys.some((k) => k.equals(key))) problems.push(fill(o.olderKeyRepeated, { name }))
      else keys.push(key)
    })
  return keys
}

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/**
 * The 32 bytes of a SECRET_KEY, or the problem (in the operator's words, naming the setting). A key that does not look random is refused:
 * its bytes, and the characters it is written in, must show as many different values and as many
 * different steps between neighbours as a random key practically always does (bytes: 16 of 32,
 * base64: 18 of 43, hex: 10 of 64; a random key falls short by chance less than once in a billion
 * times), and the bytes may not all be printable text (a passphrase written out in hex). This catches
 * repeated patterns, counting sequences, a handful of distinct bytes and typed sentences; it can not
 * prove a key random: make it with `openssl rand -hex 32`.
 */
export function parseSecretKey(raw: string, name = 'SECRET_KEY', o: Words = operatorMessages('nl').config): Buffer | string {
  const weak = fill(o.secretKeyWeak, { name })
  let key: Buffer
  let symbols: number[]
  let symbolMin: number
  let radix: number
  if (/^[0-9a-fA-F]{64}$/.test(raw)) {
    key = Buffer.from(raw, 'hex')
    symbols = [...raw.toLowerCase()].map((c) => parseInt(c, 16))
    ;[symbolMin, radix] = [10, 16]
  } else if (/^[A-Za-z0-9+/]{43}=?$/.test(raw) || /^[A-Za-z0-9_-]{43}=?$/.test(raw)) {
    const text = raw.replace(/=$/, '').replace(/-/g, '+').replace(/_/g, '/')
    key = Buffer.from(text, 'base64')
    // Strict: the last character's two spare bits must be zero, so one key has exactly one spelling.
    if (key.length !== 32 || key.toString('base64').replace(/=$/, '') !== text) return fill(o.secretKeyBase64, { name })
    symbols = [...text].map((c) => base64Alphabet.indexOf(c))
    ;[symbolMin, radix] = [18, 64]
  } else {
    return fill(o.secretKeyFormat, { name })
  }
  const bytes = [...key]
  if (!looksRandom(bytes, 16, 256) || !looksRandom(symbols, symbolMin, radix) || bytes.every((b) => b >= 0x20 && b < 0x7f)) return weak
  return key
}

/** At least `min` distinct values, and at least `min` distinct steps (mod radix) from one to the next. */
function looksRandom(values: number[], min: number, radix: number): boolean {
  const steps = values.slice(1).map((v, i) => (v - values[i]! + radix) % radix)
  return new Set(values).size >= min && new Set(steps).size >= min
}
