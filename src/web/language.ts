// The reader's language (issue 14, docs/decisions/0012-languages.md): the choice this browser made
// with the switch link on every page (a cookie), else the language an app asked for (OpenID Connect's
// ui_locales, while its sign-in is walked), else the browser's Accept-Language, else Dutch. Once
// the account is known its language and the browser's agree: a choice made before is saved on the
// account, and a browser that never chose takes the account's. Mails and SMS follow the account.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { updateAccount, type Account } from '../domain/accounts.ts'
import type { Deps } from '../domain/deps.ts'
import { isLang, messages, negotiateLanguage, otherLanguage, type Catalogue, type Lang } from '../messages.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The language this request's page is in. */
    lang: Lang
  }
  interface Session {
    /** The language an app asked for (ui_locales) whose sign-in this browser walks (src/oidc/interaction.ts). */
    uiLocale?: Lang
  }
}

const cookieName = 'mtd_lang'
const lifetimeSeconds = 365 * 86_400
/** A path of ours to go back to: one leading slash (never `//host` or `/\host`), printable, bounded. */
const localPath = /^\/(?![/\\])[\x21-\x7e]{0,500}$/

/** The words of this request's page. */
export const t = (req: FastifyRequest): Catalogue => messages(req.lang)

/** The language this browser chose with the switch link, if any. */
function chosen(req: FastifyRequest): Lang | undefined {
  const value = req.cookies[cookieName]
  return isLang(value) ? value : undefined
}

async function remember(req: FastifyRequest, reply: FastifyReply, deps: Deps, lang: Lang): Promise<void> {
  // Not secret and not signed: it only says which words to show. HttpOnly and Lax like every cookie of ours.
  reply.setCookie(cookieName, lang, { path: '/', maxAge: lifetimeSeconds, httpOnly: true, sameSite: 'lax', secure: deps.config.secure })
  req.lang = lang
}

/**
 * The account is known to this browser (a link from its mail, a complete sign-in): a browser that never
 * chose shows the account's language from now on, and (with `save`, on a POST) a language this browser
 * chose is saved on the account. Never call it before the account is proven: the page's language would
 * tell whose account a username is. An app's ui_locales is no choice of the patient's: it is never saved,
 * and it ends with the sign-in's new session, after which the account's language shows.
 */
export async function adoptLanguage(req: FastifyRequest, reply: FastifyReply, deps: Deps, account: Pick<Account, 'id' | 'language'>, save: boolean): Promise<void> {
  const choice = chosen(req)
  // A browser that never chose and reads the account's language by its own Accept-Language keeps no cookie.
  if (choice === undefined) {
    if (account.language !== negotiateLanguage(req.headers['accept-language'])) await remember(req, reply, deps, account.language)
    else req.lang = account.language
  } else if (save && choice !== account.language) await updateAccount(deps, account.id, { language: choice })
}

/** The language a signed-in patient chose on the Beveiliging page: on the account and in this browser. */
export async function chooseLanguage(req: FastifyRequest, reply: FastifyReply, deps: Deps, accountId: number, lang: Lang): Promise<void> {
  await updateAccount(deps, accountId, { language: lang })
  await remember(req, reply, deps, lang)
}

/**
 * What every page's layout reads in its language: the words, `<html lang>`, and the switch link to the
 * other language (`hrefTo` says where it leads). For pages from page() and the provider's own (oidc/pages.ts).
 */
export function pageWords(lang: Lang, hrefTo: (to: Lang) => string) {
  const { label, text, error, oidcText } = messages(lang)
  const other = otherLanguage(lang)
  return { lang, label, text, error, oidcText, switchTo: { lang: other, name: messages(other).name, href: hrefTo(other) } }
}

/** Where the switch link of this page leads: /taal/<other language>?terug=<this page>. */
export function switchHref(req: FastifyRequest, to: Lang, back?: string): string {
  // A page that answers a POST goes back to the GET of its own path, which shows the same step.
  const path = back ?? (req.method === 'GET' ? req.url : req.url.split('?')[0]!)
  return `/taal/${to}?terug=${encodeURIComponent(localPath.test(path) && !path.startsWith('/taal/') ? path : '/')}`
}

export function registerLanguage(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('lang', 'nl')
  // After @fastify/cookie has read the cookies (its own onRequest hook, registered before this one).
  // A callback hook, not an async one: it runs on every request.
  // After the session's hook too (web/session.ts, registered before): an app's ui_locales is kept there.
  app.addHook('onRequest', (req, _reply, done) => {
    const asked = req.session?.uiLocale
    req.lang = chosen(req) ?? (isLang(asked) ? asked : negotiateLanguage(req.headers['accept-language']))
    done()
  })

  // The switch link on every page: a plain GET, so it works as a link in any browser. It changes only
  // this browser's choice; a signed-in patient's account follows when the request provably comes from
  // one of our own pages (Sec-Fetch-Site), else at the next sign-in, or on the Beveiliging page.
  app.get<{ Params: { lang: string }; Querystring: { terug?: string } }>('/taal/:lang', async (req, reply) => {
    const lang = req.params.lang
    if (!isLang(lang)) return reply.redirect('/', 303)
    await remember(req, reply, deps, lang)
    const accountId = req.session.accountId
    if (accountId !== undefined && req.headers['sec-fetch-site'] === 'same-origin') await updateAccount(deps, accountId, { language: lang })
    const back = typeof req.query.terug === 'string' && localPath.test(req.query.terug) ? req.query.terug : '/'
    return reply.redirect(back, 303)
  })
}
