// oidc-provider 8 ships no types (and @types/oidc-provider is not a dependency of ours): the few
// parts this folder uses, loosely typed. The library's own checks guard what these types do not.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export type KoaContext = {
    req: IncomingMessage & Record<string, unknown>
    path: string
    method: string
    status: number
    body: unknown
    type: string
    ip: string
    query: Record<string, unknown>
    get(name: string): string
    set(name: string, value: string): void
    oidc: any
  }

  export interface AdapterPayload {
    [key: string]: unknown
    jti?: string
    uid?: string
    grantId?: string
    consumed?: number
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>
    find(id: string): Promise<AdapterPayload | undefined>
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>
    findByUid(uid: string): Promise<AdapterPayload | undefined>
    consume(id: string): Promise<void>
    destroy(id: string): Promise<void>
    revokeByGrantId(grantId: string): Promise<void>
  }

  export interface Interaction {
    uid: string
    exp: number
    returnTo: string
    params: Record<string, string | undefined>
    prompt: { name: string; reasons: string[]; details: Record<string, any> }
    session?: { accountId?: string; uid?: string; cookie?: string }
    grantId?: string
    lastSubmission?: unknown
    result?: unknown
    save(ttl: number): Promise<string>
  }

  export class Check {
    constructor(reason: string, description: string, check: (ctx: KoaContext) => unknown)
    static REQUEST_PROMPT: true
    static NO_NEED_TO_PROMPT: false
  }

  export const interactionPolicy: {
    Check: typeof Check
    base(): Array<{ name: string; checks: Array<unknown> & { add(check: Check, index?: number): void } }> & {
      get(name: string): { name: string; checks: Array<unknown> & { add(check: Check, index?: number): void } }
    }
  }

  export const errors: {
    InvalidRequest: new (description?: string) => Error
    /** An OAuth error of our own choosing (`error`), status 400 unless changed. */
    CustomOIDCProviderError: new (error: string, description?: string) => Error
    [name: string]: new (...args: string[]) => Error
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    proxy: boolean
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void
    on(event: string, listener: (...args: any[]) => void): void
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>
    interactionResult(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, opts?: { mergeWithLastSubmission?: boolean }): Promise<string>
    Client: {
      find(id: string): Promise<
        { clientId: string; clientName?: string; backchannelLogoutUri?: string; backchannelLogout(sub: string, sid: string): Promise<void> } | undefined
      >
    }
    Grant: any
    Session: any
    AccessToken: { revokeByGrantId(grantId: string): Promise<void> }
    AuthorizationCode: { revokeByGrantId(grantId: string): Promise<void> }
    RefreshToken: { revokeByGrantId(grantId: string): Promise<void> }
  }
}
