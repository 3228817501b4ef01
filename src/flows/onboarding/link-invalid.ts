// The pages of a link that can not be used (any more). Both name the one action that gets the
// patient further, as the primary button.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Deps } from '../../domain/deps.ts'
import { page } from '../../web/render.ts'
import { resumePath } from '../shared/resume.ts'
import { t } from '../../web/language.ts'

/** Unknown, expired, used and voided links get one page; its primary action is the forgot-password path. */
export async function linkInvalid(req: FastifyRequest, reply: FastifyReply, deps: Deps) {
  return await page(req, reply, 'onboarding/link-invalid', { title: t(req).text.linkInvalidTitle, resume: (await resumePath(req, deps)) }, 410)
}

/** Any link of a patient whose onboarding is finished: it says so, changes nothing and sends nothing. */
export async function alreadyActive(req: FastifyRequest, reply: FastifyReply, deps: Deps) {
  return await page(req, reply, 'onboarding/already-active', { title: t(req).text.alreadyActiveTitle, resume: (await resumePath(req, deps)) })
}
