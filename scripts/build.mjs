// npm run build: the server and the CLI as two bundled files, dist/server.js and dist/admin.js
// (`node scripts/build.mjs <dir>` writes them to <dir> instead; the benchmark builds outside the tree).
//
// Why a bundle and not tsc's one file per module: Node loads each module file separately, and the
// portal's graph is some 350 files (drizzle-orm alone 113, fastify 170). Loading them was most of a
// cold start (docs/benchmarks.md); one file starts in about half the time. Type checking stays with
// tsc (`npm run typecheck`, part of `npm test`); esbuild only strips the types.
//
// Kept outside the bundle, loaded from node_modules as usual: the native addons (better-sqlite3,
// argon2), and what the portal loads on first use only (mail, TOTP, phone metadata, password
// dictionaries, QR codes, Fastify's schema compilers), so they cost nothing at start.
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
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
]

// The commit the bundle is built from, for `admin --version` and /readyz (src/version.ts); '' outside git.
function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return ''
  }
}

const outdir = process.argv[2] ?? join(root, 'dist')
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
