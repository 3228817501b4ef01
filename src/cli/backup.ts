// `backup FILE`: a consistent, checked copy of the database while the portal runs.
import { parseArgs } from 'node:util'
import { backupDatabase } from '../domain/backup.ts'
import { UsageError, type Command } from './command.ts'

export const backup: Command = {
  overview: `backup BESTAND
Maakt een consistente back-up van de database terwijl het portaal draait.`,
  help: `Gebruik: npm run admin -- backup BESTAND

Maakt een consistente kopie van de database, ook terwijl het portaal draait, en controleert die.
Een bestaand bestand wordt nooit overschreven. De kopie bevat geen SECRET_KEY: bewaar die apart.
Terugzetten: stop het portaal, zet de kopie op de plaats van DATABASE_PATH (verwijder daar eventuele
-wal en -shm bestanden) en start het portaal met dezelfde SECRET_KEY (zie docs/security.md).`,
  async run(runtime, args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true })
    if (positionals.length !== 1) throw new UsageError('Geef één bestandsnaam: npm run admin -- backup BESTAND.')
    const result = await backupDatabase(runtime.deps, positionals[0]!)
    if (!result.ok) {
      if (result.reason === 'check-failed') throw new UsageError(`De kopie is niet in orde (${result.detail}); probeer het opnieuw.`)
      throw new UsageError(result.reason === 'exists' ? 'Dat bestand bestaat al; kies een nieuwe naam.' : 'Dat is de database zelf; kies een ander bestand.')
    }
    console.log(result.file)
    console.error(`Back-up gemaakt (${Math.ceil(result.bytes / 1024)} KB). Bewaar SECRET_KEY apart van deze back-up.`)
  },
}
