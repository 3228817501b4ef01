/** The files of test/postgres.list (scripts/test-postgres.mjs). */
export function listedFiles(text?: string): string[]
