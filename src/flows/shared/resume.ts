// "Terug naar waar u was": a browser in the middle of an onboarding or reset that wandered off (the
// disclaimer, the header link, an old mail's link) gets the way back to its due step.
import type { FastifyRequest } from 'fastify'
import type { Deps } from '../../domain/deps.ts'
import { dueStepPath } from '../../web/flow.ts'
import { accountFlow } from '../account-flow.ts'
import { t } from '../../web/language.ts'

/** The due step of this browser's flow, or null when it is in none (or already signed in). */
export async function resumePath(req: FastifyRequest, deps: Deps): Promise<string | null> {
  if (!req.session?.flow || req.session.accountId !== undefined) return null
  if ((await accountFlow.load(req, deps)) === null) return null
  return await dueStepPath(accountFlow, req, deps)
}

/** The notice above the way back: it names the walk this browser was really in (issue 23.7). */
export function resumeNotice(req: FastifyRequest): string | null {
  const { text } = t(req)
  switch (req.session?.flow?.kind) {
    case 'onboarding':
      return text.resumeNoticeOnboarding
    case 'reset':
      return text.resumeNoticeReset
    case 'sign-in':
      return text.resumeNoticeSignIn
    default:
      return null
  }
}
