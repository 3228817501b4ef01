// 'Nieuwe cliënt' and 'Nieuwe medewerker': Naam, E-mailadres, Mobiel nummer, Gebruikersnaam (a
// unique suggestion filled in once the name is known) and, for staff, the role; 'Uitnodigen'
// creates the account and sends the invitation. Errors in Dutch beside the fields.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { suggestUsername } from '../../domain/accounts.ts'
import type { Deps } from '../../domain/deps.ts'
import { invitePatient } from '../../domain/patients.ts'
import { createStaff } from '../../domain/staff.ts'
import { error, fill, formatDateTime, text } from '../../messages.ts'
import { readForm } from '../../web/forms.ts'
import { page } from '../../web/render.ts'
import { navOf, staffBy } from './guard.ts'
import type { Kind } from './kinds.ts'

const fields = ['name', 'email', 'phone', 'username', 'role', 'actie'] as const
type Values = Record<(typeof fields)[number], string>

export function registerNewAccount(scope: FastifyInstance, deps: Deps, kind: Kind): void {
  const path = `${kind.base}/nieuw`.replace(/^\/praktijk/, '')
  const isStaffForm = kind.scope === 'staff'

  function show(req: FastifyRequest, reply: FastifyReply, values: Partial<Values>, errors: Record<string, string> = {}, status = 200) {
    return page(
      req,
      reply,
      'practice/new-account',
      {
        title: kind.newLabel,
        ...navOf(req, `${kind.base}/nieuw`),
        intro: kind.newIntro,
        isStaffForm,
        values: { name: '', email: '', phone: '', username: '', role: 'behandelaar', ...values },
        usernameHint: values.username ? text.usernameHint : text.usernameHintEmpty,
        errors,
      },
      status,
    )
  }

  scope.get(path, { config: { minRole: kind.minRole } }, async (req, reply) => show(req, reply, {}))

  scope.post(path, { config: { minRole: kind.minRole } }, async (req, reply) => {
    const form = readForm(req, fields)
    const name = form.name.normalize('NFKC').trim().replace(/\s+/g, ' ')
    const safe = { name: form.name, email: form.email, phone: form.phone, username: form.username, role: form.role }
    // 'Gebruikersnaam voorstellen': the form again, with a suggestion from the name; nothing is created.
    if (form.actie === 'voorstel') {
      if (name === '' || name.length > 100) return show(req, reply, safe, { name: error.requiredName }, 422)
      return show(req, reply, { ...safe, username: suggestUsername(deps, name) })
    }
    const by = staffBy(req)
    const input = { name: form.name, email: form.email, phone: form.phone, username: form.username }
    const created = isStaffForm ? createStaff(deps, by, { ...input, role: form.role }) : invitePatient(deps, by, input)
    if (!created.ok) {
      // The name is known: fill in a unique username, unless one was typed.
      const username = form.username.trim() === '' && !created.errors.name && name !== '' ? suggestUsername(deps, name) : form.username
      return show(req, reply, { ...safe, username }, created.errors as Record<string, string>, 422)
    }
    const { account, expiresAt } = created
    req.session.practiceNotice = fill(text.doneCreated, { email: account.email, until: formatDateTime(expiresAt) })
    return reply.redirect(`${kind.base}/${account.id}`, 303)
  })
}
