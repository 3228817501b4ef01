// Issue 22 item 6: `audit export` for a retention period. From --since to --until, JSON Lines or CSV, every
// time ISO 8601 with its offset in one zone, CSV quoted and defused against formula injection (OWASP),
// and streamed: 200,000 rows go through a CLI whose JavaScript heap is capped far below what holding
// them would take.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import t from 'tap'
import { csvCell, zoneFormatter } from '../src/cli/audit-export.ts'
import { recordEvent } from '../src/domain/audit.ts'
import { admin } from './helpers/admin.ts'
import { testSecretKey, world } from './helpers/world.ts'


const root = join(import.meta.dirname, '..')

await t.test('CSV cells: quoted, quotes doubled, formula starters defused', async (t) => {
  const rows: [string | number | null, string][] = [
    ['plain', '"plain"'],
    ['=HYPERLINK("http://evil.example","klik")', `"'=HYPERLINK(""http://evil.example"",""klik"")"`],
    ['+31612341361', `"'+31612341361"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tleading tab', `"'\tleading tab"`],
    ['\rleading CR', `"'\rleading CR"`],
    ['a,b\nc', '"a,b\nc"'],
    ['a=b', '"a=b"'],
    [42, '"42"'],
    [null, '""'],
  ]
  for (const [value, cell] of rows) t.equal(csvCell(value), cell, JSON.stringify(value))
})

await t.test('times: ISO 8601 with the offset of the zone asked for', async (t) => {
  const utc = zoneFormatter('UTC')!
  const amsterdam = zoneFormatter('Europe/Amsterdam')!
  t.equal(utc(Date.parse('2026-01-15T09:30:00.123Z')), '2026-01-15T09:30:00.123+00:00')
  t.equal(amsterdam(Date.parse('2026-01-15T09:30:00.123Z')), '2026-01-15T10:30:00.123+01:00', 'winter time')
  t.equal(amsterdam(Date.parse('2026-07-15T09:30:00.007Z')), '2026-07-15T11:30:00.007+02:00', 'summer time')
  t.equal(amsterdam(Date.parse('2026-03-29T00:59:59.999Z')), '2026-03-29T01:59:59.999+01:00', 'just before the change')
  t.equal(amsterdam(Date.parse('2026-03-29T01:00:00.000Z')), '2026-03-29T03:00:00.000+02:00', 'just after it')
  t.equal(zoneFormatter('Mars/Olympus_Mons'), null)
})

await t.test('the export from the CLI: the period, both formats, hostile values', async (t) => {
  const w = await world(t)
  const at = (iso: string) => ({ ...w.deps, clock: { now: () => new Date(iso) } })
  await recordEvent(at('2026-02-27T23:30:00Z'), { actor: 'self' }, { event: 'sign_in', outcome: 'success' })
  await recordEvent(at('2026-03-01T08:00:00Z'), { actor: 'self', ip: '192.0.2.7', userAgent: "=cmd|' /C calc'!A0" }, { event: 'sign_in_failed', outcome: 'failure', detail: { reason: 'wrong' } })
  await recordEvent(at('2026-03-31T21:59:59Z'), { actor: 'cli' }, { event: 'invite', outcome: 'success', accountId: 7, detail: { note: 'a "quoted", comma' } })
  await recordEvent(at('2026-03-31T22:00:00Z'), { actor: 'self' }, { event: 'logout', outcome: 'success' })

  // March 2026 in Amsterdam: from 1-3 00:00 (CET) to 1-4 00:00 (CEST).
  const jsonl = await admin(w.databasePath, ['audit', 'export', '--since', '2026-03-01', '--until', '2026-04-01'])
  t.equal(jsonl.code, 0, jsonl.stderr)
  const lines = jsonl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
  t.same(lines.map((l) => l.event), ['sign_in_failed', 'invite'], 'the period, oldest first: from (inclusive) to (exclusive)')
  t.match(lines[0], { time: '2026-03-01T08:00:00.000+00:00', outcome: 'failure', ip: '192.0.2.7', user_agent: "=cmd|' /C calc'!A0", detail: { reason: 'wrong' } })
  t.match(lines[1], { time: '2026-03-31T21:59:59.000+00:00', account_id: 7, actor: 'cli', detail: { note: 'a "quoted", comma' } })
  t.match(lines[0]!.hash, /^[0-9a-f]{64}$/, 'each row with its chain hash, so the export can be checked against the log')
  t.match(jsonl.stderr, /2 gebeurtenis\(sen\) geschreven \(2026-02-28T23:00:00\.000\+00:00 tot 2026-03-31T22:00:00\.000\+00:00, tijden in UTC\)/)

  const csv = await admin(w.databasePath, ['audit', 'export', '--since', '2026-03-01', '--until', '2026-04-01', '--format', 'csv', '--zone', 'Europe/Amsterdam'])
  t.equal(csv.code, 0, csv.stderr)
  const rows = csv.stdout.split('\r\n')
  t.equal(rows[0], 'id,time,event,outcome,account_id,username,actor,ip,user_agent,detail,hash')
  t.match(rows[1], /^"2","2026-03-01T09:00:00\.000\+01:00","sign_in_failed","failure","","","self","192\.0\.2\.7","'=cmd\|' \/C calc'!A0","\{""reason"":""wrong""\}","[0-9a-f]{64}"$/)
  t.match(rows[2], /^"3","2026-03-31T23:59:59\.000\+02:00","invite",.*"\{""note"":""a \\""quoted\\"", comma""\}"/)
  t.equal(rows.length, 4, 'header, two rows, and the final line end')

  const refusals: [string[], RegExp][] = [
    [['audit', 'export'], /Geef --since/],
    [['audit', 'export', '--since', 'gisteren'], /--since begrijp ik niet: gisteren/],
    [['audit', 'export', '--since', '2026-03-01', '--until', '2026-02-01'], /--until ligt niet na --since/],
    [['audit', 'export', '--since', '2026-03-01', '--format', 'xlsx'], /--format is jsonl of csv \(nu xlsx\)/],
    [['audit', 'export', '--since', '2026-03-01', '--zone', 'Mars/Olympus_Mons'], /--zone is geen tijdzone: Mars\/Olympus_Mons/],
  ]
  for (const [args, message] of refusals) {
    const run = await admin(w.databasePath, args)
    t.equal(run.code, 1, args.join(' '))
    t.match(run.stderr, message)
    t.equal(run.stdout, '')
  }
})

await t.test('200,000 rows, streamed: the whole period through a 48 MB JavaScript heap', async (t) => {
  const w = await world(t)
  const start = Date.UTC(2026, 0, 1)
  let n = 0
  const deps = { ...w.deps, clock: { now: () => new Date(start + n * 1000) } }
  await w.deps.db.transaction(async () => {
    for (n = 0; n < 200_000; n++) {
      await recordEvent(deps, { actor: 'self', ip: '192.0.2.1', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' }, { event: 'sign_in_failed', outcome: 'failure', detail: { reason: 'wrong', n } })
    }
  })
  await w.app.close()
  await w.runtime.close()

  // The cap: holding the rows (.all() instead of the cursor) aborts even at 96 MB, while the streamed export
  // ran at 20 MB in one try of three and at 24 MB in every try here on Node 22; 24 MB was too close to the
  // CLI's own start-up (tsx, the schema, drizzle) and failed under CI's load. 48 MB still tells the two apart.
  const child = spawn(process.execPath, ['--max-old-space-size=48', '--import', 'tsx', 'src/admin.ts', 'audit', 'export', '--since', '2025-12-31', '--until', '2027-01-01', '--format', 'csv'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_PATH: w.databasePath, SECRET_KEY: testSecretKey },
  })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  // Read it the way a pipe to a file would, counting and hashing, never holding it either.
  let lines = 0
  let first = ''
  let last = ''
  const digest = createHash('sha256')
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    if (lines === 1) first = line
    last = line
    digest.update(line)
    lines++
  }
  t.equal(await exited, 0, stderr)
  t.equal(lines, 200_001, 'the header and every row: no cap')
  t.match(first, /^"1","2026-01-01T00:00:00\.000\+00:00","sign_in_failed"/)
  t.match(last, /^"200000","2026-01-03T07:33:19\.000\+00:00","sign_in_failed",.*""n"":199999/)
  t.match(stderr, /200000 gebeurtenis\(sen\) geschreven/)
})
