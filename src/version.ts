// The portal's version (issue 22 item 4): package.json's, and the git commit the bundle was built from
// (scripts/build.mjs writes it in as __MTD_COMMIT__). Read by `npm run admin -- --version` and /readyz.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { root } from './paths.ts'

declare const __MTD_COMMIT__: string | undefined

/** package.json's `version`, e.g. "0.1.0". */
export const version: string = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version

/**
 * The short git commit of the build, or null: known in the bundle (dist/, what the service runs) when it
 * was built from a git checkout; not when running the TypeScript directly (npm run dev, the CLI, tests).
 */
export const commit: string | null = typeof __MTD_COMMIT__ === 'string' && __MTD_COMMIT__ !== '' ? __MTD_COMMIT__ : null

/** What /readyz and monitoring show: `{ version, commit }`. */
export const versionInfo = (): { version: string; commit: string | null } => ({ version, commit })
