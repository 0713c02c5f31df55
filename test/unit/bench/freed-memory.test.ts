// The bench waits before each tool until the kernel's count of memory reported to the VM's host
// stops moving (bench/freed-memory.ts), and not at all where there is no such count.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { settleFreedMemory } from '../../../bench/freed-memory.js'

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

describe('settleFreedMemory', () => {
  it('returns at once where the kernel reports nothing to a host', async () => {
    const r = await settleFreedMemory({ counter: '/nonexistent/reported_kib', quietMs: 1000, pollMs: 50, maxWaitMs: 5000 })
    expect(r).toEqual({ reporting: false, waitedMs: 0, reportedKiB: 0 })
  })

  it('waits while the count moves, then until it has been still for the quiet time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-freed-'))
    dirs.push(dir)
    const counter = join(dir, 'reported_kib')
    writeFileSync(counter, '1000\n')
    // Reported in three passes, 150 ms apart, as the kernel does every two seconds.
    const passes = [2000, 6000, 9000].map((n, k) => setTimeout(() => writeFileSync(counter, `${n}\n`), 150 * (k + 1)))
    try {
      const r = await settleFreedMemory({ counter, quietMs: 300, pollMs: 20, maxWaitMs: 5000 })
      expect(r.reporting).toBe(true)
      expect(r.reportedKiB).toBe(8000)
      // The last pass came at ~450 ms; then 300 ms of quiet.
      expect(r.waitedMs).toBeGreaterThanOrEqual(700)
      expect(r.waitedMs).toBeLessThan(3000)
    } finally {
      for (const t of passes) clearTimeout(t)
    }
  })

  it('gives up after the longest wait when the count never rests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-freed-'))
    dirs.push(dir)
    const counter = join(dir, 'reported_kib')
    let n = 0
    writeFileSync(counter, '0')
    const moving = setInterval(() => writeFileSync(counter, String(++n)), 10)
    try {
      const r = await settleFreedMemory({ counter, quietMs: 200, pollMs: 20, maxWaitMs: 400 })
      expect(r.waitedMs).toBeGreaterThanOrEqual(400)
      expect(r.waitedMs).toBeLessThan(1500)
      expect(r.reportedKiB).toBeGreaterThan(0)
    } finally {
      clearInterval(moving)
    }
  })
})
