// The accessibility audit beyond axe (issue 24 #1), as checks on one screen in Chromium with JavaScript
// off: the keyboard (Tab order follows the page, every control reachable, focus always visible and
// not hidden, no trap), what a screen reader gets (one h1, the banner/main/contentinfo landmarks, each
// control a name containing its visible text), the language of parts, and reflow: 320 px, WCAG 1.4.12
// text spacing, 200% zoom of a 1280 px window. docs/accessibility.md says what each covers and what
// only a person can check.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import type { Test } from 'tap'
import { navigate, overflowAt, type Screen } from './chromium.ts'

/** One Tab stop: the control's index among the page's focusables (-1: the document), and how it looked focused. */
interface Stop {
  index: number
  what: string
  outline: boolean
  inView: boolean
  top: number
  left: number
}

/**
 * Marks the page's tab stops in document order (data-tab) and returns their count. A radio group is
 * one stop (its checked radio, or its first), as browsers make it.
 */
async function markFocusables(page: Page): Promise<number> {
  return await page.evaluate(() => {
    const visible = (el: Element) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
    const all = Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, details > summary, [tabindex]'))
      .filter((el) => el.tabIndex >= 0 && !(el as HTMLInputElement).disabled)
      // The skip link is off-screen until focused: it counts.
      .filter((el) => visible(el) || el.classList.contains('skip'))
    const groups = new Set<string>()
    const stops = all.filter((el) => {
      if (!(el instanceof HTMLInputElement) || el.type !== 'radio') return true
      if (groups.has(el.name)) return false
      groups.add(el.name)
      return true
    })
    // A group's stop is its checked radio when it has one.
    const chosen = stops.map((el) => (el instanceof HTMLInputElement && el.type === 'radio' ? (document.querySelector<HTMLInputElement>(`input[type=radio][name="${el.name}"]:checked`) ?? el) : el))
    chosen.forEach((el, i) => el.setAttribute('data-tab', String(i)))
    return chosen.length
  })
}

/** Where the focus is now, and whether it shows: an outline or a box-shadow, inside the viewport. */
async function focusNow(page: Page): Promise<Omit<Stop, 'index'> & { tab: string | null }> {
  return await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return { tab: null, what: 'document', outline: false, inView: true, top: 0, left: 0 }
    const style = getComputedStyle(el)
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
    const shadow = style.boxShadow !== 'none'
    const r = el.getBoundingClientRect()
    const inView = r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth
    const what = `${el.tagName.toLowerCase()}${el.getAttribute('href') ? `[href=${el.getAttribute('href')}]` : ''}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''} "${(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40)}"`
    return { tab: el.getAttribute('data-tab'), what, outline: outline || shadow, inView, top: r.top + scrollY, left: r.left + scrollX }
  })
}

/**
 * Tabs through the whole page and once more around: every stop in document order, from the last one
 * out to the document and back to the first (no trap), each with a visible focus inside the window.
 */
export async function checkKeyboard(t: Test, page: Page, name: string): Promise<void> {
  const count = await markFocusables(page)
  const stops: Stop[] = []
  for (let i = 0; i < count + 2; i++) {
    await page.keyboard.press('Tab')
    const now = await focusNow(page)
    stops.push({ ...now, index: now.tab === null ? -1 : Number(now.tab) })
  }
  const wrong: string[] = []
  for (let i = 1; i < stops.length; i++) {
    const [from, to] = [stops[i - 1]!, stops[i]!]
    const expected = from.index === -1 ? 0 : from.index === count - 1 ? -1 : from.index + 1
    if (to.index !== expected) wrong.push(`after ${from.what} came ${to.what}`)
  }
  t.same(wrong, [], `${name}: Tab goes through all ${count} controls in document order, out to the document and round again (no trap)`)
  const seen = new Set(stops.map((s) => s.index))
  t.equal([...Array(count).keys()].filter((i) => !seen.has(i)).length, 0, `${name}: every control is reached with Tab`)
  const hidden = stops.filter((s) => s.index >= 0 && (!s.outline || !s.inView)).map((s) => `${s.what}${s.outline ? '' : ' (no outline)'}${s.inView ? '' : ' (outside the window)'}`)
  t.same(hidden, [], `${name}: the focus is visible on every stop`)
  // Visual order: each stop is below the one before, or beside it on the same line (a 4 px tolerance).
  const ordered = stops.filter((s) => s.index >= 0).sort((a, b) => a.index - b.index)
  const jumps: string[] = []
  for (let i = 1; i < ordered.length; i++) {
    const [a, b] = [ordered[i - 1]!, ordered[i]!]
    if (b.top < a.top - 4 || (Math.abs(b.top - a.top) <= 4 && b.left < a.left - 4 && b.top <= a.top)) jumps.push(`${a.what} -> ${b.what}`)
  }
  t.same(jumps, [], `${name}: the Tab order follows the visual order`)
}

