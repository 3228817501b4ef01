// The security page "Beveiliging": an overview with the recent sign-ins and one link per task
// (Wachtwoord wijzigen, Tweede stap wijzigen, Uitloggen op andere apparaten). Each task is a page of
// its own with one current-password field; it comes back here with a one-shot notice
// (Post/Redirect/Get), or re-renders itself with its errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../domain/accounts.ts'
import type { Deps } from '../../domain/deps.ts'
import { emailFactorAllowed, recentSignIns } from '../../domain/security.ts'
import { fill, formatDateTime, label, oidcText, text } from '../../messages.ts'
import { signedInApps } from '../../oidc/accounts.ts'
import { page } from '../../web/render.ts'
import { securityPath, signedInAccount, toSignIn, type SecurityNotice } from './shared.ts'

function noticeText(notice: SecurityNotice | undefined): string | null {
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
  }
}

/** What the second-factor form offers: the app again (a new phone), or the other method where allowed. */
export function factorOptions(deps: Deps, account: Account): { value: 'app' | 'email'; label: string }[] {
  if (account.mfaMethod === 'email') return [{ value: 'app', label: label.switchToApp }]
  return [{ value: 'app', label: label.reenrollApp }, ...(emailFactorAllowed(deps, account) ? [{ value: 'email' as const, label: label.switchToEmail }] : [])]
}

const outcomeText = { ok: text.securitySignInOk, password: text.securitySignInWrongPassword, code: text.securitySignInWrongCode }

export interface SecurityView {
  errors?: Record<string, string>
  notice?: SecurityNotice
  status?: number
}

/** The overview: what is set now, the recent sign-ins, and one link per task. */
export function showSecurityPage(req: FastifyRequest, reply: FastifyReply, deps: Deps, account: Account, view: SecurityView = {}) {
  return page(
    req,
    reply,
    'security/page',
    {
      title: text.securityTitle,
      notice: noticeText(view.notice),
      factorNow: account.mfaMethod === 'email' ? text.securityFactorEmail : text.securityFactorApp,
      tasks: [
        { href: `${securityPath}/wachtwoord`, label: label.changePassword },
        { href: `${securityPath}/tweede-stap`, label: label.changeSecondFactor },
        { href: `${securityPath}/andere-apparaten`, label: text.securitySessionsHeading },
      ],
      signIns: recentSignIns(deps, account.id).map((s) => ({ when: formatDateTime(s.at), browser: s.browser, result: outcomeText[s.outcome] })),
      // The practice's apps this patient signed in to through the portal (OpenID Connect).
      apps: signedInApps(deps, account.id).map((a) => ({ name: a.name, when: formatDateTime(a.lastAt) })),
      oidcText,
    },
    view.status ?? 200,
  )
}

export type SecurityTask = 'password' | 'second-factor' | 'other-devices'

const taskTitles: Record<SecurityTask, string> = {
  password: label.changePassword,
  'second-factor': label.changeSecondFactor,
  'other-devices': text.securitySessionsHeading,
}

/** One task on its own page, with its one current-password field; errors re-render it here. */
export function showTaskPage(req: FastifyRequest, reply: FastifyReply, deps: Deps, account: Account, task: SecurityTask, view: SecurityView = {}) {
  return page(
    req,
    reply,
    `security/${task}`,
    {
      title: taskTitles[task],
      factorNow: account.mfaMethod === 'email' ? text.securityFactorEmail : text.securityFactorApp,
      factorOptions: factorOptions(deps, account),
      errors: view.errors ?? {},
    },
    view.status ?? 200,
  )
}

export function registerSecurityPage(app: FastifyInstance, deps: Deps): void {
  app.get(securityPath, async (req, reply) => {
    const account = signedInAccount(req, deps)
    if (!account) return toSignIn(reply)
    const notice = req.session.securityNotice
    if (notice) delete req.session.securityNotice
    return showSecurityPage(req, reply, deps, account, notice ? { notice } : {})
  })
}
