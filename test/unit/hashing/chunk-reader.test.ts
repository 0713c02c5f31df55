import { describe, it, expect } from 'vitest'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { planChunks } from '../../../main/core/hashing/chunk-plan.js'
import { ChunkReader } from '../../../main/core/hashing/chunk-reader.js'

describe('ChunkReader', () => {
  it('fails with "changed" when a file shrinks between reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-reader-'))
    try {
      const path = join(dir, 'a.bin')
      writeFileSync(path, randomBytes(3000))
      const files = [{ path, length: 3000 }]
      const reader = new ChunkReader(files)
      const [first, second] = [...planChunks([3000], 1024)]
      const buffer = new Uint8Array(1024)
      expect((await reader.read(first!, buffer)).ok).toBe(true)
      truncateSync(path, 1500)
      const r = await reader.read(second!, buffer)
      await reader.closeAll()
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error).toEqual({ code: 'changed', message: `${path} became shorter while it was being read` })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('fails with "changed" when a file grows before its last byte is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-reader-'))
    try {
      const path = join(dir, 'a.bin')
      writeFileSync(path, randomBytes(2000))
      const reader = new ChunkReader([{ path, length: 2000 }])
      const [first, second] = [...planChunks([2000], 1024)]
      const buffer = new Uint8Array(1024)
      expect((await reader.read(first!, buffer)).ok).toBe(true)
      writeFileSync(path, randomBytes(10), { flag: 'a' })
      const r = await reader.read(second!, buffer)
      expect(r.ok ? '' : r.error.code).toBe('changed')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
