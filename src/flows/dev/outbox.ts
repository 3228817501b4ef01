// /dev/outbox: in development only, every mail and SMS the portal sent, newest first, with links
// that can be clicked. Registered only when DEV_OUTBOX is on (never in production).
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../domain/deps.ts'
import { listOutbox } from '../../domain/delivery.ts'
import { fill, formatDateTime } from '../../messages.ts'
import { t } from '../../web/language.ts'
import { page } from '../../web/render.ts'

/** Splits a body into text and links, so the template can escape the text and link the URLs. */
function linkify(body: string): { text: string; href?: string }[] {
  return body.split(/(https?:\/\/\S+)/).map((part) => (/^https?:\/\//.test(part) ? { text: part, href: part } : { text: part }))
}

export function registerDevOutbox(app: FastifyInstance, deps: Deps): void {
  app.get('/dev/outbox', async (req, reply) => {
    const { text } = t(req)
    const messages = (await listOutbox(deps, { limit: 100 })).map((m) => ({
      ...m,
      // For reading only; the mail itself carries the name through nodemailer's address object (domain/delivery.ts).
      from: m.fromName === null ? m.from : `${m.fromName} <${m.from}>`,
      heading: fill(text.outboxHeading, { channel: m.channel === 'sms' ? text.channelSms : text.channelEmail, to: m.to }),
      when: formatDateTime(m.createdAt, req.lang),
      parts: linkify(m.text),
    }))
    return await page(req, reply, 'dev/outbox', { title: text.outboxTitle, messages })
  })
}
