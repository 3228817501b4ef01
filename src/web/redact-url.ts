// What the request log may show of a URL. Link tokens travel in paths (/uitnodiging/<token>,
// /verder/<token>), and a mistyped or future route must not leak one either: any path segment or
// query value that looks like a token (20 or more base64url-ish characters) is shown as [token].
// Words are not tokens: a segment of lowercase words joined by hyphens (`openid-configuration`,
// `oauth-authorization-server`, `wachtwoord-vergeten`) is a route, and stays readable. A random
// 20-character token is only lowercase letters and hyphens about 3 times in 10^8; our 43-character
// link tokens about 7 times in 10^17.
const tokenShaped = /^[A-Za-z0-9_\-.~%=]{20,}$/
const words = /^[a-z]+(-[a-z]+)*$/

export function redactUrl(url: string): string {
  const hash = url.indexOf('#')
  const withoutHash = hash === -1 ? url : url.slice(0, hash)
  const question = withoutHash.indexOf('?')
  const path = question === -1 ? withoutHash : withoutHash.slice(0, question)
  const redact = (part: string) => (tokenShaped.test(part) && !words.test(part) ? '[token]' : part)
  const redactedPath = path.split('/').map(redact).join('/')
  if (question === -1) return redactedPath
  const query = withoutHash
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      return eq === -1 ? redact(pair) : `${pair.slice(0, eq)}=${redact(pair.slice(eq + 1))}`
    })
    .join('&')
  return `${redactedPath}?${query}`
}
