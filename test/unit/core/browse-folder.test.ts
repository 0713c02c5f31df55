// The `browse` command behind the web UI's folder browser: folders first, sizes of files, links
// shown as what they point to, broken links and unreadable folders answered as values, and a
// folder of many entries cut at the bound and flagged.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_ENTRIES, browseFolder } from '../../../main/core/app/browse-folder.js'

let root = ''

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sd-browse-'))
  mkdirSync(join(root, 'isos'))
  writeFileSync(join(root, 'b.iso'), Buffer.alloc(1234))
  writeFileSync(join(root, 'a.txt'), 'hello')
  symlinkSync(join(root, 'isos'), join(root, 'to-isos'))
  symlinkSync(join(root, 'b.iso'), join(root, 'to-b'))
  symlinkSync(join(root, 'gone'), join(root, 'broken'))
  mkdirSync(join(root, 'locked'))
  chmodSync(join(root, 'locked'), 0o000)
  mkdirSync(join(root, 'many'))
  for (let i = 0; i < MAX_ENTRIES + 5; i++) writeFileSync(join(root, 'many', `f${i}`), '')
})
afterAll(() => {
  chmodSync(join(root, 'locked'), 0o755)
  rmSync(root, { recursive: true, force: true })
})

describe('browseFolder', () => {
  it('lists folders first, then files with their sizes, links as their targets', async () => {
    const r = await browseFolder(root)
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.path).toBe(root)
    expect(r.value.truncated).toBe(false)
    expect(r.value.entries).toEqual([
      { name: 'isos', kind: 'folder', size: null, link: false },
      { name: 'locked', kind: 'folder', size: null, link: false },
      { name: 'many', kind: 'folder', size: null, link: false },
      { name: 'to-isos', kind: 'folder', size: null, link: true },
      { name: 'a.txt', kind: 'file', size: 5, link: false },
      { name: 'b.iso', kind: 'file', size: 1234, link: false },
      { name: 'broken', kind: 'other', size: null, link: true },
      { name: 'to-b', kind: 'file', size: 1234, link: true }
    ])
  })

  it('gives the parent, and none at the root', async () => {
    const r = await browseFolder(join(root, 'isos'))
    expect(r.ok && r.value.parent).toBe(root)
    const top = await browseFolder('/')
    expect(top.ok && top.value.parent).toBeNull()
  })

  it('answers with a sentence for a missing path, a file, a relative path', async () => {
    const missing = await browseFolder(join(root, 'nope'))
    expect(missing.ok ? '' : missing.error.code).toBe('not-found')
    const file = await browseFolder(join(root, 'b.iso'))
    expect(file.ok ? '' : file.error.message).toMatch(/is a file, not a folder/)
    const relative = await browseFolder('isos')
    expect(relative.ok ? '' : relative.error.code).toBe('bad-request')
  })

  it.skipIf(process.getuid?.() === 0)('answers "permission denied" for a folder it cannot read', async () => {
    const r = await browseFolder(join(root, 'locked'))
    expect(r.ok ? '' : r.error.message).toMatch(/permission denied/)
  })

  it('shows the first entries by name when cut, folders first, not whichever the disk gave first', async () => {
    const dir = join(root, 'frames')
    mkdirSync(dir)
    // Written last to first, so that the order the file system keeps is not the order by name.
    for (let i = MAX_ENTRIES + 499; i >= 0; i--) writeFileSync(join(dir, `frame-${String(i).padStart(5, '0')}.exr`), 'x')
    mkdirSync(join(dir, 'zz-proxies'))
    const r = await browseFolder(dir)
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.truncated).toBe(true)
    expect(r.value.entries).toHaveLength(MAX_ENTRIES)
    expect(r.value.entries.slice(0, 3).map(e => e.name)).toEqual(['zz-proxies', 'frame-00000.exr', 'frame-00001.exr'])
    expect(r.value.entries.at(-1)?.name).toBe(`frame-${String(MAX_ENTRIES - 2).padStart(5, '0')}.exr`)
    expect(r.value.entries[1]).toEqual({ name: 'frame-00000.exr', kind: 'file', size: 1, link: false })
  })

  it('stops at the bound and says the listing is cut', async () => {
    const r = await browseFolder(join(root, 'many'))
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.entries).toHaveLength(MAX_ENTRIES)
    expect(r.value.truncated).toBe(true)
  })
})
