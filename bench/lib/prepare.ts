// A fresh bench database with N onboarded patients (password + authenticator app), made with the
// same domain functions the portal and the CLI use, before the server starts.
import { generateSecret } from 'otplib'
import { loadConfig, type Config } from '../../src/config.ts'
import { createAccount, updateAccount } from '../../src/domain/accounts.ts'
import { hashPassword } from '../../src/domain/passwords.ts'
import { sealSecret } from '../../src/domain/totp.ts'
import { createRuntime } from '../../src/runtime.ts'

export const benchPassword = 'zonneschijn op het strand van Scheveningen'
export const benchSecretKey = '5e0c1a7d93b24f6a8c1e0d2b4f6a8c9e1d3b5f7a9c2e4d6b8f0a1c3e5d7b9f2a'

export interface Patient {
  username: string
  secret: string
}

/** The environment the portal runs with in the bench (NODE_ENV=test: no request log, no demo seed). */
export function benchEnv(databasePath: string, port: number): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_PATH: databasePath,
    SECRET_KEY: benchSecretKey,
    // The screen walk reads codes and links from the outbox; the dispatcher keeps bodies only with the dev outbox on.
    DEV_OUTBOX: 'on',
  }
}

export function benchConfig(databasePath: string, port: number): Config {
  return loadConfig(benchEnv(databasePath, port))
}

/**
 * Creates `count` patients who finished onboarding with the app, enrolled a day ago. One argon2id
 * hash is shared: a verify costs the same for every account, and hashing 1000 times would take a minute.
 */
export async function preparePatients(config: Config, count: number): Promise<Patient[]> {
  const runtime = createRuntime(config, { log: () => {} })
  const { deps } = runtime
  const passwordHash = await hashPassword(benchPassword, config.limits)
  const enrolled = new Date(Date.now() - 86_400_000)
  const patients: Patient[] = []
  deps.db.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const username = `bench${String(i).padStart(5, '0')}`
      const created = createAccount(deps, { actor: 'cli' }, {
        name: `Cliënt ${i}`,
        email: `${username}@example.org`,
        phone: `+316${String(10_000_000 + i).slice(-8)}`,
        username,
      })
      if (!created.ok) throw new Error(`bench account ${username}: ${JSON.stringify(created.errors)}`)
      const secret = generateSecret({ length: 20 })
      updateAccount(deps, created.account.id, {
        emailVerifiedAt: enrolled,
        phoneVerifiedAt: enrolled,
        passwordHash,
        passwordSetAt: enrolled,
        mfaMethod: 'app',
        mfaEnrolledAt: enrolled,
        totpSecretEnc: sealSecret(deps.keys.totp, secret),
      })
      patients.push({ username, secret })
    }
  })
  await runtime.close()
  return patients
}

/** Row counts of the tables that grow with use. */
export function rowCounts(config: Config): Record<string, number> {
  const runtime = createRuntime(config, { log: () => {} })
  const sqlite = runtime.deps.db.$client
  const counts: Record<string, number> = {}
  for (const table of ['sessions', 'audit_log', 'codes', 'links', 'outbox', 'throttles', 'accounts']) {
    counts[table] = (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n
  }
  void runtime.close()
  return counts
}
