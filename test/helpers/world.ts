// world(): the real app on a temporary SQLite file (migrations applied), a fake clock, and the
// outbox (every mail and SMS) readable the way a patient reads their inbox and phone.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'otplib'
import type { Test } from 'tap'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { createAccount, findAccountByUsername, type NewAccount } from '../../src/domain/accounts.ts'
import { listEvents } from '../../src/domain/audit.ts'
import { addPractice, listPractices, type Practice, type PracticeInput } from '../../src/domain/practices.ts'
import { listOutbox, type OutboxMessage, type Transports } from '../../src/domain/delivery.ts'
import { sendInvitation } from '../../src/domain/invitations.ts'
import { openSecret } from '../../src/domain/totp.ts'
import { createRuntime } from '../../src/runtime.ts'
import { Browser, injectFrom, type BrowserOptions } from './browser.ts'
import { rawSql } from './sql.ts'
import { freshDatabaseUrl } from './test-database.ts'

export const origin = 'http://localhost:3000'
// From `openssl rand -hex 32`: a hand-typed key would be refused as too regular (src/config.ts, parseSecretKey).
export const testSecretKey = '64673ce114f51275e2221835fda4af1f37aa6c752c26032fd000aee6628b761d'

export class FakeClock {
  constructor(public ms = Date.parse('2026-03-02T09:00:00Z')) {}
  now = () => new Date(this.ms)
  advance(ms: number) {
    this.ms += ms
  }
  advanceSeconds(s: number) {
    this.advance(s * 1000)
  }
  advanceMinutes(m: number) {
    this.advance(m * 60_000)
  }
  advanceHours(h: number) {
    this.advance(h * 3_600_000)
  }
}

export interface WorldOptions {
  env?: Record<string, string>
  transports?: Transports
  /** Reuse a database file (restart tests). */
  databasePath?: string
  /** Where the fake clock starts (epoch ms). OpenID Connect tests start it at the real time: oidc-provider keeps its own clock. */
  clockMs?: number
}

export const jan: NewAccount = { name: 'Jan de Vries', email: 'jan@example.org', phone: '+31612341361', username: 'jdevries' }

export async function world(t: Test, opts: WorldOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mtd-test-'))
  const databasePath = opts.databasePath ?? join(dir, 'portal.db')
  const databaseUrl = opts.databasePath === undefined ? await freshDatabaseUrl(t) : undefined
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_PATH: databasePath,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    SECRET_KEY: testSecretKey,
    PUBLIC_URL: origin,
    DEV_OUTBOX: 'on',
    ...opts.env,
  })
  const clock = new FakeClock(opts.clockMs)
  const runtime = await createRuntime(config, { clock, ...(opts.transports ? { transports: opts.transports } : {}), log: () => {} })
  const app = await buildApp(runtime.deps)
  t.teardown(async () => {
    await app.close()
    await runtime.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const { deps } = runtime
  const inject = injectFrom(app)

  const messages = (): Promise<OutboxMessage[]> => listOutbox(deps, { limit: 1000 })
  const lastTo = async (to: string, kind?: string): Promise<OutboxMessage> => {
    const found = (await messages()).find((m) => m.to === to && (kind === undefined || m.kind === kind))
    if (!found) throw new Error(`No message to ${to}${kind ? ` of kind ${kind}` : ''}; outbox: ${(await messages()).map((m) => `${m.kind}->${m.to}`).join(', ')}`)
    return found
  }
  const linkIn = (text: string): string => {
    const match = /https?:\/\/\S+/.exec(text)
    if (!match) throw new Error(`No link in:\n${text}`)
    const url = new URL(match[0])
    return url.pathname + url.search
  }
  const codeIn = (text: string): string => {
    const match = /\b(\d{6})\b/.exec(text)
    if (!match) throw new Error(`No code in:\n${text}`)
    return match[1]!
  }

  return {
    app,
    deps,
    config,
    clock,
    databasePath,
    runtime,
    /** Raw SQL on either engine (`?` placeholders; times as epoch ms, flags as 1/0): test/helpers/sql.ts. */
    sql: rawSql(deps.db),
    // Requests carry PUBLIC_URL's host, as a browser's would (oidc-provider builds its URLs from it).
    browser: (options: BrowserOptions = {}) =>
      new Browser((opts) => inject({ ...opts, headers: { host: config.publicUrl.host, ...opts.headers } }), { origin: config.publicUrl.origin, ...options }),
    mail: {
      all: async () => (await messages()).filter((m) => m.channel === 'mail'),
      lastTo,
      /** Path (and query) of the link in the last mail to `to` (of `kind`: invite, continue). */
      lastLinkTo: async (to: string, kind?: string) => linkIn((await lastTo(to, kind)).text),
      lastCodeTo: async (to: string) => codeIn((await lastTo(to, 'mfa-code')).text),
    },
    sms: {
      all: async () => (await messages()).filter((m) => m.channel === 'sms'),
      lastCodeTo: async (phone: string) => codeIn((await lastTo(phone, 'phone-code')).text),
      count: async (phone: string) => (await messages()).filter((m) => m.channel === 'sms' && m.to === phone).length,
    },
    /** The practice the installation starts with (migration 0009): every account of a test is in it unless a test says otherwise. */
    practice: (await listPractices(deps))[0]! as Practice,
    /** Another practice on the same installation, as the operator's `practice add` makes it. */
    async addPractice(input: PracticeInput): Promise<Practice> {
      const added = await addPractice(deps, { actor: 'cli' }, input)
      if (!added.ok) throw new Error(JSON.stringify(added.errors))
      return added.practice
    },
    /** Creates and invites a patient (of the first practice unless `practiceId` is given), as the practice or the CLI would. */
    async invite(input: NewAccount = jan, practiceId?: number) {
      const created = await createAccount(deps, { actor: 'cli' }, practiceId ?? (await listPractices(deps))[0]!.id, input)
      if (!created.ok) throw new Error(JSON.stringify(created.errors))
      await sendInvitation(deps, { actor: 'cli' }, created.account.id)
      return created.account
    },
    account: async (username: string) => (await findAccountByUsername(deps, username))!,
    audit: (accountId?: number) => listEvents(deps, { ...(accountId === undefined ? {} : { accountId }), limit: 1000 }),
    /** The code an authenticator app shows now (by the fake clock) for a secret. */
    totp: (secret: string, offsetSeconds = 0) => generate({ secret, epoch: Math.floor(clock.ms / 1000) + offsetSeconds }),
    /** The active TOTP secret of an account, read the way only a test may. */
    totpSecretOf: async (username: string) => openSecret(deps.keys, (await findAccountByUsername(deps, username))!.totpSecretEnc!),
  }
}

export type World = Awaited<ReturnType<typeof world>>

/** Stap 1 for jan, in a fresh browser: the invitation, the second mail's link; on Accountverificatie. */
export async function walkToPhone(w: World) {
  const b = w.browser()
  await b.get((await w.mail.lastLinkTo(jan.email, 'invite')))
  await b.submit('Volgende')
  await b.get((await w.mail.lastLinkTo(jan.email, 'continue')))
  return b
}

/** Stap 1 to Stap 3 for jan: the invitation, the second mail's link, the phone and a password. */
export async function walkToMethodChoice(w: World, password = 'zonneschijn op het strand') {
  const b = await walkToPhone(w)
  await b.submit('Stuur verificatiecode')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  await b.submit('Volgende', { 'Nieuw wachtwoord': password, 'Bevestiging wachtwoord': password })
  await b.submit('Volgende')
  return b
}
