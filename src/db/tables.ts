// The tables the domain queries, of the engine this process runs on (docs/decisions/0022): SQLite's
// (schema.ts) until the database handle opens PostgreSQL, then schema-pg.ts's. One process runs on one
// engine. The two schemas have the same names, columns and row types (test/schema-parity.test.ts), so
// the domain is written once against SQLite's types; this file is the one place where the PostgreSQL
// tables are handed over under those types.
import * as sqlite from './schema.ts'

export type { Account } from './schema.ts'

export let practices = sqlite.practices
export let accounts = sqlite.accounts
export let links = sqlite.links
export let codes = sqlite.codes
export let sessions = sqlite.sessions
export let outbox = sqlite.outbox
export let auditLog = sqlite.auditLog
export let throttles = sqlite.throttles
export let decoyCodes = sqlite.decoyCodes
export let recoveryCodes = sqlite.recoveryCodes
export let oidcClients = sqlite.oidcClients
export let oidcArtifacts = sqlite.oidcArtifacts
export let oidcKeys = sqlite.oidcKeys
export let oidcSubjects = sqlite.oidcSubjects
export let installation = sqlite.installation

/**
 * Points every table above at the engine's: schema.ts's or schema-pg.ts's module, given by the database
 * handle when it opens (so an SQLite process never loads the PostgreSQL schema).
 */
export function useTables(schema: object): void {
  const of = schema as typeof sqlite
  practices = of.practices
  accounts = of.accounts
  links = of.links
  codes = of.codes
  sessions = of.sessions
  outbox = of.outbox
  auditLog = of.auditLog
  throttles = of.throttles
  decoyCodes = of.decoyCodes
  recoveryCodes = of.recoveryCodes
  oidcClients = of.oidcClients
  oidcArtifacts = of.oidcArtifacts
  oidcKeys = of.oidcKeys
  oidcSubjects = of.oidcSubjects
  installation = of.installation
}
