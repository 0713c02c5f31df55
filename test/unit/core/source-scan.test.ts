// A folder is scanned depth first, each folder's names in the byte order of their UTF-8 (as
// `LC_ALL=C sort` orders names), so the same folder makes the same torrent on every machine,
// whatever the locale or JavaScript's own string order.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sortedByBytes } from '../../../main/core/torrent/byte-order.js'
import { scanSource } from '../../../main/core/torrent/source.js'

const work = mkdtempSync(join(tmpdir(), 'sd-scan-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('scanning a folder', () => {
  it('sorts names by their UTF-8 bytes, ASCII or not', () => {
    expect(sortedByBytes(['b', 'B', 'a.txt', 'a', '_', 'Z9', 'z'])).toEqual(['B', 'Z9', '_', 'a', 'a.txt', 'b', 'z'])
    // U+FF21 (EF BC A1) comes before U+1F600 (F0 9F 98 80) in bytes, after it in UTF-16 units.
    expect(sortedByBytes(['\u{1F600}', 'é', '\uFF21', 'z', 'e'])).toEqual(['e', 'z', 'é', '\uFF21', '\u{1F600}'])
  })

  it('lists a folder\'s files depth first, each folder in byte order', async () => {
    const dir = join(work, 'set')
    for (const sub of ['b', 'A', 'é']) mkdirSync(join(dir, sub), { recursive: true })
    for (const p of [['b', 'x'], ['b', 'X'], ['A', '\u{1F600}'], ['A', '\uFF21'], ['é', 'z'], ['top']]) writeFileSync(join(dir, ...p), p.join('/'))
    const scanned = await scanSource(dir)
    if (!scanned.ok) throw new Error(scanned.error.message)
    expect(scanned.value.entries.map(e => e.path.join('/'))).toEqual(['A/\uFF21', 'A/\u{1F600}', 'b/X', 'b/x', 'top', 'é/z'])
    expect(scanned.value.entries.every(e => e.absolutePath === join(dir, ...e.path))).toBe(true)
  })
})
