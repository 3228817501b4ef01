// test/postgres.list names the test files `npm test` runs a second time on PostgreSQL
// (scripts/test-postgres.mjs): every name must be a test file that exists, once.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { listedFiles } from '../scripts/test-postgres.mjs'

const root = join(import.meta.dirname, '..')

await t.test('test/postgres.list names existing test files, each once', async (t) => {
  const files = listedFiles()
  t.ok(files.length > 10, 'a real list')
  for (const file of files) {
    t.match(file, /^test\/[\w-]+\.test\.ts$/, `${file}: a test file of test/`)
    t.ok(existsSync(join(root, file)), `${file}: exists`)
  }
  t.equal(new Set(files).size, files.length, 'no file twice')
})

await t.test('comments and blank lines are not files', async (t) => {
  t.same(listedFiles('# a comment\n\ntest/a.test.ts  # why\n  test/b.test.ts\n'), ['test/a.test.ts', 'test/b.test.ts'])
})
