// Where the provider's endpoints live. A module of its own, so the routes and the dev demo can name
// the path without loading oidc-provider (routes.ts loads it after the first answer).
export const prefix = '/oidc'
