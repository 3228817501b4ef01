// A fresh bench database with N onboarded patients (password + authenticator app), made with the
// same domain functions the portal and the CLI use, before the server starts; and the environment the
// portal runs with.
import Database from 'better-sqlite3'
import { generateSecret } from 'otplib'
import { loadConfig, type Config } from '../../src/config.ts'
import { createAccount, updateAccount } from '../../src/domain/accounts.ts'
import { hashPassword } from '../../src/domain/passwords.ts'
import { sealSecret } from '../../src/domain/totp.ts'
import { listPractices } from '../../src/domain/practices.ts'
import { createRuntime } from '../../src/runtime.ts'

export const benchPassword = 'zonneschijn op het strand van Scheveningen'
export const benchSecretKey = '5e0c1a7d93b24f6a8c1e0d2b4f6a8c9e1d3b5f7a9c2e4d6b8f0a1c3e5d7b9f2a'

export interface Patient {
  username: string
  name: string
  secret: string
}

/** The address the portal is reached at: https behind a TLS proxy, as an operator runs it. */
export const benchPublicUrl = 'https://portal.bench.test'
/** What the bench's clients send, as the proxy in front would: the request came in over https. */
export const proxyHeaders = { 'x-forwarded-proto': 'https' } as const

/** Where mail and SMS go: the bench's local sinks (bench/lib/sinks.ts), or closed loopback ports. */
export interface Delivery {
  smtpUrl: string
  smsUrl: string
}

/**
 * The environment the portal runs with in the bench: production, as an operator runs it (request log
 * on, dev outbox off, https PUBLIC_URL behind a proxy), mail and SMS to loopback only. `logOff` runs
 * NODE_ENV=test with everything else the same: the only difference in src/ is the request log (server.ts).
 * `databaseUrl` (postgres://...) runs it on PostgreSQL instead of the SQLite file at `databasePath`.
 */
export function benchEnv(databasePath: string, port: number, delivery: Delivery, opts: { logOff?: boolean; databaseUrl?: string } = {}): Record<string, string> {
  return {
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    NODE_ENV: opts.logOff ? 'test' : 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: benchPublicUrl,
    TRUST_PROXY: 'true',
    DATABASE_PATH: databasePath,
    SECRET_KEY: benchSecretKey,
    SMTP_URL: delivery.smtpUrl,
    SMS_WEBHOOK_URL: delivery.smsUrl,
    DEV_OUTBOX: 'off',
    // Production starts only while every practice can be reached (issue 20); older checkouts ignore it.
    PRACTICE_CONTACT: '030 123 45 67',
    // Every bench client is 127.0.0.1 and one app signs them all in: the budgets of app sign-ins per
    // client and per app (issue 19 #4, 60 and 5000 an hour) would stop the OIDC phase, so at their ceilings.
    OIDC_INTERACTIONS_PER_CLIENT_PER_HOUR: '100000',
    OIDC_INTERACTIONS_PER_APP_PER_HOUR: '1000000',
  }
}

export function benchConfig(databasePath: string, port: number, delivery: Delivery, opts: { databaseUrl?: string } = {}): Config {
  return loadConfig(benchEnv(databasePath, port, delivery, opts))
}

/**
 * Creates `count` patients who finished onboarding with the app, enrolled a day ago. One argon2id
 * hash is shared: a verify costs the same for every account, and hashing 1000 times would take a minute.
 * Through the domain's own handle, so on whichever engine `config` names (SQLite, or PostgreSQL by its
 * DATABASE_URL): one transaction, which on PostgreSQL is one SERIALIZABLE transaction like any other.
 */
export async function preparePatients(config: Config, count: number): Promise<Patient[]> {
  const runtime = await createRuntime(config, { log: () => {} })
  const { deps } = runtime
  const passwordHash = await hashPassword(benchPassword, config.limits)
  const enrolled = new Date(Date.now() - 86_400_000)
  const patients: Patient[] = []
  await deps.db.transaction(async () => {
    for (let i = 1; i <= count; i++) {
      const username = `bench${String(i).padStart(5, '0')}`
      const name = `Cliënt ${i}`
      const created = await createAccount(deps, { actor: 'cli' }, (await listPractices(deps))[0]!.id, {
        name,
        email: `${username}@example.org`,
        phone: `+316${String(10_000_000 + i).slice(-8)}`,
        username,
      })
      if (!created.ok) throw new Error(`bench account ${username}: ${JSON.stringify(created.errors)}`)
      const secret = generateSecret({ length: 20 })
      await updateAccount(deps, created.account.id, {
        emailVerifiedAt: enrolled,
        phoneVerifiedAt: enrolled,
        passwordHash,
        passwordSetAt: enrolled,
        mfaMethod: 'app',
        mfaEnrolledAt: enrolled,
        totpSecretEnc: sealSecret(deps.keys.totp, secret),
      })
      patients.push({ username, name, secret })
    }
  })
  await runtime.close()
  return patients
}

/**
 * A patient's own address (10.x.y.z from the account's number), for benches where each browser comes
 * from its own home, as patients do, rather than all from 127.0.0.1: the portal counts password guesses
 * per address too (src/domain/throttle.ts), and one address for every browser makes that one row.
 */
export function homeAddress(p: Patient): string {
  const n = Number(/\d+$/.exec(p.username)?.[0] ?? 0)
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
}

/** The tables that grow with use. */
export const grownTables = ['sessions', 'audit_log', 'codes', 'links', 'outbox', 'throttles', 'accounts'] as const

/**
 * Row counts of the tables that grow with use, read with better-sqlite3 alone (no migration runs), so
 * the database of another commit (BENCH_COMPARE) is counted as it is.
 */
export function rowCounts(databasePath: string): Record<string, number> {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    const counts: Record<string, number> = {}
    for (const table of grownTables) counts[table] = (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n
    return counts
  } finally {
    db.close()
  }
}

/** A copy of a prepared database, for another portal to run on (SQLite's own VACUUM INTO: consistent, WAL included). */
export function copyDatabase(from: string, to: string): void {
  const db = new Database(from, { fileMustExist: true })
  try {
    db.prepare('vacuum into ?').run(to)
  } finally {
    db.close()
  }
}
