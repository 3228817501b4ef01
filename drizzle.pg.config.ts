// The PostgreSQL twin of drizzle.config.ts (issue 21): `npm run db:generate` writes both.
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema-pg.ts',
  out: './migrations-pg',
})
