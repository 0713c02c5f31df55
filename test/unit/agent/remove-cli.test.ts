// `swarmdrop remove` against a running agent, over its local API: a name that matches two
// distributions is refused with both listed, an infohash prefix picks one, and what it did is one
// sentence (or the contract's RemoveReply with --json); a second remove finds nothing.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Distribution, RemoveReply } from '../../../common/api.js'
import { matchDistributions, removedText } from '../../../main/agent/cli/commands/remove.js'
import { startDevice, type StartedDevice } from './started-device.js'

let device: StartedDevice
let sources = ''

/** The CLI from its sources, as another process on this machine runs it. */
function cli (args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(done => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('main/agent/cli/swarmdrop.ts'), ...args, '--data-dir', device.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    child.on('close', code => done({ code, stdout, stderr }))
  })
}

async function share (dir: string): Promise<string> {
  mkdirSync(join(sources, dir))
  const path = join(sources, dir, 'weekly.img')
  writeFileSync(path, Buffer.alloc(100_000, dir.length))
  const made = await device.agent.node.createDistribution(path)
  if (!made.ok) throw new Error(made.error.message)
  return made.value.infoHash
}

beforeAll(async () => {
  device = await startDevice('sd-remove-cli-', 'lab-origin')
  sources = mkdtempSync(join(tmpdir(), 'sd-remove-cli-src-'))
}, 30_000)

afterAll(async () => {
  await device?.agent.stop()
  if (device !== undefined) rmSync(device.dataDir, { recursive: true, force: true })
  if (sources !== '') rmSync(sources, { recursive: true, force: true })
})

describe('swarmdrop remove', () => {
  it('refuses an ambiguous name, withdraws by infohash prefix, and finds nothing the second time', async () => {
    const a = await share('a')
    const b = await share('bb')
    expect(a).not.toBe(b)

    const ambiguous = await cli(['remove', 'WEEKLY.IMG'])
    expect(ambiguous.code).toBe(2)
    expect(ambiguous.stderr).toContain('"WEEKLY.IMG" matches 2 distributions')
    expect(ambiguous.stderr).toContain(a.slice(0, 12))
    expect(ambiguous.stderr).toContain(b.slice(0, 12))

    const json = await cli(['remove', a.slice(0, 8), '--json'])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout) as RemoveReply).toEqual({ name: 'weekly.img', outcome: 'withdrawn', told: 0, unreached: 0, deletedBytes: 0 })
    expect(device.agent.node.registry.get(a)).toBeUndefined()

    // Now the name is one distribution's.
    const plain = await cli(['remove', 'weekly.img'])
    expect(plain).toMatchObject({ code: 0, stdout: 'Withdrew weekly.img: 0 machines told to stop.\n' })
    expect(device.agent.node.registry.get(b)).toBeUndefined()

    const gone = await cli(['remove', b.slice(0, 8)])
    expect(gone.code).toBe(2)
    expect(gone.stderr).toMatch(/no distribution here is named/)
    const short = await cli(['remove', b.slice(0, 5)])
    expect(short.code).toBe(2)
  }, 60_000)
})

describe('remove matching and sentences', () => {
  const d = (name: string, infoHash: string): Distribution => ({ name, infoHash } as unknown as Distribution)

  it('matches a name exactly (any case) or an infohash prefix of 6 or more hex digits', () => {
    const list = [d('Ubuntu.iso', 'abcdef0123'.padEnd(40, '0')), d('ubuntu', 'abcdef9999'.padEnd(40, '1'))]
    expect(matchDistributions(list, 'ubuntu.ISO').map(x => x.name)).toEqual(['Ubuntu.iso'])
    expect(matchDistributions(list, 'ubunt')).toEqual([])
    expect(matchDistributions(list, 'abcde')).toEqual([])
    expect(matchDistributions(list, 'ABCDEF').length).toBe(2)
    expect(matchDistributions(list, 'abcdef01').map(x => x.name)).toEqual(['Ubuntu.iso'])
  })

  it('says what was done in one or two sentences', () => {
    expect(removedText({ name: 'ubuntu.iso', outcome: 'withdrawn', told: 3, unreached: 0, deletedBytes: 0 }, '/srv')).toBe('Withdrew ubuntu.iso: 3 machines told to stop.\n')
    expect(removedText({ name: 'ubuntu.iso', outcome: 'withdrawn', told: 2, unreached: 1, deletedBytes: 0 }, '/srv')).toBe('Withdrew ubuntu.iso: 2 machines told to stop; 1 machine not reached now stops when it reports again.\n')
    expect(removedText({ name: 'ubuntu.iso', outcome: 'cancelled', told: 1, unreached: 0, deletedBytes: 512_000_000 }, '')).toBe('Cancelled ubuntu.iso here: 512 MB received were deleted; the sender was told.\n')
    expect(removedText({ name: 'ubuntu.iso', outcome: 'removed', told: 0, unreached: 0, deletedBytes: 0 }, '/data/ubuntu.iso')).toBe("Removed ubuntu.iso from this device's list; its files stay in /data/ubuntu.iso.\n")
  })
})
