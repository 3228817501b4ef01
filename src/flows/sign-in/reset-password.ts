// The forgot-password path's Wachtwoord wijzigen: Tijdelijk wachtwoord (zie e-mail), Nieuw wachtwoord
// and Bevestig het wachtwoord. The temporary password is single use and can not be kept.
import { checkNewPassword, hashPassword } from '../../domain/passwords.ts'
import { passwordContext } from '../../domain/onboarding.ts'
import { checkTemporaryPassword, completeReset } from '../../domain/reset.ts'
import { error, fill, text } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { prove } from '../../web/session.ts'
import { destroyAccountSessions } from '../../web/session-store.ts'
import type { Progress } from '../progress.ts'

export const resetPassword = defineStep<Progress>({
  name: 'reset-password',
  path: '/account/nieuw-wachtwoord',
  template: 'sign-in/reset-password',
  applies: (p) => p.kind === 'reset',
  done: (p) => p.proven.includes('password'),
  view: ({ facts }) => ({ title: text.passwordTitle, username: facts.account.username }),
  async submit({ req, deps, facts, by }) {
    const form = readForm(req, ['temporaryPassword', 'newPassword', 'confirmPassword'])
    const { account } = facts
    if (form.temporaryPassword.trim() === '') return { kind: 'stay', errors: { temporaryPassword: error.required } }
    // Not behind the password delay (decision 0008): the temporary password has its own limits (5 tries,
    // 1 hour, one per proven SMS code), so a stranger's failures can not keep the patient from recovering.
    if (checkTemporaryPassword(deps, account, form.temporaryPassword) !== 'ok') {
      return { kind: 'stay', errors: { temporaryPassword: error.temporaryWrong } }
    }
    if (form.newPassword.trim() === form.temporaryPassword.trim()) return { kind: 'stay', errors: { newPassword: error.passwordSameAsTemporary } }
    const refused = checkNewPassword(form.newPassword, passwordContext(deps, account))
    if (refused) return { kind: 'stay', errors: { newPassword: fill(error[refused.key], { count: refused.count ?? 0 }) } }
    if (form.newPassword.normalize('NFKC') !== form.confirmPassword.normalize('NFKC')) return { kind: 'stay', errors: { confirmPassword: error.passwordMismatch } }
    completeReset(deps, by, account, await hashPassword(form.newPassword, deps.config.limits))
    // Every signed-in session of this account ends; this browser is not signed in yet.
    destroyAccountSessions(deps, account.id)
    prove(req, 'password')
    return { kind: 'page', template: 'onboarding/password-updated', data: { title: text.passwordTitle, next: '/account' } }
  },
})
