// oidc-provider's cookies by the portal's cookie rules (web/session.ts, issue 19 #8). Under an https
// PUBLIC_URL: Secure whatever the proxy reported (routes.ts refuses plain http there before the
// provider sees the request, so it never has to set one over http), and a prefix the browser enforces:
// `__Host-` for the session (Path=/, no Domain: no other host can plant or read it), `__Secure-` for
// the interaction and resume cookies, which oidc-provider gives a path of their own (/interaction/<uid>,
// /oidc/auth/<uid>). Always HttpOnly and signed (oidc-provider's keygrip, under a key from SECRET_KEY).
//
// SameSite=Lax, as the portal's own session: every request that needs them is a top-level navigation
// (the app's redirect to /oidc/auth, our /verder page's refresh to the resume, a logout link) or a form
// of ours on our own site (the logout confirmation). Strict would drop them on the app's redirect, which
// comes from another site, and a patient who is signed in would be asked to sign in again; None is not
// needed, since nothing here is read in a frame or by a cross-site POST. An authorization request that an
// app POSTs from its own site therefore arrives without them, and asks for a sign-in.
// Imports nothing from oidc-provider: routes.ts reads the session cookie's name before it is loaded.
import type { Config } from '../config.ts'

export interface ProviderCookies {
  names: { session: string; interaction: string; resume: string }
  options: { httpOnly: true; sameSite: 'lax'; secure: boolean; signed: true }
}

export function providerCookies(config: Config): ProviderCookies {
  const { secure } = config
  return {
    names: {
      session: secure ? '__Host-mtd_oidc_session' : 'mtd_oidc_session',
      interaction: secure ? '__Secure-mtd_oidc_interaction' : 'mtd_oidc_interaction',
      resume: secure ? '__Secure-mtd_oidc_resume' : 'mtd_oidc_resume',
    },
    options: { httpOnly: true, sameSite: 'lax', secure, signed: true },
  }
}

/**
 * The provider session's cookie and its signature, as oidc-provider set them (Path=/), for the portal's
 * Uitloggen to end (flows/home.ts): the session they name is destroyed there (portal-logout.ts), and a
 * browser that signed out keeps no trace of it. The interaction and resume cookies live under paths of
 * their own and expire within the hour.
 */
export function providerSessionCookies(config: Config): { name: string; attributes: { path: '/'; httpOnly: true; sameSite: 'lax'; secure: boolean } }[] {
  const { names, options } = providerCookies(config)
  const attributes = { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure } as const
  return [names.session, `${names.session}.sig`].map((name) => ({ name, attributes }))
}
