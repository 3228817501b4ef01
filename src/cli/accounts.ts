// Commands that create accounts or act on one: the practice's actions, for the operator.
import { parseArgs } from 'node:util'
import type { Lang } from '../messages.ts'
import { listPractices, type Practice } from '../domain/practices.ts'
import { createAccount, type Account } from '../domain/accounts.ts'
import { contactCoolingUntil, factorCoolingUntil } from '../domain/cooling-off.ts'
import type { Deps } from '../domain/deps.ts'
import { listOutbox } from '../domain/delivery.ts'
import { sendInvitation } from '../domain/invitations.ts'
import { activate, changeEmail, changePhone, deactivate, erase, resendInvitation, resetSecondFactor, unlockAccount } from '../domain/patients.ts'
import { changeStaffRole, createStaff } from '../domain/staff.ts'
import { accountCommand, catalogue, cli, fill, languageOption, practiceOption, refusal, UsageError, when, words, type Command } from './command.ts'

const missingOf = (values: Record<string, unknown>, names: string[]) => {
  const missing = names.filter((k) => !values[k])
  if (missing.length > 0) throw new UsageError(fill(words().cli.missing, { options: missing.map((k) => `--${k}`).join(', ') }))
}

/**
 * What the confirmation line says of a new account beside its name and address: its role, its
 * language when not Dutch, and its practice when the installation has more than one.
 */
