// A real headless Chromium with JavaScript off, the way the portal must work for every patient, and
// the checks every screen must pass: axe-core (WCAG 2.2 AA), no script, a visible label for every
// input, HTML under 15 KB, and no horizontal scrolling at 320 px.
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core'
import type { Test } from 'tap'
import { spawn } from 'node:child_process'
import { accessSync, constants, createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { createBrotliDecompress, inflateSync } from 'node:zlib'

/** Debian's chromium package, used when the machine has it. */
export const systemChromiumPath = '/usr/bin/chromium'
// The network is closed here and in CI: nothing phones home, nothing waits for it.
export const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
]
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
export const desktop = { width: 1280, height: 800 }
export const phone = { width: 320, height: 640 }
export const htmlBudgetBytes = 15 * 1024

/** Which browser binary a test run uses, and what its process needs in its environment. */
export interface ChromiumBinary {
  source: 'system' | 'bundled'
  executablePath: string
  env: Record<string, string>
}

/**
 * Debian's /usr/bin/chromium when present, else the Chromium that ships inside the npm package
 * @sparticuz/chromium, so `npm install && npm test` needs nothing from apt. TEST_CHROMIUM=bundled forces
 * the package's build (to prove the bare-machine path on a machine that has the system one).
 */
export async function findChromium(): Promise<ChromiumBinary> {
  if (process.env.TEST_CHROMIUM !== 'bundled' && isExecutable(systemChromiumPath)) {
    return { source: 'system', executablePath: systemChromiumPath, env: {} }
  }
  return await bundledChromium()
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * The package ships brotli files: the headless-shell binary, SwiftShader, Open Sans with a fontconfig
 * file, and the NSS/NSPR/expat libraries the binary links against (packed for Amazon Linux; plain
 * glibc builds, they load on Debian 12, which has none of them without a browser installed). We unpack
 * them once per package version under node_modules/.cache rather than through the package's own
 * executablePath(): that one unpacks into a fixed /tmp/chromium shared by every process (two test files
 * starting together would race on a half-written binary, and a stale copy of another version would be
 * used), and only unpacks the libraries on AWS. The process gets the bundled libraries and fonts
 * through its environment, so what a page looks like does not depend on the machine's fonts.
 */
async function bundledChromium(): Promise<ChromiumBinary> {
  const packageDir = join(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '..', '..')
  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.cache', `sparticuz-chromium-${version}`)
  if (!existsSync(join(dir, 'chromium'))) await unpack(join(packageDir, 'bin'), dir)
  return {
    source: 'bundled',
    executablePath: join(dir, 'chromium'),
    env: { LD_LIBRARY_PATH: join(dir, 'lib'), FONTCONFIG_PATH: join(dir, 'fontconfig') },
  }
}

/** Unpacks into a directory of this process's own, then renames it into place: the rename is atomic. */
async function unpack(bin: string, dir: string): Promise<void> {
  const partial = `${dir}.partial-${process.pid}`
  await rm(partial, { recursive: true, force: true })
  await mkdir(partial, { recursive: true })
  try {
    await pipeline(createReadStream(join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(join(partial, 'chromium'), { mode: 0o755 }))
    // al2023.tar.br holds lib/, fonts.tar.br fonts/, swiftshader.tar.br the GL libraries beside the binary.
    for (const archive of ['al2023.tar.br', 'fonts.tar.br', 'swiftshader.tar.br']) await untarBrotli(join(bin, archive), partial)
    await mkdir(join(partial, 'fontconfig'))
    await writeFile(
      join(partial, 'fontconfig', 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, 'fonts')}</dir>\n  <cachedir>${join(dir, 'fontconfig', 'cache')}</cachedir>\n</fontconfig>\n`,
    )
    await rename(partial, dir)
  } catch (err) {
    await rm(partial, { recursive: true, force: true })
    // Another test file unpacked the same version first: use theirs.
    if (existsSync(join(dir, 'chromium'))) return
    throw err
  }
}

/** brotli -> a .tar file -> tar -x (the tar every Debian has), keeping no owner ids from the archive. */
async function untarBrotli(archive: string, into: string): Promise<void> {
  const tarFile = join(into, 'unpacking.tar')
  await pipeline(createReadStream(archive), createBrotliDecompress(), createWriteStream(tarFile))
  const code = await new Promise<number | null>((resolve, reject) => {
    const tar = spawn('tar', ['-x', '--no-same-owner', '-f', tarFile, '-C', into], { stdio: ['ignore', 'ignore', 'inherit'] })
    tar.once('error', reject)
    tar.once('close', resolve)
  })
  await rm(tarFile)
  if (code !== 0) throw new Error(`tar -x of ${archive} exited with ${code}`)
}

/** One browser per test file, closed when the file's tests end (also when they fail). */
export async function launchChromium(t: Test): Promise<Browser> {
  const binary = await findChromium()
  const browser = await chromium.launch({
    executablePath: binary.executablePath,
    args: launchArgs,
    env: { ...process.env, ...binary.env },
  })
  t.teardown(() => browser.close())
  return browser
}

/** A fresh browser profile with JavaScript disabled: its own cookies, like another browser. */
export async function noScriptContext(browser: Browser, baseURL: string, locale = 'nl-NL'): Promise<BrowserContext> {
  return await browser.newContext({ javaScriptEnabled: false, baseURL, viewport: desktop, locale })
}

/** A screen as the patient's browser received it: the final document after any redirects. */
export interface Screen {
  page: Page
  response: Response
  html: string
}

/**
 * Runs `action` (a goto or a click) and waits for the document it leads to: the last response of the
 * navigation (redirects followed) and that document's load event.
 */
export async function navigate(page: Page, action: () => Promise<unknown>): Promise<Screen> {
  const final = page.waitForResponse(
    (r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400),
  )
  const loaded = page.waitForEvent('load')
  const [response] = await Promise.all([final, loaded, (async () => action())()])
  return { page, response, html: (await response.body()).toString('utf8') }
}

/**
 * axe-core with JavaScript disabled: Playwright's evaluate still runs in the page, but the page's
 * event loop runs no timers, and axe schedules its work with setTimeout, so it never finishes
 * (checked: a setTimeout in a no-JS page never fires, Emulation.setScriptExecutionDisabled from a
 * second CDP session does not lift it). So axe runs in a second context with JavaScript on, on the
 * exact HTML the no-JS page received, at the same URL, with the real stylesheet from the server. The
 * portal's pages have no script (asserted on every screen), so the DOM and the rendering are the
 * same in both. Legacy mode runs axe.run in that page: the portal has no frames, so the partial-run
 * machinery (a new blank page per run) buys nothing and costs time.
 */
export class AxeChecker {
  private constructor(private readonly context: BrowserContext, private readonly page: Page) {}

  static async open(browser: Browser): Promise<AxeChecker> {
    const context = await browser.newContext({ javaScriptEnabled: true, viewport: desktop, locale: 'nl-NL' })
    const page = await context.newPage()
    return new AxeChecker(context, page)
  }

  /** The violations as readable lines (rule, impact, help, the offending nodes); empty when none. */
  async violations(screen: Screen): Promise<string[]> {
    const url = screen.page.url()
    await this.page.route(
      (u) => u.href === url,
      (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: screen.html }),
    )
    try {
      await this.page.goto(url, { waitUntil: 'load' })
    } finally {
      await this.page.unrouteAll()
    }
    const results = await new AxeBuilder({ page: this.page }).withTags(wcagTags).options({ resultTypes: ['violations'] }).setLegacyMode().analyze()
    return results.violations.map(
      (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`.replace(/\s+/g, ' ')).join('\n    ')}`,
    )
  }

  async close(): Promise<void> {
    return await this.context.close()
  }
}

/** Visible inputs (and selects, textareas) with no visible label text; named by id or name. */
export async function unlabelledInputs(page: Page): Promise<string[]> {
  // One evaluate (it works with JavaScript off: it is the driver's, not the page's).
  return await page.evaluate(() => {
    const visible = (el: Element) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
    return Array.from(document.querySelectorAll<HTMLInputElement>('input:not([type=hidden]), select, textarea'))
      .filter(visible)
      // .labels: <label for> and wrapping labels, the ones a screen reader announces.
      .filter((el) => !Array.from(el.labels ?? []).some((l) => visible(l) && (l.textContent ?? '').trim() !== ''))
      .map((el) => el.id || el.name || el.outerHTML.slice(0, 60))
  })
}

/**
 * At 320 px: the document's scroll width, and the elements whose box reaches past the right edge
 * (content clipped by an overflow:hidden parent would not show in the scroll width).
 */
export async function overflowAt(page: Page, width: number): Promise<{ scrollWidth: number; wide: string[] }> {
  return await page.evaluate((w) => {
    const wide: string[] = []
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect()
      if (r.width === 0 || r.height === 0) continue
      if (r.right > w + 0.5) wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : ''} right=${Math.round(r.right)}`)
    }
    return { scrollWidth: document.documentElement.scrollWidth, wide }
  }, width)
}

