// Bad input of any kind ends in a page in the reader's language with a 4xx status; nothing else ever
// reaches the user.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { messages, otherLanguage, type Catalogue, type Lang } from '../messages.ts'
import { HttpError, type ErrorKind } from './http-error.ts'
import { page } from './render.ts'

/** Each kind of error page's title and text in the catalogue. */
const pageKeys = {
  badRequest: ['badRequestTitle', 'badRequestBody'],
  forbidden: ['forbiddenTitle', 'forbiddenBody'],
  notFound: ['notFoundTitle', 'notFoundBody'],
  methodNotAllowed: ['methodNotAllowedTitle', 'methodNotAllowedBody'],
  tooLarge: ['tooLargeTitle', 'tooLargeBody'],
  unsupported: ['unsupportedTitle', 'unsupportedBody'],
  timeout: ['timeoutTitle', 'timeoutBody'],
  headersTooLarge: ['headersTooLargeTitle', 'headersTooLargeBody'],
  serverError: ['serverErrorTitle', 'serverErrorBody'],
} as const satisfies Record<ErrorKind, readonly [keyof Catalogue['text'], keyof Catalogue['text']]>

function pageFor(kind: ErrorKind, lang: Lang): { title: string; body: string } {
  const { text } = messages(lang)
  const [title, body] = pageKeys[kind]
  return { title: text[title], body: text[body] }
}

function kindFor(status: number): ErrorKind {
  if (status === 403) return 'forbidden'
  if (status === 404) return 'notFound'
  if (status === 405) return 'methodNotAllowed'
  if (status === 413) return 'tooLarge'
  if (status === 415) return 'unsupported'
  if (status === 408) return 'timeout'
  if (status === 431) return 'headersTooLarge'
  if (status >= 400 && status < 500) return 'badRequest'
  return 'serverError'
}

export async function sendErrorPage(req: FastifyRequest, reply: FastifyReply, status: number, kind: ErrorKind = kindFor(status)) {
  const session = req.session
  // A browser in the middle of a flow gets "Terug naar waar u was": the flow's entry answers with
  // its due step. One whose flow just expired is told so, with the way back in.
  const resume = session?.flow !== undefined && session.accountId === undefined ? '/account' : null
  const expired = session?.notice === 'sessionExpired'
  const { title, body } = pageFor(kind, req.lang)
  return await page(req, reply, 'error', { title, message: body, resume, expired, noForm: true, shareable: true }, status)
}

/** For the few errors raised before plugins run (a malformed URL): the same words, without the layout. */
export function plainErrorPage(status: number, lang: Lang): string {
  const { title, body } = pageFor(kindFor(status), lang)
  const other = otherLanguage(lang)
  const switchLink = `<a href="/taal/${other}?terug=%2F" lang="${other}" hreflang="${other}">${messages(other).name}</a>`
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p><p><a href="/">${messages(lang).text.homeLink}</a></p><p>${switchLink}</p><footer><p><a href="/toegankelijkheid">${messages(lang).text.statementLink}</a></p></footer></body></html>`
}

export function registerErrorPages(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => sendErrorPage(req, reply, 404))
  app.setErrorHandler(async (err: FastifyError | HttpError, req, reply) => {
    if (err instanceof HttpError) return await sendErrorPage(req, reply, err.statusCode, err.kind)
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
    if (status === 500) req.log.error({ err }, 'unhandled error')
    else req.log.info({ code: err.code, status }, 'rejected request')
    // A failed render must not leave a half-sent page: send a plain one.
    try {
      return await sendErrorPage(req, reply, status)
    } catch {
      return reply.code(status).type('text/plain; charset=utf-8').send(pageFor(kindFor(status), req.lang).title)
    }
  })
}
