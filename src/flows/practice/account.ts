// An account's page: where its onboarding stands, fact by fact, what is still pending, the actions,
// and its own audit log. Each action: GET a confirmation page, POST its button.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { getAccountIn, type Account } from '../../domain/accounts.ts'
import { listEvents, recordEvent } from '../../domain/audit.ts'
import { undelivered } from '../../domain/delivery.ts'
import type { Deps } from '../../domain/deps.ts'
import { summarize, type Summary } from '../../domain/patients.ts'
import { recoveryStatus } from '../../domain/recovery-codes.ts'
import { fill, formatDateTime } from '../../messages.ts'
import { HttpError } from '../../web/http-error.ts'
import { readForm } from '../../web/forms.ts'
import { t } from '../../web/language.ts'
import { page } from '../../web/render.ts'
import { actionBySlug, actions, type Action } from './actions.ts'
import { auditEntries, auditPath } from './audit.ts'
import { auditViewerOf, idParam, navOf, openFromOutside, ownNavigation, practiceIdOf, staffBy, staffOf, takeNotice } from './guard.ts'
import type { Kind } from './kinds.ts'
import { factsOf, pendingTexts } from './view.ts'

const recentEvents = 15

export function registerAccountPages(scope: FastifyInstance, deps: Deps, kind: Kind): void {
  const base = kind.base.replace(/^\/praktijk/, '')
  const config = { config: { minRole: kind.minRole } }

  /** The account of this kind behind the id; anything else (other kind, erased, unknown, another practice's) does not exist here. */
  async function load(req: FastifyRequest, raw: string): Promise<Summary> {
    const account = await getAccountIn(deps, practiceIdOf(req), idParam(raw))
    if (!account || account.erasedAt !== null || !kind.matches(account)) throw new HttpError(404, 'notFound')
    return await summarize(deps, account)
  }

  const isSelf = (req: FastifyRequest, account: Account) => staffOf(req).id === account.id

  scope.get<{ Params: { id: string } }>(`${base}/:id`, config, async (req, reply) => {
    const summary = await load(req, req.params.id)
    const { account } = summary
    const self = isSelf(req, account)
    // Reading a record is logged too (NEN 7513): who looked at whose account, when. Only when the
    // staff member's own navigation asked for it: a link elsewhere gets a page to open it from.
    if (!ownNavigation(req)) return await openFromOutside(req, reply, kind.listPath)
    await recordEvent(deps, staffBy(req), { event: 'record_viewed', outcome: 'info', accountId: account.id })
    const c = t(req)
    const { text } = c
    return await page(req, reply, 'practice/account', {
      title: account.name,
      ...navOf(req, kind.listPath),
      notice: takeNotice(req),
      facts: factsOf(summary, req.lang, (await recoveryStatus(deps, account.id))),
      pending: pendingTexts(summary, req.lang),
      actions: actions.filter((a) => a.offered(summary, self)).map((a) => ({ label: a.label(c), href: `${kind.base}/${account.id}/${a.slug}` })),
      entries: await auditEntries(deps, staffOf(req), (await listEvents(deps, { accountId: account.id, limit: recentEvents, viewer: auditViewerOf(req) })), req.lang),
      undelivered: (await undelivered(deps, account.id)).map((m) => ({
        what: fill(text.undeliveredWhat, {
          channel: m.kind === 'phone-code' ? text.channelSms : text.channelEmail,
          kind: text.messageKinds[m.kind as keyof typeof text.messageKinds] ?? m.kind,
          to: m.to,
        }),
        state: fill(m.status === 'failed' ? text.undeliveredFailed : text.undeliveredRetrying, { attempts: m.attempts, when: formatDateTime(m.createdAt, req.lang) }),
        error: m.lastError,
      })),
      entryLevel: 3,
      oneAccount: true,
      auditHref: `${auditPath}?${new URLSearchParams({ account: account.username }).toString()}`,
    })
  })

  async function confirm(req: FastifyRequest, reply: FastifyReply, summary: Summary, action: Action, errors: Record<string, string> = {}, value = '', status = 200) {
    const { account } = summary
    const c = t(req)
    const field = action.field?.(c)
    return await page(
      req,
      reply,
      'practice/confirm',
      {
        title: action.label(c),
        ...navOf(req, kind.listPath),
        name: account.name,
        username: account.username,
        explain: action.explain(summary, c, req.lang),
        field: field ? { ...field, value, error: errors[field.name] } : null,
        button: action.label(c),
        action: `${kind.base}/${account.id}/${action.slug}`,
        back: `${kind.base}/${account.id}`,
        backLabel: c.label.backToAccount,
        errors,
      },
      status,
    )
  }

  function actionOf(slug: string): Action {
    const action = actionBySlug.get(slug)
    if (!action) throw new HttpError(404, 'notFound')
    return action
  }

  scope.get<{ Params: { id: string; action: string } }>(`${base}/:id/:action`, config, async (req, reply) => {
    const action = actionOf(req.params.action)
    return await confirm(req, reply, (await load(req, req.params.id)), action)
  })

  scope.post<{ Params: { id: string; action: string } }>(`${base}/:id/:action`, config, async (req, reply) => {
    const action = actionOf(req.params.action)
    const summary = await load(req, req.params.id)
    const name = action.field?.(t(req)).name
    const form = readForm(req, name ? [name] : [])
    const value = name ? (form as Record<string, string>)[name] ?? '' : ''
    const result = await action.run(deps, staffBy(req), practiceIdOf(req), summary.account, value, req.lang)
    if (!result.ok) {
      const field = name ?? 'actie'
      return await confirm(req, reply, (await summarize(deps, (await getAccountIn(deps, practiceIdOf(req), summary.account.id))!)), action, { [field]: result.message }, value, 422)
    }
    req.session.practiceNotice = result.notice
    return reply.redirect(action.after === 'list' ? kind.listPath : `${kind.base}/${summary.account.id}`, 303)
  })
}
