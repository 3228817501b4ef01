// The session cookie's signer (src/web/session.ts): @fastify/cookie's Signer, answering the second
// signature of an id it just checked from memory. Whatever it remembers, it signs as the Signer does,
// and it never takes an invalid cookie for a signed one.
import t from 'tap'
import { Signer } from '@fastify/cookie'
import { randomBytes } from 'node:crypto'
import { sessionSigner } from '../src/web/session.ts'

await t.test('signs and checks exactly as @fastify/cookie does, before and after remembering an id', async (t) => {
  const secret = randomBytes(32).toString('base64url')
  const plain = new Signer(secret)
  const ours = sessionSigner(secret)
  const id = randomBytes(32).toString('base64url')
  const other = randomBytes(32).toString('base64url')
  t.equal(ours.sign(id), plain.sign(id), 'a new id: the same signature')
  const cookie = plain.sign(id)
  t.same(ours.unsign(cookie), plain.unsign(cookie), 'a valid cookie: the same answer')
  t.equal(ours.sign(id), cookie, 'the id just checked: the same signature')
  t.equal(ours.sign(other), plain.sign(other), 'another id after it: its own signature')
  t.equal(ours.sign(id), cookie)
})

await t.test('an invalid cookie is refused and remembered for nothing', async (t) => {
  const secret = randomBytes(32).toString('base64url')
  const plain = new Signer(secret)
  const ours = sessionSigner(secret)
  const id = randomBytes(32).toString('base64url')
  const forged = `${id}.${new Signer(randomBytes(32).toString('base64url')).sign(id).split('.').pop()}`
  t.equal(ours.unsign(forged).valid, false, 'signed under another key: refused')
  t.equal(ours.sign(id), plain.sign(id), 'and signing that id gives our signature, not the forged one')
  t.not(ours.sign(id), forged)
  const planted = `${id}.`
  t.equal(ours.unsign(planted).valid, false, 'no signature: refused')
  t.equal(ours.sign(id), plain.sign(id))
  // A valid cookie, then a forged one for the same id: the memory still holds the valid signature only.
  ours.unsign(plain.sign(id))
  t.equal(ours.unsign(forged).valid, false)
  t.equal(ours.sign(id), plain.sign(id))
})
