// test/postgres.list names the test files `npm test` runs a second time on PostgreSQL
// (scripts/test-postgres.mjs): every name must be a test file that exists, once; and `npm test` runs both.
import { existsSync, readFileSync } from 'node:fs'
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

await t.test('`npm test` is its two halves: the SQLite suite, then the list on PostgreSQL (.ci/run runs them apart)', async (t) => {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  t.equal(scripts.test, 'npm run test:sqlite && npm run test:postgres')
  t.match(scripts['test:sqlite'], /^tsc --noEmit -p tsconfig\.json && eslint && tap$/, 'the type check, eslint, the whole suite')
  t.equal(scripts['test:postgres'], 'node scripts/test-postgres.mjs')
  const ci = readFileSync(join(root, '.ci', 'run'), 'utf8')
  t.match(ci, /npm test <\/dev\/null/, 'CI runs `npm test` itself on the machine\'s Node')
  t.match(ci, /npm run test:sqlite <\/dev\/null/, 'and its first half on the other line')
})
