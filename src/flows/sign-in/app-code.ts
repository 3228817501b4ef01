// Stap 6, the second factor with the app: the code it shows now, each code accepted once. Wrong codes
// meet a delay per client (or device) and count per account and factor towards the lock (decision 0011),
// never reset by a right password, only by a complete sign-in; a hidden-mode decoy shows this page for a
// wrong password and accepts no code.
import { verifyAppCode } from '../../domain/factors.ts'
import { decoyTag, factorWrong, isFactorLocked, isLocked } from '../../domain/throttle.ts'
import { fill } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { prove, typedUsername } from '../../web/session.ts'
import { deviceFor } from '../../web/device-cookie.ts'
import type { Progress } from '../progress.ts'
import { factorGuess, factorLockedMessage } from '../shared/attempts.ts'
import { practiceWords } from '../../web/practice-shown.ts'
import { t } from '../../web/language.ts'

export const appCode = defineStep<Progress>({
  name: 'app-code',
  path: '/inloggen/app-code',
  template: 'sign-in/app-code',
  // Whatever the way in, a signed-in session needs the second factor proven in this flow.
  applies: (p) => p.account.mfaMethod === 'app',
  done: (p) => p.proven.includes('mfa'),
  view: ({ req }) => ({ title: t(req).text.signInTitle, shareable: true }),
  async submit({ req, deps, facts, by }) {
    const { code } = readForm(req, ['code'])
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) return { kind: 'stay', errors: { code: t(req).error.codeFormat } }
    const flow = req.session.flow!
    const username = facts.decoy ? (typedUsername(req, deps) ?? '') : facts.account.username
    const target = facts.decoy ? (flow.decoyFor ?? decoyTag(deps, username)) : facts.account.id
    const device = deviceFor(req, deps, username)
    // The password was shown to be right (not hidden mode): only then may a lock name the practice.
    const proven = !facts.decoy && flow.hidden !== true
    // A lock (100 failures of this browser's password or of this factor) holds here too, told plainly.
    // A decoy of a real account reads its locks, so hidden mode shows a locked factor alike.
    if (isLocked(deps, { username, device })) return { kind: 'stay', errors: { code: fill(t(req).error.signInLocked, practiceWords(req, deps)) } }
    if (typeof target === 'number' && isFactorLocked(deps, target, 'app', device)) return { kind: 'stay', errors: { code: factorLockedMessage(req, deps, proven) } }
    const wait = factorGuess(deps, req, by, username, target, 'app', proven)
    if (wait) return { kind: 'stay', errors: { code: wait } }
    if (facts.decoy) return { kind: 'stay', errors: { code: t(req).error.appCodeWrong } }
    const result = await verifyAppCode(deps, by, facts.account, code)
    // Not a wrong guess: the portal can not read the secret (its key changed). Said plainly, audited;
    // before the second factor the page names no practice ("uw praktijk", issue 20).
    if (result === 'unreadable') return { kind: 'stay', errors: { code: fill(t(req).error.appSecretUnreadable, practiceWords(req, deps)) } }
    if (result !== 'ok') {
      factorWrong(deps, by, facts.account, 'app', device)
      return { kind: 'stay', errors: { code: result === 'used' ? t(req).error.appCodeUsed : t(req).error.appCodeWrong } }
    }
    prove(req, 'mfa')
    return { kind: 'advance' }
  },
})
