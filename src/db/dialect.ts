// Where the SQL of the two engines differs (docs/decisions/0021): both spellings side by side, chosen
// by the handle's dialect. No other module asks which engine it runs on.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Db } from './index.ts'

/** A field of a JSON text column (`path`: names, outermost first) as text; null when the text is no JSON or lacks it. */
export function jsonField(db: Pick<Db, 'dialect'>, column: SQLWrapper, ...path: string[]): SQL {
  if (!path.every((name) => /^[A-Za-z]+$/.test(name))) throw new Error(`Unexpected JSON path ${path.join('.')}`)
  switch (db.dialect) {
    case 'sqlite':
      return sql`(case when json_valid(${column}) then json_extract(${column}, ${`$.${path.join('.')}`}) end)`
  }
}

/** Does the text column contain `text` (a quick filter before JSON is parsed)? */
export function containsText(db: Pick<Db, 'dialect'>, column: SQLWrapper, text: string): SQL {
  switch (db.dialect) {
    case 'sqlite':
      return sql`instr(${column}, ${text}) > 0`
  }
}

/** The larger of two values of one type. */
export function greatest(db: Pick<Db, 'dialect'>, a: SQLWrapper, b: SQLWrapper): SQL {
  switch (db.dialect) {
    case 'sqlite':
      return sql`max(${a}, ${b})`
  }
}
