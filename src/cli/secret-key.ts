// `secret-key status` and `secret-key reseal`: rotating SECRET_KEY (docs/operations.md, "Rotating the
// secret key"). Not `keys rotate`, which replaces the OpenID Connect signing keys.
import { forgetUnopenable } from '../domain/lost-key.ts'
import { columns, resealAll, sealedInventory } from '../domain/sealed.ts'
import { cli, Failure, fill, table, UsageError, words, type Command } from './command.ts'

export const secretKey: Command = {
  overview: (o) => o.commands.secretKey.overview,
  help: (o) => o.commands.secretKey.help,
  // status and forget are what a wrong or lost key needs: they run where the start check would refuse.
  checksKeys: (args) => args[0] === 'reseal',
  async run(runtime, args) {
    const o = words().commands.secretKey
    const { deps } = runtime
    if (args[0] === 'forget') {
      if (args.length !== 2 || args[1] !== '--yes') throw new UsageError(o.forgetConfirm)
      const gone = await forgetUnopenable(deps, cli)
      await runtime.dispatcher.idle()
      for (const c of gone.clients) console.log(`${c.name}\nclient_id: ${c.id}\nclient_secret: ${c.secret}`)
      console.error(fill(o.forgotten, { accounts: gone.accounts.length, clients: gone.clients.length, keys: gone.signingKeys, outbox: gone.outbox, sessions: gone.oidcSessions }))
      return
    }
    if (args.length !== 1 || (args[0] !== 'status' && args[0] !== 'reseal')) throw new UsageError(o.give)
    if (args[0] === 'status') {
      const inventory = await sealedInventory(deps)
      console.log(table(o.columns, columns.map((c) => [o.kinds[c.name], ...[inventory[c.name].current, inventory[c.name].older, inventory[c.name].unopenable].map(String)])))
      const older = Object.values(inventory).reduce((n, c) => n + c.older, 0)
      const unopenable = Object.values(inventory).reduce((n, c) => n + c.unopenable, 0)
      if (deps.keys.older.length === 0) console.error(o.noOlder)
      else console.error(older === 0 ? o.readyToRemove : fill(o.olderLeft, { count: older }))
      if (unopenable > 0) console.error(fill(o.unopenable, { count: unopenable }))
      return
    }
    const report = await resealAll(deps, cli)
    console.log(table(o.resealColumns, columns.map((c) => [o.kinds[c.name], ...[report.columns[c.name].resealed, report.columns[c.name].current, report.columns[c.name].unopenable].map(String)])))
    const resealed = Object.values(report.columns).reduce((n, c) => n + c.resealed, 0)
    const unopenable = Object.values(report.columns).reduce((n, c) => n + c.unopenable, 0)
    console.error(fill(o.resealed, { count: resealed }))
    if (report.counters > 0) console.error(fill(o.counters, { count: report.counters }))
    // Not done while something opens under no key: exit code 1, so a script does not drop the old key.
    if (unopenable > 0) throw new Failure(fill(o.unopenable, { count: unopenable }))
    if (deps.keys.older.length > 0) console.error(o.readyToRemove)
  },
}
