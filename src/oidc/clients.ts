// The practice's apps (OpenID Connect clients): added, listed, removed and given a new secret from the
// CLI, and read by the provider through the adapter. Redirect URIs are matched exactly by oidc-provider;
// here they are checked once, when registered: https, or http://localhost outside production.
//
// The secret is shown once and stored encrypted (AES-256-GCM under a key derived from SECRET_KEY),
// not hashed: oidc-provider checks client_secret_basic and client_secret_post by comparing the
// presented secret with the registered one (constant-time), so the adapter must hand it the value.
// A stolen database alone does not give the secrets; the database and SECRET_KEY together do.
import { randomBytes } from 'node:crypto'
import { asc, eq } from 'drizzle-orm'
import type { Config } from '../config.ts'
import { jsonField } from '../db/dialect.ts'
import { oidcArtifacts, oidcClients } from '../db/tables.ts'
import { recordEvent } from '../domain/audit.ts'
import type { Actor, Deps } from '../domain/deps.ts'
import { getPractice } from '../domain/practices.ts'
import { encrypt, openWithAny } from '../domain/secrets.ts'
import { fill, messages } from '../messages.ts'
import { authorizationParamLimits } from './params.ts'
import { atRestKeys, oidcKeys } from './secrets.ts'
import { first, only } from '../db/index.ts'

export type Client = typeof oidcClients.$inferSelect

export interface NewClient {
  name: string
  redirectUris: string[]
  postLogoutUris?: string[]
  backchannelLogoutUri?: string | null
  firstParty?: boolean
  idTokenAlg?: 'RS256' | 'ES256'
  authMethod?: AuthMethod
  /** Issue 20: only the accounts of this practice may sign in to the app; null or absent: every practice's. */
  practiceId?: number | null
}

export type AuthMethod = 'client_secret_basic' | 'client_secret_post'

export interface ClientView {
  id: string
  name: string
  redirectUris: string[]
  postLogoutUris: string[]
  backchannelLogoutUri: string | null
  firstParty: boolean
  idTokenAlg: 'RS256' | 'ES256'
  authMethod: AuthMethod
  createdAt: Date
  secretRotatedAt: Date | null
  practiceId: number | null
}

type Result<T> = { ok: true; value: T } | { ok: false; problems: string[] }

/** Apps are registered by the operator, from the CLI, which speaks Dutch. */
const { oidcText } = messages('nl')

/** Why `raw` cannot be registered as a URI of an app, or null when it can. */
export function uriProblem(config: Config, raw: string): string | null {
  // An authorization request's redirect_uri may be as long as this and no longer (params.ts).
  if (raw.length > authorizationParamLimits.redirect_uri) return `${raw.slice(0, 60)}…: ${fill(oidcText.uriTooLong, { max: authorizationParamLimits.redirect_uri })}`
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return `${raw}: ${oidcText.uriInvalid}`
  }
  if (url.hash !== '' || raw.includes('#')) return `${raw}: ${oidcText.uriFragment}`
  if (url.username || url.password) return `${raw}: ${oidcText.uriInvalid}`
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]'
  if (url.protocol === 'https:') return null
  if (url.protocol === 'http:' && local && config.mode !== 'production') return null
  return `${raw}: ${config.mode === 'production' ? oidcText.uriHttpsProduction : oidcText.uriHttps}`
}

const secret = () => randomBytes(32).toString('base64url')

function view(row: Client): ClientView {
  return {
    id: row.id,
    name: row.name,
    redirectUris: JSON.parse(row.redirectUris) as string[],
    postLogoutUris: JSON.parse(row.postLogoutUris) as string[],
    backchannelLogoutUri: row.backchannelLogoutUri,
    firstParty: row.firstParty,
    idTokenAlg: row.idTokenAlg,
    authMethod: row.authMethod,
    createdAt: row.createdAt,
    secretRotatedAt: row.secretRotatedAt,
    practiceId: row.practiceId,
  }
}

