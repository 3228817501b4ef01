// `backup FILE`: a consistent, checked copy of the database while the portal runs, with the last hash of
// the audit chain in the copy itself (to note with the backup).
import { parseArgs } from 'node:util'
import { backupDatabase } from '../domain/backup.ts'
import { Failure, fill, UsageError, words, type Command } from './command.ts'

export const backup: Command = {
  overview: (o) => o.commands.backup.overview,
  help: (o) => o.commands.backup.help,
  async run(runtime, args) {
    const o = words().commands.backup
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true })
    if (positionals.length !== 1) throw new UsageError(o.oneFile)
    const result = await backupDatabase(runtime.deps, positionals[0]!)
    if (!result.ok) {
      if (result.reason === 'check-failed') throw new UsageError(fill(o.checkFailed, { detail: result.detail }))
      if (result.reason === 'postgres') throw new Failure(o.postgres)
      throw new UsageError(result.reason === 'exists' ? o.exists : o.sameFile)
    }
    console.log(result.file)
    console.error(fill(o.made, { size: Math.ceil(result.bytes / 1024) }))
    const { chain } = result
    if (chain.ok) console.error(fill(o.copyHash, { id: chain.lastId ?? 0, hash: chain.head }))
    else console.error(fill(o.copyBroken, { id: chain.id }))
  },
}
