// Every word a patient or staff member reads, in each language the portal speaks (issue 14). The
// catalogues are in src/i18n/: Dutch is the default and the reference, English has the same keys and
// the same placeholders (the compiler checks the keys, test/i18n.test.ts the placeholders). Code picks
// a catalogue with messages(lang): a page by the reader's language (req.lang), a mail or SMS by the
// account's (accounts.language), the CLI in Dutch.
import Negotiator from 'negotiator'
import { en } from './i18n/en.ts'
import { nl } from './i18n/nl.ts'

export const languages = ['nl', 'en'] as const
export type Lang = (typeof languages)[number]
export const defaultLanguage: Lang = 'nl'

/** What every catalogue provides: the Dutch one's shape, with any wording. */
export type Catalogue = Widen<typeof nl>
export type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => infer R
    ? (...args: A) => Widen<R>
    : T extends object
      ? { [K in keyof T]: Widen<T[K]> }
      : T

const catalogues: Record<Lang, Catalogue> = { nl, en }

export const messages = (lang: Lang): Catalogue => catalogues[lang]

/** The language the switch link of a page in `lang` offers. */
export const otherLanguage = (lang: Lang): Lang => (lang === 'nl' ? 'en' : 'nl')

export const isLang = (value: unknown): value is Lang => value === 'nl' || value === 'en'

/** The reader's language from an Accept-Language header (q-values honoured), or Dutch. */
export function negotiateLanguage(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return defaultLanguage
  const found = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language([...languages])
  return isLang(found) ? found : defaultLanguage
}

/**
 * The first of ours among an app's `ui_locales` (OpenID Connect: space-separated language tags in order
 * of preference, `en-GB nl`), or undefined when it names none of them.
 */
export function uiLocale(uiLocales: unknown): Lang | undefined {
  if (typeof uiLocales !== 'string') return undefined
  for (const tag of uiLocales.split(' ')) {
    const primary = tag.split('-')[0]!.toLowerCase()
    if (isLang(primary)) return primary
  }
  return undefined
}

export type ErrorKey = keyof Catalogue['error']

export const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match))
}

/** "Nederland, België of Duitsland": countries (ISO 3166 codes, SMS_COUNTRIES) by their names in `lang`. */
export function countryNames(codes: readonly string[], lang: Lang): string {
  const { locale } = catalogues[lang]
  const names = new Intl.DisplayNames([locale], { type: 'region' })
  return new Intl.ListFormat(locale, { type: 'disjunction' }).format(codes.map((code) => names.of(code) ?? code))
}

/** An error of the catalogue in words; `{countries}` (error.mobileCountry) names the countries SMS_COUNTRIES allows. */
export function errorText(lang: Lang, key: ErrorKey, smsCountries: readonly string[]): string {
  const words = catalogues[lang].error[key]
  return words.includes('{countries}') ? fill(words, { countries: countryNames(smsCountries, lang) }) : words
}

/** Made on first use: the first DateTimeFormat of a process loads ICU's data, ~25 ms of start-up otherwise. */
const dateTimes = new Map<Lang, Intl.DateTimeFormat>()
export function formatDateTime(date: Date, lang: Lang): string {
  let format = dateTimes.get(lang)
  if (!format) {
    format = new Intl.DateTimeFormat(catalogues[lang].locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' })
    dateTimes.set(lang, format)
  }
  return format.format(date)
}

const shortDateTimes = new Map<Lang, Intl.DateTimeFormat>()

/**
 * A moment as an SMS says it: day, month and time without the year ("9-12 14:30", "09/12, 14:30"):
 * the SMS must fit one segment (domain/sms-text.ts), and the moments it names lie within days.
 */
export function formatShortDateTime(date: Date, lang: Lang): string {
  let format = shortDateTimes.get(lang)
  if (!format) {
    format = new Intl.DateTimeFormat(catalogues[lang].locale, { day: 'numeric', month: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' })
    shortDateTimes.set(lang, format)
  }
  return format.format(date)
}
