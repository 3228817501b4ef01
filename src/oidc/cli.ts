// The operator's commands for OpenID Connect (npm run admin -- client ... / keys rotate), entries of
// the table in src/cli/main.ts. Every change is in the audit log (actor 'cli').
import { parseArgs } from 'node:util'
import { cli, Failure, fill, UsageError, when, words, type Command } from '../cli/command.ts'
import { findPracticeBySlug, getPractice, listPractices } from '../domain/practices.ts'
import type { Runtime } from '../runtime.ts'
import { addClient, getClient, listClients, removeClient, rotateClientSecret, type AuthMethod } from './clients.ts'
import { retiredKeysPublishedHours, rotateSigningKeys } from './keys.ts'

const authMethods: Record<string, AuthMethod> = { basic: 'client_secret_basic', post: 'client_secret_post' }

async function client(runtime: Runtime, args: string[]): Promise<void> {
  const [sub, ...rest] = args
  const { deps } = runtime
  const o = words().commands.client
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
      if (positionals.length > 0) throw new UsageError(fill(words().cli.unexpectedArgument, { subject: positionals[0]! }))
      if (!values.name) throw new UsageError(o.missingName)
      const alg = values['id-token-alg'] ?? 'RS256'
      if (alg !== 'RS256' && alg !== 'ES256') throw new UsageError(fill(o.badAlg, { value: alg }))
      const method = authMethods[values['auth-method'] ?? 'basic']
      if (!method) throw new UsageError(fill(o.badAuthMethod, { value: values['auth-method'] ?? '' }))
      const practice = values.practice === undefined ? null : (await findPracticeBySlug(deps, values.practice))
      if (practice === undefined) {
        throw new UsageError(fill(words().cli.unknownPractice, { value: values.practice!, choices: (await listPractices(deps)).map((p) => p.slug).join(', ') }))
      }
      const added = await addClient(deps, cli, {
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
      const only = practice ? fill(o.onlyPractice, { practice: practice.slug }) : ''
      console.error(fill(o.added, { name: added.value.client.name, only, issuer: deps.config.publicUrl.href.replace(/\/$/, '') }))
      return
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true })
      // The practice an app is limited to, by its code (issue 20); null: every practice.
      const clients = await Promise.all(
        (await listClients(deps)).map(async ({ practiceId, ...c }) => ({ ...c, practice: practiceId === null ? null : ((await getPractice(deps, practiceId))?.slug ?? null) })),
      )
      if (values.json) {
        console.log(JSON.stringify(clients, null, 2))
        return
      }
      if (clients.length === 0) {
        console.log(o.none)
        return
      }
      for (const c of clients) {
        console.log(`${c.id}  ${c.name}${c.firstParty ? o.firstParty : ''}  ${c.idTokenAlg}  ${fill(o.since, { when: when(c.createdAt) })}`)
        console.log(`    ${o.practice}: ${c.practice ?? o.allPractices}`)
        for (const uri of c.redirectUris) console.log(`    ${o.redirect}: ${uri}`)
        for (const uri of c.postLogoutUris) console.log(`    ${o.afterLogout}: ${uri}`)
        if (c.backchannelLogoutUri) console.log(`    back-channel logout: ${c.backchannelLogoutUri}`)
      }
      return
    }
    case 'remove':
    case 'rotate-secret': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true })
      const id = positionals[0]
      if (!id || positionals.length > 1) throw new UsageError(o.oneId)
      if (!(await getClient(deps, id))) throw new Failure(fill(o.noClient, { id }))
      if (sub === 'remove') {
        const removed = (await removeClient(deps, cli, id))!
        console.log(fill(o.removed, { name: removed.name }))
      } else {
        const rotated = (await rotateClientSecret(deps, cli, id))!
        console.log(`client_secret: ${rotated.secret}`)
        console.error(fill(o.rotated, { name: rotated.client.name }))
      }
      return
    }
    default:
      throw new UsageError(sub ? fill(o.unknown, { sub }) : o.giveSub)
  }
}

async function keys(runtime: Runtime, args: string[]): Promise<void> {
  const o = words().commands.keys
  if (args.length !== 1 || args[0] !== 'rotate') throw new UsageError(o.give)
  const { retired, created } = await rotateSigningKeys(runtime.deps, cli)
  console.log(fill(o.rotated, { created: created.join(', '), retired, hours: retiredKeysPublishedHours }))
  console.error(o.restart)
}

export const oidcCommands: Record<string, Command> = {
  client: {
    overview: (o) => o.commands.client.overview,
    help: (o) => o.commands.client.help,
    run: client,
  },
  keys: {
    overview: (o) => o.commands.keys.overview,
    help: (o) => fill(o.commands.keys.help, { hours: retiredKeysPublishedHours }),
    run: keys,
  },
}
