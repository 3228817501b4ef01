// A patient-like test browser over Fastify's `app.inject` (light-my-request).
// It keeps a cookie jar, follows redirects, and fills and submits the
// server-rendered forms the way a browser without JavaScript would.
import * as cheerio from 'cheerio'
import type { Cheerio, CheerioAPI } from 'cheerio'

export type Inject = (opts: {
  method: string
  url: string
  headers?: Record<string, string>
  payload?: string
}) => Promise<{
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}>

export type ResponseHeaders = Record<string, string | string[] | number | undefined>

/** One response of the last navigation (the request and each redirect hop). */
export interface Hop {
  method: string
  url: string
  status: number
  location?: string
  setCookies: string[]
}

export interface BrowserOptions {
  origin?: string
  userAgent?: string
  followRedirects?: boolean
}

/** Adapts a Fastify instance (or anything with light-my-request's `inject`) to `Inject`. */
export function injectFrom(app: { inject(opts: any): PromiseLike<any> }): Inject {
  return async (opts) => {
    const res = await app.inject(opts)
    return { statusCode: res.statusCode, headers: res.headers, body: res.body }
  }
}

/** The value of the first hidden input named `_csrf`. */
export function csrfOf(html: string): string | undefined {
  const $ = cheerio.load(html)
  const el = $('input[name="_csrf"]')
    .filter((_, e) => ($(e).attr('type') ?? '').toLowerCase() === 'hidden')
    .first()
  return el.length ? (el.attr('value') ?? '') : undefined
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_HOPS = 10
const BUTTON_INPUT_TYPES = new Set(['submit', 'button', 'reset', 'image', 'file'])
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'button', 'caption', 'dd', 'details', 'dialog',
  'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'header', 'hr', 'label', 'legend', 'li', 'main', 'nav', 'ol', 'option', 'p', 'pre',
  'section', 'select', 'summary', 'table', 'td', 'th', 'tr', 'ul',
])

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim()

function headerList(v: string | string[] | number | undefined): string[] {
  if (v === undefined) return []
  return Array.isArray(v) ? v.map(String) : [String(v)]
}

/** A form control as submit() sees it. */
interface Control {
  node: any
  tag: string
  type: string
  name: string
  labels: string[]
  autocomplete: string[]
  disabled: boolean
}

export class Browser {
  status = 0
  headers: ResponseHeaders = {}
  html = ''
  url = '/'
  cookies = new Map<string, string>()
  /** Raw Set-Cookie strings of the last response (the final one when redirects were followed). */
  lastSetCookies: string[] = []
  /** Every response of the last navigation, first request first (redirect hops included). */
  history: Hop[] = []

  readonly origin: string
  readonly userAgent: string
  readonly followRedirects: boolean
  private readonly inject: Inject
  private cached: CheerioAPI | undefined
  private chosen = new Set<any>()

  constructor(inject: Inject, opts: BrowserOptions = {}) {
    this.inject = inject
    this.origin = (opts.origin ?? 'http://localhost:3000').replace(/\/+$/, '')
    this.userAgent = opts.userAgent ?? 'Mozilla/5.0 (test-browser)'
    this.followRedirects = opts.followRedirects ?? true
  }

  get $(): CheerioAPI {
    this.cached ??= cheerio.load(this.html)
    return this.cached
  }

