// Pages: Eta templates from templates/, each inside the layout. Compiled once per process outside
// development (in development every render reads the file again, so an edit shows on reload).
import { Eta } from 'eta'
import { randomBytes } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { error, label, text } from '../messages.ts'
import { csrfToken } from './security.ts'

export interface PageData {
  title: string
  /** Pages without a form (error pages) need no CSRF token, and so no session cookie. */
  noForm?: boolean
  /**
   * The data holds nothing personal or secret (a form's labels, an error message): the rendered page
   * may be kept and served again for the same data, with this session's CSRF token put in.
   */
  shareable?: boolean
  errors?: Partial<Record<string, string>>
  values?: Record<string, string>
  [key: string]: unknown
}

export interface Views {
  render(template: string, data: object): string
  /** Remembered renders of shareable pages (see PageData.shareable); null in development. */
  shared: Map<string, string[]> | null
  /** The stylesheet's content-hashed URL, which every page links. */
  stylesheet: string
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

export function createViews(config: Config, root: string, stylesheet: string): Views {
  const cache = config.mode !== 'development'
  const eta = new Eta({ views: root, autoEscape: true, autoTrim: false, cache })
  if (cache) {
    // Eta resolves every include's path on every render (JSON key, path.join, path.relative): the
    // same few answers each time, so remember them. Only paths Eta itself resolved are kept.
    const resolve = eta.resolvePath!.bind(eta)
    const known = new Map<string, string>()
    eta.resolvePath = (template, options) => {
      const key = `${options?.filepath ?? ''}\0${template}`
      let path = known.get(key)
      if (path === undefined) {
        path = resolve(template, options)
        known.set(key, path)
      }
      return path
    }
  }
  return { render: (template, data) => eta.render(`/${template}`, data), shared: cache ? new Map() : null, stylesheet }
}

/**
 * Renders a template inside the layout. Every page gets the CSRF token, the labels and texts, and
 * the error summary data; templates never reach into the request themselves.
 */
export function page(req: FastifyRequest, reply: FastifyReply, template: string, data: PageData, status = 200) {
  const views = req.server.views
  const signedIn = typeof req.session?.accountId === 'number'
  const csrf = data.noForm ? '' : csrfToken(req)
  let html: string
  // What a visitor typed (values) is never remembered.
  if (data.shareable && views.shared && (data.values === undefined || Object.values(data.values).every((v) => v === ''))) {
    // Everything the template reads is in the key, except the token: a remembered render can only be
    // the same page, and it never holds another session's token.
    const key = `${template}\0${signedIn}\0${JSON.stringify(data)}`
    let parts = views.shared.get(key)
    if (!parts) {
      parts = renderPage(req, views, template, data, signedIn, tokenMark).split(tokenMark)
      if (views.shared.size >= sharedLimit) views.shared.clear()
      views.shared.set(key, parts)
    }
    html = parts.join(csrf)
  } else {
    html = renderPage(req, views, template, data, signedIn, csrf)
  }
  return reply.code(status).type('text/html; charset=utf-8').send(html)
}

function renderPage(req: FastifyRequest, views: Views, template: string, data: PageData, signedIn: boolean, csrf: string): string {
  const errors = data.errors ?? {}
  const { config } = req.server.deps
  return views.render(template, {
    ...data,
    errors,
    values: data.values ?? {},
    hasErrors: Object.keys(errors).length > 0,
    csrf,
    label,
    text,
    error,
    portalName: config.portalName,
    practiceName: config.practiceName,
    signedIn,
    stylesheet: views.stylesheet,
  })
}
