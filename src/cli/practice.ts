// `practice add|list|set`: the practices this installation serves (issue 20). A practice is made with a
// name and a contact line (how its patients reach it); its code (the slug) names it on the CLI and
// towards apps and never changes. No web page crosses practices: this is the operator's tool.
import { parseArgs } from 'node:util'
import { accountCounts, addPractice, findPracticeBySlug, listPractices, setPractice, type Practice, type PracticeErrors } from '../domain/practices.ts'
import { catalogue, cli, Failure, fill, languageOption, table, UsageError, words, type Command } from './command.ts'

/** The domain's reasons in the operator's words, one per line. */
const problems = (errors: PracticeErrors) => Object.values(errors).map((key) => catalogue().error[key!]).join('\n')

function show(p: Practice): string {
  const o = words().commands.practice
  return fill(o.show, { slug: p.slug, name: p.name, contact: p.contact || o.noContact, language: p.language })
}

async function practice(runtime: { deps: Parameters<typeof listPractices>[0] }, args: string[]): Promise<void> {
  const [sub, ...rest] = args
  const { deps } = runtime
  const o = words().commands.practice
  switch (sub) {
    case 'add': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { name: { type: 'string' }, contact: { type: 'string' }, language: { type: 'string' }, slug: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      })
      if (positionals.length > 0) throw new UsageError(fill(words().cli.unexpectedArgument, { subject: positionals[0]! }))
      const language = languageOption(values.language)
      const added = await addPractice(deps, cli, { name: values.name ?? '', contact: values.contact ?? '', slug: values.slug, ...(language ? { language } : {}) })
      if (!added.ok) throw new UsageError(problems(added.errors))
      console.log(added.practice.slug)
      console.error(fill(o.added, { practice: show(added.practice), slug: added.practice.slug }))
      return
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true })
      const counts = await accountCounts(deps)
      const rows = (await listPractices(deps)).map((p) => ({ ...p, createdAt: p.createdAt.toISOString(), patients: counts.get(p.id)?.patients ?? 0, staff: counts.get(p.id)?.staff ?? 0 }))
      if (values.json) {
        console.log(JSON.stringify(rows.map(({ id: _id, ...row }) => row), null, 2))
        return
      }
      const { languageNames } = catalogue().text
      console.log(
        table(
          o.columns,
          rows.map((p) => [p.slug, p.name, p.contact || o.noContact, languageNames[p.language], String(p.patients), String(p.staff), p.fromEnv && rows.length === 1 ? o.yes : o.no]),
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
      if (!slug || positionals.length > 1) throw new UsageError(o.giveSlug)
      const found = await findPracticeBySlug(deps, slug)
      if (!found) throw new Failure(fill(o.noPractice, { slug }))
      const language = languageOption(values.language)
      if (values.name === undefined && values.contact === undefined && language === undefined) throw new UsageError(o.giveChange)
      const changed = await setPractice(deps, cli, found.id, { name: values.name, contact: values.contact, language })
      if (!changed.ok) throw new UsageError(problems(changed.errors))
      console.log(fill(o.changed, { practice: show(changed.practice) }))
      return
    }
    default:
      throw new UsageError(sub ? fill(o.unknown, { sub }) : o.giveSub)
  }
}

export const practiceCommands: Record<string, Command> = {
  practice: {
    overview: (o) => o.commands.practice.overview,
    help: (o) => o.commands.practice.help,
    run: practice,
  },
}
