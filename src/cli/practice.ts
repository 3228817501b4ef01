// `practice add|list|set`: the practices this installation serves (issue 20). A practice is made with a
// name and a contact line (how its patients reach it); its code (the slug) names it on the CLI and
// towards apps and never changes. No web page crosses practices: this is the operator's tool.
import { parseArgs } from 'node:util'
import { accountCounts, addPractice, findPracticeBySlug, listPractices, setPractice, type Practice, type PracticeErrors } from '../domain/practices.ts'
import { cli, error, Failure, languageOption, table, text, UsageError, type Command } from './command.ts'

const help = `Gebruik: npm run admin -- practice <add|list|set> ...

  practice add --name NAAM --contact CONTACT [--language nl|en] [--slug CODE]
      Voegt een praktijk toe. --name: hoogstens 40 tekens. --contact: hoe cliënten de praktijk bereiken
      (een telefoonnummer, hoogstens 25 tekens); het staat in elke melding die een cliënt naar de praktijk
      verwijst, en is verplicht. Naam en contact staan in sms-berichten, die in één bericht passen.
      --language: de taal van nieuwe accounts als bij het uitnodigen geen taal wordt gekozen (standaard nl).
      --slug: de code van de praktijk (kleine letters, cijfers, streepjes); zonder de optie gemaakt van
      de naam. De code verandert nooit: u geeft hem mee als --practice, en apps krijgen hem als id.
  practice list [--json]
      Toont de praktijken met hun code, contact, taal en aantal accounts.
  practice set CODE [--name NAAM] [--contact CONTACT] [--language nl|en]
      Wijzigt een praktijk. Daarna volgt de praktijk PRACTICE_NAME en PRACTICE_CONTACT niet meer.

Medewerkers zien en beheren alleen de accounts van hun eigen praktijk; gebruikersnamen zijn uniek in de
hele installatie. invite, create-staff en list nemen --practice CODE, nodig zodra er meer dan één
praktijk is.`

/** The domain's reasons in the CLI's words, one per line. */
const problems = (errors: PracticeErrors) => Object.values(errors).map((key) => error[key!]).join('\n')

function show(p: Practice): string {
  return `${p.slug}: ${p.name}, contact: ${p.contact || '(geen)'}, taal: ${p.language}`
}

async function practice(runtime: { deps: Parameters<typeof listPractices>[0] }, args: string[]): Promise<void> {
  const [sub, ...rest] = args
  const { deps } = runtime
  switch (sub) {
    case 'add': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { name: { type: 'string' }, contact: { type: 'string' }, language: { type: 'string' }, slug: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      })
      if (positionals.length > 0) throw new UsageError(`Onverwacht argument: ${positionals[0]}.`)
      const language = languageOption(values.language)
      const added = addPractice(deps, cli, { name: values.name ?? '', contact: values.contact ?? '', slug: values.slug, ...(language ? { language } : {}) })
      if (!added.ok) throw new UsageError(problems(added.errors))
      console.log(added.practice.slug)
      console.error(`Praktijk toegevoegd: ${show(added.practice)}. Maak de eerste beheerder met create-staff --practice ${added.practice.slug}.`)
      return
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true })
      const counts = accountCounts(deps)
      const rows = listPractices(deps).map((p) => ({ ...p, createdAt: p.createdAt.toISOString(), patients: counts.get(p.id)?.patients ?? 0, staff: counts.get(p.id)?.staff ?? 0 }))
      if (values.json) {
        console.log(JSON.stringify(rows.map(({ id: _id, ...row }) => row), null, 2))
        return
      }
      console.log(
        table(
          ['CODE', 'NAAM', 'CONTACT', 'TAAL', 'CLIËNTEN', 'MEDEWERKERS', 'VOLGT PRACTICE_NAME'],
          rows.map((p) => [p.slug, p.name, p.contact || '(geen)', text.languageNames[p.language], String(p.patients), String(p.staff), p.fromEnv && rows.length === 1 ? 'ja' : 'nee']),
        ),
      )
      return
    }
    case 'set': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { name: { type: 'string' }, contact: { type: 'string' }, language: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      })
      const slug = positionals[0]
      if (!slug || positionals.length > 1) throw new UsageError('Geef één praktijkcode (zie practice list).')
      const found = findPracticeBySlug(deps, slug)
      if (!found) throw new Failure(`Geen praktijk met code ${slug} (zie practice list).`)
      const language = languageOption(values.language)
      if (values.name === undefined && values.contact === undefined && language === undefined) throw new UsageError('Geef wat er verandert: --name, --contact of --language.')
      const changed = setPractice(deps, cli, found.id, { name: values.name, contact: values.contact, language })
      if (!changed.ok) throw new UsageError(problems(changed.errors))
      console.log(`Praktijk gewijzigd: ${show(changed.practice)}.`)
      return
    }
    default:
      throw new UsageError(sub ? `Onbekende opdracht: practice ${sub}.` : 'Geef een opdracht: add, list of set.')
  }
}

export const practiceCommands: Record<string, Command> = {
  practice: {
    overview: `practice add --name NAAM --contact CONTACT [--language nl|en] [--slug CODE]
Voegt een praktijk toe (één installatie voor meerdere praktijken).
practice list [--json] | practice set CODE [--name NAAM] [--contact CONTACT] [--language nl|en]
Toont de praktijken, of wijzigt er een.`,
    help,
    run: practice,
  },
}
