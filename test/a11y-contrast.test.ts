// Issue 24 #1: the contrast of every colour pair in the stylesheet, computed (WCAG 2.2 relative
// luminance): text 4.5:1 (SC 1.4.3, applied to large text too), borders that show a control and the
// focus outlines 3:1 against what they are drawn on (SC 1.4.11). Every rule of static/portal.css that
// sets a colour must be in the table below, which says what it is drawn on: a colour added to the
// stylesheet without its surfaces fails here, so no pair goes unchecked.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const css = readFileSync(join(import.meta.dirname, '..', 'static', 'portal.css'), 'utf8')

/** The stylesheet's rules, @media blocks flattened: selector and declarations. */
function rules(source: string): { selector: string; decls: Map<string, string> }[] {
  const found: { selector: string; decls: Map<string, string> }[] = []
  const body = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/@media[^{]*\{([\s\S]*?\})\s*\}/g, '$1')
  for (const m of body.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const decls = new Map<string, string>()
    for (const d of m[2]!.split(';')) {
      const i = d.indexOf(':')
      if (i > 0) decls.set(d.slice(0, i).trim(), d.slice(i + 1).trim())
    }
    found.push({ selector: m[1]!.trim().replace(/\s+/g, ' '), decls })
  }
  return found
}

/** The first colour in a value: #rgb, #rrggbb, or one of the few names the stylesheet could use. */
function colourIn(value: string): string | null {
  const hex = /#([0-9a-f]{6}|[0-9a-f]{3})\b/i.exec(value)
  if (hex) return hex[1]!.length === 3 ? '#' + [...hex[1]!].map((c) => c + c).join('') : `#${hex[1]!.toLowerCase()}`
  if (/\bwhite\b/.test(value)) return '#ffffff'
  if (/\bblack\b/.test(value)) return '#000000'
  return null
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

const all = rules(css)
const rule = (selector: string) => all.find((r) => r.selector === selector)
const colourOf = (selector: string, prop: string) => colourIn(rule(selector)?.decls.get(prop) ?? '')

/** The surfaces things are drawn on, read from the stylesheet itself. */
const surface = {
  page: colourOf('body', 'background')!,
  header: colourOf('.top', 'background')!,
  card: colourOf('.card', 'background')!,
}
/** The text colour every element inherits. */
const bodyText = colourOf('body', 'color')!

/**
 * Where each colour-setting rule's colours are drawn. text: the surfaces its text sits on when the rule
 * has no background of its own; edge: the surfaces around its border or outline; decorative: a line
 * that carries no information (SC 1.4.11 asks nothing of it), with why.
 */
const placed: Record<string, { text?: string[]; edge?: string[]; decorative?: string }> = {
  body: { text: [surface.card, surface.page] },
  '.top': {},
  '.practice': { text: [surface.header] },
  '.brand': { text: [surface.header] },
  '.brand:focus': { edge: [surface.header] },
  '.lang': { text: [surface.header] },
  '.lang:focus': { edge: [surface.header] },
  '.skip': { edge: [surface.header] },
  '.skip:focus': { edge: [surface.header] },
  '.card': { decorative: 'the card’s shadow; the card is told apart by its white on the grey page' },
  h1: { text: [surface.card] },
  a: { text: [surface.card, surface.page] },
  'a:focus, button:focus, input:focus, select:focus': { edge: [surface.card, surface.page] },
  'input[type=text], input[type=email], input[type=password], input[type=tel], input:not([type])': { edge: [surface.card] },
  select: { edge: [surface.card] },
  'input[readonly]': { edge: [surface.card] },
  '.hint': { text: [surface.card] },
  '.has-error input': { edge: [surface.card] },
  '.has-error': { edge: [surface.card] },
  '.error': { text: [surface.card] },
  '.error-summary': { edge: [surface.card] },
  '.error-summary:focus': { edge: [surface.card] },
  '.error-summary h2': { text: [surface.card] },
  '.notice-ok': { edge: [surface.card] },
  '.notice-warn': { edge: [surface.card] },
  'button, .button-link': { edge: [surface.card] },
  'button:hover, .button-link:hover': {},
  'button.secondary, .button-link.secondary': { edge: [surface.card] },
  'button.link': { text: [surface.card] },
  '.qr img': {},
  '.accounts th, .accounts td': { decorative: 'the lines between the table’s rows; the cells are told apart by their text and labels' },
  '.accounts thead th': { decorative: 'the line under the table’s header row' },
  '.accounts tr': { decorative: 'the line between accounts in the narrow layout; each row starts with its name' },
  summary: { text: [surface.card] },
  'summary:focus': { edge: [surface.card] },
  '.way-out': { decorative: 'a rule above the way-out block, which has its own heading' },
  '.notice': { text: [surface.card] },
  '.notice hr': { decorative: 'a rule above the confidentiality notice' },
  '.message': { decorative: 'a rule between dev-outbox messages' },
  pre: {},
}

const edgeProps = ['border', 'border-color', 'border-left', 'border-top', 'border-right', 'border-bottom', 'outline', 'outline-color']

await t.test('every rule that sets a colour is placed, and every pair has its contrast', async (t) => {
  const checked: string[] = []
  for (const { selector, decls } of all) {
    const colours = [...decls.entries()].filter(([prop, value]) => colourIn(value) !== null && (prop === 'color' || prop.startsWith('background') || edgeProps.includes(prop) || prop === 'box-shadow'))
    const shadowOnly = colours.length > 0 && colours.every(([prop]) => prop === 'box-shadow')
    if (colours.length === 0 && !/rgba\(/.test([...decls.values()].join(' '))) continue
    const place = placed[selector]
    if (!place) {
      t.fail(`"${selector}" sets a colour: add it to the table with what it is drawn on`)
      continue
    }
    if (place.decorative || shadowOnly) {
      t.ok(place.decorative, `${selector}: decorative (${place.decorative ?? 'a shadow'})`)
      continue
    }
    const background = colourIn(decls.get('background') ?? decls.get('background-color') ?? '')
    const text = colourIn(decls.get('color') ?? '')
    // Text: on its own background, or on each surface it can sit on; a background alone carries the inherited text.
    if (background !== null) {
      const ink = text ?? bodyText
      t.ok(contrast(ink, background) >= 4.5, `${selector}: text ${ink} on ${background}: ${contrast(ink, background).toFixed(2)}:1 (4.5 needed)`)
      checked.push(`${selector} text`)
    } else if (text !== null) {
      t.ok(place.text?.length, `${selector}: its text has surfaces in the table`)
      for (const on of place.text ?? []) {
        t.ok(contrast(text, on) >= 4.5, `${selector}: text ${text} on ${on}: ${contrast(text, on).toFixed(2)}:1 (4.5 needed)`)
        checked.push(`${selector} text on ${on}`)
      }
    }
    // Borders and outlines: against what surrounds them (SC 1.4.11: the edge that shows where the control is;
    // a yellow button's darker border inside its own fill shows nothing more).
    for (const [prop, value] of decls) {
      if (!edgeProps.includes(prop)) continue
      const edge = colourIn(value)
      if (edge === null) continue
      const around = place.edge ?? []
      t.ok(around.length > 0, `${selector}: its ${prop} has surfaces in the table`)
      for (const on of around) {
        t.ok(contrast(edge, on) >= 3, `${selector}: ${prop} ${edge} against ${on}: ${contrast(edge, on).toFixed(2)}:1 (3 needed)`)
        checked.push(`${selector} ${prop} on ${on}`)
      }
    }
  }
  t.ok(checked.length >= 30, `${checked.length} colour pairs checked`)
})

await t.test('the contrast formula gives the known values', async (t) => {
  t.equal(contrast('#000000', '#ffffff').toFixed(2), '21.00')
  t.equal(contrast('#777777', '#ffffff').toFixed(2), '4.48', '#777 on white just fails 4.5')
  t.equal(contrast('#ffffff', '#ffffff'), 1)
})

await t.test('the table names only rules the stylesheet has', async (t) => {
  t.same(Object.keys(placed).filter((s) => !rule(s)), [], 'no stale rows')
})
