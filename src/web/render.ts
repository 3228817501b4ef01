// Pages: Eta templates from templates/ through @fastify/view, each inside the layout. Compiled once
// per process outside development (in development every render reads the file again, so an edit
// shows on reload).
import view from '@fastify/view'
import { Eta } from 'eta'
import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { fill, messages } from '../messages.ts'
import { pageWords, switchHref } from './language.ts'
import { shownPractice } from './practice-shown.ts'
import { csrfToken } from './security.ts'

export interface PageData {
  title: string
  /** Pages without a form (error pages) need no CSRF token, and so no cookie. */
  noForm?: boolean
  /**
   * The data holds nothing personal or secret (a form's labels, an error message): the rendered page
   * may be kept and served again for the same data, with this request's CSRF token put in.
   */
  shareable?: boolean
  errors?: Partial<Record<string, string>>
  values?: Record<string, string>
  /** Where the language switch returns to, when not this page's own path (web/language.ts). */
  switchBack?: string
  [key: string]: unknown
}

export interface Views {
  /** Remembered renders of shareable pages (see PageData.shareable); null in development. */
  shared: Map<string, string[]> | null
}

/** How many shareable renders are kept: a few dozen forms with and without each error. */
const sharedLimit = 500
/** Stands in for the CSRF token in a shareable render: random per process, so no data can contain it. */
const tokenMark = `csrf-${randomBytes(12).toString('hex')}`

declare module 'fastify' {
  interface FastifyInstance {
    views: Views
  }
}

export async function registerViews(app: FastifyInstance, config: Config, root: string, stylesheet: string): Promise<void> {
  const production = config.mode !== 'development'
  await app.register(view, {
    engine: { eta: new Eta({ autoEscape: true, autoTrim: false }) },
    root,
    production,
    // What every page may use; templates never reach into the request themselves. The words come
    // with each render, in the reader's language, and so does the practice a page may name (renderPage).
    // The time limits the steps announce (issue 24 #2).
    defaultContext: { portalName: config.portalName, stylesheet, flowIdleMinutes: config.limits.flowIdleMinutes, sessionIdleMinutes: config.limits.sessionIdleMinutes },
  })
  app.decorate('views', { shared: production ? new Map() : null })
}

/**
 * Renders a template inside the layout. Every page gets the CSRF token and the error summary data on
 * top of the shared context (labels, texts, names, the stylesheet).
 */
export async function page(req: FastifyRequest, reply: FastifyReply, template: string, data: PageData, status = 200) {
  const { views } = req.server
  const signedIn = typeof req.session?.accountId === 'number'
  // While an app's sign-in is walked, every page of the walk names the app (issue 23.7); the sign-in
  // pages do so in their title (flows/shared/complete-sign-in.ts, signInTitle), the others in a line.
  const app = req.session?.oidcInteraction ? req.session.oidcApp : undefined
  if (app && data.forApp === undefined) data = { ...data, forApp: fill(messages(req.lang).text.forAppLine, { app }) }
  const csrf = data.noForm ? '' : csrfToken(req, reply)
  const words = pageWords(req.lang, (to) => switchHref(req, to, data.switchBack))
  // The header names the practice only once this browser has proven the account (web/practice-shown.ts).
  const shown = await shownPractice(req, req.server.deps)
  const practice = shown ? { name: shown.name } : null
  let html: string
  // What a visitor typed (values) is never remembered.
  if (data.shareable && views.shared && (data.values === undefined || Object.values(data.values).every((v) => v === ''))) {
    // Everything the template reads is in the key, except the token: a remembered render can only be
    // the same page, and it never holds another request's token.
    const key = `${template}\0${words.switchTo.href}\0${signedIn}\0${practice?.name ?? ''}\0${JSON.stringify(data)}`
    let parts = views.shared.get(key)
    if (!parts) {
      parts = (await renderPage(req, template, data, words, signedIn, practice, tokenMark)).split(tokenMark)
      if (views.shared.size >= sharedLimit) views.shared.clear()
      views.shared.set(key, parts)
    }
    html = parts.join(csrf)
  } else {
    html = await renderPage(req, template, data, words, signedIn, practice, csrf)
  }
  return reply.code(status).type('text/html; charset=utf-8').send(html)
}

async function renderPage(
  req: FastifyRequest,
  template: string,
  data: PageData,
  words: ReturnType<typeof pageWords>,
  signedIn: boolean,
  practice: { name: string } | null,
  csrf: string,
): Promise<string> {
  const errors = data.errors ?? {}
  return await req.server.view(`/${template}`, {
    ...data,
    ...words,
    errors,
    values: data.values ?? {},
    hasErrors: Object.keys(errors).length > 0,
    csrf,
    signedIn,
    headerPractice: practice,
  })
}
