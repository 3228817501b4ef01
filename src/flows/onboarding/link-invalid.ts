import type { FastifyReply, FastifyRequest } from 'fastify'
import { text } from '../../messages.ts'
import { page } from '../../web/render.ts'

/** Unknown, expired, used and voided links get one page, pointing to the forgot-password path. */
export function linkInvalid(req: FastifyRequest, reply: FastifyReply) {
  return page(req, reply, 'onboarding/link-invalid', { title: text.linkInvalidTitle }, 410)
}
