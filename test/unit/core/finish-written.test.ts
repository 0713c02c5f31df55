import { randomBytes } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDistribution } from '../../../main/core/distributions/create.js'
import { targetsFor, verifyAndPlace } from '../../../main/core/distributions/finish.js'
import { FileStore } from '../../../main/core/engine/file-store.js'
import { takeWritten } from '../../../main/core/engine/written-digests.js'

// The final check takes the SHA-256 of small files the store wrote whole from the bytes written,
// and reads every other file back.

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

async function folder (): Promise<{ root: string, src: string }> {
  const root = mkdtempSync(join(tmpdir(), 'sd-finish-'))
  dirs.push(root)
  const src = join(root, 'src', 'segs')
  for (let i = 0; i < 120; i++) {
    mkdirSync(join(src, `d${i % 3}`), { recursive: true })
    writeFileSync(join(src, `d${i % 3}`, `f${i}`), randomBytes(i === 7 ? 200_000 : 1000 + i))
  }
  writeFileSync(join(src, 'empty'), '')
  return { root, src }
}

describe('final check with digests from the store', () => {
  it('verifies and renames a folder written through the store, using and consuming the written digests', async () => {
    const { root, src } = await folder()
    const created = await createDistribution(src, { createdBy: 'test', pieceLength: 65_536 })
    if (!created.ok) throw new Error(created.error.message)
    const m = created.value.metainfo
    const placement = { downloadsDir: join(root, 'dl'), finalName: 'segs' }
    const targets = targetsFor(m, placement, true)
    const store = new FileStore(m.pieceLength, { path: root, files: [], length: m.totalLength, name: 'x', fileStore: { targets, readOnly: false } })
    const whole = Buffer.concat(created.value.source.entries.map(e => readFileSync(e.absolutePath)))
    for (let i = m.pieceCount - 1; i >= 0; i--) {
      await new Promise<void>((resolve, reject) => store.put(i, whole.subarray(i * m.pieceLength, (i + 1) * m.pieceLength), e => e ? reject(e) : resolve()))
    }
    store.close()
    const placed = await verifyAndPlace(m, placement, created.value.sha256)
    expect(placed.ok && placed.value.sha256).toBe(created.value.sha256)
    expect(readFileSync(join(root, 'dl', 'segs', 'd1', 'f7')).equals(readFileSync(join(src, 'd1', 'f7')))).toBe(true)
    // Consumed: nothing left for these paths.
    expect(targets.map(t => takeWritten(t.path, t.length)).filter(x => x !== undefined)).toEqual([])
  })

  it('reads files the store did not write, and finds a damaged one', async () => {
    const { root, src } = await folder()
    const created = await createDistribution(src, { createdBy: 'test', pieceLength: 65_536 })
    if (!created.ok) throw new Error(created.error.message)
    const placement = { downloadsDir: join(root, 'dl'), finalName: 'segs' }
    cpSync(src, join(root, 'dl', 'segs.part'), { recursive: true })
    writeFileSync(join(root, 'dl', 'segs.part', 'd2', 'f5'), randomBytes(1005))
    const placed = await verifyAndPlace(created.value.metainfo, placement, created.value.sha256)
    expect(placed.ok ? '' : placed.error.message).toContain('SHA-256 mismatch in d2/f5')
  })
})