  /** Visible text of the body, whitespace collapsed (block elements are separated by a space). */
  get text(): string {
    const $ = cheerio.load(this.html)
    const body = $('body')
    body.find('script, style, template, [hidden]').remove()
    const parts: string[] = []
    const walk = (node: any): void => {
      if (node.type === 'text') parts.push(node.data ?? '')
      else if (node.type === 'tag') {
        const block = BLOCK.has(node.name)
        if (block) parts.push(' ')
        for (const child of node.children ?? []) walk(child)
        if (block) parts.push(' ')
      }
    }
    for (const n of body.toArray()) walk(n)
    return collapse(parts.join(''))
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<this> {
    return await this.request({ method: 'GET', url, headers })
  }

  /** Raw request with the jar (and redirect following); `form` is sent urlencoded. */
  async request(opts: {
    method: string
    url: string
    headers?: Record<string, string>
    payload?: string
    form?: Record<string, string>
  }): Promise<this> {
    let method = opts.method.toUpperCase()
    let url = this.resolve(opts.url)
    const headers: Record<string, string> = { 'user-agent': this.userAgent }
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v
    let payload = opts.payload
    if (opts.form) {
      payload = new URLSearchParams(opts.form).toString()
      headers['content-type'] ??= 'application/x-www-form-urlencoded'
    }
    this.history = []
    this.chosen.clear()
    for (let hop = 0; ; hop++) {
      const sent = { ...headers }
      if (this.cookies.size) {
        sent.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
      } else delete sent.cookie
      const res = await this.inject({ method, url, headers: sent, ...(payload !== undefined ? { payload } : {}) })
      const setCookies = headerList(res.headers['set-cookie'])
      // Clear-Site-Data: "cookies" (or "*") empties the jar as a browser would, before this response's own cookies.
      if (/"(cookies|\*)"/.test(headerList(res.headers['clear-site-data']).join(','))) this.cookies.clear()
      for (const sc of setCookies) this.storeCookie(sc)
      this.status = res.statusCode
      this.headers = res.headers
      this.html = res.body
      this.url = url
      this.lastSetCookies = setCookies
      this.cached = undefined
      const location = headerList(res.headers.location)[0]
      this.history.push({ method, url, status: res.statusCode, ...(location ? { location } : {}), setCookies })

      if (!this.followRedirects || !REDIRECTS.has(res.statusCode) || !location) return this
      const next = new URL(location, this.origin + url)
      if (next.origin !== new URL(this.origin).origin) return this // leaving the site: stop here
      if (hop + 1 >= MAX_HOPS) {
        throw new Error(`Too many redirects (${MAX_HOPS}): ${this.history.map((h) => `${h.status} ${h.url}`).join(' -> ')}`)
      }
      url = next.pathname + next.search
      if (res.statusCode === 301 || res.statusCode === 302 || res.statusCode === 303) {
        if (method !== 'GET' && method !== 'HEAD') method = 'GET'
        payload = undefined
        delete headers['content-type']
        delete headers['content-length']
        delete headers.origin
      }
    }
  }

  /** Checks the radio or checkbox whose label text equals `label`, for the next submit. */
  choose(label: string): this {
    const matches = this.controls(this.$('input, select, textarea').toArray()).filter(
      (c) => (c.type === 'radio' || c.type === 'checkbox') && c.labels.includes(collapse(label)),
    )
    if (matches.length !== 1) {
      throw new Error(
        `choose(${JSON.stringify(label)}): ${matches.length ? 'several' : 'no'} radio/checkbox with that label on ${this.url}.\n` +
          this.describeControls(this.controls(this.$('input, select, textarea').toArray())),
      )
    }
    const c = matches[0]!
    if (c.type === 'radio') {
      const form = this.formOf(c.node)
      for (const other of [...this.chosen]) {
        const o = this.$(other)
        if (o.attr('type')?.toLowerCase() === 'radio' && o.attr('name') === c.name && this.formOf(other) === form) {
          this.chosen.delete(other)
        }
      }
    }
    this.chosen.add(c.node)
    return this
  }

  /** The control(s) matching `key` by autocomplete, then label, then name (the first rule that matches anything). */
  field(key: string): Cheerio<any> {
    const all = this.controls(this.$('input, select, textarea').toArray())
    return this.$(this.match(all, key).map((c) => c.node))
  }

  /** What submit(buttonLabel) would send, before `fields` overrides (choose() is applied). */
  formFor(buttonLabel: string): { action: string; method: string; fields: [string, string][] } {
    const { action, method, entries } = this.prepare(buttonLabel)
    return { action, method, fields: entries.filter((e) => e.on).map((e) => [e.name, e.value]) }
  }

  /** Clicks the submit button labelled `buttonLabel`, with `fields` overriding the form's values. */
  async submit(buttonLabel: string, fields: Record<string, string> = {}): Promise<this> {
    const { action, method, entries, controls } = this.prepare(buttonLabel)
    for (const [key, value] of Object.entries(fields)) {
      const hit = this.match(controls, key)
      const where = `submit(${JSON.stringify(buttonLabel)}): field ${JSON.stringify(key)}`
      if (hit.length === 0) throw new Error(`${where} matches no field of the form on ${this.url}.\n${this.describeControls(controls)}`)
      const radios = hit.every((c) => c.type === 'radio') && new Set(hit.map((c) => c.name)).size === 1
      if (hit.length > 1 && !radios) {
        const by = hit.every((c) => c.autocomplete.includes(key)) ? 'autocomplete' : hit.every((c) => c.labels.includes(collapse(key))) ? 'label' : 'name'
        throw new Error(`${where} is ambiguous: it matches ${hit.length} fields by ${by}.\n${this.describeControls(controls)}`)
      }
      if (radios && hit.length > 1) {
        const pick = hit.find((c) => (this.$(c.node).attr('value') ?? 'on') === value)
        if (!pick) throw new Error(`${where}: no radio in group ${JSON.stringify(hit[0]!.name)} has value ${JSON.stringify(value)}.`)
        for (const e of entries) if (hit.some((c) => c.node === e.node)) e.on = e.node === pick.node
        continue
      }
      const own = entries.filter((e) => e.node === hit[0]!.node)
      if (!own.length) throw new Error(`${where} matches a field without a name; it cannot be sent.`)
      own.forEach((e, i) => {
        e.value = value
        e.on = i === 0 // also sends a disabled field or an unchecked checkbox: tampering tests need it
      })
    }
    const params = new URLSearchParams()
    for (const e of entries) if (e.on) params.append(e.name, e.value)
    if (method === 'GET') {
      const u = new URL(action, this.origin)
      u.search = params.toString()
      return await this.request({ method, url: u.pathname + u.search })
    }
    return await this.request({
      method,
      url: action,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.origin },
      payload: params.toString(),
    })
  }

