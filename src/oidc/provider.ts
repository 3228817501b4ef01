// The OpenID Connect provider (oidc-provider 8, OpenID Certified) configured for the portal:
// issuer = PUBLIC_URL; the authorization code flow only, PKCE S256 always; response_mode query only
// (enforced in routes.ts, where oidc-provider offers more); no implicit or hybrid flow, no dynamic
// registration, no `none` algorithm; RS256 id_tokens, ES256 for apps registered with it. The
// interaction (sign-in, consent) is ours: src/oidc/interaction.ts. What a request can make it store is
// bounded (decision 0013): every parameter's length (params.ts), interactions per client and per app
// (request-budget.ts), checked here through oidc-provider's own hooks; bodies and https in gate.ts.
import Provider, { errors, interactionPolicy, type KoaContext } from 'oidc-provider'
import type { Actor, Deps } from '../domain/deps.ts'
import { recordEvent } from '../domain/audit.ts'
import { practiceOf } from '../domain/practices.ts'
import { languages } from '../messages.ts'
import { accountOfSubject, claimsByScope, claimsOf } from './accounts.ts'
import { createAdapterFactory, interactionSeconds } from './adapter.ts'
import { appIsFor, getClient } from './clients.ts'
import { providerCookies } from './cookies.ts'
import { loadSigningKeys } from './keys.ts'
import { authorizationParamLimits, authorizationParamProblem } from './params.ts'
import { takeInteraction } from './request-budget.ts'
import { oidcKeys } from './secrets.ts'
import { errorPage, logoutPage, loggedOutPage, type Pages, type Reader } from './pages.ts'
import { prefix } from './prefix.ts'

export { prefix }

/** What the portal's request tells the provider (set on the raw request by routes.ts). */
export interface PortalState {
  /** The `sub` of the account signed in to the portal in this browser, if any. */
  subject?: string
  /** The client's address by the portal's TRUST_PROXY rule (Koa's would believe any X-Forwarded-For). */
  ip?: string
  /** Ends the portal session of this browser (after a logout the provider confirmed). */
  endPortalSession?: () => Promise<void>
  /** The language of the pages it answers with (errors, logout), and their switch link. */
  reader?: Reader
}

export const portalStateOf = (ctx: KoaContext): PortalState => (ctx.req as unknown as { portal?: PortalState }).portal ?? {}

const actorOf = (ctx: KoaContext): Actor => ({ actor: 'self', ip: portalStateOf(ctx).ip ?? null, userAgent: ctx.get('user-agent') || null })

export const ttlSeconds = {
  AuthorizationCode: 60,
  AccessToken: 60 * 60,
  IdToken: 60 * 60,
}

/** A logout question asked of a browser without a sign-in: its provider session is kept this long. */
const logoutQuestionSeconds = 10 * 60

/**
 * Every authorization request parameter oidc-provider reads, with a validator for its length
 * (params.ts). oidc-provider runs these after it checked the client and redirect URI and before it
 * stores anything, so a value too long is refused the way any invalid request is.
 */
function paramValidators(): Record<string, (ctx: KoaContext, value: unknown) => void> {
  const validators: Record<string, (ctx: KoaContext, value: unknown) => void> = {}
  for (const name of Object.keys(authorizationParamLimits) as (keyof typeof authorizationParamLimits)[]) {
    validators[name] = (ctx, value) => {
      // oidc-provider has narrowed scope to the scopes it knows by now; the limit is on what the app sent.
      const sent = name === 'scope' ? ((ctx.method === 'POST' ? ctx.oidc.body : ctx.query) as Record<string, unknown> | undefined)?.scope : value
      const problem = authorizationParamProblem(name, sent)
      if (problem) throw new errors.InvalidRequest(problem)
    }
  }
  return validators
}

