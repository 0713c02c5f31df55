// A download whose name is taken gets " (2)" and so on; near the 255-byte limit the stem is
// shortened so that NAME.part can still be created (issue 11, finding 4).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { unusedName } from '../../../main/core/distributions/finish.js'

const dir = mkdtempSync(join(tmpdir(), 'sd-unused-'))
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

describe('unused download names', () => {
  it('numbers a taken name, keeping its extension', async () => {
    writeFileSync(join(dir, 'image.iso'), '')
    expect(await unusedName(dir, 'image.iso')).toBe('image (2).iso')
  })

  it('shortens a long stem so that the numbered name and its .part fit 255 bytes, never inside a character', async () => {
    const name = `${'é'.repeat(123)}.iso` // 246 + 4 = 250 bytes
    expect(Buffer.byteLength(name)).toBe(250)
    writeFileSync(join(dir, name), '')
    const next = await unusedName(dir, name)
    expect(next.endsWith(' (2).iso')).toBe(true)
    expect(Buffer.byteLength(`${next}.part`)).toBeLessThanOrEqual(255)
    expect(next).not.toContain('\uFFFD')
    writeFileSync(join(dir, `${next}.part`), '')
  })

  it('an extension that leaves no room is shortened too', async () => {
    const name = `a.${'b'.repeat(248)}`
    writeFileSync(join(dir, name), '')
    const next = await unusedName(dir, name)
    expect(Buffer.byteLength(`${next}.part`)).toBeLessThanOrEqual(255)
    expect(next.endsWith(' (2)')).toBe(true)
  })
})
