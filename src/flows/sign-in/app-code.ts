// Stap 6, the second factor with the app: the code it shows now, each code accepted once.
import { isLocked } from '../../domain/throttle.ts'
import { verifyAppCode } from '../../domain/factors.ts'
import { error, text } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { prove } from '../../web/session.ts'
import type { Progress } from '../progress.ts'
import { guessRight, throttled } from '../shared/attempts.ts'

export const appCode = defineStep<Progress>({
  name: 'app-code',
  path: '/inloggen/app-code',
  template: 'sign-in/app-code',
  // Whatever the way in, a signed-in session needs the second factor proven in this flow.
  applies: (p) => p.account.mfaMethod === 'app',
  done: (p) => p.proven.includes('mfa'),
  view: () => ({ title: text.signInTitle, shareable: true }),
  async submit({ req, deps, facts, by }) {
    const { code } = readForm(req, ['code'])
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) return { kind: 'stay', errors: { code: error.codeFormat } }
    const username = facts.account.username
    const wait = throttled(deps, req, by, username)
    if (wait) return { kind: 'stay', errors: { code: wait } }
    // A lock (100 failures) holds here too: a sign-in already past the password can not finish.
    const result = isLocked(deps, username) ? 'wrong' : await verifyAppCode(deps, by, facts.account, code)
    if (result !== 'ok') return { kind: 'stay', errors: { code: result === 'used' ? error.appCodeUsed : error.appCodeWrong } }
    guessRight(deps, req, username)
    prove(req, 'mfa')
    return { kind: 'advance' }
  },
})
