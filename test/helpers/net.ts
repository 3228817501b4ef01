import { createServer } from 'node:net'

/** A TCP port that was free on 127.0.0.1 a moment ago, for servers that need a fixed port (restarts, SMTP). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}
