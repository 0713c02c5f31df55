// A claim in agent.json whose pid now belongs to another process (the claimer crashed and the pid
// was reused) must count as stale, not as a running device: the claim records its process's start
// time and a pid whose start time differs is someone else. Linux only (/proc/PID/stat).
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimDataDir, processStartTime, readHolder } from '../../../main/core/app/device-lock.js'

const linux = existsSync('/proc/self/stat')
let child: ChildProcess
const dirs: string[] = []

beforeAll(() => {
  // A real, unrelated process standing in for the one that reused the pid.
  child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' })
})
afterAll(() => {
  child.kill('SIGKILL')
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function dirWithClaim (claim: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sd-lock-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'agent.json'), JSON.stringify(claim) + '\n', { mode: 0o600 })
  return dir
}

describe.runIf(linux)('device claim with a reused pid', () => {
  it('reads the start time of a live process and none of a missing one', () => {
    const pid = child.pid ?? 0
    expect(processStartTime(pid)).toMatch(/^\d+$/)
    expect(processStartTime(2 ** 22 + 7)).toBeUndefined()
  })

  it('treats a claim whose pid started at another time as stale, and takes it over', async () => {
    const pid = child.pid ?? 0
    const right = processStartTime(pid) ?? ''
    const wrong = String(Number(right) + 12345)
    const dir = dirWithClaim({ pid, startedAt: '2026-01-01T00:00:00.000Z', procStart: wrong, controlPort: 1, localPort: 2, token: 't' })
    expect(await readHolder(dir)).toBeUndefined()
    const claim = await claimDataDir(dir)
    expect(claim.ok).toBe(true)
    if (claim.ok) await claim.value.release()
  })

  it('treats a claim whose pid started when it says as held', async () => {
    const pid = child.pid ?? 0
    const right = processStartTime(pid) ?? ''
    const dir = dirWithClaim({ pid, startedAt: '2026-01-01T00:00:00.000Z', procStart: right })
    expect(await readHolder(dir)).toEqual({ state: 'starting', pid, startedAt: '2026-01-01T00:00:00.000Z', procStart: right })
    const claim = await claimDataDir(dir)
    expect(claim.ok).toBe(false)
    if (!claim.ok) expect(claim.error.code).toBe('device-running')
  })

  it('records its own start time when it claims', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-lock-'))
    dirs.push(dir)
    const claim = await claimDataDir(dir)
    expect(claim.ok).toBe(true)
    const h = await readHolder(dir)
    expect(h?.state === 'starting' ? h.procStart : undefined).toBe(processStartTime(process.pid))
    if (claim.ok) await claim.value.release()
  })
})
