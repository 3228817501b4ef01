// Where the portal's own files are. This module sits directly under src/ (and its compiled and bundled
// forms directly under dist/), so one folder up is the project root in all three.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')
