// Pages: Eta templates from templates/, each inside the layout. Compiled once per process outside
// development (in development every render reads the file again, so an edit shows on reload).
import { Eta } from 'eta'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { error, label, text } from '../messages.ts'
import { csrfToken } from './security.ts'

export interface PageData {
  title: string
  /** Pages without a form (error pages) need no CSRF token, and so no session cookie. */
  noForm?: boolean
  errors?: Partial<Record<string, string>>
  values?: Record<string, string>
  [key: string]: unknown
}

export interface Views {
  render(template: string, data: object): string
  /** The stylesheet's content-hashed URL, which every page links. */
  stylesheet: string
}

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
  return { render: (template, data) => eta.render(`/${template}`, data), stylesheet }
}

/**
 * Renders a template inside the layout. Every page gets the CSRF token, the labels and texts, and
 * the error summary data; templates never reach into the request themselves.
 */
export function page(req: FastifyRequest, reply: FastifyReply, template: string, data: PageData, status = 200) {
  const errors = data.errors ?? {}
  const { config } = req.server.deps
  const views = req.server.views
  const html = views.render(template, {
    ...data,
    errors,
    values: data.values ?? {},
    hasErrors: Object.keys(errors).length > 0,
    csrf: data.noForm ? '' : csrfToken(req),
    label,
    text,
    error,
    portalName: config.portalName,
    practiceName: config.practiceName,
    signedIn: typeof req.session?.accountId === 'number',
    stylesheet: views.stylesheet,
  })
  return reply.code(status).type('text/html; charset=utf-8').send(html)
}
