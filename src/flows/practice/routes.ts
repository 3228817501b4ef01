// Everything under /praktijk, behind one guard (guard.ts): the patient list and 'Nieuwe cliënt',
// each patient's page and actions, the audit log, and for a beheerder the same for staff.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../domain/deps.ts'
import { registerAccountPages } from './account.ts'
import { registerAudit } from './audit.ts'
import { registerStaffGuard } from './guard.ts'
import { patientsKind, staffKind } from './kinds.ts'
import { registerList } from './lists.ts'
import { registerNewAccount } from './new-account.ts'

export async function registerPractice(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(
    async (scope) => {
      registerStaffGuard(scope, deps)
      for (const kind of [patientsKind, staffKind]) {
        registerList(scope, deps, kind)
        // 'nieuw' is registered before ':id', and is a static segment, so it always wins.
        registerNewAccount(scope, deps, kind)
        registerAccountPages(scope, deps, kind)
      }
      registerAudit(scope, deps)
    },
    { prefix: '/praktijk' },
  )
}
