// A request refused with a status and one of the Dutch error pages (web/errors.ts renders them). In a
// file of its own that imports nothing, so that the CSRF guard and the form reader can throw it
// without importing the rendering they come before.
export type ErrorKind = 'badRequest' | 'forbidden' | 'notFound' | 'methodNotAllowed' | 'tooLarge' | 'unsupported' | 'timeout' | 'headersTooLarge' | 'serverError'

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly kind: ErrorKind,
  ) {
    super(kind)
  }
}
