// The operator's commands for OpenID Connect (npm run admin -- client ... / keys rotate), entries of
// the table in src/cli/main.ts. Every change is in the audit log (actor 'cli').
import { parseArgs } from 'node:util'
import { cli, Failure, UsageError, type Command } from '../cli/command.ts'
import { findPracticeBySlug, getPractice, listPractices } from '../domain/practices.ts'
import { formatDateTime } from '../messages.ts'
import type { Runtime } from '../runtime.ts'
import { addClient, getClient, listClients, removeClient, rotateClientSecret, type AuthMethod } from './clients.ts'
import { retiredKeysPublishedHours, rotateSigningKeys } from './keys.ts'

const clientHelp = `Gebruik: npm run admin -- client <add|list|remove|rotate-secret> ...

  client add --name NAAM --redirect-uri URL [--redirect-uri URL ...] [--post-logout-uri URL ...]
             [--backchannel-logout-uri URL] [--first-party] [--id-token-alg RS256|ES256]
             [--auth-method basic|post] [--practice CODE]
      Registreert een app die cliënten via het portaal laat inloggen (OpenID Connect) en toont
      client_id en client_secret. Het geheim wordt één keer getoond: bewaar het in de app.
      Redirect-URI's moeten exact overeenkomen en https zijn (http://localhost alleen buiten productie).
      --first-party: een app van de praktijk zelf; cliënten krijgen geen toestemmingsvraag.
      --practice: de app is alleen voor de accounts van deze praktijk (zie practice list); wie van een
      andere praktijk is, hoort na het inloggen dat de app niet voor zijn praktijk is, en de app krijgt niets.
      Zonder de optie is de app voor de accounts van alle praktijken.
  client list [--json]            Toont de geregistreerde apps (nooit hun geheim).
  client remove CLIENT_ID         Verwijdert de app; haar codes en tokens vervallen.
  client rotate-secret CLIENT_ID  Geeft de app een nieuw geheim; het oude werkt direct niet meer.`

const keysHelp = `Gebruik: npm run admin -- keys rotate

Maakt nieuwe ondertekensleutels (RS256 en ES256) voor id_tokens. De oude publieke sleutels blijven
nog ${retiredKeysPublishedHours} uur in de JWKS staan, zodat tokens van vlak voor de wissel geldig blijven.
Herstart het portaal daarna: het leest de sleutels bij het starten.`

const authMethods: Record<string, AuthMethod> = { basic: 'client_secret_basic', post: 'client_secret_post' }