export async function addClient(deps: Deps, by: Actor, input: NewClient): Promise<Result<{ client: ClientView; secret: string }>> {
  const problems: string[] = []
  const name = input.name.trim()
  if (name === '' || name.length > 100) problems.push(oidcText.clientNameInvalid)
  if (input.redirectUris.length === 0) problems.push(oidcText.redirectUriMissing)
  const uris = [...input.redirectUris, ...(input.postLogoutUris ?? []), ...(input.backchannelLogoutUri ? [input.backchannelLogoutUri] : [])]
  for (const uri of uris) {
    const problem = uriProblem(deps.config, uri)
    if (problem) problems.push(problem)
  }
  if (problems.length > 0) return { ok: false, problems }
  const id = randomBytes(16).toString('base64url')
  const plain = secret()
  const row = await deps.db
    .insert(oidcClients)
    .values({
      id,
      name,
      secretEnc: encrypt(oidcKeys(deps.config).atRest, plain),
      redirectUris: JSON.stringify(input.redirectUris),
      postLogoutUris: JSON.stringify(input.postLogoutUris ?? []),
      backchannelLogoutUri: input.backchannelLogoutUri ?? null,
      firstParty: input.firstParty ?? false,
      idTokenAlg: input.idTokenAlg ?? 'RS256',
      authMethod: input.authMethod ?? 'client_secret_basic',
      practiceId: input.practiceId ?? null,
      createdAt: deps.clock.now(),
    })
    .returning()
    .then(only)
  await recordEvent(deps, by, { event: 'oidc_client_added', outcome: 'success', detail: { clientId: id, client: name, firstParty: row.firstParty, ...(row.practiceId === null ? {} : { practice: (await practiceSlug(deps, row.practiceId)) }) } })
  return { ok: true, value: { client: view(row), secret: plain } }
}

export async function listClients(deps: Deps): Promise<ClientView[]> {
  return (await deps.db.select().from(oidcClients).orderBy(asc(oidcClients.name), asc(oidcClients.id))).map(view)
}

export async function getClient(deps: Deps, id: string): Promise<ClientView | undefined> {
  const row = await deps.db.select().from(oidcClients).where(eq(oidcClients.id, id)).then(first)
  return row && view(row)
}

const practiceSlug = async (deps: Deps, id: number) => (await getPractice(deps, id))?.slug ?? String(id)

/** May this account sign in to this app? An app limited to one practice is for that practice's accounts only (issue 20). */
export async function appIsFor(deps: Deps, clientId: string, account: { practiceId: number }): Promise<boolean> {
  const limit = (await deps.db.select({ practiceId: oidcClients.practiceId }).from(oidcClients).where(eq(oidcClients.id, clientId)).then(first))?.practiceId ?? null
  return limit === null || limit === account.practiceId
}

/** Removes the app; the tokens and grants issued to it go too (its sessions' other apps stay). */
export async function removeClient(deps: Deps, by: Actor, id: string): Promise<ClientView | undefined> {
  return await deps.db.transaction(async () => {
    const row = await deps.db.select().from(oidcClients).where(eq(oidcClients.id, id)).then(first)
    if (!row) return undefined
    await deps.db.delete(oidcClients).where(eq(oidcClients.id, id))
    // Codes, tokens and grants carry the client id in their payload.
    await deps.db.delete(oidcArtifacts).where(eq(jsonField(deps.db, oidcArtifacts.payload, 'clientId'), id))
    await recordEvent(deps, by, { event: 'oidc_client_removed', outcome: 'success', detail: { clientId: id, client: row.name } })
    return view(row)
  })
}

export async function rotateClientSecret(deps: Deps, by: Actor, id: string): Promise<{ client: ClientView; secret: string } | undefined> {
  const plain = secret()
  const row = await deps.db
    .update(oidcClients)
    .set({ secretEnc: encrypt(oidcKeys(deps.config).atRest, plain), secretRotatedAt: deps.clock.now() })
    .where(eq(oidcClients.id, id))
    .returning()
    .then(only)
  if (!row) return undefined
  await recordEvent(deps, by, { event: 'oidc_client_secret_rotated', outcome: 'success', detail: { clientId: id, client: row.name } })
  return { client: view(row), secret: plain }
}

/** The client as oidc-provider reads it (its metadata, the secret in clear), or undefined. */
export async function clientMetadata(deps: Deps, id: string): Promise<Record<string, unknown> | undefined> {
  const row = await deps.db.select().from(oidcClients).where(eq(oidcClients.id, id)).then(first)
  if (!row) return undefined
  const postLogout = JSON.parse(row.postLogoutUris) as string[]
  let secret: string
  try {
    secret = openWithAny(atRestKeys(oidcKeys(deps.config)), row.secretEnc).text
  } catch {
    // Sealed under a key that is neither SECRET_KEY nor in SECRET_KEYS_OLD (the start refuses that,
    // domain/key-check.ts): the app is refused until `client rotate-secret` gives it a new one.
    return undefined
  }
  return {
    client_id: row.id,
    client_secret: secret,
    client_name: row.name,
    redirect_uris: JSON.parse(row.redirectUris) as string[],
    ...(postLogout.length > 0 ? { post_logout_redirect_uris: postLogout } : {}),
    ...(row.backchannelLogoutUri ? { backchannel_logout_uri: row.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // Answers in the query only (routes.ts refuses other modes in a GET before this is asked).
    response_modes: ['query'],
    token_endpoint_auth_method: row.authMethod,
    id_token_signed_response_alg: row.idTokenAlg,
    // localhost http redirect URIs in development: oidc-provider calls such a client "native" otherwise.
    application_type: 'web',
  }
}
