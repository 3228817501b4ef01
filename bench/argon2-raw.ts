// Raw argon2id verifications per CPU-second at the portal's configured parameters, in the same kind
// of process as the portal (node with tsx, pinned to the server core, libuv's default pool).
// Usage: node --import tsx bench/argon2-raw.ts <seconds> <concurrency>; prints one JSON line.
import argon2 from 'argon2'
import { loadConfig } from '../src/config.ts'
import { hashPassword } from '../src/domain/passwords.ts'

const seconds = Number(process.argv[2] ?? 5)
const concurrency = Number(process.argv[3] ?? 4)
const { limits } = loadConfig({ NODE_ENV: 'test', SECRET_KEY: '5e0c1a7d93b24f6a8c1e0d2b4f6a8c9e1d3b5f7a9c2e4d6b8f0a1c3e5d7b9f2a', DATABASE_PATH: ':memory:' })
const password = 'zonneschijn op het strand van Scheveningen'
const hash = await hashPassword(password, limits)
// Warm up: the first verify pays for loading and allocating.
await argon2.verify(hash, password)

const startCpu = process.cpuUsage()
const start = performance.now()
let done = 0
let failed = 0
const deadline = start + seconds * 1000
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      if (await argon2.verify(hash, password)) done++
      else failed++
    }
  }),
)
const wall = (performance.now() - start) / 1000
const cpu = process.cpuUsage(startCpu)
const cpuSeconds = (cpu.user + cpu.system) / 1e6
console.log(JSON.stringify({ verifications: done, failed, wallSeconds: wall, cpuSeconds, concurrency, memoryKiB: limits.argon2MemoryKiB, iterations: limits.argon2Iterations }))