/** What the checks found on one screen; every list is empty on a good screen. */
export interface Findings {
  status: number
  violations: string[]
  scriptTags: number
  scriptElements: number
  unlabelled: string[]
  bytes: number
  scrollWidth: number
  wide: string[]
}

/** Runs every check of SPEC.md section 6 on one screen: axe, scripts, labels, size, 320 px. */
export async function inspect(axe: AxeChecker, screen: Screen): Promise<Findings> {
  const { page, html } = screen
  const violations = await axe.violations(screen)
  const scriptElements = await page.locator('script').count()
  const unlabelled = await unlabelledInputs(page)
  await page.setViewportSize(phone)
  try {
    const { scrollWidth, wide } = await overflowAt(page, phone.width)
    return {
      status: screen.response.status(),
      violations,
      scriptTags: (html.match(/<script\b/gi) ?? []).length,
      scriptElements,
      unlabelled,
      bytes: Buffer.byteLength(html),
      scrollWidth,
      wide,
    }
  } finally {
    await page.setViewportSize(desktop)
  }
}

/** Asserts a screen passes every check; `name` says which screen in the messages. */
export async function checkScreen(t: Test, axe: AxeChecker, screen: Screen, name: string, status = 200): Promise<void> {
  const f = await inspect(axe, screen)
  t.equal(f.status, status, `${name}: status ${status}`)
  t.same(f.violations, [], `${name}: no axe violations (WCAG 2.2 AA)${f.violations.length ? '\n  ' + f.violations.join('\n  ') : ''}`)
  t.equal(f.scriptTags + f.scriptElements, 0, `${name}: no script`)
  t.same(f.unlabelled, [], `${name}: every visible input has a visible label`)
  t.ok(f.bytes < htmlBudgetBytes, `${name}: HTML ${f.bytes} bytes, under 15 KB`)
  t.ok(f.scrollWidth <= phone.width, `${name}: no horizontal scrolling at 320 px (scrollWidth ${f.scrollWidth})`)
  t.same(f.wide, [], `${name}: nothing reaches past the right edge at 320 px`)
}

