// npm run build: the server and the CLI as two bundled files, dist/server.js and dist/admin.js
// (`node scripts/build.mjs <dir>` writes them to <dir> instead; the benchmark builds outside the tree).
// `npm install` / `npm ci` build them once (the `prepare` script), so a production start never builds.
//
// `node scripts/build.mjs --if-stale` (npm's prestart and preadmin): in development, rebuilds only when
// a file under src/ (or this script) is newer than the bundle, so a developer who changed src/ gets a
// fresh one; never with NODE_ENV=production, and never in a folder the user may not write (a service
// user's read-only code folder): there it only checks that the bundle exists (exit 78 if not).
//
// Why a bundle and not tsc's one file per module: Node loads each module file separately, and the
// portal's graph is some 350 files (drizzle-orm alone 113, fastify 170). Loading them was most of a
// cold start (docs/benchmarks.md); one file starts in about half the time. Type checking stays with
// tsc (`npm run typecheck`, part of `npm test`); esbuild only strips the types.
//
// Kept outside the bundle, loaded from node_modules as usual: the native addons (better-sqlite3,
// argon2), and what the portal loads on first use only (mail, TOTP, phone metadata, password
// dictionaries, QR codes, Fastify's schema compilers), so they cost nothing at start.
import { execFileSync } from 'node:child_process'
import { accessSync, constants, existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

// The operator's words of the start check, in the operator's language. This script runs before any
// bundle exists and without tsx (a production install), so it can not read src/i18n/operator-*.ts: its
// four lines are here, chosen by src/operator.ts's rule (OPERATOR_LANGUAGE, else LC_ALL, LC_MESSAGES,
// LANG: a Dutch locale or none Dutch, another language English). test/operator-language.test.ts runs them.
const words = {
  nl: {
    missing: 'dist/server.js ontbreekt: bouw het portaal eenmalig bij de installatie (`npm ci` of `npm run build`), door een gebruiker die de map mag schrijven.',
    staleReadOnly: 'Let op: src/ is nieuwer dan dist/, maar deze gebruiker mag dist/ niet schrijven: de bestaande bundel start (`npm run build` maakt een nieuwe).',
    building: 'dist/ ontbreekt: de bundel wordt gebouwd.',
    rebuilding: 'src/ is nieuwer dan dist/: de bundel wordt opnieuw gebouwd.',
  },
  en: {
    missing: 'dist/server.js is missing: build the portal once at installation (`npm ci` or `npm run build`), as a user who may write the folder.',
    staleReadOnly: 'Note: src/ is newer than dist/, but this user may not write dist/: the existing bundle starts (`npm run build` makes a new one).',
    building: 'dist/ is missing: the bundle is being built.',
    rebuilding: 'src/ is newer than dist/: the bundle is being rebuilt.',
  },
}[operatorLanguage(process.env)]

function operatorLanguage(env) {
  const setting = env.OPERATOR_LANGUAGE?.trim().toLowerCase()
  if (setting) return setting === 'en' ? 'en' : 'nl'
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].map((v) => v?.trim() ?? '').find((v) => v !== '') ?? ''
  const language = /^([a-zA-Z]{2,3})(?:[_.@-]|$)/.exec(locale)?.[1]?.toLowerCase()
  if (!language || locale === 'C' || locale.startsWith('C.') || locale === 'POSIX') return 'nl'
  return language === 'nl' ? 'nl' : 'en'
}

if (process.argv[2] === '--if-stale') {
  const bundle = join(root, 'dist', 'server.js')
  const missing = !existsSync(bundle) || !existsSync(join(root, 'dist', 'admin.js'))
  if (process.env.NODE_ENV === 'production' || !writable(existsSync(join(root, 'dist')) ? join(root, 'dist') : root)) {
    if (missing) {
      console.error(words.missing)
      process.exit(78)
    }
    if (process.env.NODE_ENV !== 'production' && stale()) console.error(words.staleReadOnly)
    process.exit(0)
  }
  if (!missing && !stale()) process.exit(0)
  console.error(missing ? words.building : words.rebuilding)
}

function stale() {
  return newest([join(root, 'src'), fileURLToPath(import.meta.url)]) > statSync(join(root, 'dist', 'server.js')).mtimeMs
}

/** May this process write here? (Root may write anywhere but on a read-only mount.) */
function writable(path) {
  try {
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** The newest modification time (ms) of the files under these paths. */
function newest(paths) {
  let max = 0
  for (const path of paths) {
    const stat = statSync(path)
    if (!stat.isDirectory()) max = Math.max(max, stat.mtimeMs)
    else for (const entry of readdirSync(path, { recursive: true })) max = Math.max(max, statSync(join(path, String(entry))).mtimeMs)
  }
  return max
}

// esbuild only now: a start that finds its bundle fresh (or a production start) never loads it.
const { build } = await import('esbuild')
const external = [
  'better-sqlite3',
  'argon2',
  'nodemailer',
  'otplib',
  '@otplib/*',
  'libphonenumber-js',
  'libphonenumber-js/*',
  '@zxcvbn-ts/*',
  'qrcode',
  // The dev demo's OpenID Connect client library, which production never loads. (The provider,
  // oidc-provider, is bundled: loaded from its some 180 files it was 0.6-0.8 s of every start.)
  'openid-client',
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
  // pino's optional transports run in worker threads from their own files.
  'pino-pretty',
  'thread-stream',
  // PGlite reads its pglite.wasm and pglite.data from beside its own module: bundled, it finds neither.
  '@electric-sql/pglite',
]

// The commit the bundle is built from, for `admin --version` and /readyz (src/version.ts); '' outside git.
function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return ''
  }
}

const outdir = process.argv[2] && process.argv[2] !== '--if-stale' ? process.argv[2] : join(root, 'dist')
rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: { server: join(root, 'src', 'server.ts'), admin: join(root, 'src', 'admin.ts') },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  // Modules the portal imports on first need (the OpenID Connect provider, src/oidc/routes.ts) go to
  // files of their own, so a start neither reads nor compiles them before the first answer.
  splitting: true,
  sourcemap: 'linked',
  // Bundled CommonJS packages call require() for Node's built-ins: give the ES module one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  define: { __MTD_COMMIT__: JSON.stringify(gitCommit()) },
  logLevel: 'warning',
})
