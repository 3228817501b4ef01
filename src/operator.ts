// The operator's language (issue 22 item 7): the words of configuration problems, the server's start
// lines and the CLI, in Dutch or English. Patients and staff read the catalogues of src/messages.ts;
// the person running the portal reads these (docs/decisions/0018-operator-language.md).
import { operatorEn } from './i18n/operator-en.ts'
import { operatorNl } from './i18n/operator-nl.ts'
import { fill, isLang, type Lang, type Widen } from './messages.ts'

export type OperatorCatalogue = Widen<typeof operatorNl>

const catalogues: Record<Lang, OperatorCatalogue> = { nl: operatorNl, en: operatorEn }

export const operatorMessages = (lang: Lang): OperatorCatalogue => catalogues[lang]

type Env = Record<string, string | undefined>

/**
 * OPERATOR_LANGUAGE (nl or en) when set; otherwise the locale the operator's shell or the service
 * manager gives (POSIX order: LC_ALL, LC_MESSAGES, LANG): a Dutch locale (nl_NL, nl_BE) gives Dutch,
 * another language (en_GB, de_DE) English, and no language at all (unset, C, C.UTF-8, POSIX) Dutch,
 * the portal's own default. An OPERATOR_LANGUAGE that is neither is a configuration problem
 * (src/config.ts reports it); its words are Dutch then.
 */
export function operatorLanguage(env: Env): Lang {
  const setting = env.OPERATOR_LANGUAGE?.trim().toLowerCase()
  if (setting) return isLang(setting) ? setting : 'nl'
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].map((v) => v?.trim() ?? '').find((v) => v !== '') ?? ''
  const language = /^([a-zA-Z]{2,3})(?:[_.@-]|$)/.exec(locale)?.[1]?.toLowerCase()
  if (!language || locale === 'C' || locale.startsWith('C.') || locale === 'POSIX') return 'nl'
  return language === 'nl' ? 'nl' : 'en'
}

/** The start-up refusal when the configured keys do not open the data (domain/sealed.ts), in the operator's words. */
export function keysDoNotFit(lang: Lang, path: string, unopened: { column: string; id: string | number }[]): string {
  const o = operatorMessages(lang).keyCheck
  const what = unopened.map(({ column, id }) =>
    fill(column === 'totp' ? o.totp : column === 'clients' ? o.client : column === 'signingKeys' ? o.signingKey : o.pendingTotp, { id }),
  )
  return fill(o.refused, { what: what.join('; '), path })
}
