import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../domain/deps.ts'
import { registerSecurityApp } from './app.ts'
import { registerSecurityEmail } from './email.ts'
import { registerOtherDevices } from './other-devices.ts'
import { registerSecurityPage } from './page.ts'
import { registerSecurityPassword } from './password.ts'
import { registerRecoveryCodes } from './recovery-codes.ts'
import { registerSecondFactor } from './second-factor.ts'

/** "Beveiliging": the signed-in patient's own security settings (/beveiliging and its forms). */
export function registerSecurity(app: FastifyInstance, deps: Deps): void {
  registerSecurityPage(app, deps)
  registerSecurityPassword(app, deps)
  registerSecondFactor(app, deps)
  registerSecurityApp(app, deps)
  registerSecurityEmail(app, deps)
  registerOtherDevices(app, deps)
  registerRecoveryCodes(app, deps)
}
