// How long each parameter of the provider's browser endpoints may be (issue 19 #4). oidc-provider keeps
// an authorization request's parameters in the interaction it stores, and a logout request's state in
// its session; without limits one anonymous request stored 14 KB (a GET) to 50 KB (a POST) for an hour.
// provider.ts checks the authorization request's through oidc-provider's own validation hook (so a value
// too long is answered like any invalid request: back to the app once its client and redirect URI check
// out, else our page), gate.ts the logout request's before handing it over. Parameters oidc-provider does
// not know it drops itself; request objects and `registration` it refuses whatever their length.
// Imports nothing: routes.ts reads it before oidc-provider is loaded.

/** The longest value (in characters) of each authorization request parameter oidc-provider reads. */
export const authorizationParamLimits = {
  // Ours are 22 characters.
  client_id: 64,
  // As registered: clients.ts refuses longer ones.
  redirect_uri: 1000,
  response_type: 32,
  response_mode: 16,
  // All five of ours take 31; an app may name others (they are ignored, but kept with the request).
  scope: 256,
  // The app's own: a random value, or one with a short return path in it.
  state: 1024,
  nonce: 256,
  // Exactly 43: the base64url of a SHA-256, as S256 (the only method) makes it (see codeChallengeShape).
  code_challenge: 43,
  code_challenge_method: 8,
  prompt: 64,
  max_age: 10,
  display: 16,
  // A username or an e-mail address.
  login_hint: 256,
  // Our id_tokens are about a kilobyte.
  id_token_hint: 2048,
  ui_locales: 64,
  claims_locales: 64,
  acr_values: 256,
} as const

/** The parameters of a logout request (RP-initiated logout), as oidc-provider reads them. */
export const logoutParamLimits = {
  client_id: 64,
  id_token_hint: 2048,
  post_logout_redirect_uri: 1000,
  state: 1024,
  ui_locales: 64,
  logout_hint: 256,
} as const

/** A PKCE S256 challenge: the SHA-256 of the verifier, base64url without padding. */
const codeChallengeShape = /^[A-Za-z0-9_-]{43}$/

/** What is wrong with `value` of the authorization request parameter `name`, or null when nothing is. */
export function authorizationParamProblem(name: keyof typeof authorizationParamLimits, value: unknown): string | null {
  if (value === undefined) return null
  if (typeof value !== 'string') return `${name} must be a single value`
  if (name === 'code_challenge') return codeChallengeShape.test(value) ? null : 'code_challenge must be 43 characters of base64url (S256)'
  return value.length > authorizationParamLimits[name] ? `${name} must not be longer than ${authorizationParamLimits[name]} characters` : null
}

/** The first logout parameter that is too long (every value of a repeated one counts), or null. */
export function logoutParamTooLong(get: (name: string) => string[]): string | null {
  for (const [name, limit] of Object.entries(logoutParamLimits)) {
    if (get(name).some((value) => value.length > limit)) return name
  }
  return null
}
