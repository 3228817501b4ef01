// 'Nieuwe cliënt' and 'Nieuwe medewerker': Naam, E-mailadres, Mobiel nummer, Gebruikersnaam (a
// unique suggestion filled in once the name is known), for staff the role, and the language of the
// account's mails and pages (Nederlands or English, Dutch first); 'Uitnodigen' creates the account
// and sends the invitation, in that language. Errors beside the fields.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { suggestUsername, validateNewAccount } from '../../domain/accounts.ts'
import type { Deps } from '../../domain/deps.ts'
import { invitePatient } from '../../domain/patients.ts'
import { getPractice } from '../../domain/practices.ts'
import { createStaff, isStaffRole } from '../../domain/staff.ts'
import { errorText, fill, formatDateTime, isLang, languages, messages, type ErrorKey } from '../../messages.ts'
import { readForm } from '../../web/forms.ts'
import { t } from '../../web/language.ts'
import { takeDraft } from '../../web/drafts.ts'
import { page } from '../../web/render.ts'
import { navOf, practiceIdOf, staffBy } from './guard.ts'
import type { Kind } from './kinds.ts'

const fields = ['name', 'email', 'phone', 'username', 'role', 'language', 'actie'] as const
type Values = Record<(typeof fields)[number], string>

/** The choices, each in its own language (a reader of either finds their own). */
const languageChoices = languages.map((lang) => ({ value: lang, name: messages(lang).name }))

export function registerNewAccount(scope: FastifyInstance, deps: Deps, kind: Kind): void {
  const path = `${kind.base}/nieuw`.replace(/^\/praktijk/, '')
  const isStaffForm = kind.scope === 'staff'

  async function show(req: FastifyRequest, reply: FastifyReply, values: Partial<Values>, errors: Record<string, string> = {}, status = 200, restored = false) {
    const { text } = t(req)
    const words = kind.words(t(req))
    return await page(
      req,
      reply,
      'practice/new-account',
      {
        title: words.newLabel,
        ...navOf(req, `${kind.base}/nieuw`),
        intro: words.newIntro,
        isStaffForm,
        languageChoices,
        // The language the practice's accounts get unless the inviter chooses another (issue 20).
        values: { name: '', email: '', phone: '', username: '', role: 'behandelaar', language: (await getPractice(deps, practiceIdOf(req)))?.language ?? 'nl', ...values },
        usernameHint: values.username ? text.usernameHint : text.usernameHintEmpty,
        restored,
        errors,
      },
      status,
    )
  }

  scope.get(path, { config: { minRole: kind.minRole } }, async (req, reply) => {
    // Sent after the session had timed out: what was typed, shown again once (web/drafts.ts).
    const draft = takeDraft(req, deps)
    return await show(req, reply, draft ?? {}, {}, 200, draft !== null)
  })

  scope.post(path, { config: { minRole: kind.minRole } }, async (req, reply) => {
    const { error, text } = t(req)
    const worded = (keys: Partial<Record<string, ErrorKey>>) => Object.fromEntries(Object.entries(keys).map(([field, key]) => [field, errorText(req.lang, key!, deps.config.smsCountries)]))
    const form = readForm(req, fields)
    const name = form.name.normalize('NFKC').trim().replace(/\s+/g, ' ')
    const safe = { name: form.name, email: form.email, phone: form.phone, username: form.username, role: form.role, language: form.language }
    // 'Gebruikersnaam voorstellen': the form again, with a suggestion from the name; nothing is created.
    if (form.actie === 'voorstel') {
      if (name === '' || name.length > 100) return await show(req, reply, safe, { name: error.requiredName }, 422)
      return await show(req, reply, { ...safe, username: (await suggestUsername(deps, name)) })
    }
    const input = { name: form.name, email: form.email, phone: form.phone, username: form.username }
    // One of the two is always checked in a browser: anything else is a crafted form. Nothing is
    // created, and the other fields are checked too, so every problem shows at once.
    if (!isLang(form.language)) {
      const { errors } = validateNewAccount(input, deps.config.smsCountries)
      const role = isStaffForm && !isStaffRole(form.role) ? { role: 'roleRequired' as const } : {}
      return await show(req, reply, safe, worded({ ...errors, ...role, language: 'languageRequired' }), 422)
    }
    const by = staffBy(req)
    const account = { ...input, language: form.language }
    const created = isStaffForm ? (await createStaff(deps, by, practiceIdOf(req), { ...account, role: form.role })) : (await invitePatient(deps, by, practiceIdOf(req), account))
    if (!created.ok) {
      // The name is known: fill in a unique username, unless one was typed.
      const username = form.username.trim() === '' && !created.errors.name && name !== '' ? (await suggestUsername(deps, name)) : form.username
      return await show(req, reply, { ...safe, username }, worded(created.errors), 422)
    }
    const { expiresAt } = created
    req.session.practiceNotice = fill(text.doneCreated, { email: created.account.email, until: formatDateTime(expiresAt, req.lang) })
    return reply.redirect(`${kind.base}/${created.account.id}`, 303)
  })
}