/** Tabs to `target` (at most 80 presses) the way a keyboard user gets there; fails when it is never reached. */
export async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached ${String(target)}`)
}

/** Tab to a field and type into it, with the keyboard alone. */
export async function typeInto(page: Page, field: Locator, value: string): Promise<void> {
  await tabTo(page, field)
  await page.keyboard.press('Control+A')
  await page.keyboard.type(value)
}

/** Tab to a button or link and press Enter: the next screen. */
export async function press(page: Page, target: Locator): Promise<Screen> {
  await tabTo(page, target)
  return await navigate(page, () => page.keyboard.press('Enter'))
}

/** Roles a control has, as the accessibility tree names them. */
const roleQueries: [string, 'link' | 'button' | 'textbox' | 'radio' | 'checkbox' | 'combobox'][] = [
  ['a[href]', 'link'],
  ['button', 'button'],
  ['input[type=text], input[type=email], input[type=password], input[type=tel], input[type=search], input:not([type])', 'textbox'],
  ['input[type=radio]', 'radio'],
  ['input[type=checkbox]', 'checkbox'],
  ['select', 'combobox'],
]

/**
 * The accessibility tree (Playwright's ariaSnapshot): one h1, the banner, main and contentinfo
 * landmarks once each, and every control a name that contains the text it shows (for a field: its label).
 */
export async function checkTree(t: Test, page: Page, name: string): Promise<void> {
  const tree = await page.locator('body').ariaSnapshot()
  t.equal(tree.match(/- heading "[^\n]*" \[level=1\]/g)?.length ?? 0, 1, `${name}: one h1 in the accessibility tree`)
  for (const landmark of ['banner', 'main', 'contentinfo']) {
    t.equal(tree.match(new RegExp(`^\\s*- ${landmark}\\b`, 'gm'))?.length ?? 0, 1, `${name}: the ${landmark} landmark, once`)
  }
  const unnamed: string[] = []
  for (const [selector, role] of roleQueries) {
    const controls = page.locator(selector)
    for (let i = 0; i < (await controls.count()); i++) {
      const control = controls.nth(i)
      if (!(await control.isVisible())) continue
      const shown = await control.evaluate((el) => {
        const text = (node: HTMLElement) => node.innerText.replace(/\s+/g, ' ').trim()
        if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) return Array.from(el.labels ?? []).map(text).join(' ')
        return text(el as HTMLElement)
      })
      if (shown === '') {
        unnamed.push(`${role} ${i}: shows no text`)
        continue
      }
      if ((await control.and(page.getByRole(role, { name: shown })).count()) !== 1) unnamed.push(`${role} "${shown}": its name does not contain the text it shows`)
    }
  }
  t.same(unnamed, [], `${name}: every control's name contains its visible text`)
}

/** `lang` on the page and on the language switch (the other language's own name, in that language). */
export async function checkLanguage(t: Test, page: Page, name: string, lang: 'nl' | 'en'): Promise<void> {
  const other = lang === 'nl' ? 'en' : 'nl'
  t.equal(await page.locator('html').getAttribute('lang'), lang, `${name}: <html lang="${lang}">`)
  const switchLink = page.locator('header a.lang')
  t.equal(await switchLink.getAttribute('lang'), other, `${name}: the language switch says its own language (lang="${other}")`)
  const langs = await page.locator('[lang]').evaluateAll((els) => els.map((el) => el.getAttribute('lang')))
  t.same(langs.filter((l) => l !== 'nl' && l !== 'en'), [], `${name}: every lang attribute is nl or en`)
}

/** WCAG 1.4.12's minimum text spacing, as a user stylesheet applies it. */
export const textSpacing = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }'

/**
 * Elements whose content is cut off: larger than their box while the box clips, or spilling past it
 * (which overlaps whatever is below). Form fields (their value scrolls inside) and the parts hidden
 * on purpose (clipped: visually-hidden words, a narrow table's header row; the text browser's
 * brackets) are not counted.
 */
