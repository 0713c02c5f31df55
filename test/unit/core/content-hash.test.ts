import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentSha256 } from '../../../main/core/torrent/content-hash.js'

const h = (s: string): string => createHash('sha256').update(s).digest('hex')

describe('content SHA-256', () => {
  it('is the file hash for a single file', () => {
    expect(contentSha256(false, [{ path: ['x'], sha256: h('abc') }])).toBe(h('abc'))
  })

  it('for a folder equals what find | sort | sha256sum | sha256sum prints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-content-'))
    try {
      mkdirSync(join(dir, 'sub', 'deep'), { recursive: true })
      const files: Array<[string[], string]> = [[['b.txt'], 'bee'], [['a.txt'], 'ay'], [['sub', 'Z'], 'zed'], [['sub', 'deep', 'e'], ''], [['sub', 'a b'], 'space']]
      for (const [p, c] of files) writeFileSync(join(dir, ...p), c)
      const shell = execFileSync('bash', ['-c', 'find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum'], { cwd: dir }).toString().split(' ')[0]
      expect(contentSha256(true, files.map(([path, c]) => ({ path, sha256: h(c) })))).toBe(shell)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('sorts non-ASCII names by their UTF-8 bytes, as sort does, not by UTF-16 units', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-content-'))
    try {
      // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in bytes, after it in UTF-16 (D83D).
      const files: Array<[string[], string]> = [[['\u{1F600}.txt'], 'smile'], [['\uFF21.txt'], 'wide'], [['z'], 'zed'], [['é'], 'e']]
      for (const [p, c] of files) writeFileSync(join(dir, ...p), c)
      const shell = execFileSync('bash', ['-c', 'find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum'], { cwd: dir }).toString().split(' ')[0]
      expect(contentSha256(true, files.map(([path, c]) => ({ path, sha256: h(c) })))).toBe(shell)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
