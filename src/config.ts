// The one place that reads the environment. loadConfig turns it into a typed Config or a list of
// every problem at once, so an operator fixes a broken .env in one go instead of one restart per typo.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'

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
  smtpUrl: string | null
  smsWebhookUrl: string | null
  smsWebhookToken: string | null
  devOutbox: boolean
  portalName: string
  practiceName: string
  senders: { practice: string; system: string; mfa: string }
  secretKey: Buffer
  emailMfaEnabled: boolean
  disclaimerText: string
  privacyText: string
  limits: Limits
  // Throttle (docs/decisions/0008-throttle.md).
  /** How a patient reaches the practice (a phone number, an address), shown with a lock or a cap; '' when unset. */
  practiceContact: string
  /** ISO country codes whose numbers may get an SMS. */
  smsCountries: string[]
}

export interface Limits {
  inviteLinkTtlHours: number
  continueLinkTtlHours: number
  codeTtlMinutes: number
  codeMaxAttempts: number
  codeResendCooldownSeconds: number
  /** Codes per account per hour, per purpose: SMS costs money and invites toll fraud. */
  codesPerHour: number
  tempPasswordTtlMinutes: number
  sessionIdleMinutes: number
  sessionAbsoluteHours: number
  /** Unauthenticated flow sessions (onboarding, sign-in in progress) live this long without a request. */
  flowIdleMinutes: number
  argon2MemoryKiB: number
  argon2Iterations: number
  /** Guessing: consecutive failures per typed username before the delay starts, the delay doubling from
   *  delayBaseSeconds up to delayCapMinutes, and the hard lock. */
  failuresBeforeDelay: number
  delayBaseSeconds: number
  delayCapMinutes: number
  lockAfterFailures: number
  /** Failures from one client (IPv4 address, IPv6 /64), across usernames, before its sign-ins go into hidden mode (decision 0008). */
  ipFailuresBeforeDelay: number
  // Throttle and budgets (docs/decisions/0008-throttle.md).
  /** Failures of one username from all untrusted clients together before every untrusted client waits. */
  usernameFailuresBeforeDelay: number
  /** E-mail sign-in codes per account per hour (well above the SMS cap: e-mail costs nothing). */
  emailCodesPerHour: number
  /** SMS per client (IPv4 address, IPv6 /64) per hour, over all accounts and decoys. */
  smsPerClientPerHour: number
  /** SMS of the whole portal per hour. */
  smsPerHour: number
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
  argon2MemoryKiB: 19456,
  argon2Iterations: 2,
  failuresBeforeDelay: 5,
  delayBaseSeconds: 30,
  delayCapMinutes: 15,
  lockAfterFailures: 100,
  ipFailuresBeforeDelay: 10,
  usernameFailuresBeforeDelay: 25,
  emailCodesPerHour: 20,
  smsPerClientPerHour: 30,
  smsPerHour: 300,
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
  argon2MemoryKiB: 'ARGON2_MEMORY_KIB',
  argon2Iterations: 'ARGON2_ITERATIONS',
  failuresBeforeDelay: 'FAILURES_BEFORE_DELAY',
  delayBaseSeconds: 'DELAY_BASE_SECONDS',
  delayCapMinutes: 'DELAY_CAP_MINUTES',
  lockAfterFailures: 'LOCK_AFTER_FAILURES',
  ipFailuresBeforeDelay: 'IP_FAILURES_BEFORE_DELAY',
  usernameFailuresBeforeDelay: 'USERNAME_FAILURES_BEFORE_DELAY',
  emailCodesPerHour: 'EMAIL_CODES_PER_HOUR',
  smsPerClientPerHour: 'SMS_PER_CLIENT_PER_HOUR',
  smsPerHour: 'SMS_PER_HOUR',
}

/** Floors below which a setting is unsafe, whatever the operator asks. */
const limitFloor: Partial<Record<keyof Limits, number>> = { argon2MemoryKiB: 19456, argon2Iterations: 2 }
/** And ceilings: NIST 800-63B allows at most 100 consecutive failures; codes live at most 10 minutes. */
const limitCeiling: Partial<Record<keyof Limits, number>> = { lockAfterFailures: 100, codeTtlMinutes: 10, codeMaxAttempts: 10 }

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuratie onjuist:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

type Env = Record<string, string | undefined>

