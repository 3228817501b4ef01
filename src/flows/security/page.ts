// The security page "Beveiliging": an overview with the recent sign-ins and one link per task
// (Wachtwoord wijzigen, Tweede stap wijzigen, Uitloggen op andere apparaten). Each task is a page of
// its own with one current-password field; it comes back here with a one-shot notice
// (Post/Redirect/Get), or re-renders itself with its errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../domain/accounts.ts'
import type { Deps } from '../../domain/deps.ts'
import { factorCoolingUntil } from '../../domain/cooling-off.ts'
import { recoveryCodesApply } from '../../domain/recovery-codes.ts'
import { emailFactorAllowed, recentSignIns } from '../../domain/security.ts'
import { fill, formatDateTime, isLang, languages, messages } from '../../messages.ts'
import { signedInApps } from '../../oidc/accounts.ts'
import { page } from '../../web/render.ts'
import { securityPath, signedInAccount, toSignIn, type SecurityNotice } from './shared.ts'
import { chooseLanguage, t } from '../../web/language.ts'
import { readForm } from '../../web/forms.ts'
import { coolingOffMessage } from '../shared/cooling-off.ts'

function noticeText(req: FastifyRequest, notice: SecurityNotice | undefined): string | null {
  const { text } = t(req)
  switch (notice?.kind) {
    case undefined:
      return null
    case 'password':
      return text.noticePasswordChanged
    case 'factorApp':
      return text.noticeFactorApp
    case 'factorEmail':
      return text.noticeFactorEmail
    case 'factorCancelled':
      return text.noticeFactorCancelled
    case 'factorExpired':
      return text.noticeFactorExpired
    case 'sessions':
      return notice.count === 0 ? text.noticeSessionsNone : notice.count === 1 ? text.noticeSessionsOne : fill(text.noticeSessionsMany, { count: notice.count })
    case 'language':
      return text.noticeLanguage
  }
}

/** What the second-factor form offers: the app again (a new phone), or the other method where allowed. */
export function factorOptions(req: FastifyRequest, deps: Deps, account: Account): { value: 'app' | 'email'; label: string }[] {
  const { label } = t(req)
  if (account.mfaMethod === 'email') return [{ value: 'app', label: label.switchToApp }]
  return [{ value: 'app', label: label.reenrollApp }, ...(emailFactorAllowed(deps, account) ? [{ value: 'email' as const, label: label.switchToEmail }] : [])]
}

export interface SecurityView {
  errors?: Record<string, string>
  notice?: SecurityNotice
  status?: number
  /** A new factor was refused by the cooling-off after a practice reset, until then. */
  coolingUntil?: Date
}

/** The overview: what is set now, the recent sign-ins, and one link per task. */
export async function showSecurityPage(req: FastifyRequest, reply: FastifyReply, deps: Deps, account: Account, view: SecurityView = {}) {
  return await page(
    req,
    reply,
    'security/page',
    {
      title: t(req).text.securityTitle,
      notice: noticeText(req, view.notice),
      factorNow: account.mfaMethod === 'email' ? t(req).text.securityFactorEmail : t(req).text.securityFactorApp,
      tasks: [
        { href: `${securityPath}/wachtwoord`, label: t(req).label.changePassword },
        { href: `${securityPath}/tweede-stap`, label: t(req).label.changeSecondFactor },
        // Only with the app (docs/decisions/0016): an e-mail code is not lost with a phone.
        ...(recoveryCodesApply(account) ? [{ href: `${securityPath}/herstelcodes`, label: t(req).label.recoveryCodes }] : []),
        { href: `${securityPath}/andere-apparaten`, label: t(req).text.securitySessionsHeading },
      ],
      signIns: (await recentSignIns(deps, account.id, req.lang)).map((s) => ({ when: formatDateTime(s.at, req.lang), browser: s.browser, result: outcomeText(req)[s.outcome] })),
      // The practice's apps this patient signed in to through the portal (OpenID Connect).
      apps: (await signedInApps(deps, account.id)).map((a) => ({ name: a.name, when: formatDateTime(a.lastAt, req.lang) })),
      // The language of the pages once signed in, and of mails and SMS (issue 14).
      languageNow: fill(t(req).text.languageNow, { language: t(req).text.languageNames[account.language] }),
    },
    view.status ?? 200,
  )
}

export type SecurityTask = 'password' | 'second-factor' | 'other-devices'

function taskTitle(req: FastifyRequest, task: SecurityTask): string {
  const { label, text } = t(req)
  return { password: label.changePassword, 'second-factor': label.changeSecondFactor, 'other-devices': text.securitySessionsHeading }[task]
}

function outcomeText(req: FastifyRequest): Record<'ok' | 'password' | 'code', string> {
  const { text } = t(req)
  return { ok: text.securitySignInOk, password: text.securitySignInWrongPassword, code: text.securitySignInWrongCode }
}

/** One task on its own page, with its one current-password field; errors re-render it here. */
export async function showTaskPage(req: FastifyRequest, reply: FastifyReply, deps: Deps, account: Account, task: SecurityTask, view: SecurityView = {}) {
  // A new second step waits after a practice reset: the page says until when instead of offering one.
  const wait = task === 'second-factor' ? (view.coolingUntil ?? factorCoolingUntil(deps, account)) : null
  return await page(
    req,
    reply,
    `security/${task}`,
    {
      title: taskTitle(req, task),
      factorNow: account.mfaMethod === 'email' ? t(req).text.securityFactorEmail : t(req).text.securityFactorApp,
      factorOptions: factorOptions(req, deps, account),
      coolingOff: wait ? (await coolingOffMessage(req, deps, 'security', wait)) : null,
      errors: view.errors ?? {},
    },
    view.status ?? 200,
  )
}

export function registerSecurityPage(app: FastifyInstance, deps: Deps): void {
  app.get(securityPath, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    const notice = req.session.securityNotice
    if (notice) delete req.session.securityNotice
    return await showSecurityPage(req, reply, deps, account, notice ? { notice } : {})
  })

  // The language of the pages, mails and SMS: a preference, so no current password is asked.
  const showLanguage = (req: FastifyRequest, reply: FastifyReply, account: Account, errors: Record<string, string> = {}, status = 200) =>
    page(req, reply, 'security/language', {
      title: t(req).text.languageTitle,
      languages: languages.map((lang) => ({ value: lang, name: messages(lang).name, checked: lang === account.language })),
      errors,
    }, status)

  app.get(`${securityPath}/taal`, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    return await showLanguage(req, reply, account)
  })

  app.post(`${securityPath}/taal`, async (req, reply) => {
    const account = await signedInAccount(req, deps)
    if (!account) return await toSignIn(reply)
    const { taal } = readForm(req, ['taal'])
    if (!isLang(taal)) return await showLanguage(req, reply, account, { taal: t(req).error.languageRequired }, 422)
    await chooseLanguage(req, reply, deps, account.id, taal)
    req.session.securityNotice = { kind: 'language' }
    return reply.redirect(securityPath, 303)
  })
}
