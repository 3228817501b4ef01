// What is sealed (AES-256-GCM) under keys derived from SECRET_KEY, column by column, and the three things
// key rotation needs of it (docs/decisions/0017-key-rotation.md): a start-up check that the configured
// keys open a sample of it, an inventory per key (`secret-key status`), and `secret-key reseal`, which
// seals what an older key (SECRET_KEYS_OLD) opens again under SECRET_KEY, one transaction per column and
// each row by a conditional update, so it can run beside the portal, be interrupted and run again.
import { and, asc, desc, eq, isNotNull, isNull } from 'drizzle-orm'
import { accounts, oidcArtifacts, oidcClients, oidcKeys as signingKeys, outbox } from '../db/tables.ts'
import { atRestKeys, oidcKeys } from '../oidc/secrets.ts'
import { recordEvent } from './audit.ts'
import type { Actor, Deps } from './deps.ts'
import { encrypt, keysOf, openWithAny, Unopenable } from './secrets.ts'
import { moveCounter, userPartUnder } from './throttle.ts'
import { counted, first } from '../db/index.ts'

export type ColumnName = 'totp' | 'pendingTotp' | 'outbox' | 'signingKeys' | 'clients' | 'oidcSessions'

interface SealedRow {
  id: string | number
  sealed: string
}

interface Column {
  name: ColumnName
  /** The keys that open it, SECRET_KEY's first. */
  keys(deps: Deps): Buffer[]
  /** Every sealed value (`sample`: the oldest and the newest that matter at start, or none). */
  rows(deps: Deps, sample?: boolean): Promise<SealedRow[]>
  /** Replaces `row.sealed` by `next`, only if it is still `row.sealed`. */
  write(deps: Deps, row: SealedRow, next: string): Promise<boolean>
}

const both = <T extends { id: unknown }>(oldest: T | undefined, newest: T | undefined): T[] =>
  oldest === undefined || newest === undefined ? [] : oldest.id === newest.id ? [oldest] : [oldest, newest]

const totp: Column = {
  name: 'totp',
  keys: (deps) => keysOf(deps.keys, 'totp'),
  async rows(deps, sample) {
    const query = () => deps.db.select({ id: accounts.id, sealed: accounts.totpSecretEnc }).from(accounts).where(isNotNull(accounts.totpSecretEnc))
    const rows = sample ? both((await query().orderBy(asc(accounts.id)).limit(1).then(first)), (await query().orderBy(desc(accounts.id)).limit(1).then(first))) : (await query())
    return rows.map((r) => ({ id: r.id, sealed: r.sealed! }))
  },
  write: async (deps, row, next) =>
    (await deps.db.update(accounts).set({ totpSecretEnc: next }).where(and(eq(accounts.id, Number(row.id)), eq(accounts.totpSecretEnc, row.sealed))).returning(counted)).length === 1,
}

// A pending secret no key opens is not checked at start: nothing was enrolled with it (domain/onboarding.ts).
const pendingTotp: Column = {
  name: 'pendingTotp',
  keys: (deps) => keysOf(deps.keys, 'totp'),
  rows: async (deps, sample) =>
    sample
      ? []
      : (await deps.db
          .select({ id: accounts.id, sealed: accounts.totpPendingSecretEnc })
          .from(accounts)
          .where(isNotNull(accounts.totpPendingSecretEnc)))
          .map((r) => ({ id: r.id, sealed: r.sealed! })),
  write: async (deps, row, next) =>
    (await deps.db.update(accounts).set({ totpPendingSecretEnc: next }).where(and(eq(accounts.id, Number(row.id)), eq(accounts.totpPendingSecretEnc, row.sealed))).returning(counted)).length === 1,
}

