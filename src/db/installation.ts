// The installation's own values (table `installation`, one row): made once at the first start, the same
// in every process after that, whatever SECRET_KEY is. The insert that loses a race changes nothing.
import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db } from './index.ts'
import { installation } from './tables.ts'
import { first } from './index.ts'

/** The decoy key (domain/secrets.ts `Keys.decoy`), made on first use. */
export async function installationDecoyKey(db: Db, now: Date): Promise<Buffer> {
  await db.insert(installation).values({ id: 1, decoyKey: randomBytes(32).toString('hex'), createdAt: now }).onConflictDoNothing()
  const row = await db.select({ decoyKey: installation.decoyKey }).from(installation).where(eq(installation.id, 1)).then(first)
  return Buffer.from(row!.decoyKey, 'hex')
}
