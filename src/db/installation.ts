// The installation's own values (table `installation`, one row): made once at the first start, the same
// in every process after that, whatever SECRET_KEY is. The insert that loses a race changes nothing.
import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db } from './index.ts'
import { installation } from './schema.ts'

/** The decoy key (domain/secrets.ts `Keys.decoy`), made on first use. */
export function installationDecoyKey(db: Db, now: Date): Buffer {
  db.insert(installation).values({ id: 1, decoyKey: randomBytes(32).toString('hex'), createdAt: now }).onConflictDoNothing().run()
  const row = db.select({ decoyKey: installation.decoyKey }).from(installation).where(eq(installation.id, 1)).get()
  return Buffer.from(row!.decoyKey, 'hex')
}