// Queued bodies: retried and then given up by the dispatcher when no key opens them; not a reason to refuse a start.
const queued: Column = {
  name: 'outbox',
  keys: (deps) => keysOf(deps.keys, 'outbox'),
  rows: async (deps, sample) =>
    sample ? [] : (await deps.db.select({ id: outbox.id, sealed: outbox.bodyEnc }).from(outbox).where(isNotNull(outbox.bodyEnc))).map((r) => ({ id: r.id, sealed: r.sealed! })),
  write: async (deps, row, next) => (await deps.db.update(outbox).set({ bodyEnc: next }).where(and(eq(outbox.id, Number(row.id)), eq(outbox.bodyEnc, row.sealed))).returning(counted)).length === 1,
}

const signing: Column = {
  name: 'signingKeys',
  keys: (deps) => atRestKeys(oidcKeys(deps.config)),
  // At start: the keys in use (the retired ones are only published until they go).
  rows: async (deps, sample) =>
    await deps.db
      .select({ id: signingKeys.kid, sealed: signingKeys.privateJwkEnc })
      .from(signingKeys)
      .where(sample ? isNull(signingKeys.retiredAt) : undefined),
  write: async (deps, row, next) =>
    (await deps.db.update(signingKeys).set({ privateJwkEnc: next }).where(and(eq(signingKeys.kid, String(row.id)), eq(signingKeys.privateJwkEnc, row.sealed))).returning(counted)).length === 1,
}

const clients: Column = {
  name: 'clients',
  keys: (deps) => atRestKeys(oidcKeys(deps.config)),
  async rows(deps, sample) {
    const query = () => deps.db.select({ id: oidcClients.id, sealed: oidcClients.secretEnc }).from(oidcClients)
    return sample ? both((await query().orderBy(asc(oidcClients.createdAt)).limit(1).then(first)), (await query().orderBy(desc(oidcClients.createdAt)).limit(1).then(first))) : (await query())
  },
  write: async (deps, row, next) =>
    (await deps.db.update(oidcClients).set({ secretEnc: next }).where(and(eq(oidcClients.id, String(row.id)), eq(oidcClients.secretEnc, row.sealed))).returning(counted)).length === 1,
}

// oidc-provider's sessions keep their id sealed inside the JSON payload (src/oidc/adapter.ts); `sealed`
// is the whole payload here, opened and written back with only that field changed.
const oidcSessions: Column = {
  name: 'oidcSessions',
  keys: (deps) => atRestKeys(oidcKeys(deps.config)),
  rows: async (deps, sample) =>
    sample ? [] : (await deps.db.select({ id: oidcArtifacts.id, sealed: oidcArtifacts.payload }).from(oidcArtifacts).where(eq(oidcArtifacts.model, 'Session'))),
  write: async (deps, row, next) =>
    (await deps.db
      .update(oidcArtifacts)
      .set({ payload: next })
      .where(and(eq(oidcArtifacts.model, 'Session'), eq(oidcArtifacts.id, String(row.id)), eq(oidcArtifacts.payload, row.sealed)))
      .returning(counted)).length === 1,
}

export const columns: Column[] = [totp, pendingTotp, queued, signing, clients, oidcSessions]

/** The sealed text of a row (a Session's payload holds it in `jtiEnc`), and how to put a new one back. */
function sealedOf(column: Column, row: SealedRow): { text: string | null; replace: (next: string) => string } {
  if (column.name !== 'oidcSessions') return { text: row.sealed, replace: (next) => next }
  const payload = JSON.parse(row.sealed) as { jtiEnc?: unknown }
  return {
    text: typeof payload.jtiEnc === 'string' ? payload.jtiEnc : null,
    replace: (next) => JSON.stringify({ ...payload, jtiEnc: next }),
  }
}

/** Under which configured key a value opens: 0 SECRET_KEY, 1.. SECRET_KEYS_OLD's, null none. */
function keyIndex(keys: Buffer[], sealed: string): number | null {
  try {
    return openWithAny(keys, sealed).index
  } catch (err) {
    if (err instanceof Unopenable) return null
    throw err
  }
}

export interface Unopened {
  column: ColumnName
  id: string | number
}

