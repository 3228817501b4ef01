// The forgot-password path's Wachtwoord wijzigen: Tijdelijk wachtwoord (zie e-mail), Nieuw wachtwoord
// and Bevestig het wachtwoord. The temporary password is single use and can not be kept.
import { checkNewPassword, hashPassword, normalizePassword } from '../../domain/passwords.ts'
import { passwordContext } from '../../domain/onboarding.ts'
import { checkTemporaryPassword, completeReset } from '../../domain/reset.ts'
import { fill } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { prove, rotateSession } from '../../web/session.ts'
import { endAccountSessions } from '../../domain/sessions.ts'
import type { Progress } from '../progress.ts'
import { pendingInteraction } from '../shared/complete-sign-in.ts'
import { t } from '../../web/language.ts'

export const resetPassword = defineStep<Progress>({
  name: 'reset-password',
  path: '/account/nieuw-wachtwoord',
  template: 'sign-in/reset-password',
  applies: (p) => p.kind === 'reset',
  done: (p) => p.proven.includes('password'),
  view: ({ req, facts }) => ({ title: t(req).text.passwordTitle, username: facts.account.username }),
  async submit({ req, deps, facts, by }) {
    const form = readForm(req, ['temporaryPassword', 'newPassword', 'confirmPassword'])
    const { account } = facts
    if (form.temporaryPassword.trim() === '') return { kind: 'stay', errors: { temporaryPassword: t(req).error.requiredTemporaryPassword } }
    // Not behind the password delay (decision 0011): the temporary password has its own limits (5 tries,
    // 1 hour, one per proven SMS code), so a stranger's failures can not keep the patient from recovering.
    const temporary = await checkTemporaryPassword(deps, account, form.temporaryPassword)
    // Voided after five wrong tries: this flow can not finish; the page links to a new forgot walk.
    if (temporary === 'spent') {
      return { kind: 'page', template: 'sign-in/reset-password', data: { title: t(req).text.passwordTitle, spent: t(req).error.temporarySpent, forgotAgain: '/wachtwoord-vergeten' } }
    }
    if (temporary !== 'ok') return { kind: 'stay', errors: { temporaryPassword: t(req).error.temporaryWrong } }
    if (form.newPassword === '') return { kind: 'stay', errors: { newPassword: t(req).error.requiredNewPassword } }
    if (form.confirmPassword === '') return { kind: 'stay', errors: { confirmPassword: t(req).error.requiredConfirmPassword } }
    // Compared as they are hashed (NFKC): the temporary password typed in full-width letters is the same password.
    if (normalizePassword(form.newPassword).trim() === normalizePassword(form.temporaryPassword).trim()) return { kind: 'stay', errors: { newPassword: t(req).error.passwordSameAsTemporary } }
    const refused = checkNewPassword(form.newPassword, (await passwordContext(deps, account)))
    if (refused) return { kind: 'stay', errors: { newPassword: fill(t(req).error[refused.key], { count: refused.count ?? 0 }) } }
    if (form.newPassword.normalize('NFKC') !== form.confirmPassword.normalize('NFKC')) return { kind: 'stay', errors: { confirmPassword: t(req).error.passwordMismatch } }
    await completeReset(deps, by, account, await hashPassword(form.newPassword, deps.config.limits))
    // Every session of this account ends, this browser's too, and every sign-in at the apps;
    // it goes on with its flow under a new id.
    const { flow, sealedUsername, sealedEmail } = req.session
    await endAccountSessions(deps, by, account.id, 'reset')
    await rotateSession(req, deps.clock.now(), { ...pendingInteraction(req), flow, ...(sealedUsername === undefined ? {} : { sealedUsername }), ...(sealedEmail === undefined ? {} : { sealedEmail }) })
    prove(req, 'password')
    return { kind: 'page', template: 'onboarding/password-updated', data: { title: t(req).text.passwordTitle, next: '/account' } }
  },
})
