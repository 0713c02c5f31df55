// Upload and download limits hold within 15 %: the steady rate is measured from the download's
// progress lines (one a second), leaving out the first second and the tail.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, startCli, type CliProcess } from './swarmdrop-cli.js'

const work = mkdtempSync(join(tmpdir(), 'sd-ratelimit-'))
const procs: CliProcess[] = []
afterAll(async () => {
  for (const p of procs) await p.stop()
  rmSync(work, { recursive: true, force: true })
})

interface Progress { event: string; verifiedBytes?: number }

/** Bytes per second between the first progress line past 10 % and the last before 90 %. */
function steadyRate (stdout: string, total: number): number {
  const lines = stdout.trim().split('\n').map(l => JSON.parse(l) as Progress).filter(p => p.event === 'progress' && p.verifiedBytes !== undefined)
  const mid = lines.filter(p => (p.verifiedBytes ?? 0) > total * 0.1 && (p.verifiedBytes ?? 0) < total * 0.9)
  const first = mid[0]
  const last = mid.at(-1)
  if (!first || !last || first === last) throw new Error(`too few progress lines to measure a rate:\n${stdout}`)
  // Lines are one second apart.
  return ((last.verifiedBytes ?? 0) - (first.verifiedBytes ?? 0)) / (mid.length - 1)
}

async function transfer (name: string, seedArgs: string[], getArgs: string[]): Promise<number> {
  const size = 14_000_000
  mkdirSync(join(work, name, 'src'), { recursive: true })
  writeFileSync(join(work, name, 'src', 'r.bin'), randomBytes(size))
  const seed = startCli(['seed', join(work, name, 'src', 'r.bin'), '-o', join(work, name, 'r.torrent'), '--bt-port', '0', '--json', ...seedArgs])
  procs.push(seed)
  const seeding = await seed.waitForEvent('seeding', 30_000)
  if (!seeding.ok) throw new Error(`seed did not start: ${seed.stderr()}`)
  const got = await runCli(['get', join(work, name, 'r.torrent'), '--peer', `127.0.0.1:${seeding.value.port}`, '--out', join(work, name, 'out'), '--timeout', '40', '--json', ...getArgs], 50_000)
  await seed.stop()
  expect(got.code, got.stderr).toBe(0)
  return steadyRate(got.stdout, size)
}

describe('rate limits', () => {
  it('an upload limit of 2 MB/s holds within 15 %', async () => {
    const rate = await transfer('up', ['--upload-limit', '2000000'], [])
    console.log(`upload limit 2000000 B/s: measured ${Math.round(rate)} B/s`)
    expect(Math.abs(rate - 2_000_000) / 2_000_000).toBeLessThanOrEqual(0.15)
  }, 60_000)

  it('a download limit of 3 MB/s holds within 15 %', async () => {
    const rate = await transfer('down', [], ['--download-limit', '3000000'])
    console.log(`download limit 3000000 B/s: measured ${Math.round(rate)} B/s`)
    expect(Math.abs(rate - 3_000_000) / 3_000_000).toBeLessThanOrEqual(0.15)
  }, 60_000)
})
