// The flow runner. A flow is an ordered list of steps over some facts; the due step is the first
// that applies and is not done. Any GET or POST for another step is answered with a 303 to the due
// one, so skipping a step is impossible by construction, not by a check copied into each handler.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Actor, Deps } from '../domain/deps.ts'
import { page, type PageData } from './render.ts'

export interface StepContext<F> {
  req: FastifyRequest
  reply: FastifyReply
  deps: Deps
  facts: F
  by: Actor
}

export type Outcome =
  /** Done here: 303 to whatever is due now. */
  | { kind: 'advance' }
  /** Stay on this step and show what went wrong (422), with the safe values to refill. */
  | { kind: 'stay'; errors: Partial<Record<string, string>>; values?: Record<string, string>; data?: Record<string, unknown> }
  /** Show another page in answer to the POST (a confirmation with its own Volgende). */
  | { kind: 'page'; template: string; data: PageData }

export interface Step<F> {
  /** For errors and logs: the step's name. */
  name: string
  path: string
  template: string
  /** Does this step belong to the walk for these facts at all? Defaults to yes. */
  applies?: (facts: F) => boolean
  done: (facts: F) => boolean
  /** The template's data for a GET, and under the errors when a POST stays. */
  view: (ctx: StepContext<F>) => PageData | Promise<PageData>
  submit: (ctx: StepContext<F>) => Outcome | Promise<Outcome>
}

export interface Flow<F> {
  name: string
  /** The facts for this request, or null when this browser is not in the flow. */
  load: (req: FastifyRequest, deps: Deps) => Promise<F | null>
  /** Where a browser that is not (or no longer) in the flow is sent. */
  outside: string
  /** A GET here goes to whatever step is due (the 'Volgende' after a confirmation page). */
  entry: string
  steps: Step<F>[]
  /** All steps done: finish (sign in, say) and answer with the path to go to. */
  finish: (ctx: StepContext<F>) => Promise<string> | string
}

export const defineStep = <F>(step: Step<F>): Step<F> => step

export function dueStep<F>(flow: Flow<F>, facts: F): Step<F> | undefined {
  return flow.steps.find((step) => (step.applies?.(facts) ?? true) && !step.done(facts))
}

/** Where a browser in the flow goes next: the due step's page, or the entry, which finishes the flow. */
export async function dueStepPath<F>(flow: Flow<F>, req: FastifyRequest, deps: Deps): Promise<string> {
  const facts = await flow.load(req, deps)
  const due = facts === null ? undefined : dueStep(flow, facts)
  return due ? due.path : flow.entry
}

export function actorOf(req: FastifyRequest, actor = 'self'): Actor {
  return { actor, ip: req.ip, userAgent: req.headers['user-agent'] ?? null }
}

export function registerFlow<F>(app: FastifyInstance, deps: Deps, flow: Flow<F>): void {
  async function guard(req: FastifyRequest, reply: FastifyReply, step: Step<F>): Promise<StepContext<F> | null> {
    const facts = await flow.load(req, deps)
    if (facts === null) {
      reply.redirect(flow.outside, 303)
      return null
    }
    const ctx: StepContext<F> = { req, reply, deps, facts, by: actorOf(req) }
    const due = dueStep(flow, facts)
    if (!due) {
      reply.redirect(await flow.finish(ctx), 303)
      return null
    }
    if (due !== step) {
      reply.redirect(due.path, 303)
      return null
    }
    return ctx
  }

  app.get(flow.entry, async (req, reply) => {
    const facts = await flow.load(req, deps)
    if (facts === null) return reply.redirect(flow.outside, 303)
    const due = dueStep(flow, facts)
    return reply.redirect(due ? due.path : await flow.finish({ req, reply, deps, facts, by: actorOf(req) }), 303)
  })

  for (const step of flow.steps) {
    app.get(step.path, async (req, reply) => {
      const ctx = await guard(req, reply, step)
      if (!ctx) return reply
      return await page(req, reply, step.template, await step.view(ctx))
    })
    app.post(step.path, async (req, reply) => {
      const ctx = await guard(req, reply, step)
      if (!ctx) return reply
      const outcome = await step.submit(ctx)
      switch (outcome.kind) {
        case 'advance': {
          const facts = await flow.load(req, deps)
          if (facts === null) return reply.redirect(flow.outside, 303)
          const due = dueStep(flow, facts)
          return reply.redirect(due ? due.path : await flow.finish({ ...ctx, facts }), 303)
        }
        case 'page':
          return await page(req, reply, outcome.template, outcome.data)
        case 'stay': {
          // Reload the facts: the submit may have changed them (a code sent, a code spent).
          const fresh = { ...ctx, facts: (await flow.load(req, deps)) ?? ctx.facts }
          const data = await step.view(fresh)
          return await page(req, reply, step.template, { ...data, ...outcome.data, errors: outcome.errors, values: outcome.values ?? {} }, 422)
        }
      }
    })
  }
}
