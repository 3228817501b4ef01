// The pages oidc-provider renders itself (errors, the logout question, "signed out") in the portal's
// layout, words and headers: Dutch, zero JavaScript, the portal's CSP.
import type { KoaContext } from 'oidc-provider'
import type { Config } from '../config.ts'
import { fill, label, oidcText, text } from '../messages.ts'
import { contentSecurityPolicy, securityHeaders } from '../web/security.ts'

export interface Pages {
  /** @fastify/view's render (its shared context holds the labels, texts, names and the stylesheet). */
  view: (template: string, data: object) => Promise<string>
  config: Config
}

function render(pages: Pages, template: string, data: Record<string, unknown>): Promise<string> {
  return pages.view(`/${template}`, { errors: {}, values: {}, hasErrors: false, csrf: '', oidcText, signedIn: false, ...data })
}

function send(pages: Pages, ctx: KoaContext, html: string, status: number, formAction?: string): void {
  for (const [name, value] of Object.entries(securityHeaders(pages.config))) ctx.set(name, value)
  if (formAction) ctx.set('content-security-policy', contentSecurityPolicy.replace("form-action 'self'", `form-action 'self' ${formAction}`))
  ctx.status = status
  ctx.type = 'text/html; charset=utf-8'
  ctx.body = html
}

/** What went wrong, in Dutch; the error code stays for the operator (it names no secret). */
function errorText(out: { error: string; error_description?: string }): { title: string; message: string } {
  const description = out.error_description ?? ''
  if (out.error === 'invalid_client' || /client/i.test(description) && /not found|invalid/.test(description)) {
    return { title: oidcText.errorTitle, message: oidcText.errorUnknownClient }
  }
  if (/redirect_uri/.test(description)) return { title: oidcText.errorTitle, message: oidcText.errorRedirectUri }
  if (out.error === 'invalid_request' && /interaction|session/i.test(description)) return { title: oidcText.errorTitle, message: oidcText.errorExpired }
  if (out.error === 'unsupported_response_mode') return { title: oidcText.errorTitle, message: oidcText.errorResponseMode }
  if (out.error === 'server_error') return { title: text.serverErrorTitle, message: text.serverErrorBody }
  return { title: oidcText.errorTitle, message: oidcText.errorGeneric }
}

export async function errorPage(pages: Pages, ctx: KoaContext, out: { error: string; error_description?: string }): Promise<void> {
  const { title, message } = errorText(out)
  const status = ctx.status >= 400 ? ctx.status : 400
  send(pages, ctx, await render(pages, 'oidc/error', { title, message, code: out.error }), status)
}

/** A standalone Dutch error page (the interaction routes use it too, for an expired interaction). */
export function renderError(pages: Pages, message: string, code: string): Promise<string> {
  return render(pages, 'oidc/error', { title: oidcText.errorTitle, message, code })
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
  const question = client ? fill(oidcText.logoutQuestionApp, { app: client.clientName ?? client.clientId }) : oidcText.logoutQuestion
  // The form's inputs (xsrf) stay oidc-provider's; our button says yes.
  const formHtml = form.replace('</form>', `<input type="hidden" name="logout" value="yes"><button type="submit"><span class="tb" aria-hidden="true">[</span>${label.logout}<span class="tb" aria-hidden="true">]</span></button></form>`)
  send(pages, ctx, await render(pages, 'oidc/logout', { title: oidcText.logoutTitle, question, form: formHtml }), 200, formAction && formAction !== 'null' ? formAction : undefined)
}

export async function loggedOutPage(pages: Pages, ctx: KoaContext): Promise<void> {
  send(pages, ctx, await render(pages, 'oidc/logged-out', { title: oidcText.loggedOutTitle }), 200)
}
