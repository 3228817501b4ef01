// /dev/app: a small relying party built with openid-client (a real client library, not ours), so a
// newcomer sees the provider work: "Inloggen bij de demo-app" starts the code flow (PKCE, nonce,
// state), the callback shows the id_token's verified claims and the userinfo answer, and a button
// signs out through the provider's logout. Development only (DEV_OUTBOX): registered by routes.ts,
// its client by server.ts on an empty database. openid-client is loaded on first use, never in production.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Deps } from '../domain/deps.ts'
import { t } from '../web/language.ts'
import { page } from '../web/render.ts'
import { addClient, clientMetadata, listClients } from './clients.ts'
import { prefix } from './prefix.ts'

export const demoAppName = 'Demo-app'
const cookie = 'mtd_devapp'
const callbackPath = '/dev/app/terug'

const base = (deps: Deps) => deps.config.publicUrl.href.replace(/\/$/, '')

/** The demo app as the CLI would register it, when the database has no apps yet. */
export async function seedDemoApp(deps: Deps): Promise<string | null> {
  if ((await listClients(deps)).length > 0) return null
  const added = await addClient(deps, { actor: 'system' }, {
    name: demoAppName,
    redirectUris: [`${base(deps)}${callbackPath}`],
    postLogoutUris: [`${base(deps)}/dev/app`],
    firstParty: true,
  })
  return added.ok ? added.value.client.id : null
}

async function demoClientId(deps: Deps): Promise<string | undefined> {
  return (await listClients(deps)).find((c) => c.name === demoAppName && c.redirectUris.includes(`${base(deps)}${callbackPath}`))?.id
}

export function registerDevApp(app: FastifyInstance, deps: Deps): void {
  async function configuration(id: string) {
    const client = await import('openid-client')
    const metadata = (await clientMetadata(deps, id))!
    const secret = String(metadata.client_secret)
    const insecure = deps.config.publicUrl.protocol === 'http:' ? [client.allowInsecureRequests] : []
    // The secret is sent the way the app was registered (the provider refuses the other way).
    const auth = metadata.token_endpoint_auth_method === 'client_secret_post' ? client.ClientSecretPost(secret) : client.ClientSecretBasic(secret)
    const config = await client.discovery(new URL(base(deps)), id, secret, auth, { execute: [...insecure, client.enableNonRepudiationChecks] })
    return { client, config }
  }

  const show = (req: FastifyRequest, reply: FastifyReply, data: Record<string, unknown>, status = 200) =>
    page(req, reply, 'dev/app', { title: t(req).oidcText.demoTitle, claims: null, userinfo: null, failure: null, ...data }, status)

  app.get('/dev/app', async (req, reply) => show(req, reply, { missing: !(await demoClientId(deps)) }))

  app.get('/dev/app/inloggen', async (req, reply) => {
    const id = await demoClientId(deps)
    if (!id) return await show(req, reply, { missing: true }, 404)
    const { client, config } = await configuration(id)
    const verifier = client.randomPKCECodeVerifier()
    const state = { verifier, nonce: client.randomNonce(), state: client.randomState() }
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: `${base(deps)}${callbackPath}`,
      scope: 'openid profile email phone role',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce: state.nonce,
      state: state.state,
    })
    // What a real app keeps in its own session; the demo keeps it in a cookie of its own.
    reply.header('set-cookie', `${cookie}=${Buffer.from(JSON.stringify(state)).toString('base64url')}; Path=/dev/app; HttpOnly; SameSite=Lax`)
    return reply.redirect(url.href, 303)
  })

  app.get(callbackPath, async (req, reply) => {
    const id = await demoClientId(deps)
    const raw = /(?:^|;\s*)mtd_devapp=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1]
    if (!id || !raw) return reply.redirect('/dev/app', 303)
    const saved = JSON.parse(Buffer.from(raw, 'base64url').toString()) as { verifier: string; nonce: string; state: string }
    reply.header('set-cookie', `${cookie}=; Path=/dev/app; Max-Age=0; HttpOnly; SameSite=Lax`)
    const { client, config } = await configuration(id)
    try {
      const tokens = await client.authorizationCodeGrant(config, new URL(req.url, base(deps)), {
        pkceCodeVerifier: saved.verifier,
        expectedNonce: saved.nonce,
        expectedState: saved.state,
        idTokenExpected: true,
      })
      const claims = tokens.claims()!
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub)
      const entries = (o: object) => Object.entries(o).map(([name, value]) => ({ name, value: JSON.stringify(value) }))
      return await show(req, reply, { claims: entries(claims), userinfo: entries(userinfo), clientId: id, switchBack: '/dev/app' })
    } catch (err) {
      return await show(req, reply, { failure: err instanceof Error ? err.message : String(err), switchBack: '/dev/app' }, 400)
    }
  })

  app.post('/dev/app/uitloggen', async (_req, reply) => {
    const id = await demoClientId(deps)
    if (!id) return reply.redirect('/dev/app', 303)
    const url = new URL(`${prefix}/session/end`, base(deps))
    url.searchParams.set('client_id', id)
    url.searchParams.set('post_logout_redirect_uri', `${base(deps)}/dev/app`)
    return reply.redirect(url.pathname + url.search, 303)
  })
}
