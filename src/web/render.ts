import type { FastifyReply, FastifyRequest } from 'fastify'
import { error, label, text } from '../messages.ts'
import { csrfToken } from './security.ts'

export interface PageData {
  title: string
  /** Pages without a form (error pages) need no CSRF token, and so no session write. */
  noForm?: boolean
  errors?: Partial<Record<string, string>>
  values?: Record<string, string>
  [key: string]: unknown
}

/**
 * Renders a template inside the layout. Every page gets the CSRF token, the labels and texts, and
 * the error summary data; templates never reach into the request themselves.
 */
export async function page(req: FastifyRequest, reply: FastifyReply, template: string, data: PageData, status = 200) {
  const errors = data.errors ?? {}
  const config = req.server.deps.config
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .view(template, {
      ...data,
      errors,
      values: data.values ?? {},
      hasErrors: Object.keys(errors).length > 0,
      csrf: !data.noForm && req.session && typeof req.session.get === 'function' ? csrfToken(req) : '',
      label,
      text,
      error,
      portalName: config.portalName,
      practiceName: config.practiceName,
      signedIn: typeof req.session?.accountId === 'number',
    })
}
