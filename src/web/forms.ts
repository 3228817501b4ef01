// Reading HTML form posts. A field is a single string; a repeated or missing-where-required field is
// the client's mistake (400), never a crash. Values are never echoed for secret fields.
import type { FastifyRequest } from 'fastify'
import { HttpError } from './http-error.ts'

export type Form = Record<string, string>

/** Picks the named fields from the urlencoded body; absent fields read as ''. */
export function readForm<const N extends string>(req: FastifyRequest, names: readonly N[]): Record<N, string> {
  const body = (req.body ?? {}) as Record<string, unknown>
  const out = {} as Record<N, string>
  for (const name of names) {
    const value = body[name]
    if (value === undefined) out[name] = ''
    else if (typeof value === 'string') out[name] = value
    else throw new HttpError(400, 'badRequest')
  }
  return out
}

export type FieldErrors = Record<string, string>
