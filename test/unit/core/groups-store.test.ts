// groups.json: named groups of device ids, bounded, case-insensitive names, written whole and
// owner-only, edits that come together written together, and a damaged file refused by name.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_GROUPS } from '../../../common/commands.js'
import { GROUPS_FILE, GroupsStore } from '../../../main/core/settings/groups-store.js'

const A = 'a'.repeat(32)
const B = 'b'.repeat(32)
const C = 'c'.repeat(32)
let dir = ''
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sd-groups-')) })
afterEach(() => { rmSync(dir, { recursive: true, force: true }) })

async function load (): Promise<GroupsStore> {
  const s = await GroupsStore.load(dir)
  if (!s.ok) throw new Error(s.error.message)
  return s.value
}

const onDisk = (): Array<{ name: string; members: string[] }> => JSON.parse(readFileSync(join(dir, GROUPS_FILE), 'utf8')) as Array<{ name: string; members: string[] }>

describe('the groups store', () => {
  it('starts empty, adds, sets and removes members, and reads back what it wrote', async () => {
    const s = await load()
    expect(s.list()).toEqual([])
    expect((await s.add('lab', [A, B, A])).ok).toBe(true)
    expect((await s.add('Lab', [C])).ok).toBe(true)
    expect(s.list().map(g => [g.name, g.members])).toEqual([['lab', [A, B, C]]])
    expect(s.holds(C)).toBe(true)
    const removed = await s.remove('LAB', [B])
    expect(removed.ok && removed.value?.members).toEqual([A, C])
    expect((await s.set('farm', [B])).ok).toBe(true)
    expect((await load()).list().map(g => [g.name, g.members])).toEqual([['farm', [B]], ['lab', [A, C]]])
    expect(statSync(join(dir, GROUPS_FILE)).mode & 0o777).toBe(0o600)
    const deleted = await s.remove('farm')
    expect(deleted).toEqual({ ok: true, value: null })
    expect(onDisk().map(g => g.name)).toEqual(['lab'])
  })

  it('answers a missing group or member with not-found, and a bad name or id with a failure', async () => {
    const s = await load()
    expect((await s.remove('lab')).ok).toBe(false)
    await s.add('lab', [A])
    const none = await s.remove('lab', [B])
    expect(!none.ok && none.error.code).toBe('not-found')
    const badName = await s.add('lab 2', [A])
    expect(!badName.ok && badName.error.code).toBe('bad-request')
    const badId = await s.add('lab', ['lab-01'])
    expect(!badId.ok && badId.error.code).toBe('bad-id')
  })

  it('keeps at most MAX_GROUPS groups', async () => {
    const s = await load()
    for (let i = 0; i < MAX_GROUPS; i++) expect((await s.add(`g${i}`, [A])).ok).toBe(true)
    const over = await s.add('one-more', [A])
    expect(!over.ok && over.error.code).toBe('too-many')
    // An existing group can still be edited.
    expect((await s.add('g0', [B])).ok).toBe(true)
    expect(onDisk().length).toBe(MAX_GROUPS)
  })

  it('answers each of many edits made together only once that edit is on disk', async () => {
    const s = await load()
    const names = ['a', 'b', 'c', 'd', 'e']
    // Each edit's answer reads the file at once: a write joined by a later edit must include it.
    const edits = await Promise.all(names.map(async n => {
      const r = await s.add(n, [A])
      return r.ok && onDisk().some(g => g.name === n)
    }))
    expect(edits).toEqual(names.map(() => true))
    expect(onDisk().map(g => g.name)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect((await s.flush()).ok).toBe(true)
  })

  it('refuses a damaged file by name instead of starting with no groups', async () => {
    const cases: unknown[] = [
      { lab: [A] },
      [{ name: 'lab', members: ['lab-01'] }],
      [{ name: 'lab,2', members: [A] }],
      [{ name: 'lab', members: [A] }, { name: 'LAB', members: [B] }],
      new Array(MAX_GROUPS + 1).fill(0).map((_, i) => ({ name: `g${i}`, members: [] }))
    ]
    for (const c of cases) {
      writeFileSync(join(dir, GROUPS_FILE), JSON.stringify(c))
      const r = await GroupsStore.load(dir)
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe('corrupt')
        expect(r.error.message).toContain(GROUPS_FILE)
      }
    }
  })
})
