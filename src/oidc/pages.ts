// The pages oidc-provider renders itself (errors, the logout question, "signed out") in the portal's
// layout, words and headers: the reader's language, zero JavaScript, the portal's CSP.
import type { KoaContext } from 'oidc-provider'
import type { Config } from '../config.ts'
import { defaultLanguage, fill, messages, type Catalogue, type Lang } from '../messages.ts'
import { pageWords } from '../web/language.ts'
import { contentSecurityPolicy, securityHeaders } from '../web/security.ts'

export interface Pages {
  /** @fastify/view's render (its shared context holds the labels, texts, names and the stylesheet). */
  view: (template: string, data: object) => Promise<string>
  config: Config
}

/** Who reads the page: the portal request's language and its switch link (routes.ts puts it on the raw request). */
export interface Reader {
  lang: Lang
  /** The switch link's target: /taal/<to>?terug=<this page>. */
  switchHref: (to: Lang) => string
}

const nobody: Reader = { lang: defaultLanguage, switchHref: (to) => `/taal/${to}?terug=%2F` }

/** The reader of the provider's request; set by routes.ts beside PortalState (read here without importing provider.ts, which imports us). */
const readerOf = (ctx: KoaContext): Reader => (ctx.req as unknown as { portal?: { reader?: Reader } }).portal?.reader ?? nobody

/** What web/render.ts gives every page, for pages rendered outside a Fastify reply. */
async function render(pages: Pages, reader: Reader, template: string, data: Record<string, unknown>): Promise<string> {
  return await pages.view(`/${template}`, { errors: {}, values: {}, hasErrors: false, csrf: '', ...pageWords(reader.lang, reader.switchHref), signedIn: false, ...data })
}

function send(pages: Pages, ctx: KoaContext, html: string, status: number, formAction?: string): void {
  for (const [name, value] of Object.entries(securityHeaders(pages.config))) ctx.set(name, value)
  if (formAction) ctx.set('content-security-policy', contentSecurityPolicy.replace("form-action 'self'", `form-action 'self' ${formAction}`))
  ctx.status = status
  ctx.type = 'text/html; charset=utf-8'
  ctx.body = html
}

/** What went wrong, in words; the error code stays for the operator (it names no secret). */
function errorText({ oidcText, text }: Catalogue, out: { error: string; error_description?: string }): { title: string; message: string } {
  const description = out.error_description ?? ''
  if (out.error === 'invalid_client' || /client/i.test(description) && /not found|invalid/.test(description)) {
    return { title: oidcText.errorTitle, message: oidcText.errorUnknownClient }
  }
  if (/redirect_uri/.test(description)) return { title: oidcText.errorTitle, message: oidcText.errorRedirectUri }
  if (out.error === 'invalid_request' && /interaction|session/i.test(description)) return { title: oidcText.errorTitle, message: oidcText.errorExpired }
  if (out.error === 'unsupported_response_mode') return { title: oidcText.errorTitle, message: oidcText.errorResponseMode }
  // provider.ts (a budget of request-budget.ts spent) says whose budget in its description.
  if (out.error === 'temporarily_unavailable') return { title: oidcText.errorTitle, message: /app/.test(description) ? oidcText.errorTooManyApp : oidcText.errorTooManyClient }
  if (out.error === 'server_error') return { title: text.serverErrorTitle, message: text.serverErrorBody }
  return { title: oidcText.errorTitle, message: oidcText.errorGeneric }
}

export async function errorPage(pages: Pages, ctx: KoaContext, out: { error: string; error_description?: string }): Promise<void> {
  const reader = readerOf(ctx)
  const { title, message } = errorText(messages(reader.lang), out)
  const status = ctx.status >= 400 ? ctx.status : 400
  send(pages, ctx, await render(pages, reader, 'oidc/error', { title, message, code: out.error }), status)
}

/** A standalone error page, for answers given before oidc-provider sees the request. */
export async function renderError(pages: Pages, reader: Reader, message: keyof Catalogue['oidcText'], code: string): Promise<string> {
  const { oidcText } = messages(reader.lang)
  return await render(pages, reader, 'oidc/error', { title: oidcText.errorTitle, message: oidcText[message], code })
}

/**
 * "Uitloggen?" with oidc-provider's form (its xsrf field). The confirmation answers with a 303 to the
 * app's registered post-logout URI: browsers apply form-action to that redirect, so this one page
 * allows exactly that origin besides our own (the URI was checked against the app's registration).
 */
export async function logoutPage(pages: Pages, ctx: KoaContext, form: string): Promise<void> {
  const client = ctx.oidc.client as { clientName?: string; clientId: string } | undefined
  const target = ctx.oidc.session?.state?.postLogoutRedirectUri as string | undefined
  const formAction = target ? new URL(target).origin : undefined
  const reader = readerOf(ctx)
  const { label, oidcText } = messages(reader.lang)
  const question = client ? fill(oidcText.logoutQuestionApp, { app: client.clientName ?? client.clientId }) : oidcText.logoutQuestion
  const button = (text: string, attrs: string) => `<button type="submit"${attrs}><span class="tb" aria-hidden="true">[</span>${text}<span class="tb" aria-hidden="true">]</span></button>`
  // The form's inputs (xsrf) stay oidc-provider's; our first button says yes (logout=yes: the portal
  // too). With the app's registered post-logout URI, "Ingelogd blijven" is the same form without it:
  // oidc-provider then signs out of that app only and sends the browser back to it (issue 23.7).
  // Without one there is nowhere to return to: it stays a link to the portal's home page.
  const stay = target ? `<br>${button(oidcText.logoutCancel, ' class="secondary"')}` : ''
  const formHtml = form.replace('</form>', `<div class="actions">${button(label.logout, ' name="logout" value="yes"')}${stay}</div></form>`)
  send(pages, ctx, await render(pages, reader, 'oidc/logout', { title: oidcText.logoutTitle, question, form: formHtml, stayInForm: Boolean(target) }), 200, formAction && formAction !== 'null' ? formAction : undefined)
}

export async function loggedOutPage(pages: Pages, ctx: KoaContext): Promise<void> {
  const reader = readerOf(ctx)
  send(pages, ctx, await render(pages, reader, 'oidc/logged-out', { title: messages(reader.lang).oidcText.loggedOutTitle }), 200)
}
