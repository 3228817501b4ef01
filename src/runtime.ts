// Wires the parts that the web server, the CLI and the tests share: database, keys, clock and the
// outbox dispatcher. Nothing here listens on a port.
import type { Config } from './config.ts'
import { openDatabase } from './db/index.ts'
import { createDispatcher, createTransports, type Dispatcher, type Transports } from './domain/delivery.ts'
import { systemClock, type Clock, type Deps } from './domain/deps.ts'
import { applyPracticeSettings } from './domain/practices.ts'
import { deriveKeys } from './domain/secrets.ts'
import { createAppSignIns } from './oidc/app-sign-ins.ts'

export interface Runtime {
  deps: Deps
  dispatcher: Dispatcher
  close(): Promise<void>
}

export function createRuntime(
  config: Config,
  opts: { clock?: Clock; transports?: Transports; log?: (msg: string) => void } = {},
): Runtime {
  const db = openDatabase(config.databasePath)
  const base = { config, db, clock: opts.clock ?? systemClock, keys: deriveKeys(config.secretKey) }
  const dispatcher = createDispatcher(base, opts.transports ?? createTransports(config), opts.log ?? ((msg) => console.error(msg)))
  // Ending an account's sessions ends its sign-ins at the practice's apps too (src/oidc/app-sign-ins.ts).
  const deps: Deps = { ...base, notify: () => dispatcher.kick(), warn: opts.log ?? ((msg) => console.error(msg)), appSignIns: createAppSignIns(() => deps) }
  // A single-practice installation: its practice takes PRACTICE_NAME and PRACTICE_CONTACT, as it always did.
  applyPracticeSettings(deps)
  return {
    deps,
    dispatcher,
    async close() {
      // The apps told of ended sign-ins first: their calls write the audit log.
      await deps.appSignIns.idle()
      await dispatcher.stop()
      db.$client.close()
    },
  }
}
