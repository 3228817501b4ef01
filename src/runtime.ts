// Wires the parts that the web server, the CLI and the tests share: database, keys, clock, the outbox
// dispatcher and the domain's events. Nothing here listens on a port.
import type { Config } from './config.ts'
import { openDatabase } from './db/index.ts'
import { createDispatcher, createTransports, type Dispatcher, type Transports } from './domain/delivery.ts'
import { systemClock, type Clock, type Deps, type OperatorLog } from './domain/deps.ts'
import { createEvents } from './domain/events.ts'
import { adoptOlderRows } from './domain/audit.ts'
import type { Adopted } from './db/audit-chain.ts'
import { applyPracticeSettings } from './domain/practices.ts'
import { deriveKeys } from './domain/secrets.ts'
import { createAppSignIns } from './oidc/app-sign-ins.ts'
import { installationDecoyKey } from './db/installation.ts'

export interface Runtime {
  deps: Deps
  dispatcher: Dispatcher
  /** Audit rows an older version wrote, adopted into the chain at this start (domain/audit.ts), or null. */
  adopted: Adopted | null
  close(): Promise<void>
}

/** Without the server's logger (the CLI): the same JSON lines, on standard error. */
const stderrLog: OperatorLog = {
  warn: (fields, msg) => console.error(JSON.stringify({ level: 'warn', time: Date.now(), msg, ...fields })),
  error: (fields, msg) => console.error(JSON.stringify({ level: 'error', time: Date.now(), msg, ...fields })),
}

/** A plain function as the operator's log (tests pass `() => {}` to keep quiet). */
const textLog = (log: (msg: string) => void): OperatorLog => ({
  warn: (fields, msg) => log(`${msg} ${JSON.stringify(fields)}`),
  error: (fields, msg) => log(`${msg} ${JSON.stringify(fields)}`),
})

export async function createRuntime(
  config: Config,
  opts: { clock?: Clock; transports?: Transports; log?: (msg: string) => void; logger?: OperatorLog } = {},
): Promise<Runtime> {
  const db = await openDatabase(config)
  const logger = opts.logger ?? (opts.log ? textLog(opts.log) : stderrLog)
  const clock = opts.clock ?? systemClock
  const keys = deriveKeys(config.secretKey, config.olderSecretKeys, (await installationDecoyKey(db, clock.now())))
  const base = { config, db, clock, keys, events: createEvents() }
  const dispatcher = createDispatcher(base, opts.transports ?? createTransports(config), logger)
  // Ending an account's sessions ends its sign-ins at the practice's apps too (src/oidc/app-sign-ins.ts).
  const deps: Deps = { ...base, notify: () => dispatcher.kick(), warn: opts.log ?? ((msg) => logger.warn({}, msg)), appSignIns: createAppSignIns(() => deps) }
  const adopted = await adoptOlderRows(deps)
  // A single-practice installation: its practice takes PRACTICE_NAME and PRACTICE_CONTACT, as it always did.
  await applyPracticeSettings(deps)
  return {
    deps,
    dispatcher,
    adopted,
    async close() {
      // The apps told of ended sign-ins first: their calls write the audit log.
      await deps.appSignIns.idle()
      await dispatcher.stop()
      await db.close()
    },
  }
}