  // ---- internals ----

  private resolve(url: string): string {
    const u = new URL(url, this.origin + this.url)
    return u.pathname + u.search
  }

  private storeCookie(raw: string): void {
    const [pair = '', ...attrs] = raw.split(';')
    const eq = pair.indexOf('=')
    if (eq <= 0) return
    const name = pair.slice(0, eq).trim()
    const value = pair.slice(eq + 1).trim()
    const attr = new Map<string, string>()
    for (const a of attrs) {
      const i = a.indexOf('=')
      attr.set((i < 0 ? a : a.slice(0, i)).trim().toLowerCase(), i < 0 ? '' : a.slice(i + 1).trim())
    }
    let expired = false
    const maxAge = attr.get('max-age')
    const expires = attr.get('expires')
    if (maxAge !== undefined && /^-?\d+$/.test(maxAge)) expired = Number(maxAge) <= 0 // Max-Age wins over Expires
    else if (expires !== undefined && !Number.isNaN(Date.parse(expires))) expired = Date.parse(expires) <= Date.now()
    if (expired) this.cookies.delete(name)
    else this.cookies.set(name, value)
  }

  private formOf(node: any): any {
    const el = this.$(node)
    const id = el.attr('form')
    if (id !== undefined) return this.$('form').toArray().find((f) => this.$(f).attr('id') === id)
    return el.closest('form').get(0)
  }

  private labelsOf(node: any): string[] {
    const $ = this.$
    const el = $(node)
    const id = el.attr('id')
    const labels = [...el.parents('label').toArray()]
    if (id) labels.push(...$('label').toArray().filter((l) => $(l).attr('for') === id))
    return labels.map((l) => {
      const c = $(l).clone()
      c.find('input, select, textarea, button').remove()
      return collapse(c.text())
    })
  }

  private controls(nodes: any[]): Control[] {
    const $ = this.$
    return nodes.map((node) => {
      const el = $(node)
      const tag = node.name as string
      const type = tag === 'input' ? (el.attr('type') ?? 'text').toLowerCase() : tag
      return {
        node,
        tag,
        type,
        name: el.attr('name') ?? '',
        labels: this.labelsOf(node),
        autocomplete: (el.attr('autocomplete') ?? '').trim().split(/\s+/).filter(Boolean),
        disabled: el.is('[disabled]') || el.closest('fieldset[disabled]').length > 0,
      }
    }).filter((c) => !(c.tag === 'input' && BUTTON_INPUT_TYPES.has(c.type)))
  }

  private match(controls: Control[], key: string): Control[] {
    const byAuto = controls.filter((c) => c.autocomplete.includes(key))
    if (byAuto.length) return byAuto
    const byLabel = controls.filter((c) => c.labels.includes(collapse(key)))
    if (byLabel.length) return byLabel
    return controls.filter((c) => c.name !== '' && c.name === key)
  }