export async function createProvider(deps: Deps, pages: Pages): Promise<Provider> {
  const signingKeys = await loadSigningKeys(deps)
  const { config } = deps
  const issuer = config.publicUrl.href.replace(/\/$/, '')

  // The portal's own session decides who is signed in: when it is not the account the provider's
  // session remembers (signed out of the portal, another patient on this computer), the provider asks
  // our interaction again instead of answering from its own session.
  const policy = interactionPolicy.base()
  policy.get('login').checks.add(
    new interactionPolicy.Check('portal_session', 'the portal session is not the provider session', (ctx) => {
      if (ctx.oidc.result?.login) return interactionPolicy.Check.NO_NEED_TO_PROMPT
      if (portalStateOf(ctx).subject !== ctx.oidc.session.accountId) return interactionPolicy.Check.REQUEST_PROMPT
      // max_age by the portal's clock (oidc-provider's own max_age check reads Date.now(); in
      // production the two agree, and tests move only ours).
      const maxAge = ctx.oidc.params.max_age === undefined ? undefined : Number(ctx.oidc.params.max_age)
      const loginTs = ctx.oidc.session.authTime() as number | undefined
      if (maxAge !== undefined && (loginTs === undefined || deps.clock.now().getTime() / 1000 - loginTs > maxAge)) return interactionPolicy.Check.REQUEST_PROMPT
      return interactionPolicy.Check.NO_NEED_TO_PROMPT
    }),
    0,
  )
  // Issue 20: an app limited to one practice never answers another practice's account from the
  // provider's own session (single sign-on): our interaction tells the patient, and issues nothing.
  policy.get('login').checks.add(
    new interactionPolicy.Check('portal_practice', 'the app is for another practice', async (ctx) => {
      const sub = ctx.oidc.session.accountId as string | undefined
      const account = sub ? (await accountOfSubject(deps, sub)) : undefined
      return account && !(await appIsFor(deps, ctx.oidc.client.clientId, account)) ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT
    }),
  )

  /**
   * oidc-provider is about to store a new interaction (it asks its lifetime just before): the moment to
   * refuse it when this client or app has started all an hour allows (request-budget.ts). A 429 page of
   * ours, never a redirect to the app; nothing is stored and no cookie set. The interaction of a resumed
   * sign-in (a consent after the login) belongs to one already counted.
   */
  async function admitInteraction(ctx: KoaContext): Promise<void> {
    if (ctx.oidc.route === 'authorization') {
      const taken = await takeInteraction(deps, actorOf(ctx), ctx.oidc.client.clientId)
      if (!taken.ok) {
        const err = new errors.CustomOIDCProviderError('temporarily_unavailable', taken.budget === 'app' ? 'too many sign-in requests for this app' : 'too many sign-in requests from this address')
        Object.assign(err, { status: 429, statusCode: 429, allow_redirect: false, retryAfter: Math.max(1, Math.ceil((taken.until.getTime() - deps.clock.now().getTime()) / 1000)) })
        throw err
      }
    }
  }
  // oidc-provider asks ttl.Interaction synchronously, just before it saves a new interaction; the budget
  // is in the database (async). So ttl notes the interaction's request, and the save (async) takes the
  // budget first: refused, nothing is stored, as before (see the patch of Interaction.save below).
  const admitting = new WeakMap<object, KoaContext>()
  function interactionTtl(ctx: KoaContext, interaction: object): number {
    admitting.set(interaction, ctx)
    return interactionSeconds(deps)
  }


  const cookies = providerCookies(config)
  const provider = new Provider(issuer, {
    adapter: createAdapterFactory(deps),
    jwks: { keys: signingKeys },
    // The portal's cookie rules (cookies.ts): prefixed and Secure under https, HttpOnly, SameSite=Lax, signed.
    // The first key signs; an older key's signature (SECRET_KEYS_OLD) is still accepted, and the cookie is
    // signed again under the first when it is read (keygrip, through oidc-provider's cookies).
    cookies: {
      keys: [oidcKeys(config).cookies, ...oidcKeys(config).older.map((k) => k.cookies)].map((k) => k.toString('base64url')),
      long: cookies.options,
      short: cookies.options,
      names: cookies.names,
    },
    // Length limits on every authorization request parameter (params.ts), checked before anything is stored.
    extraParams: paramValidators(),
    routes: {
      authorization: `${prefix}/auth`,
      token: `${prefix}/token`,
      userinfo: `${prefix}/me`,
      jwks: `${prefix}/jwks`,
      end_session: `${prefix}/session/end`,
      revocation: `${prefix}/token/revocation`,
      introspection: `${prefix}/token/introspection`,
      pushed_authorization_request: `${prefix}/request`,
      registration: `${prefix}/reg`,
      backchannel_authentication: `${prefix}/backchannel`,
      code_verification: `${prefix}/device`,
      device_authorization: `${prefix}/device/auth`,
    },
    interactions: { policy, url: (_ctx: KoaContext, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // The sign-in pages follow an app's ui_locales (src/oidc/interaction.ts, web/language.ts).
    discovery: { claim_types_supported: ['normal'], ui_locales_supported: [...languages] },
    responseTypes: ['code'],
    pkce: { methods: ['S256'], required: () => true },
    scopes: ['openid', 'profile', 'email', 'phone', 'role', 'practice'],
    claims: claimsByScope,
    // No refresh tokens: no app is registered for the refresh_token grant and offline_access is no scope,
    // so oidc-provider's default issueRefreshToken issues none, and discovery lists only the code grant
    // (overriding issueRefreshToken, even with one that says no, makes it list refresh_token). An app
    // asks again, and the portal session decides.
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      clientAuthSigningAlgValues: ['RS256', 'ES256'],
      requestObjectSigningAlgValues: ['RS256', 'ES256'],
      introspectionSigningAlgValues: ['RS256', 'ES256'],
      authorizationSigningAlgValues: ['RS256', 'ES256'],
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      claimsParameter: { enabled: false },
      requestObjects: { request: false, requestUri: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContext, form: string) => logoutPage(pages, ctx, form),
        postLogoutSuccessSource: async (ctx: KoaContext) => loggedOutPage(pages, ctx),
      },
    },
    ttl: {
      AuthorizationCode: ttlSeconds.AuthorizationCode,
      AccessToken: ttlSeconds.AccessToken,
      IdToken: ttlSeconds.IdToken,
      // The whole sign-in (FLOW_ABSOLUTE_MINUTES); the adapter keeps one nobody opened 10 minutes only.
      Interaction: (ctx: KoaContext, interaction: object) => interactionTtl(ctx, interaction),
      // A session without an account only carries a logout question (and its state) to its confirmation.
      Session: (_ctx: KoaContext, session: { accountId?: string }) => (session.accountId ? config.limits.sessionAbsoluteHours * 3600 : logoutQuestionSeconds),
      Grant: config.limits.sessionAbsoluteHours * 3600,
    },
    // The practice's own apps need no consent: their grant is made here, for the scopes they ask.
    async loadExistingGrant(ctx: KoaContext) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId)
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId)
        if (grant) return grant
      }
      if (!(await getClient(deps, ctx.oidc.client.clientId))?.firstParty) return undefined
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId })
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '))
      await grant.save()
      return grant
    },
    async findAccount(_ctx: KoaContext, sub: string) {
      const account = await accountOfSubject(deps, sub)
      if (!account) return undefined
      return { accountId: sub, claims: async (_use: string, scope: string) => claimsOf(account, sub, (await practiceOf(deps, account)), scope) }
    },
    renderError: async (ctx: KoaContext, out: { error: string; error_description?: string }, err?: { retryAfter?: number }) => {
      if (err?.retryAfter) ctx.set('retry-after', String(err.retryAfter))
      await errorPage(pages, ctx, out)
    },
  })
  // routes.ts sets X-Forwarded-Proto from Fastify's own decision, so the provider may read it.
  provider.proxy = true

  // Every authorization in the audit log, with the app's name (SSO answers too, which never reach
  // our interaction pages); the patient's Beveiliging page lists the apps from these rows.
  const Interaction = (provider as unknown as { Interaction: unknown }).Interaction as { prototype: { save(this: object, ttl: number): Promise<unknown> } }
  const save = Interaction.prototype.save
  Interaction.prototype.save = async function (this: object, ttl: number) {
    const ctx = admitting.get(this)
    if (ctx) {
      admitting.delete(this)
      await admitInteraction(ctx)
    }
    return await save.call(this, ttl)
  }
  // oidc-provider's events are synchronous: the audit write runs beside the answer, its failure logged.
  const failed = (what: string) => (err: unknown) => deps.warn?.(`${what}: ${err instanceof Error ? err.message : String(err)}`)
  provider.on('authorization.success', (ctx: KoaContext) => {
    const sub = ctx.oidc.session?.accountId as string | undefined
    const actor = actorOf(ctx)
    const detail = { clientId: ctx.oidc.client.clientId, client: ctx.oidc.client.clientName ?? ctx.oidc.client.clientId }
    ;(async () => {
      const account = sub ? await accountOfSubject(deps, sub) : undefined
      await recordEvent(deps, actor, { event: 'oidc_authorization', outcome: 'success', accountId: account?.id ?? null, detail })
    })().catch(failed('Auditregel oidc_authorization mislukt'))
  })
  provider.on('end_session.success', (ctx: KoaContext) => {
    if (!ctx.oidc.params?.logout) return
    portalStateOf(ctx).endPortalSession?.()?.catch(failed('Portaalsessie beëindigen mislukt'))
  })
  return provider
}
