import type { Catalogue } from '../messages.ts'
import { nl } from './nl.ts'

// Placeholder until the English catalogue is written.
export const en: Catalogue = nl
