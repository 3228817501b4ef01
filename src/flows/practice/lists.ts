// The patient list (/praktijk) and the staff list (/praktijk/medewerkers): search by name, username
// or e-mail, each account's onboarding status, when its invitation expires, and its last sign-in.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../domain/deps.ts'
import { listAccounts } from '../../domain/patients.ts'
import { fill, text } from '../../messages.ts'
import { page } from '../../web/render.ts'
import { navOf, takeNotice } from './guard.ts'
import type { Kind } from './kinds.ts'
import { pageNumber, pager, pageSize, readQuery, rowOf } from './view.ts'

export function registerList(scope: FastifyInstance, deps: Deps, kind: Kind): void {
  const path = kind.listPath.replace(/^\/praktijk/, '') || '/'
  scope.get(path, { config: { minRole: kind.minRole } }, async (req, reply) => {
    const query = readQuery(req, ['zoek', 'pagina'])
    const search = query.zoek.trim()
    const current = pageNumber(query.pagina)
    const { rows, total } = listAccounts(deps, { scope: kind.scope, search, limit: pageSize, offset: (current - 1) * pageSize })
    return page(req, reply, 'practice/list', {
      title: kind.title,
      ...navOf(req, kind.listPath),
      notice: takeNotice(req),
      intro: kind.intro,
      empty: kind.empty,
      newLabel: kind.newLabel,
      newPath: `${kind.base}/nieuw`,
      listPath: kind.listPath,
      showRole: kind.scope === 'staff',
      search,
      count: total > 0 ? fill(text.listCount, { count: total }) : '',
      rows: rows.map((s) => rowOf(s, kind.base)),
      pager: pager(kind.listPath, { zoek: search }, current, total),
    })
  })
}
