// `list`: the accounts with their onboarding status, as a table or JSON.
import { parseArgs } from 'node:util'
import { listAccounts } from '../domain/patients.ts'
import { catalogue, fill, practiceOption, table, UsageError, when, words, type Command } from './command.ts'

export const list: Command = {
  overview: (o) => o.commands.list.overview,
  help: (o) => o.commands.list.help,
  async run(runtime, args) {
    const { values } = parseArgs({ args, options: { search: { type: 'string' }, role: { type: 'string' }, practice: { type: 'string' }, json: { type: 'boolean' } }, strict: true })
    const o = words().commands.list
    const { text } = catalogue()
    const role = values.role ?? 'all'
    if (!['all', 'patient', 'staff', 'behandelaar', 'beheerder'].includes(role)) throw new UsageError(fill(o.unknownRole, { role }))
    const scope = role === 'patient' ? 'patients' : role === 'all' ? 'all' : 'staff'
    const practice = await practiceOption(runtime.deps, values.practice)
    const { rows } = await listAccounts(runtime.deps, practice.id, { scope, search: values.search ?? '', limit: 1_000_000 })
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
      console.log(o.none)
      return
    }
    console.log(
      table(
        o.columns,
        shown.map((s) => [
          s.account.username,
          s.account.name,
          s.account.role,
          text.statusLabels[s.status],
          s.invitationExpiresAt ? `${when(s.invitationExpiresAt)}${s.invitationExpired ? o.expired : ''}` : '-',
          s.account.lastSignInAt ? when(s.account.lastSignInAt) : '-',
        ]),
      ),
    )
  },
}
