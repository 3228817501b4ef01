// The patient list (/praktijk) and the staff list (/praktijk/medewerkers): search by name, username
// or e-mail, each account's onboarding status, when its invitation expires, and its last sign-in.
import type { FastifyInstance } from 'fastify'
import { recordEvent } from '../../domain/audit.ts'
import type { Deps } from '../../domain/deps.ts'
import { listAccounts } from '../../domain/patients.ts'
import { fill } from '../../messages.ts'
import { t } from '../../web/language.ts'
import { page } from '../../web/render.ts'
import { navOf, openFromOutside, ownNavigation, practiceIdOf, staffBy, takeNotice } from './guard.ts'
import type { Kind } from './kinds.ts'
import { pageNumber, pager, pageSize, readQuery, rowOf } from './view.ts'

export function registerList(scope: FastifyInstance, deps: Deps, kind: Kind): void {
  const path = kind.listPath.replace(/^\/praktijk/, '') || '/'
  scope.get(path, { config: { minRole: kind.minRole } }, async (req, reply) => {
    const query = readQuery(req, ['zoek', 'pagina'])
    const search = query.zoek.trim()
    const current = pageNumber(query.pagina)
    if (!ownNavigation(req)) return await openFromOutside(req, reply, kind.listPath)
    const { rows, total } = await listAccounts(deps, practiceIdOf(req), { scope: kind.scope, search, limit: pageSize, offset: (current - 1) * pageSize })
    // Who saw which names (NEN 7513): the list, the page of it, and what was searched for.
    await recordEvent(deps, staffBy(req), {
      event: 'list_viewed',
      outcome: 'info',
      detail: { list: kind.scope, ...(search === '' ? {} : { search: search.slice(0, 100) }), page: current, results: total },
    })
    const c = t(req)
    const words = kind.words(c)
    return await page(req, reply, 'practice/list', {
      title: words.title,
      ...navOf(req, kind.listPath),
      notice: takeNotice(req),
      intro: words.intro,
      empty: words.empty,
      newLabel: words.newLabel,
      newPath: `${kind.base}/nieuw`,
      listPath: kind.listPath,
      showRole: kind.scope === 'staff',
      search,
      count: total > 0 ? fill(c.text.listCount, { count: total }) : '',
      rows: rows.map((s) => rowOf(s, kind.base, req.lang)),
      // A table wants the desktop's width (portal.css); a phone still gets a list.
      wide: true,
      pager: pager(req.lang, kind.listPath, { zoek: search }, current, total),
    })
  })
}
