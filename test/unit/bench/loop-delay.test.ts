import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it, expect } from 'vitest'
import { loopDelayEnv, phaseDelay, readLoopDelay } from '../../../bench/loop-delay.js'

describe('loop-delay probe lines and their per-phase summary', () => {
  let dir = ''
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'loop-delay-test-')) })
  afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

  it('sums GC, mark-compacts and the wait for a core over the seconds of a phase', async () => {
    const file = join(dir, 'loop.jsonl')
    const lines = [
      { t: 1_000, p50: 0.1, p99: 1, max: 2, n: 100, gcMs: 0, gcMaxMs: 0, majorGcs: 0, waitMs: 1, cpuMs: 50 },
      { t: 2_000, p50: 0.1, p99: 30, max: 31, n: 95, gcMs: 40, gcMaxMs: 25, majorGcs: 4, waitMs: 3, cpuMs: 300 },
      { t: 3_000, p50: 0.1, p99: 20, max: 22, n: 96, gcMs: 20, gcMaxMs: 12, majorGcs: 2, waitMs: 60, cpuMs: 200 },
      { t: 4_000, p50: 0.1, p99: 10, max: 11, n: 98, gcMs: 10, gcMaxMs: 9, majorGcs: 0, waitMs: 5, cpuMs: 100 }
    ]
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"t": 5000, "p50"')
    const samples = await readLoopDelay(file)
    expect(samples).toHaveLength(4)
    // Seconds whose middle lies in [1400, 3600]: the lines at t = 2000, 3000, 4000.
    const d = phaseDelay(samples, 1_400, 3_600)
    expect(d.seconds).toBe(3)
    expect(d.worstP99Ms).toBe(30)
    expect(d.medianGcMs).toBe(20)
    expect(d.maxGcPauseMs).toBe(25)
    expect(d.majorGcsPerSecond).toBe(2)
    expect(d.medianWaitMs).toBe(5)
    expect(d.medianCpuMs).toBe(200)
  })

  it('keeps lines of an older probe (no GC or schedstat fields) and reports those figures as unknown', () => {
    const d = phaseDelay([{ t: 2_000, p50: 0.1, p99: 5, max: 6, n: 100 }], 1_000, 2_000)
    expect(d.seconds).toBe(1)
    expect(d.worstP99Ms).toBe(5)
    expect(Number.isNaN(d.majorGcsPerSecond)).toBe(true)
    expect(Number.isNaN(d.medianWaitMs)).toBe(true)
  })

  it('the preloaded probe writes GC and schedstat fields for a process that collects garbage', async () => {
    const file = join(dir, 'probe.jsonl')
    // A child that allocates for ~2.5 s (forcing scavenges) and then exits.
    const script = 'const end = Date.now() + 2500; let keep = []; const tick = () => { for (let i = 0; i < 20000; i++) keep.push({ i }); if (keep.length > 200000) keep = []; if (Date.now() < end) setTimeout(tick, 1) }; tick()'
    const env = { ...process.env, ...loopDelayEnv(file) }
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script], { env, stdio: 'ignore' })
      child.once('error', reject)
      child.once('exit', resolve)
    })
    expect(code).toBe(0)
    const samples = await readLoopDelay(file)
    expect(samples.length).toBeGreaterThanOrEqual(2)
    const gcMs = samples.reduce((a, s) => a + (s.gcMs ?? 0), 0)
    expect(gcMs).toBeGreaterThan(0)
    for (const s of samples) {
      expect(typeof s.majorGcs).toBe('number')
      if (process.platform === 'linux') {
        expect(s.cpuMs).toBeGreaterThan(0)
        expect(s.waitMs).toBeGreaterThanOrEqual(0)
      }
    }
  }, 20_000)
})
