import { PGlite } from '@electric-sql/pglite'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
let t = Date.now()
const tpl = mkdtempSync('/tmp/h-tests-tpl-')
const a = await PGlite.create(tpl)
await a.exec('create table x (id serial primary key, t text)')
await a.close()
console.log('template', Date.now() - t); t = Date.now()
for (let i = 0; i < 2; i++) {
  const dir = mkdtempSync('/tmp/h-tests-w-'); cpSync(tpl, dir, { recursive: true })
  console.log('copy', Date.now() - t); t = Date.now()
  const b = await PGlite.create(dir)
  console.log('create from dir', Date.now() - t); t = Date.now()
  for (let j = 0; j < 300; j++) await b.query('insert into x (t) values ($1)', ['a'])
  console.log('300 inserts dir', Date.now() - t); t = Date.now()
  await b.close(); rmSync(dir, { recursive: true })
}
const dump = await (async () => { const c = await PGlite.create(); await c.exec('create table x (id serial primary key, t text)'); const d = await c.dumpDataDir('none'); await c.close(); return d })()
t = Date.now()
const m = await PGlite.create({ loadDataDir: dump })
console.log('create mem from dump', Date.now() - t); t = Date.now()
for (let j = 0; j < 300; j++) await m.query('insert into x (t) values ($1)', ['a'])
console.log('300 inserts mem', Date.now() - t); t = Date.now()
rmSync(tpl, { recursive: true })
