// The disclaimer and privacy pages linked under every form; their text is the practice's own
// (DISCLAIMER_FILE, PRIVACY_FILE), with a short default.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../domain/deps.ts'
import { page } from '../../web/render.ts'
import { resumePath } from '../shared/resume.ts'
import { t } from '../../web/language.ts'

export function registerPages(app: FastifyInstance, deps: Deps): void {
  const { disclaimerText, privacyText } = deps.config
  const paragraphs = (body: string) => body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)
  // No form on these pages: no CSRF token, so a first visit writes no session.
  app.get('/disclaimer', async (req, reply) =>
    page(req, reply, 'pages/text', { title: t(req).text.disclaimerTitle, paragraphs: paragraphs(disclaimerText || t(req).text.disclaimerDefault), resume: (await resumePath(req, deps)), noForm: true }),
  )
  app.get('/privacy', async (req, reply) =>
    page(req, reply, 'pages/text', { title: t(req).text.privacyTitle, paragraphs: paragraphs(privacyText || t(req).text.privacyDefault), resume: (await resumePath(req, deps)), noForm: true }),
  )
}
