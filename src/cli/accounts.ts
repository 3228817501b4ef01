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
import { createStaff } from '../domain/staff.ts'
import { errorText } from '../messages.ts'
import { accountCommand, cli, languageOption, practiceOption, text, UsageError, when, type Command } from './command.ts'

/**
 * What the confirmation line says of a new account beside its name and address: its role, its
 * language when not Dutch, and its practice when the installation has more than one.
 */
function about(deps: Deps, account: { role: string; language: Lang }, practice: Practice): string {
  const parts = [
    ...(account.role === 'patient' ? [] : [account.role]),
    ...(account.language === 'nl' ? [] : [text.languageNames[account.language]]),
    ...(listPractices(deps).length > 1 ? [practice.slug] : []),
  ]
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`
}

/** Issue 23 #2: from when a change by staff can be used, as the operator tells the patient. */
const factorWaitLine = (deps: Deps, account: Account) => {
  const until = factorCoolingUntil(deps, account)
  return until ? ` Een nieuwe tweede stap instellen kan vanaf ${when(until)} (wachttijd ter bescherming van het account).` : ''
}
const contactWaitLine = (deps: Deps, account: Account) => {
  const until = contactCoolingUntil(deps, account)
  return until ? ` 'Wachtwoord vergeten' werkt voor dit account weer vanaf ${when(until)}; inloggen met wachtwoord en tweede stap kan gewoon.` : ''
}

const invite: Command = {
  overview: `invite --name "Jan de Vries" --email jan@example.org --phone +31612341361 [--username jdevries] [--language nl|en] [--practice CODE]
Maakt een cliënt aan, verstuurt de uitnodiging en toont de gebruikersnaam.`,
  help: `Gebruik: npm run admin -- invite --name NAAM --email E-MAIL --phone MOBIEL [--username NAAM] [--language nl|en] [--practice CODE]

Maakt een cliënt aan en verstuurt de uitnodiging (Stap 1) via de ingestelde mailserver.
Mobiel nummer als +31612341361 of 06-12341361. Zonder --username wordt er een voorgesteld, die
binnen de hele installatie vrij is.
--language: de taal van de e-mails, sms-berichten en pagina's van het account, nl (Nederlands) of
en (Engels); zonder de optie de taal van de praktijk.
--practice: de praktijk van het account (zie practice list). Nodig zodra er meer dan één praktijk is.`,
  async run(runtime, args) {
    const { values } = parseArgs({
      args,
      options: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' }, username: { type: 'string' }, language: { type: 'string' }, practice: { type: 'string' } },
      strict: true,
    })
    const missing = (['name', 'email', 'phone'] as const).filter((k) => !values[k])
    if (missing.length > 0) throw new UsageError(`Ontbrekend: ${missing.map((k) => `--${k}`).join(', ')}.`)
    const language = languageOption(values.language)
    const { deps } = runtime
    const practice = practiceOption(deps, values.practice)
    const created = createAccount(deps, cli, practice.id, { name: values.name!, email: values.email!, phone: values.phone!, username: values.username, language })
    if (!created.ok) throw new UsageError(Object.values(created.errors).map((key) => errorText('nl', key, deps.config.smsCountries)).join('\n'))
    const { expiresAt } = sendInvitation(deps, cli, created.account.id)
    await runtime.dispatcher.idle()
    const [message] = listOutbox(deps, { limit: 1 })
    console.log(created.account.username)
    console.error(`Uitnodiging voor ${created.account.name} <${created.account.email}>${about(deps, created.account, practice)}, geldig tot ${when(expiresAt)}.`)
    if (message?.status !== 'sent') {
      console.error(`Let op: de e-mail is nog niet bezorgd (${message?.lastError ?? 'onbekende fout'}). De server probeert het opnieuw.`)
    } else if (deps.config.devOutbox && !deps.config.smtpUrl) {
      console.error(`Geen SMTP_URL ingesteld: de e-mail staat in de dev outbox (${new URL('/dev/outbox', deps.config.publicUrl).href}).`)
    }
  },
}

const createStaffCommand: Command = {
  overview: `create-staff --name NAAM --email E-MAIL --phone MOBIEL --role beheerder|behandelaar [--username NAAM] [--language nl|en] [--practice CODE]
Maakt een medewerker aan en verstuurt de uitnodiging.`,
  help: `Gebruik: npm run admin -- create-staff --name NAAM --email E-MAIL --phone MOBIEL --role beheerder|behandelaar [--username NAAM] [--language nl|en] [--practice CODE]

Maakt een medewerker aan en verstuurt de uitnodiging. Medewerkers doorlopen dezelfde aanmelding als
cliënten en gebruiken altijd een authenticatie app. Een beheerder beheert medewerkers en cliënten, een
behandelaar beheert cliënten. De eerste beheerder maakt u zo aan. Medewerkers zien en beheren alleen
de accounts van hun eigen praktijk.
--language: de taal van de e-mails, sms-berichten en pagina's van het account, nl (Nederlands) of
en (Engels); zonder de optie de taal van de praktijk.
--practice: de praktijk van de medewerker (zie practice list). Nodig zodra er meer dan één praktijk is.`,
  async run(runtime, args) {
    const { values } = parseArgs({
      args,
      options: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' }, role: { type: 'string' }, username: { type: 'string' }, language: { type: 'string' }, practice: { type: 'string' } },
      strict: true,
    })
    const missing = (['name', 'email', 'phone', 'role'] as const).filter((k) => !values[k])
    if (missing.length > 0) throw new UsageError(`Ontbrekend: ${missing.map((k) => `--${k}`).join(', ')}.`)
    const language = languageOption(values.language)
    const { deps } = runtime
    const practice = practiceOption(deps, values.practice)
    const created = createStaff(deps, cli, practice.id, { name: values.name!, email: values.email!, phone: values.phone!, role: values.role!, username: values.username, language })
    if (!created.ok) throw new UsageError(Object.values(created.errors).map((key) => errorText('nl', key, deps.config.smsCountries)).join('\n'))
    await runtime.dispatcher.idle()
    console.log(created.account.username)
    console.error(`Uitnodiging voor ${created.account.name} <${created.account.email}>${about(deps, created.account, practice)}, geldig tot ${when(created.expiresAt)}.`)
  },
}

export const accountCommands: Record<string, Command> = {
  invite,
  'create-staff': createStaffCommand,
  resend: accountCommand(
    'resend',
    'Verstuurt een nieuwe uitnodiging; de oude link vervalt.',
    'Verstuurt een nieuwe uitnodiging naar het e-mailadres van het account. De vorige link werkt daarna niet meer.\nNiet mogelijk voor een account dat de aanmelding al heeft afgerond.',
    (deps, account) => {
      const result = resendInvitation(deps, cli, account.practiceId, account.id)
      return result.ok ? `Nieuwe uitnodiging verstuurd naar ${account.email}, geldig tot ${when(result.expiresAt!)}.` : result
    },
  ),
  'reset-mfa': accountCommand(
    'reset-mfa',
    'Reset de tweede stap; na de wachttijd sms-verificatie en opnieuw instellen bij het inloggen.',
    'Reset de tweede stap. Na een wachttijd (STAFF_CHANGE_COOLING_HOURS, standaard 24 uur, voor een account dat de\naanmelding heeft afgerond) verifieert het account bij het inloggen het telefoonnummer per sms en stelt de tweede\nstap opnieuw in; de uitvoer noemt vanaf wanneer. Open sessies en aanmeldingen bij apps worden beëindigd; het\naccount krijgt een e-mail en een sms.',
    (deps, account) => {
      const result = resetSecondFactor(deps, cli, account.practiceId, account.id)
      return result.ok ? `De tweede stap van ${account.username} is gereset.${factorWaitLine(deps, result.account)}` : result
    },
  ),
  unlock: accountCommand(
    'unlock',
    'Ontgrendelt het account na te veel mislukte pogingen.',
    'Ontgrendelt het account na te veel mislukte pogingen, en wist een eventuele wachttijd.',
    (deps, account) => {
      const result = unlockAccount(deps, cli, account.practiceId, account.id)
      if (!result.ok) return result
      // Names what is unlocked (issue 23.9): the password, the second step, or both.
      const what = result.was!.password && result.was!.secondStep ? 'het wachtwoord en de tweede stap' : result.was!.password ? 'het wachtwoord' : 'de tweede stap'
      return result.wasLocked ? `${account.username} is ontgrendeld (${what}).` : `${account.username} was niet vergrendeld; een eventuele wachttijd is gewist.`
    },
  ),
  deactivate: accountCommand(
    'deactivate',
    'Deactiveert het account en beëindigt de sessies direct.',
    'Deactiveert het account: inloggen kan niet meer, open sessies eindigen direct.',
    (deps, account) => {
      const result = deactivate(deps, cli, account.practiceId, account.id)
      return result.ok ? `${account.username} is gedeactiveerd (${result.sessionsEnded} sessie(s) beëindigd).` : result
    },
  ),
  activate: accountCommand('activate', 'Activeert een gedeactiveerd account weer.', 'Activeert een gedeactiveerd account weer.', (deps, account) => {
    const result = activate(deps, cli, account.practiceId, account.id)
    return result.ok ? `${account.username} is actief.` : result
  }),
  'change-email': accountCommand(
    'change-email',
    'Wijzigt het e-mailadres.',
    'Wijzigt het e-mailadres (--email). Voor het einde van de aanmelding gaat er een nieuwe uitnodiging naar het nieuwe\nadres; daarna bevestigt het account het nieuwe adres met een code bij de volgende keer inloggen.',
    (deps, account, value) => {
      const result = changeEmail(deps, cli, account.practiceId, account.id, value)
      return result.ok ? `Het e-mailadres van ${account.username} is gewijzigd.${contactWaitLine(deps, result.account)}` : result
    },
    'email',
  ),
  'change-phone': accountCommand(
    'change-phone',
    'Wijzigt het mobiele nummer.',
    'Wijzigt het mobiele nummer (--phone). Het account verifieert het nieuwe nummer per sms bij de volgende stap of keer inloggen.',
    (deps, account, value) => {
      const result = changePhone(deps, cli, account.practiceId, account.id, value)
      return result.ok ? `Het mobiele nummer van ${account.username} is gewijzigd.${contactWaitLine(deps, result.account)}` : result
    },
    'phone',
  ),
  erase: accountCommand(
    'erase',
    'Verwijdert de persoonsgegevens; het auditlog houdt alleen het accountnummer.',
    'Verwijdert het account: naam, gebruikersnaam, e-mailadres en mobiel nummer worden gewist, net als sessies, codes,\nlinks en berichten. Het auditlog houdt alleen het accountnummer. Kan niet ongedaan worden gemaakt: geef --yes mee.',
    (deps, account, value) => {
      if (value !== 'yes') return { ok: false, message: 'Verwijderen kan niet ongedaan worden gemaakt. Geef --yes mee om te bevestigen.' }
      const result = erase(deps, cli, account.practiceId, account.id)
      return result.ok ? `Account #${account.id} is verwijderd.` : result
    },
    'yes',
  ),
}
