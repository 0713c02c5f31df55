// The desktop IPC path end to end without Electron: preload bridge → IPC-like copy → main's
// handlers → real AppService and SwarmNode (in a lab namespace: the node speaks mDNS).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { labFixture } from '../multi/lab-fixture.js'

const fx = labFixture(1, 'edesk')
const PROBE = resolve('test/e2e/bridge-probe.ts')

type Line = Record<string, unknown> & { step: string }

describe('desktop IPC bridge over the real engine', () => {
  it('carries state and commands, resolves dropped files to paths, and routes the desktop-only commands', async () => {
    const share = join(fx.work, 'share')
    mkdirSync(share, { recursive: true })
    const file = join(share, 'payload.bin')
    writeFileSync(file, randomBytes(3 * 1024 * 1024 + 17))
    const picked = join(fx.work, 'picked')
    const run = await fx.lab.run(fx.host(0), process.execPath, ['--import', 'tsx', PROBE, join(fx.work, 'data'), file, picked, '40000'], { timeoutMs: 50_000 })
    const lines = run.stdout.trim().split('\n').filter(Boolean).map(l => JSON.parse(l) as Line)
    const step = (name: string): Line => {
      const found = lines.find(l => l.step === name)
      if (!found) throw new Error(`probe never reached "${name}": ${run.stdout}\n${run.stderr}`)
      return found
    }

    const state = step('state')
    expect(state).toMatchObject({ ok: true, shell: 'electron' })
    expect(state.selfId).toBe(state.nodeId)

    const refused = step('refused-files') as Line & { two: { code: string; message: string }; none: { code: string; message: string } }
    expect(refused.two).toEqual({ code: 'bad-request', message: 'Drop one file or one folder at a time.' })
    expect(refused.none.message).toContain('made-in-page.bin is not a file on this computer')

    expect(step('created')).toMatchObject({ ok: true })
    const dist = step('distribution')
    expect(dist.sha256).toBe(dist.expected)
    // Piece maps cross IPC as bytes, not arrays.
    expect(dist.isUint8).toBe(true)

    expect(step('choose-folder').value).toEqual({ path: picked })
    const opened = step('open-folder') as Line & { value: { path: string; opened: boolean }; shown: string[]; distPath: string }
    expect(opened.value).toEqual({ path: share, opened: true })
    // The file manager opens with the shared file itself selected.
    expect(opened.shown).toEqual([opened.distPath])
    expect(step('open-unknown')).toMatchObject({ ok: false, code: 'unknown-distribution', shownAfter: 1 })

    expect(step('junk').value).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    expect(step('rename')).toMatchObject({ ok: true, name: 'desk-renamed' })
    expect(step('pause-all')).toMatchObject({ paused: true, resumed: true })
    const ports = step('ports-taken') as Line & { strict: string; lenient: { bt: number; control: number }; busy: { btPort: number; controlPort: number } }
    expect(ports.strict).toBe('port-in-use')
    expect(ports.lenient.bt).toBeGreaterThan(0)
    expect(ports.lenient.bt).not.toBe(ports.busy.btPort)
    expect(ports.lenient.control).not.toBe(ports.busy.controlPort)
    expect(step('done')).toBeDefined()
  }, 60_000)
})
