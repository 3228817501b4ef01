// Our pages are the provider's interaction. oidc-provider sends the browser to /interaction/:uid
// whenever it needs to know who is signing in or whether they agree; the portal's own session and
// sign-in decide, and the answer goes back through oidc-provider's resume URL.
//
// - Not signed in to the portal: the uid is kept in the session and the patient walks the existing
//   sign-in (or onboarding, or the forgot path); completeSignIn sends them to /interaction/:uid/verder.
// - Signed in: straight back (single sign-on), unless the app asked for prompt=login or its max_age
//   has passed by our clock: then password and second factor are asked again. The portal session stays
//   until that sign-in completes (a link on another site can not sign anyone out), and a sign-in that
//   proves another account replaces it only then (completeSignIn).
// - An id_token_hint names who the app expects: anyone else signed in (or signing in) gets the app
//   login_required, never a code for the wrong patient.
// - Consent: none for the practice's own apps (provider.ts); others get a page naming the claims, in the reader's language.
// - An app limited to one practice (issue 20): an account of another practice is told so once it has
//   signed in (never before: which practice a username belongs to is not told to whoever types it), the
//   app gets access_denied, and nothing is issued.
//
// The last hop to the app: Chromium applies CSP form-action to every redirect that follows a form
// POST (the HTML spec checks each hop of the navigation as a form submission), so a POST → 303 →
// ours → 303 → app chain is blocked under form-action 'self' however many of our GETs are in between.
// After a form (the last sign-in step, consent) the answer is therefore a page of ours, /verder,
// whose meta refresh (and link, for browsers that ignore it) starts a new navigation that is no form
// submission. Straight from the app (single sign-on) the chain is GETs only and redirects at once.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type Provider from 'oidc-provider'
import type { Interaction } from 'oidc-provider'
import type { Account } from '../domain/accounts.ts'
import { recordEvent } from '../domain/audit.ts'
import type { Deps } from '../domain/deps.ts'
import { fill, uiLocale, type Catalogue } from '../messages.ts'
import { actorOf } from '../web/flow.ts'
import { t } from '../web/language.ts'
import { page } from '../web/render.ts'
import { sessionAccount } from '../web/session.ts'
import { contactWords, practiceOf } from '../domain/practices.ts'
import { amrOf, subjectOf } from './accounts.ts'
import { keepInteraction } from './adapter.ts'
import { appIsFor, getClient } from './clients.ts'

const uidShape = /^[A-Za-z0-9_-]{10,64}$/

/** What each scope gives the app, in the reader's words. */
const scopeText = (oidcText: Catalogue['oidcText']): Record<string, string> => ({
  openid: oidcText.claimOpenid,
  profile: oidcText.claimProfile,
  email: oidcText.claimEmail,
  phone: oidcText.claimPhone,
  role: oidcText.claimRole,
  practice: oidcText.claimPractice,
})

/**
 * The `sub` an id_token_hint names: undefined without a hint, null when it can not be read.
 * oidc-provider checked its signature and audience when the app's request came in; here it is only read.
 */