async function client(runtime: Runtime, args: string[]): Promise<void> {
  const [sub, ...rest] = args
  const { deps } = runtime
  switch (sub) {
    case 'add': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          'redirect-uri': { type: 'string', multiple: true },
          'post-logout-uri': { type: 'string', multiple: true },
          'backchannel-logout-uri': { type: 'string' },
          'first-party': { type: 'boolean' },
          'id-token-alg': { type: 'string' },
          'auth-method': { type: 'string' },
          practice: { type: 'string' },
        },
        allowPositionals: true,
        strict: true,
      })
      if (positionals.length > 0) throw new UsageError(`Onverwacht argument: ${positionals[0]}.`)
      if (!values.name) throw new UsageError('Ontbrekend: --name.')
      const alg = values['id-token-alg'] ?? 'RS256'
      if (alg !== 'RS256' && alg !== 'ES256') throw new UsageError(`--id-token-alg is RS256 of ES256 (nu ${alg}).`)
      const method = authMethods[values['auth-method'] ?? 'basic']
      if (!method) throw new UsageError(`--auth-method is basic of post (nu ${values['auth-method']}).`)
      const practice = values.practice === undefined ? null : findPracticeBySlug(deps, values.practice)
      if (practice === undefined) throw new UsageError(`Onbekende praktijk: ${values.practice}. Kies een van: ${listPractices(deps).map((p) => p.slug).join(', ')}.`)
      const added = addClient(deps, cli, {
        name: values.name,
        redirectUris: values['redirect-uri'] ?? [],
        postLogoutUris: values['post-logout-uri'] ?? [],
        backchannelLogoutUri: values['backchannel-logout-uri'] ?? null,
        firstParty: values['first-party'] ?? false,
        idTokenAlg: alg,
        authMethod: method,
        practiceId: practice?.id ?? null,
      })
      if (!added.ok) throw new UsageError(added.problems.join('\n'))
      console.log(`client_id: ${added.value.client.id}`)
      console.log(`client_secret: ${added.value.secret}`)
      console.error(`App "${added.value.client.name}" geregistreerd${practice ? ` (alleen praktijk ${practice.slug})` : ''}. Het geheim wordt niet opnieuw getoond; issuer: ${deps.config.publicUrl.href.replace(/\/$/, '')}`)
      return
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true })
      // The practice an app is limited to, by its code (issue 20); null: every practice.
      const clients = listClients(deps).map(({ practiceId, ...c }) => ({ ...c, practice: practiceId === null ? null : (getPractice(deps, practiceId)?.slug ?? null) }))
      if (values.json) {
        console.log(JSON.stringify(clients, null, 2))
        return
      }
      if (clients.length === 0) {
        console.log('Geen apps geregistreerd.')
        return
      }
      for (const c of clients) {
        console.log(`${c.id}  ${c.name}${c.firstParty ? ' (eigen app)' : ''}  ${c.idTokenAlg}  sinds ${formatDateTime(c.createdAt, 'nl')}`)
        console.log(`    praktijk: ${c.practice ?? 'alle praktijken'}`)
        for (const uri of c.redirectUris) console.log(`    redirect: ${uri}`)
        for (const uri of c.postLogoutUris) console.log(`    na uitloggen: ${uri}`)
        if (c.backchannelLogoutUri) console.log(`    back-channel logout: ${c.backchannelLogoutUri}`)
      }
      return
    }
    case 'remove':
    case 'rotate-secret': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true })
      const id = positionals[0]
      if (!id || positionals.length > 1) throw new UsageError('Geef één CLIENT_ID (zie client list).')
      if (!getClient(deps, id)) throw new Failure(`Geen app met client_id ${id}.`)
      if (sub === 'remove') {
        const removed = removeClient(deps, cli, id)!
        console.log(`App "${removed.name}" verwijderd; haar codes en tokens zijn vervallen.`)
      } else {
        const rotated = rotateClientSecret(deps, cli, id)!
        console.log(`client_secret: ${rotated.secret}`)
        console.error(`Nieuw geheim voor "${rotated.client.name}"; het oude werkt niet meer. Het wordt niet opnieuw getoond.`)
      }
      return
    }
    default:
      throw new UsageError(sub ? `Onbekende opdracht: client ${sub}.` : 'Geef een opdracht: add, list, remove of rotate-secret.')
  }
}

async function keys(runtime: Runtime, args: string[]): Promise<void> {
  if (args.length !== 1 || args[0] !== 'rotate') throw new UsageError('Geef de opdracht: keys rotate.')
  const { retired, created } = rotateSigningKeys(runtime.deps, cli)
  console.log(`Nieuwe sleutels: ${created.join(', ')}; ${retired} oude sleutel(s) blijven ${retiredKeysPublishedHours} uur gepubliceerd.`)
  console.error('Herstart het portaal om met de nieuwe sleutels te ondertekenen.')
}

export const oidcCommands: Record<string, Command> = {
  client: {
    overview: `client add --name NAAM --redirect-uri URL [--first-party] ...
Registreert een app (OpenID Connect).
client list [--json] | client remove CLIENT_ID | client rotate-secret CLIENT_ID
Toont, verwijdert of vernieuwt het geheim van een app.`,
    help: clientHelp,
    run: client,
  },
  keys: {
    overview: `keys rotate
Nieuwe ondertekensleutels voor id_tokens (herstart daarna het portaal).`,
    help: keysHelp,
    run: keys,
  },
}