/**
 * At start: a sample of what matters for signing in (the oldest and newest app secret of an account
 * and of an app, the signing keys in use) must open under some configured key. The values that do
 * not; none means the keys fit the data (an empty database fits any key).
 */
export async function keysThatDoNotFit(deps: Deps): Promise<Unopened[]> {
  const found: Unopened[] = []
  for (const column of columns) {
    const keys = column.keys(deps)
    for (const row of (await column.rows(deps, true))) if (keyIndex(keys, row.sealed) === null) found.push({ column: column.name, id: row.id })
  }
  return found
}

/** Every value of one column that no configured key opens (for `secret-key forget`, domain/lost-key.ts). */
export async function unopenedRows(deps: Deps, name: ColumnName): Promise<SealedRow[]> {
  const column = columns.find((c) => c.name === name)!
  const keys = column.keys(deps)
  return (await column.rows(deps)).filter((row) => {
    const text = sealedOf(column, row).text
    return text !== null && keyIndex(keys, text) === null
  })
}

/** Per column: how many values open under SECRET_KEY (`current`), under an older key, or under none. */
export type Inventory = Record<ColumnName, { current: number; older: number; unopenable: number }>

export async function sealedInventory(deps: Deps): Promise<Inventory> {
  const inventory = {} as Inventory
  for (const column of columns) {
    const keys = column.keys(deps)
    const counts = { current: 0, older: 0, unopenable: 0 }
    for (const row of (await column.rows(deps))) {
      const text = sealedOf(column, row).text
      if (text === null) continue
      const index = keyIndex(keys, text)
      if (index === null) counts.unopenable++
      else if (index === 0) counts.current++
      else counts.older++
    }
    inventory[column.name] = counts
  }
  return inventory
}

export interface ResealReport {
  columns: Record<ColumnName, { resealed: number; current: number; unopenable: number }>
  /** Username counters (delays, locks) of known accounts moved from an older key's name to the first's. */
  counters: number
}

/**
 * Seals every value an older key opens again under SECRET_KEY: one transaction per column, each row
 * only if it did not change meanwhile (the portal may be running). Values no key opens are left and
 * counted. Then the username counters of every account move to their names under SECRET_KEY.
 * Audited once (`secrets_resealed`). Running it again finds nothing left to do.
 */
export async function resealAll(deps: Deps, by: Actor): Promise<ResealReport> {
  const report: ResealReport = { columns: {} as ResealReport['columns'], counters: 0 }
  for (const column of columns) {
    const keys = column.keys(deps)
    report.columns[column.name] = (await deps.db.transaction(async () => {
      const counts = { resealed: 0, current: 0, unopenable: 0 }
      for (const row of (await column.rows(deps))) {
        const { text, replace } = sealedOf(column, row)
        if (text === null) continue
        let opened: { text: string; index: number }
        try {
          opened = openWithAny(keys, text)
        } catch (err) {
          if (!(err instanceof Unopenable)) throw err
          counts.unopenable++
          continue
        }
        if (opened.index === 0) counts.current++
        else if ((await column.write(deps, row, replace(encrypt(keys[0]!, opened.text))))) counts.resealed++
      }
      return counts
    }))
  }
  const older = deps.keys.older.map((set) => set.throttle)
  if (older.length > 0) {
    const usernames = await deps.db.select({ username: accounts.username }).from(accounts).where(isNull(accounts.erasedAt))
    for (const { username } of usernames) {
      for (const key of older) if ((await moveCounter(deps, userPartUnder(key, username), userPartUnder(deps.keys.throttle, username)))) report.counters++
    }
  }
  const totals = Object.values(report.columns).reduce((sum, c) => ({ resealed: sum.resealed + c.resealed, unopenable: sum.unopenable + c.unopenable }), { resealed: 0, unopenable: 0 })
  await recordEvent(deps, by, { event: 'secrets_resealed', outcome: totals.unopenable === 0 ? 'success' : 'failure', detail: { ...totals, renamed: report.counters } })
  return report
}
