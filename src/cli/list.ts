// `list`: the accounts with their onboarding status, as a table or JSON.
import { parseArgs } from 'node:util'
import { listAccounts } from '../domain/patients.ts'
import { practiceOption, table, text, UsageError, when, type Command } from './command.ts'

export const list: Command = {
  overview: `list [--search TEKST] [--role patient|staff|behandelaar|beheerder] [--practice CODE] [--json]
Toont de accounts van een praktijk met hun status.`,
  help: `Gebruik: npm run admin -- list [--search TEKST] [--role patient|staff|behandelaar|beheerder] [--practice CODE] [--json]

Toont de accounts (verwijderde niet) van een praktijk met hun status: uitgenodigd, e-mail geverifieerd,
telefoon geverifieerd, wachtwoord ingesteld, actief, vergrendeld of gedeactiveerd; met de uitnodiging en de
laatste keer inloggen. --json geeft hetzelfde als JSON.
--practice: de praktijk (zie practice list). Nodig zodra er meer dan één praktijk is.`,
  async run(runtime, args) {
    const { values } = parseArgs({ args, options: { search: { type: 'string' }, role: { type: 'string' }, practice: { type: 'string' }, json: { type: 'boolean' } }, strict: true })
    const role = values.role ?? 'all'
    if (!['all', 'patient', 'staff', 'behandelaar', 'beheerder'].includes(role)) throw new UsageError(`Onbekende rol: ${role}.`)
    const scope = role === 'patient' ? 'patients' : role === 'all' ? 'all' : 'staff'
    const practice = practiceOption(runtime.deps, values.practice)
    const { rows } = listAccounts(runtime.deps, practice.id, { scope, search: values.search ?? '', limit: 1_000_000 })
    const shown = rows.filter((s) => (role !== 'behandelaar' && role !== 'beheerder' ? true : s.account.role === role))
    if (values.json) {
      const out = shown.map((s) => ({
        id: s.account.id,
        username: s.account.username,
        name: s.account.name,
        email: s.account.email,
        phone: s.account.phone,
        role: s.account.role,
        status: text.statusLabels[s.status],
        locked: s.locked,
        invitationExpiresAt: s.invitationExpiresAt?.toISOString() ?? null,
        invitationExpired: s.invitationExpired,
        lastSignInAt: s.account.lastSignInAt?.toISOString() ?? null,
        createdAt: s.account.createdAt.toISOString(),
        pending: s.pending,
        factorWaitUntil: s.factorWaitUntil?.toISOString() ?? null,
        contactWaitUntil: s.contactWaitUntil?.toISOString() ?? null,
      }))
      console.log(JSON.stringify(out, null, 2))
      return
    }
    if (shown.length === 0) {
      console.log('Geen accounts gevonden.')
      return
    }
    console.log(
      table(
        ['GEBRUIKERSNAAM', 'NAAM', 'ROL', 'STATUS', 'UITNODIGING GELDIG TOT', 'LAATST INGELOGD'],
        shown.map((s) => [
          s.account.username,
          s.account.name,
          s.account.role,
          text.statusLabels[s.status],
          s.invitationExpiresAt ? `${when(s.invitationExpiresAt)}${s.invitationExpired ? ' (verlopen)' : ''}` : '-',
          s.account.lastSignInAt ? when(s.account.lastSignInAt) : '-',
        ]),
      ),
    )
  },
}