async function about(deps: Deps, account: { role: string; language: Lang }, practice: Practice): Promise<string> {
  const parts = [
    ...(account.role === 'patient' ? [] : [account.role]),
    ...(account.language === 'nl' ? [] : [catalogue().text.languageNames[account.language]]),
    ...((await listPractices(deps)).length > 1 ? [practice.slug] : []),
  ]
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`
}

/** Issue 23 #2: from when a change by staff can be used, as the operator tells the patient. */
const factorWaitLine = (deps: Deps, account: Account) => {
  const until = factorCoolingUntil(deps, account)
  return until ? ` ${fill(words().cli.factorWait, { when: when(until) })}` : ''
}
const contactWaitLine = (deps: Deps, account: Account) => {
  const until = contactCoolingUntil(deps, account)
  return until ? ` ${fill(words().cli.contactWait, { when: when(until) })}` : ''
}

const invite: Command = {
  overview: (o) => o.commands.invite.overview,
  help: (o) => o.commands.invite.help,
  async run(runtime, args) {
    const { values } = parseArgs({
      args,
      options: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' }, username: { type: 'string' }, language: { type: 'string' }, practice: { type: 'string' } },
      strict: true,
    })
    missingOf(values, ['name', 'email', 'phone'])
    const language = languageOption(values.language)
    const { deps } = runtime
    const practice = await practiceOption(deps, values.practice)
    const created = await createAccount(deps, cli, practice.id, { name: values.name!, email: values.email!, phone: values.phone!, username: values.username, language })
    if (!created.ok) throw new UsageError(Object.values(created.errors).map((key) => refusal(deps, key)).join('\n'))
    const { expiresAt } = await sendInvitation(deps, cli, created.account.id)
    await runtime.dispatcher.idle()
    const [message] = await listOutbox(deps, { limit: 1 })
    const o = words().commands.invite
    console.log(created.account.username)
    console.error(fill(o.invited, { name: created.account.name, email: created.account.email, about: (await about(deps, created.account, practice)), until: when(expiresAt) }))
    if (message?.status !== 'sent') {
      console.error(fill(o.notDelivered, { error: message?.lastError ?? o.unknownError }))
    } else if (deps.config.devOutbox && !deps.config.smtpUrl) {
      console.error(fill(o.devOutbox, { url: new URL('/dev/outbox', deps.config.publicUrl).href }))
    }
  },
}

const createStaffCommand: Command = {
  overview: (o) => o.commands.createStaff.overview,
  help: (o) => o.commands.createStaff.help,
  async run(runtime, args) {
    const { values } = parseArgs({
      args,
      options: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' }, role: { type: 'string' }, username: { type: 'string' }, language: { type: 'string' }, practice: { type: 'string' } },
      strict: true,
    })
    missingOf(values, ['name', 'email', 'phone', 'role'])
    const language = languageOption(values.language)
    const { deps } = runtime
    const practice = await practiceOption(deps, values.practice)
    const created = await createStaff(deps, cli, practice.id, { name: values.name!, email: values.email!, phone: values.phone!, role: values.role!, username: values.username, language })
    if (!created.ok) throw new UsageError(Object.values(created.errors).map((key) => refusal(deps, key)).join('\n'))
    await runtime.dispatcher.idle()
    console.log(created.account.username)
    const { name, email } = created.account
    console.error(fill(words().commands.createStaff.invited, { name, email, about: (await about(deps, created.account, practice)), until: when(created.expiresAt) }))
  },
}

export const accountCommands: Record<string, Command> = {
  invite,
  'create-staff': createStaffCommand,
  resend: accountCommand(
    'resend',
    (o) => o.commands.resend.summary,
    (o) => o.commands.resend.help,
    async (deps, account) => {
      const result = await resendInvitation(deps, cli, account.practiceId, account.id)
      return result.ok ? fill(words().commands.resend.done, { email: account.email, until: when(result.expiresAt!) }) : result
    },
  ),
  'reset-mfa': accountCommand(
    'reset-mfa',
    (o) => o.commands.resetMfa.summary,
    (o) => o.commands.resetMfa.help,
    async (deps, account) => {
      const result = await resetSecondFactor(deps, cli, account.practiceId, account.id)
      return result.ok ? `${fill(words().commands.resetMfa.done, { username: account.username })}${factorWaitLine(deps, result.account)}` : result
    },
  ),
  unlock: accountCommand(
    'unlock',
    (o) => o.commands.unlock.summary,
    (o) => o.commands.unlock.help,
    async (deps, account) => {
      const result = await unlockAccount(deps, cli, account.practiceId, account.id)
      if (!result.ok) return result
      // Names what is unlocked (issue 23.9): the password, the second step, or both.
      const o = words().commands.unlock
      const what = result.was!.password && result.was!.secondStep ? o.whatBoth : result.was!.password ? o.whatPassword : o.whatSecondStep
      return fill(result.wasLocked ? o.done : o.notLocked, { username: account.username, what })
    },
  ),
  deactivate: accountCommand(
    'deactivate',
    (o) => o.commands.deactivate.summary,
    (o) => o.commands.deactivate.help,
    async (deps, account) => {
      const result = await deactivate(deps, cli, account.practiceId, account.id)
      return result.ok ? fill(words().commands.deactivate.done, { username: account.username, count: result.sessionsEnded ?? 0 }) : result
    },
  ),
  activate: accountCommand(
    'activate',
    (o) => o.commands.activate.summary,
    (o) => o.commands.activate.help,
    async (deps, account) => {
      const result = await activate(deps, cli, account.practiceId, account.id)
      return result.ok ? fill(words().commands.activate.done, { username: account.username }) : result
    },
  ),
  'change-email': accountCommand(
    'change-email',
    (o) => o.commands.changeEmail.summary,
    (o) => o.commands.changeEmail.help,
    async (deps, account, value) => {
      const result = await changeEmail(deps, cli, account.practiceId, account.id, value)
      return result.ok ? `${fill(words().commands.changeEmail.done, { username: account.username })}${contactWaitLine(deps, result.account)}` : result
    },
    'email',
  ),
  'change-phone': accountCommand(
    'change-phone',
    (o) => o.commands.changePhone.summary,
    (o) => o.commands.changePhone.help,
    async (deps, account, value) => {
      const result = await changePhone(deps, cli, account.practiceId, account.id, value)
      return result.ok ? `${fill(words().commands.changePhone.done, { username: account.username })}${contactWaitLine(deps, result.account)}` : result
    },
    'phone',
  ),
  'set-role': accountCommand(
    'set-role',
    (o) => o.commands.setRole.summary,
    (o) => o.commands.setRole.help,
    async (deps, account, value) => {
      const result = await changeStaffRole(deps, cli, account.practiceId, account.id, value)
      if (!result.ok) return result
      const o = words().commands.setRole
      return fill(result.changed ? o.done : o.unchanged, { username: account.username, role: result.account.role })
    },
    'role',
  ),
  erase: accountCommand(
    'erase',
    (o) => o.commands.erase.summary,
    (o) => o.commands.erase.help,
    async (deps, account, value) => {
      if (value !== 'yes') return { ok: false, message: words().commands.erase.confirm }
      const result = await erase(deps, cli, account.practiceId, account.id)
      return result.ok ? fill(words().commands.erase.done, { id: account.id }) : result
    },
    'yes',
  ),
}
