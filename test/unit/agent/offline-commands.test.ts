// `swarmdrop trust` / `untrust` with no device running: the command goes through the contract
// (parseCommand) into core/app's offline runner, which changes the data directory's trust list
// while holding its claim, so a device that holds the directory is never written under.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { claimDataDir, readHolder } from '../../../main/core/app/device-lock.js'
import { runOffline } from '../../../main/core/app/offline-commands.js'

const dataDir = mkdtempSync(join(tmpdir(), 'sd-offline-'))
const ID = '0123456789abcdef0123456789abcdef'

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function cli (args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve('main/agent/cli/swarmdrop.ts'), ...args, '--data-dir', dataDir], { encoding: 'utf8', timeout: 30_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function trustedIds (): string[] {
  return (JSON.parse(readFileSync(join(dataDir, 'trusted-devices.json'), 'utf8')) as Array<{ id: string }>).map(d => d.id)
}

describe('offline trust', () => {
  it('trusts and untrusts by id through the CLI, leaving no claim behind', () => {
    const t = cli(['trust', ID])
    expect(t.code, t.stderr).toBe(0)
    expect(t.stdout).toContain('trusted: 0123·4567')
    expect(trustedIds()).toEqual([ID])
    const u = cli(['untrust', ID])
    expect(u.code, u.stderr).toBe(0)
    expect(trustedIds()).toEqual([])
    const again = cli(['untrust', ID])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('untrust: that device is not trusted')
  }, 60_000)

  it('refuses what is not a device id, as the contract does', () => {
    const r = cli(['trust', 'lab-01'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('"lab-01" is not a device id')
  }, 30_000)

  it('never writes under a process that holds the data directory', async () => {
    const claim = await claimDataDir(dataDir)
    if (!claim.ok) throw new Error(claim.error.message)
    try {
      const r = await runOffline(dataDir, { type: 'trust', id: ID })
      expect(r).toMatchObject({ ok: false, error: { code: 'device-running' } })
    } finally {
      await claim.value.release()
    }
    expect(await runOffline(dataDir, { type: 'trust', id: ID })).toEqual({ ok: true, value: {} })
    expect(await readHolder(dataDir)).toBeUndefined()
  })

  it('answers that other commands need the running device', async () => {
    const r = await runOffline(dataDir, { type: 'pause' })
    expect(r).toMatchObject({ ok: false, error: { code: 'unsupported' } })
  })
})
