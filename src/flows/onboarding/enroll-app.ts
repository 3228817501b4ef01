// Stap 5 (app): the QR code drawn on the server, the secret as grouped text, and the code from the
// app. The enrollment counts only after a correct code; 'Andere methode kiezen' goes back to Stap 4.
// During the cooling-off after a practice reset the page says until when instead (domain/cooling-off.ts).
import { getAccount } from '../../domain/accounts.ts'
import { factorCoolingUntil, isCooling } from '../../domain/cooling-off.ts'
import { abandonAppEnrollment, chooseMethod as startAppEnrollment, confirmAppEnrollment, pendingTotpSecret } from '../../domain/onboarding.ts'
import { groupSecret, qrImage, totpUri } from '../../domain/totp.ts'
import { defineStep } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { prove } from '../../web/session.ts'
import type { Progress } from '../progress.ts'
import { coolingOffMessage, coolingOffPage } from '../shared/cooling-off.ts'
import { t } from '../../web/language.ts'

export const enrollApp = defineStep<Progress>({
  name: 'enroll-app',
  path: '/account/app',
  template: 'onboarding/enroll-app',
  done: ({ account }) => account.mfaEnrolledAt !== null,
  async view({ req, deps, facts, by }) {
    const title = t(req).text.appTitle
    // Looked at first, so a page view during the wait neither starts a secret nor writes the audit log.
    const wait = factorCoolingUntil(deps, facts.account)
    if (wait) return { title, coolingOff: (await coolingOffMessage(req, deps, 'factor', wait)) }
    // With the app as the only option, Stap 4 did not apply: the pending secret starts here, once.
    let secret = pendingTotpSecret(deps, facts.account)
    if (secret === null) {
      const started = await startAppEnrollment(deps, by, facts.account, 'app')
      if (isCooling(started)) return { title, coolingOff: (await coolingOffMessage(req, deps, 'factor', started.until)) }
      secret = pendingTotpSecret(deps, (await getAccount(deps, facts.account.id)) ?? facts.account) ?? ''
    }
    const uri = totpUri(secret, deps.config.portalName, facts.account.username)
    return { title, coolingOff: null, qr: await qrImage(uri), uri, secret: groupSecret(secret), methodChoice: facts.methodChoice }
  },
  async submit({ req, deps, facts, by }) {
    const form = readForm(req, ['actie', 'code'])
    if (form.actie === 'andere-methode' && facts.methodChoice) {
      await abandonAppEnrollment(deps, facts.account)
      return { kind: 'advance' }
    }
    if (!/^\d{6}$/.test(form.code.replace(/\s/g, ''))) return { kind: 'stay', errors: { code: t(req).error.codeFormat } }
    const result = await confirmAppEnrollment(deps, by, facts.account, form.code)
    if (isCooling(result)) return await coolingOffPage(req, deps, 'factor', result.until)
    if (result === 'ok') {
      prove(req, 'mfa')
      return { kind: 'advance' }
    }
    return { kind: 'stay', errors: { code: t(req).error.appCodeWrong } }
  },
})
