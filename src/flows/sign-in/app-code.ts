// Stap 6, the second factor with the app: the code it shows now, each code accepted once. Wrong codes
// meet a delay per client (or device) and count per account and factor towards the lock (decision 0011),
// never reset by a right password, only by a complete sign-in; a hidden-mode decoy shows this page for a
// wrong password and accepts no code.
//
// 'Ik heb mijn telefoon niet' (?zonder-telefoon) shows the same step with a recovery code instead
// (issue 23.5): a guess at the second step like an app code, on the same counters.
import type { FastifyRequest } from 'fastify'
import { verifyAppCode } from '../../domain/factors.ts'
import { cleanRecoveryCode, useRecoveryCode } from '../../domain/recovery-codes.ts'
import { decoyTag, factorWrong, isFactorLocked, isLocked } from '../../domain/throttle.ts'
import { fill } from '../../messages.ts'
import { defineStep, type Outcome, type StepContext } from '../../web/flow.ts'
import { readForm } from '../../web/forms.ts'
import { prove, typedUsername } from '../../web/session.ts'
import { deviceFor } from '../../web/device-cookie.ts'
import type { Progress } from '../progress.ts'
import { factorGuess, factorLockedMessage } from '../shared/attempts.ts'
import { whomToCall } from '../shared/code-messages.ts'
import { wayOut } from '../shared/way-out.ts'
import { practiceWords } from '../../web/practice-shown.ts'
import { t } from '../../web/language.ts'
import { signInTitle } from '../shared/complete-sign-in.ts'

const path = '/inloggen/app-code'
/** The same step, with the recovery code's form: a plain link, so it works in any browser. */
export const withoutPhonePath = `${path}?zonder-telefoon=1`

const wantsRecovery = (req: FastifyRequest) => (req.query as Record<string, unknown> | undefined)?.['zonder-telefoon'] !== undefined

/** The second-step guess both forms make: the locks first, then counted (decision 0011). */
async function guard({ req, deps, facts, by }: StepContext<Progress>): Promise<{ refused: string } | { device: string | null }> {
  const flow = req.session.flow!
  const username = facts.decoy ? (typedUsername(req, deps) ?? '') : facts.account.username
  const target = facts.decoy ? (flow.decoyFor ?? decoyTag(deps, username)) : facts.account.id
  const device = deviceFor(req, deps, username)
  // The password was shown to be right (not hidden mode): only then may a lock name the practice.
  const proven = !facts.decoy && flow.hidden !== true
  // A lock (100 failures of this browser's password or of this factor) holds here too, told plainly.
  // A decoy of a real account reads its locks, so hidden mode shows a locked factor alike.
  if ((await isLocked(deps, { username, device }))) return { refused: fill(t(req).error.signInLocked, (await practiceWords(req, deps))) }
  if (typeof target === 'number' && (await isFactorLocked(deps, target, 'app', device))) return { refused: (await factorLockedMessage(req, deps, proven)) }
  const wait = await factorGuess(deps, req, by, username, target, 'app', proven)
  return wait ? { refused: wait } : { device }
}

async function submitRecovery(ctx: StepContext<Progress>): Promise<Outcome> {
  const { req, deps, facts, by } = ctx
  const stay = (message: string): Outcome => ({ kind: 'stay', errors: { herstelcode: message }, data: { recovery: true, switchBack: withoutPhonePath } })
  const { herstelcode } = readForm(req, ['herstelcode'])
  // A typo in the shape is no guess: only something that could be a code is counted.
  if (cleanRecoveryCode(herstelcode) === null) return stay(t(req).error.recoveryCodeFormat)
  const checked = await guard(ctx)
  if ('refused' in checked) return stay(checked.refused)
  if (facts.decoy) return stay(t(req).error.recoveryCodeWrong)
  const result = await useRecoveryCode(deps, by, facts.account, herstelcode)
  if (result !== 'ok') {
    await factorWrong(deps, by, facts.account, 'app', checked.device)
    return stay(result === 'malformed' ? t(req).error.recoveryCodeFormat : t(req).error.recoveryCodeWrong)
  }
  prove(req, 'mfa')
  prove(req, 'recovery')
  return { kind: 'advance' }
}

export const appCode = defineStep<Progress>({
  name: 'app-code',
  path,
  template: 'sign-in/app-code',
  // Whatever the way in, a signed-in session needs the second factor proven in this flow.
  applies: (p) => p.account.mfaMethod === 'app',
  done: (p) => p.proven.includes('mfa'),
  view: async ({ req, deps, facts }) => ({
    title: signInTitle(req), forApp: null,
    recovery: wantsRecovery(req),
    withoutPhone: withoutPhonePath,
    // "Telefoon kwijt of nieuwe telefoon?": whom to ask for a reset when there are no recovery codes.
    lostPhoneContact: await whomToCall(req, deps),
    wayOut: await wayOut(req, deps, facts),
    shareable: true,
  }),
  async submit(ctx) {
    const { req, deps, facts, by } = ctx
    const form = readForm(req, ['actie', 'code'])
    if (form.actie === 'herstelcode') return await submitRecovery(ctx)
    const { code } = form
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) return { kind: 'stay', errors: { code: t(req).error.codeFormat } }
    const checked = await guard(ctx)
    if ('refused' in checked) return { kind: 'stay', errors: { code: checked.refused } }
    if (facts.decoy) return { kind: 'stay', errors: { code: t(req).error.appCodeWrong } }
    const result = await verifyAppCode(deps, by, facts.account, code)
    // Not a wrong guess: the portal can not read the secret (its key changed). Said plainly, audited;
    // before the second factor the page names no practice ("uw praktijk", issue 20).
    if (result === 'unreadable') return { kind: 'stay', errors: { code: fill(t(req).error.appSecretUnreadable, (await practiceWords(req, deps))) } }
    if (result !== 'ok') {
      await factorWrong(deps, by, facts.account, 'app', checked.device)
      return { kind: 'stay', errors: { code: result === 'used' ? t(req).error.appCodeUsed : t(req).error.appCodeWrong } }
    }
    prove(req, 'mfa')
    return { kind: 'advance' }
  },
})
