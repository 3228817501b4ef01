import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../domain/deps.ts'
import { registerRestart } from '../shared/way-out.ts'
import { registerForgot } from './forgot.ts'
import { registerPassword } from './password.ts'
import { registerUsername } from './username.ts'

/** The pages before the account flow: who is signing in, and how they prove it first. */
export function registerSignIn(app: FastifyInstance, deps: Deps): void {
  registerUsername(app, deps)
  registerPassword(app, deps)
  registerForgot(app, deps)
  registerRestart(app, deps)
}
