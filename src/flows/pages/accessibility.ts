// The accessibility statement (issue 24 #3), in the shape of the Dutch model statement
// (digitoegankelijk.nl): standard, status, how it was checked and when, known issues, how to report a
// problem. It is read before any proof, so it names no practice: the contact is ACCESSIBILITY_CONTACT,
// or the only practice's contact (never its name), or "your practice" when there are several.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../domain/deps.ts'
import { listPractices } from '../../domain/practices.ts'
import { fill, type Lang } from '../../messages.ts'
import { page } from '../../web/render.ts'
import { t } from '../../web/language.ts'
import { resumePath } from '../shared/resume.ts'

/**
 * The day the audit tests (test/a11y-*.test.ts, docs/accessibility.md) last ran green against the
 * pages as they are. A constant the audit updates, not the build's date (a build proves nothing was
 * checked): test/a11y-statement.test.ts fails once templates/ or static/ change in a commit after this
 * day, so the claim can not go stale silently.
 */
export const accessibilityAuditDate = '2026-12-07'

export const statementPath = '/toegankelijkheid'

const auditDay = (lang: Lang) =>
  new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(new Date(`${accessibilityAuditDate}T12:00:00Z`))

/** Where a problem is reported: the setting, else the one practice's contact; null means "your practice". */
export async function accessibilityContact(deps: Deps): Promise<string | null> {
  if (deps.config.accessibilityContact) return deps.config.accessibilityContact
  const practices = await listPractices(deps)
  return practices.length === 1 && practices[0]!.contact !== '' ? practices[0]!.contact : null
}

export function registerStatement(app: FastifyInstance, deps: Deps): void {
  const { limits, portalName } = deps.config
  app.get(statementPath, async (req, reply) => {
    const { text } = t(req)
    const contact = await accessibilityContact(deps)
    const times = { codeMinutes: limits.codeTtlMinutes, idleMinutes: limits.flowIdleMinutes, absoluteMinutes: limits.flowAbsoluteMinutes, sessionMinutes: limits.sessionIdleMinutes }
    return await page(req, reply, 'pages/accessibility', {
      title: text.statementTitle,
      intro: fill(text.statementIntro, { portal: portalName }),
      status: fill(text.statementStatus, { portal: portalName }),
      checked: fill(text.statementChecked, { date: auditDay(req.lang) }),
      deviations: text.statementDeviations.map((d) => fill(d, times)),
      report: contact === null ? text.statementReportPractice : fill(text.statementReport, { contact }),
      resume: await resumePath(req, deps),
      noForm: true,
    })
  })
}
