// Stap 6, the second factor with the app: the code it shows now, each code accepted once.
import { countSuccess } from '../../domain/throttle.ts'
import { verifyAppCode } from '../../domain/factors.ts'
import { error, text } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { prove } from '../../web/session.ts'
import { enrolledBefore, type Progress } from '../progress.ts'
import { failedAttempt, throttled } from '../shared/attempts.ts'

export const appCode = defineStep<Progress>({
  name: 'app-code',
  path: '/inloggen/app-code',
  template: 'sign-in/app-code',
  applies: (p) => p.kind !== 'onboarding' && p.account.mfaMethod === 'app' && enrolledBefore(p),
  done: (p) => p.proven.includes('mfa'),
  view: () => ({ title: text.signInTitle }),
  async submit({ req, deps, facts, by }) {
    const { code } = readForm(req, ['code'])
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) return { kind: 'stay', errors: { code: error.codeFormat } }
    const username = facts.account.username
    const wait = throttled(deps, req, username)
    if (wait) return { kind: 'stay', errors: { code: wait } }
    if (!(await verifyAppCode(deps, by, facts.account, code))) {
      failedAttempt(deps, req, by, username)
      return { kind: 'stay', errors: { code: error.appCodeWrong } }
    }
    countSuccess(deps, username)
    prove(req, 'mfa')
    return { kind: 'advance' }
  },
})
