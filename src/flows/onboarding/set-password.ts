// Stap 3: Wachtwoord wijzigen. Two fields, the reason shown when a password is refused, and then
// 'Het wachtwoord is bijgewerkt' with its own Volgende. Passwords are never echoed back.
import { setNewPassword } from '../../domain/onboarding.ts'
import { fill } from '../../messages.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import type { Progress } from '../progress.ts'
import { t } from '../../web/language.ts'

export const setPassword = defineStep<Progress>({
  name: 'set-password',
  path: '/account/wachtwoord',
  applies: (p) => p.kind === 'onboarding',
  template: 'onboarding/set-password',
  done: (p) => p.account.passwordSetAt !== null,
  view: ({ req, facts }) => ({ title: t(req).text.passwordTitle, username: facts.account.username }),
  async submit({ req, deps, facts, by }) {
    const form = readForm(req, ['newPassword', 'confirmPassword'])
    if (form.newPassword === '') return { kind: 'stay', errors: { newPassword: t(req).error.requiredNewPassword } }
    if (form.confirmPassword === '') return { kind: 'stay', errors: { confirmPassword: t(req).error.requiredConfirmPassword } }
    const result = await setNewPassword(deps, by, facts.account, form.newPassword, form.confirmPassword)
    if (!result.ok) return { kind: 'stay', errors: { [result.field]: fill(t(req).error[result.key], { count: result.count ?? 0 }) } }
    return { kind: 'page', template: 'onboarding/password-updated', data: { title: t(req).text.passwordTitle, next: '/account' } }
  },
})