export function loadConfig(env: Env, opts: { cwd?: string } = {}): Config {
  const problems: string[] = []
  const get = (name: string) => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }

  const rawMode = get('NODE_ENV') ?? 'development'
  const mode: Mode = rawMode === 'production' || rawMode === 'test' ? rawMode : 'development'
  const production = mode === 'production'

  const port = integer(get('PORT') ?? '3000', 'PORT', problems, 0, 65535)
  const host = get('HOST') ?? '127.0.0.1'

  let publicUrl = new URL(`http://localhost:${port}`)
  const rawPublicUrl = get('PUBLIC_URL')
  if (rawPublicUrl) {
    try {
      publicUrl = new URL(rawPublicUrl)
      if (publicUrl.protocol !== 'http:' && publicUrl.protocol !== 'https:') problems.push('PUBLIC_URL moet met http:// of https:// beginnen.')
    } catch {
      problems.push(`PUBLIC_URL is geen geldige URL: ${JSON.stringify(rawPublicUrl)}.`)
    }
  } else if (production) {
    problems.push('PUBLIC_URL ontbreekt (de basis van elke link in e-mail, bijvoorbeeld https://dossier.praktijk.nl).')
  }
  const secure = publicUrl.protocol === 'https:'
  if (production && rawPublicUrl && !secure) problems.push('PUBLIC_URL moet in productie https:// zijn (veilige cookies en HSTS).')
  // The portal speaks no TLS itself: with an https PUBLIC_URL it sits behind a proxy, and without
  // TRUST_PROXY it would see every request as plain http and never keep a session.
  if (production && secure && get('TRUST_PROXY') !== 'true') {
    problems.push('PUBLIC_URL is https, maar TRUST_PROXY staat niet op true: zet het portaal achter een reverse proxy die TLS afhandelt en X-Forwarded-Proto meestuurt, en stel TRUST_PROXY=true in.')
  }

  const databasePath = get('DATABASE_PATH') ?? join(opts.cwd ?? process.cwd(), 'data', 'portal.db')

  const smtpUrl = get('SMTP_URL') ?? null
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL moet met smtp:// of smtps:// beginnen.')
  const smsWebhookUrl = get('SMS_WEBHOOK_URL') ?? null
  if (smsWebhookUrl && !/^https?:\/\//.test(smsWebhookUrl)) problems.push('SMS_WEBHOOK_URL moet met http:// of https:// beginnen.')

  const devOutboxSetting = get('DEV_OUTBOX')
  const devOutbox = devOutboxSetting === undefined ? !production : devOutboxSetting === 'on'
  if (production) {
    if (!smtpUrl) problems.push('SMTP_URL ontbreekt: zonder mailserver krijgen cliënten geen uitnodiging of code.')
    if (!smsWebhookUrl) problems.push('SMS_WEBHOOK_URL ontbreekt: zonder sms-gateway kan niemand zijn telefoonnummer verifiëren.')
    if (devOutbox) problems.push('DEV_OUTBOX=on is in productie niet toegestaan: /dev/outbox toont alle codes.')
  }

  const secretKey = readSecretKey(get('SECRET_KEY'), mode, databasePath, problems)

  const limits = { ...defaultLimits }
  for (const key of Object.keys(limitEnv) as (keyof Limits)[]) {
    const raw = get(limitEnv[key])
    if (raw !== undefined) limits[key] = integer(raw, limitEnv[key], problems, limitFloor[key] ?? 1, limitCeiling[key] ?? 1_000_000)
  }

  const config: Config = {
    mode,
    port,
    host,
    publicUrl,
    secure,
    trustProxy: get('TRUST_PROXY') === 'true',
    databasePath,
    smtpUrl,
    smsWebhookUrl,
    smsWebhookToken: get('SMS_WEBHOOK_TOKEN') ?? null,
    devOutbox,
    portalName: get('PORTAL_NAME') ?? 'Mijn Therapie Dossier',
    practiceName: get('PRACTICE_NAME') ?? 'Praktijk De Linde',
    senders: {
      practice: get('MAIL_FROM_PRACTICE') ?? '"Praktijk De Linde" <no-reply@praktijk.example>',
      system: get('MAIL_FROM_SYSTEM') ?? '"Mijn Therapie Dossier" <no-reply@mijntherapiedossier.example>',
      mfa: get('MAIL_FROM_MFA') ?? '"Mijn Therapie Dossier verificatie" <verificatie@mijntherapiedossier.example>',
    },
    secretKey,
    emailMfaEnabled: get('MFA_EMAIL_ENABLED') !== 'false',
    disclaimerText: readText(get('DISCLAIMER_FILE'), 'DISCLAIMER_FILE', problems),
    privacyText: readText(get('PRIVACY_FILE'), 'PRIVACY_FILE', problems),
    limits,
    practiceContact: get('PRACTICE_CONTACT') ?? '',
    smsCountries: readCountries(get('SMS_COUNTRIES'), problems),
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

function integer(raw: string, name: string, problems: string[], min: number, max: number): number {
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    problems.push(`${name} moet een geheel getal zijn van ${min} tot en met ${max} (nu ${JSON.stringify(raw)}).`)
    return min
  }
  return value
}

/** SMS_COUNTRIES: ISO 3166 codes, comma-separated; NL, BE and DE by default. */
function readCountries(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return ['NL', 'BE', 'DE']
  const codes = raw.split(',').map((c) => c.trim().toUpperCase()).filter((c) => c !== '')
  if (codes.length === 0 || codes.some((c) => !/^[A-Z]{2}$/.test(c))) {
    problems.push(`SMS_COUNTRIES moet een lijst van landcodes zijn, zoals NL,BE,DE (nu ${JSON.stringify(raw)}).`)
  }
  return codes
}

function readText(path: string | undefined, name: string, problems: string[]): string {
  if (!path) return ''
  try {
    return readFileSync(path, 'utf8')
  } catch {
    problems.push(`${name}: het bestand ${path} is niet leesbaar.`)
    return ''
  }
}

/**
 * SECRET_KEY: 32+ bytes as 64+ hex characters or 43+ base64 characters. In development and tests
 * a key is generated once into the data folder, so a fresh clone starts with no set-up.
 */
function readSecretKey(raw: string | undefined, mode: Mode, databasePath: string, problems: string[]): Buffer {
  if (raw) {
    const key = /^[0-9a-f]+$/i.test(raw) && raw.length % 2 === 0 ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64')
    if (key.length < 32 || new Set(key).size < 8) {
      problems.push('SECRET_KEY is te zwak: gebruik 32 willekeurige bytes, bijvoorbeeld `openssl rand -hex 32`.')
    }
    return key
  }
  if (mode === 'production') {
    problems.push('SECRET_KEY ontbreekt: maak er een met `openssl rand -hex 32`.')
    return Buffer.alloc(32)
  }
  const file = join(dirname(databasePath), 'secret.key')
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex')
  mkdirSync(dirname(file), { recursive: true })
  const key = randomBytes(32)
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 })
  return key
}