function hintedSubject(details: Interaction): string | null | undefined {
  const hint = details.params.id_token_hint
  if (hint === undefined) return undefined
  try {
    const sub = (JSON.parse(Buffer.from(hint.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown }).sub
    return typeof sub === 'string' ? sub : null
  } catch {
    return null
  }
}

/** The account signed in to the portal in this browser, if it may still sign in. */
async function portalAccount(req: FastifyRequest, deps: Deps): Promise<Account | undefined> {
  const id = req.session.accountId
  const account = id === undefined ? undefined : (await sessionAccount(req, deps, id))
  return account && account.deactivatedAt === null && account.erasedAt === null ? account : undefined
}

/** `provider()`: oidc-provider, loaded on first need (routes.ts). */
export function registerInteraction(app: FastifyInstance, deps: Deps, provider: () => Promise<Provider>): void {
  const expired = async (req: FastifyRequest, reply: FastifyReply) => {
    const { oidcText } = t(req)
    // After a POST (consent) there is no GET of the same path to switch back to.
    const switchBack = req.method === 'GET' ? undefined : '/'
    return await page(req, reply, 'oidc/error', { title: oidcText.errorTitle, message: oidcText.errorExpired, code: 'interaction_expired', noForm: true, switchBack }, 400)
  }

  /** The interaction this browser holds (oidc-provider's cookie) for the uid in the path, or null. */
  async function load(req: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply): Promise<Interaction | null> {
    if (!uidShape.test(req.params.uid)) return null
    const oidc = await provider()
    let details: Interaction
    try {
      details = await oidc.interactionDetails(req.raw, reply.raw)
    } catch {
      return null
    }
    if (details.uid !== req.params.uid) return null
    // Its browser opened it: kept for the whole sign-in now (adapter.ts keeps an unopened one 10 minutes).
    await keepInteraction(deps, details.uid)
    return details
  }

  async function appName(details: Interaction): Promise<string> {
    const client = await (await provider()).Client.find(details.params.client_id ?? '')
    return client?.clientName ?? client?.clientId ?? ''
  }

  /** Stores the outcome for oidc-provider's resume step (its resume URL is details.returnTo). */
  async function saveResult(req: FastifyRequest, details: Interaction, result: Record<string, unknown>): Promise<void> {
    const login = result.login as { accountId: string } | undefined
    // oidc-provider's own session remembers someone else (signed out of the portal, another patient
    // at this computer): it would answer with a JavaScript form post to its logout. Drop it instead,
    // so the resume starts a clean session for the account that signed in now.
    if (login && details.session?.accountId && details.session.accountId !== login.accountId) {
      const stale = details.session.uid ? await (await provider()).Session.findByUid(details.session.uid) : undefined
      if (stale) await stale.destroy()
      details.session = undefined
    }
    details.result = 'error' in result ? result : { ...(details.lastSubmission as object | undefined), ...result }
    // oidc-provider keeps its own time (it takes no clock): the interaction's remaining life by it.
    await details.save(details.exp - Math.floor(Date.now() / 1000))
    req.session.oidcInteraction = undefined
    req.session.oidcApp = undefined
    req.session.oidcFreshFor = undefined
    req.session.uiLocale = undefined
  }

  async function continuePage(req: FastifyRequest, reply: FastifyReply, details: Interaction) {
    const app = await appName(details)
    const { oidcText } = t(req)
    return await page(req, reply, 'oidc/continue', {
      title: oidcText.continueTitle,
      body: fill(oidcText.continueBody, { app }),
      link: fill(oidcText.continueLink, { app }),
      url: details.returnTo,
      refresh: details.returnTo,
      noForm: true,
    })
  }

  /**
   * The app is for another practice than the signed-in account's: audited, the interaction ends with
   * access_denied (the app gets no code), and the patient reads why, with their own practice's contact.
   */
  async function wrongPractice(req: FastifyRequest, reply: FastifyReply, details: Interaction, account: Account) {
    const clientId = details.params.client_id ?? ''
    await recordEvent(deps, actorOf(req), { event: 'oidc_wrong_practice', outcome: 'failure', accountId: account.id, detail: { clientId, client: (await getClient(deps, clientId))?.name ?? clientId } })
    const app = await appName(details)
    await saveResult(req, details, { error: 'access_denied', error_description: 'The app is not for the account’s practice' })
    const { oidcText } = t(req)
    return await page(req, reply, 'oidc/wrong-practice', {
      title: oidcText.wrongPracticeTitle,
      body: fill(oidcText.wrongPracticeBody, { app, ...contactWords((await practiceOf(deps, account))) }),
      back: details.returnTo,
      noForm: true,
    }, 403)
  }

  async function interaction(req: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply, viaPage: boolean) {
    const details = await load(req, reply)
    if (!details) {
      // After a sign-in whose app request has meanwhile expired (or was left an hour ago): the patient
      // is signed in to the portal, so the home page, not an error.
      if (viaPage && req.session.oidcFreshFor === req.params.uid && req.session.accountId !== undefined) {
        req.session.oidcFreshFor = undefined
        return reply.redirect('/', 303)
      }
      return await expired(req, reply)
    }
    if (details.result) return viaPage ? (await continuePage(req, reply, details)) : (reply.redirect(details.returnTo, 303))
    const uid = details.uid
    const account = await portalAccount(req, deps)
    const now = deps.clock.now()

    if (details.prompt.name === 'login') {
      const fresh = req.session.oidcFreshFor === uid
      const maxAge = details.params.max_age === undefined ? undefined : Number(details.params.max_age)
      const signedInAt = req.session.signedInAt ?? 0
      const tooOld = maxAge !== undefined && Number.isFinite(maxAge) && now.getTime() - signedInAt > maxAge * 1000
      const askAgain = details.prompt.reasons.includes('login_prompt') || tooOld
      if (!account || (askAgain && !fresh)) {
        // The sign-in pages in the language the app asked for, unless this browser chose one (web/language.ts).
        // A fresh sign-in ends nothing yet: a signed-in patient stays signed in while the sign-in pages
        // ask again (each new session id of that walk keeps it: pendingInteraction), until completeSignIn.
        // The walk's pages name the app (issue 23.7): "Inloggen bij Dossier".
        Object.assign(req.session, { oidcInteraction: uid, oidcApp: await appName(details), uiLocale: uiLocale(details.params.ui_locales) })
        return reply.redirect('/inloggen', 303)
      }
      const sub = await subjectOf(deps, account.id)
      const hinted = hintedSubject(details)
      if (hinted !== undefined && hinted !== sub) {
        await saveResult(req, details, { error: 'login_required', error_description: 'the End-User signed in is not the one id_token_hint names' })
        return viaPage ? (await continuePage(req, reply, details)) : (reply.redirect(details.returnTo, 303))
      }
      if (!(await appIsFor(deps, details.params.client_id ?? '', account))) return await wrongPractice(req, reply, details, account)
      const amr = amrOf(req.session.signInMethod ?? account.mfaMethod)
      await saveResult(req, details, { login: { accountId: sub, ts: Math.floor(signedInAt / 1000), amr, remember: false } })
      return viaPage ? (await continuePage(req, reply, details)) : (reply.redirect(details.returnTo, 303))
    }

    // Consent: the provider's session is this portal account (the portal_session check in provider.ts).
    if (!account || details.session?.accountId !== (await subjectOf(deps, account.id))) {
      req.session.oidcInteraction = uid
      req.session.oidcApp = await appName(details)
      return reply.redirect('/inloggen', 303)
    }
    if (!(await appIsFor(deps, details.params.client_id ?? '', account))) return await wrongPractice(req, reply, details, account)
    const { oidcText } = t(req)
    const claims = scopeText(oidcText)
    const scopes = String(details.params.scope ?? 'openid').split(' ').filter((s) => s in claims)
    return await page(req, reply, 'oidc/consent', {
      title: oidcText.consentTitle,
      intro: fill(oidcText.consentIntro, { app: await appName(details) }),
      claims: scopes.map((s) => claims[s]),
      uid,
    })
  }

  app.get<{ Params: { uid: string } }>('/interaction/:uid', (req, reply) => interaction(req, reply, false))
  app.get<{ Params: { uid: string } }>('/interaction/:uid/verder', (req, reply) => interaction(req, reply, true))

  app.post<{ Params: { uid: string } }>('/interaction/:uid/toestemming', async (req, reply) => {
    const details = await load(req, reply)
    if (!details || details.prompt.name !== 'consent') return await expired(req, reply)
    const account = await portalAccount(req, deps)
    const sub = details.session?.accountId
    if (!account || sub !== (await subjectOf(deps, account.id))) return await expired(req, reply)
    if (!(await appIsFor(deps, details.params.client_id ?? '', account))) return await wrongPractice(req, reply, details, account)
    const clientId = details.params.client_id!
    const { Grant } = await provider()
    const grant = details.grantId ? await Grant.find(details.grantId) : new Grant({ accountId: sub, clientId })
    const missing = details.prompt.details
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
    const grantId = await grant.save()
    await recordEvent(deps, actorOf(req), { event: 'oidc_consent', outcome: 'success', accountId: account.id, detail: { clientId, client: (await getClient(deps, clientId))?.name ?? clientId, scope: String(details.params.scope ?? '') } })
    await saveResult(req, details, { consent: { grantId } })
    return reply.redirect(`/interaction/${details.uid}/verder`, 303)
  })

  app.post<{ Params: { uid: string } }>('/interaction/:uid/weigeren', async (req, reply) => {
    const details = await load(req, reply)
    if (!details) return await expired(req, reply)
    const account = await portalAccount(req, deps)
    await recordEvent(deps, actorOf(req), { event: 'oidc_consent', outcome: 'failure', accountId: account?.id ?? null, detail: { clientId: details.params.client_id ?? '', refused: true } })
    await saveResult(req, details, { error: 'access_denied', error_description: 'End-User refused the request' })
    return reply.redirect(`/interaction/${details.uid}/verder`, 303)
  })
}
