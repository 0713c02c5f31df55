// A path is hashed once: `send --all` starts hashing while it waits for discovery and then sends
// the same path, so a second create of a path being hashed joins the first, and one made moments
// ago is reused while none of its files changed (a changed file is hashed again).
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { HashingEvent } from '../../../main/core/node/events.js'
import { SwarmNode } from '../../../main/core/node/swarm-node.js'

const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-create-once-')); dirs.push(d); return d }
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

function folder (root: string): string {
  const dir = join(root, 'segments')
  mkdirSync(join(dir, 'd0'), { recursive: true })
  for (let i = 0; i < 200; i++) writeFileSync(join(dir, 'd0', `seg${i}.ts`), Buffer.alloc(8192, i))
  return dir
}

describe('creating a distribution of a path', () => {
  it('hashes a path once for two creates at the same time, reuses it while unchanged, and hashes again after a change', async () => {
    const root = tmp()
    const started = await SwarmNode.start({ dataDir: join(root, 'data'), overrides: { btPort: 0, controlPort: 0 }, anyPortIfTaken: true })
    if (!started.ok) throw new Error(started.error.message)
    const node = started.value
    const jobs = new Set<string>()
    node.on('hashing', (e: HashingEvent) => jobs.add(e.jobId))
    try {
      const path = folder(root)
      const [a, b] = await Promise.all([node.createDistribution(path, 'first'), node.createDistribution(path, 'second')])
      if (!a.ok || !b.ok) throw new Error(`create failed: ${a.ok ? '' : a.error.message} ${b.ok ? '' : b.error.message}`)
      expect(b.value.infoHash).toBe(a.value.infoHash)
      expect([...jobs]).toEqual(['first'])

      const again = await node.createDistribution(path, 'third')
      expect(again.ok && again.value.infoHash).toBe(a.value.infoHash)
      expect(jobs.has('third')).toBe(false)

      // Same bytes, a new mtime: the stamps no longer match, so it is hashed again.
      utimesSync(join(path, 'd0', 'seg7.ts'), new Date(), new Date(Date.now() + 5_000))
      const changed = await node.createDistribution(path, 'fourth')
      expect(changed.ok).toBe(true)
      expect(jobs.has('fourth')).toBe(true)
    } finally {
      await node.stop()
    }
  }, 60_000)
})