  private describeControls(controls: Control[]): string {
    if (!controls.length) return 'There are no fields.'
    return 'Fields:\n' + controls.map((c) =>
      `  - <${c.tag}${c.tag === 'input' ? ` type=${c.type}` : ''}> label=${JSON.stringify(c.labels.join(' | '))} autocomplete=${JSON.stringify(c.autocomplete.join(' '))} name=${JSON.stringify(c.name)}${c.disabled ? ' (disabled)' : ''}`,
    ).join('\n')
  }

  /** The labels of the page's submit buttons, in order, as a screen reader names them. */
  buttonLabels(): string[] {
    return this.buttons().map((b) => b.label)
  }

  private buttons(): { node: any; label: string }[] {
    const $ = this.$
    return $('button, input').toArray().flatMap((node) => {
      const el = $(node)
      const type = (el.attr('type') ?? '').toLowerCase()
      if (node.name === 'button' && (type === '' || type === 'submit' || !['button', 'reset', 'menu'].includes(type))) {
        // Its accessible name: the text-browser brackets ([Volgende]) are aria-hidden.
        return [{ node, label: collapse(el.clone().find('[aria-hidden="true"]').remove().end().text()) }]
      }
      if (node.name === 'input' && type === 'submit') return [{ node, label: collapse(el.attr('value') ?? '') }]
      return []
    })
  }

  private prepare(buttonLabel: string) {
    const $ = this.$
    const all = this.buttons()
    const hits = all.filter((b) => b.label === collapse(buttonLabel))
    if (hits.length !== 1) {
      const list = all.length ? all.map((b) => `  - ${JSON.stringify(b.label)}`).join('\n') : '  (none)'
      throw new Error(
        `submit(${JSON.stringify(buttonLabel)}): ${hits.length ? `${hits.length} buttons` : 'no button'} with that label on ${this.url} (status ${this.status}). Buttons:\n${list}`,
      )
    }
    const button = hits[0]!.node
    const b = $(button)
    if (b.is('[disabled]') || b.closest('fieldset[disabled]').length) throw new Error(`submit(${JSON.stringify(buttonLabel)}): the button is disabled.`)
    const form = this.formOf(button)
    if (!form) throw new Error(`submit(${JSON.stringify(buttonLabel)}): the button belongs to no form.`)
    const f = $(form)
    const methodAttr = (b.attr('formmethod') ?? f.attr('method') ?? 'get').toLowerCase()
    const method = methodAttr === 'post' ? 'POST' : 'GET'
    const actionAttr = b.attr('formaction') ?? f.attr('action') ?? ''
    const action = actionAttr.trim() === '' ? this.url : this.resolve(actionAttr.trim())

    const owned = $('input, select, textarea, button').toArray().filter((n) => this.formOf(n) === form)
    const controls = this.controls(owned.filter((n) => n.name !== 'button'))
    const byNode = new Map(controls.map((c) => [c.node, c]))
    const entries: { node: any; name: string; value: string; on: boolean }[] = []
    for (const node of owned) {
      const el = $(node)
      const name = el.attr('name') ?? ''
      if (node === button) {
        if (name) entries.push({ node, name, value: el.attr('value') ?? '', on: true })
        continue
      }
      const c = byNode.get(node)
      if (!c || !name) continue
      if (c.type === 'radio' || c.type === 'checkbox') {
        let checked = el.is('[checked]')
        if (c.type === 'radio' && [...this.chosen].some((n) => n !== node && $(n).attr('name') === name && this.formOf(n) === form && ($(n).attr('type') ?? '').toLowerCase() === 'radio')) checked = false
        if (this.chosen.has(node)) checked = true
        entries.push({ node, name, value: el.attr('value') ?? 'on', on: checked && !c.disabled })
      } else if (c.tag === 'select') {
        const options = el.find('option').toArray()
        const optionValue = (o: any) => $(o).attr('value') ?? collapse($(o).text())
        let chosen = options.filter((o) => $(o).is('[selected]'))
        if (!el.is('[multiple]') && !chosen.length) chosen = options.filter((o) => !$(o).is('[disabled]')).slice(0, 1)
        if (!el.is('[multiple]')) chosen = chosen.slice(-1)
        if (!chosen.length) entries.push({ node, name, value: '', on: false })
        for (const o of chosen) entries.push({ node, name, value: optionValue(o), on: !c.disabled })
      } else if (c.tag === 'textarea') {
        entries.push({ node, name, value: el.text(), on: !c.disabled })
      } else {
        entries.push({ node, name, value: el.attr('value') ?? '', on: !c.disabled })
      }
    }
    return { action, method, entries, controls }
  }
}