async function clipped(page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const found: string[] = []
    // Hidden for the eye on purpose (clip: the visually-hidden pattern, a narrow table's header row).
    const clippedAway = (el: Element | null): boolean => {
      for (let x = el; x; x = x.parentElement) if (getComputedStyle(x).clip !== 'auto') return true
      return false
    }
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      if (el.closest('.tb, svg, input, select, textarea, .skip') || clippedAway(el)) continue
      const style = getComputedStyle(el)
      if (style.display === 'inline' || style.display === 'none' || el.clientHeight === 0) continue
      const wide = el.scrollWidth > el.clientWidth + 1
      const tall = el.scrollHeight > el.clientHeight + 1
      if (wide || tall) found.push(`${el.tagName.toLowerCase()}.${el.className} (${wide ? `${el.scrollWidth} > ${el.clientWidth} wide` : ''}${tall ? `${el.scrollHeight} > ${el.clientHeight} tall` : ''}): "${el.innerText.slice(0, 40)}"`)
    }
    return found
  })
}

/**
 * The screen's HTML again, in a context of its own (JavaScript off, the same URL, the real stylesheet):
 * 320 px with and without the text-spacing overrides, and a 1280 px window at 200% zoom (640 CSS px).
 */
export class Reflow {
  /** Whether the stylesheet is served with the text-spacing overrides added. */
  private spacing = false

  private constructor(private readonly context: BrowserContext, private readonly page: Page) {}

  static async open(browser: Browser, locale: string): Promise<Reflow> {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 }, locale })
    const reflow = new Reflow(context, await context.newPage())
    // The overrides go at the end of the portal's own stylesheet, as a user stylesheet would apply them
    // (page.addStyleTag waits for a script-driven load event that never comes with JavaScript off).
    await context.route(/\.css(\?|$)/, async (route) => {
      const response = await route.fetch()
      await route.fulfill({ response, body: (await response.text()) + (reflow.spacing ? textSpacing : '') })
    })
    return reflow
  }

  private async load(screen: Screen): Promise<void> {
    // The document's own URL: a followed #fragment link is not part of the request.
    const url = screen.page.url().split('#')[0]!
    await this.page.route((u) => u.href === url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: screen.html }))
    try {
      await this.page.goto(url, { waitUntil: 'load' })
    } finally {
      await this.page.unrouteAll()
    }
  }

  async check(t: Test, screen: Screen, name: string): Promise<void> {
    this.spacing = false
    await this.page.setViewportSize({ width: 320, height: 640 })
    await this.load(screen)
    const at320 = await overflowAt(this.page, 320)
    t.ok(at320.scrollWidth <= 320 && at320.wide.length === 0, `${name}: 320 px, no horizontal scroll${at320.wide.length ? ': ' + at320.wide.join(', ') : ''}`)
    t.same(await clipped(this.page), [], `${name}: 320 px, nothing cut off`)
    await this.page.setViewportSize({ width: 640, height: 400 })
    const zoomed = await overflowAt(this.page, 640)
    t.ok(zoomed.scrollWidth <= 640 && zoomed.wide.length === 0, `${name}: 200% zoom of 1280 px (640 CSS px), no horizontal scroll${zoomed.wide.length ? ': ' + zoomed.wide.join(', ') : ''}`)
    this.spacing = true
    await this.page.setViewportSize({ width: 320, height: 640 })
    await this.load(screen)
    t.ok(await this.page.evaluate(() => getComputedStyle(document.body).wordSpacing !== '0px'), `${name}: the text-spacing overrides apply`)
    const spaced = await overflowAt(this.page, 320)
    t.ok(spaced.scrollWidth <= 320 && spaced.wide.length === 0, `${name}: text spacing (WCAG 1.4.12) at 320 px, no horizontal scroll${spaced.wide.length ? ': ' + spaced.wide.join(', ') : ''}`)
    t.same(await clipped(this.page), [], `${name}: text spacing at 320 px, nothing cut off or overlapping`)
  }

  async close(): Promise<void> {
    return await this.context.close()
  }
}

/** Every check of this file on one screen; the live page's focus starts where its load put it. */
export async function audit(t: Test, reflow: Reflow, screen: Screen, name: string, lang: 'nl' | 'en'): Promise<void> {
  await checkTree(t, screen.page, name)
  await checkLanguage(t, screen.page, name, lang)
  await reflow.check(t, screen, name)
  await checkKeyboard(t, screen.page, name)
}
