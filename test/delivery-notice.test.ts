// The code page tells the truth about delivery: 'verstuurd' means queued; while the gateway fails the
// patient is told it is being retried, and after the last attempt that it failed, with a new code offered.
import t from 'tap'
import { jan, walkToPhone, world } from './helpers/world.ts'

await t.test('an SMS that can not be delivered: retrying, then failed, then a new code', async (t) => {
  let accept = false
  const w = await world(t, {
    // The walk below keeps one flow open for over two hours of retries: past the default 90-minute life
    // of a flow that is not signed in yet, so this test allows the longest supported one.
    env: { FLOW_ABSOLUTE_MINUTES: '240' },
    transports: {
      async mail() {},
      async sms() {
        if (!accept) throw new Error('gateway down')
      },
    },
  })
  await w.invite()
  const b = await walkToPhone(w)
  await b.submit('Stuur verificatiecode')
  await w.runtime.dispatcher.idle()
  t.match(b.text, /De verificatiecode is verstuurd/, 'queued: the seed text')

  await b.get('/account/telefoon')
  t.match(b.text, /Het versturen lukt op dit moment nog niet/, 'after a failed attempt: being retried')
  t.notMatch(b.text, /niet gelukt/)

  // Every retry fails until the dispatcher gives up (12 attempts, backoff up to 10 minutes).
  // The patient keeps the page open and reloads it now and then (the flow session stays alive).
  for (let i = 0; i < 12; i++) {
    w.clock.advanceMinutes(11)
    w.runtime.dispatcher.kick()
    await w.runtime.dispatcher.idle()
    await b.get('/account/telefoon')
  }
  t.equal((await w.sms.all())[0]?.status, 'failed')
  await b.get('/account/telefoon')
  t.match(b.text, /Het versturen is niet gelukt/, 'after the last attempt: failed, and what to do')

  accept = true
  await b.submit('Stuur een nieuwe code')
  await w.runtime.dispatcher.idle()
  t.notMatch(b.text, /niet gelukt|lukt op dit moment/, 'the new code went out')
  await b.submit('Verifieer code', { 'one-time-code': (await w.sms.lastCodeTo(jan.phone)) })
  t.match(b.text, /Wachtwoord wijzigen/, 'and the patient goes on')
})