/** Dark and light pixel counts of a PNG screenshot (8-bit RGB or RGBA, not interlaced: Chromium's). */
export function pngInk(png: Buffer): { width: number; height: number; dark: number; light: number } {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG')
  let offset = 8
  let width = 0
  let height = 0
  let channels = 0
  const idat: Buffer[] = []
  while (offset < png.length) {
    const length = png.readUInt32BE(offset)
    const type = png.toString('latin1', offset + 4, offset + 8)
    const data = png.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      const [depth, colour, , , interlace] = [data[8], data[9], data[10], data[11], data[12]]
      channels = colour === 6 ? 4 : colour === 2 ? 3 : 0
      if (depth !== 8 || channels === 0 || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour ${colour}, interlace ${interlace}`)
    } else if (type === 'IDAT') idat.push(data)
    offset += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const pixels = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0
      const p = a + b - c
      const pa = Math.abs(p - a)
      const pb = Math.abs(p - b)
      const pc = Math.abs(p - c)
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]
      if (predictor === undefined) throw new Error(`bad PNG filter ${filter}`)
      pixels[y * stride + x] = (line[x]! + predictor) & 0xff
    }
  }
  let dark = 0
  let light = 0
  for (let i = 0; i < pixels.length; i += channels) {
    const luma = (pixels[i]! + pixels[i + 1]! + pixels[i + 2]!) / 3
    if (luma < 64) dark++
    else if (luma > 192) light++
  }
  return { width, height, dark, light }
}

/** The app of `w` listening on a free port of 127.0.0.1, and an axe checker; both closed at the test's end. */
export async function served(t: Test, w: { app: { listen(o: { port: number; host: string }): Promise<unknown>; server: { address(): unknown } } }, browser: Browser): Promise<{ base: string; axe: AxeChecker }> {
  await w.app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(w.app.server.address() as { port: number }).port}`
  const axe = await AxeChecker.open(browser)
  t.teardown(() => axe.close())
  return { base, axe }
}
