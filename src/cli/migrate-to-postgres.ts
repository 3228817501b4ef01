// `migrate-to-postgres [--from FILE]` (issue 21 item 4, docs/postgresql.md): an SQLite installation
// moved into the empty PostgreSQL database of DATABASE_URL. Not a runtime command: the runtime would
// open (and write to) the target before the copy, and the source is only read. The copy itself is
// src/db/move-to-postgres.ts; here the checks around it and what the operator reads.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { loadConfig, databasePathOf } from '../config.ts'
import { verifyAuditLog } from '../domain/audit.ts'
import type { Deps } from '../domain/deps.ts'
import { keysThatDoNotFit } from '../domain/sealed.ts'
import { deriveKeys } from '../domain/secrets.ts'
import type { Count } from '../db/move-to-postgres.ts'
import * as sqliteSchema from '../db/schema.ts'
import { useTables } from '../db/tables.ts'
import { keysDoNotFit } from '../operator.ts'
import { Failure, fill, openReadOnlyOrSay, operatorLanguageNow, table, UsageError, withoutPassword, words, type Command } from './command.ts'

/** sysexits EX_CONFIG, as runCli uses it: the settings (here: the keys, the file) are wrong. */
const configExit = 78

export const migrateToPostgres: Command = {
  overview: (o) => o.commands.migrateToPostgres.overview,
  help: (o) => o.commands.migrateToPostgres.help,
  async own(settings, args) {
    // The PostgreSQL drivers only for this command: every other command (and a streamed export in a 48 MB heap) runs without them.
    const [{ checkSource, copyTables, openTarget }, { openPgHandle }] = await Promise.all([import('../db/move-to-postgres.ts'), import('../db/pg-handle.ts')])
    const o = words().commands.migrateToPostgres
    const { values, positionals } = parseArgs({ args, options: { from: { type: 'string' } }, allowPositionals: true, strict: true })
    if (positionals.length > 0) throw new UsageError(fill(words().cli.unexpectedArgument, { subject: positionals[0]! }))
    const url = settings.DATABASE_URL?.trim()
    if (!url) throw new UsageError(o.noUrl)
    const path = values.from ?? databasePathOf(settings)
    console.error(fill(o.route, { from: path, to: withoutPassword(url) }))
    if (!existsSync(path)) {
      console.error(fill(words().cli.databaseUnreadable, { path, reason: 'ENOENT' }))
      return configExit
    }
    // After the file is known to exist: in development loadConfig makes a key file beside it otherwise.
    const config = loadConfig(settings)
    const source = openReadOnlyOrSay(path)
    if (!source) return configExit
    try {
      const checked = checkSource(source, existsSync(`${path}-wal`))
      if (!checked.ok) {
        const reasons = { 'in-use': o.inUse, 'schema-behind': o.schemaBehind, 'schema-ahead': o.schemaAhead, chain: checked.detail?.ok ? o.chainPending : o.chainBroken }
        throw new Failure(fill(reasons[checked.reason], { path }))
      }
      // The keys before anything is written: the same sample the portal's start checks (domain/sealed.ts).
      useTables(sqliteSchema)
      const installation = source.sqlite.prepare('select decoy_key from installation where id = 1').get() as { decoy_key: string } | undefined
      const keys = deriveKeys(config.secretKey, config.olderSecretKeys, installation ? Buffer.from(installation.decoy_key, 'hex') : randomBytes(32))
      // keysThatDoNotFit reads only the database, the keys and the configuration.
      const unopened = await keysThatDoNotFit({ db: source.db, keys, config } as Deps)
      if (unopened.length > 0) {
        console.error(`${keysDoNotFit(operatorLanguageNow(), path, unopened)}\n${o.keys}`)
        return configExit
      }
      const target = await openTarget(url)
      let counts: Count[]
      try {
        const copied = await copyTables(source, target.db)
        if (!copied.ok && copied.reason === 'not-empty') throw new Failure(fill(o.notEmpty, { tables: copied.counts.map((c) => `${c.table}: ${c.target}`).join(', ') }))
        if (!copied.ok) {
          const differ = copied.counts.filter((c) => c.source !== c.target)
          throw new Failure(fill(o.countsDiffer, { tables: differ.map((c) => `${c.table}: ${c.source} / ${c.target}`).join(', ') }))
        }
        counts = copied.counts
      } finally {
        await target.close()
      }
      console.log(table(o.columns, counts.map((c) => [c.table, String(c.source), String(c.target)])))
      console.error(fill(o.copied, { rows: counts.reduce((n, c) => n + c.target, 0), tables: counts.length }))
      // Through the handle the portal itself will open, on PostgreSQL's tables.
      const db = await openPgHandle(url)
      try {
        const chain = await verifyAuditLog({ db })
        if (!chain.ok || chain.head !== checked.chain.head) throw new Failure(fill(o.verifyFailed, { id: chain.ok ? (chain.lastId ?? 0) : chain.id }))
        console.log(fill(o.verified, { rows: chain.rows, id: chain.lastId ?? 0, hash: chain.head }))
      } finally {
        await db.close()
      }
      console.error(o.next)
      return 0
    } finally {
      source.close()
    }
  },
}
