// docs/operations.md shows the example systemd unit and nginx configuration inline; the files in
// docs/examples/ are what scripts/check-ops-examples.sh verifies. They must not drift apart.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const root = join(import.meta.dirname, '..')
const doc = readFileSync(join(root, 'docs', 'operations.md'), 'utf8')
const block = (language: string) => new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(doc)?.[1]

await t.test('the unit and the nginx configuration in docs/operations.md are the files in docs/examples/', async (t) => {
  t.equal(block('ini'), readFileSync(join(root, 'docs', 'examples', 'mtd-portal.service'), 'utf8'), 'mtd-portal.service')
  t.equal(block('nginx'), readFileSync(join(root, 'docs', 'examples', 'nginx-portal.conf'), 'utf8'), 'nginx-portal.conf')
})
