// The invitation onboarding after the second mail's link: Stap 2 to Stap 5 of the guide.
// Progress is the account's facts, so the due step is the same in every browser.
import type { FastifyRequest } from 'fastify'
import { getAccount, type Account } from '../../domain/accounts.ts'
import type { Deps } from '../../domain/deps.ts'
import type { Flow } from '../../web/flow.ts'
import { completeSignIn } from '../shared/complete-sign-in.ts'
import { chooseMethod } from './choose-method.ts'
import { enrollApp } from './enroll-app.ts'
import { setPassword } from './set-password.ts'
import { verifyPhone } from './verify-phone.ts'

export const onboarding: Flow<Account> = {
  name: 'onboarding',
  outside: '/inloggen',
  load(req: FastifyRequest, deps: Deps) {
    const id = req.session.onboardingAccountId
    const account = id === undefined ? undefined : getAccount(deps, id)
    return account && account.deactivatedAt === null ? account : null
  },
  steps: [verifyPhone, setPassword, chooseMethod, enrollApp],
  // Every fact is there: the patient is signed in, in a fresh session.
  finish: ({ req, deps, facts, by }) => completeSignIn(req, deps, by, facts, 'onboarding'),
}
