// Devices on loopback for a test file: SwarmNodes started in scratch folders of their own, made to
// know each other by address (as machines added by address are: no mDNS needed), all stopped and
// their folders removed after the file's tests.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import type { Peer } from '../../../main/core/discovery/peer-info.js'
import { SwarmNode } from '../../../main/core/node/swarm-node.js'

export interface StartOptions {
  /** Its data folder (a restart on the same one keeps its identity); a fresh one by default. */
  readonly dataDir?: string
  /** Filled with the node's warnings from its start on (those said while it starts included). */
  readonly warnings?: string[]
}

export interface LoopbackNodes {
  /** A scratch folder, removed after the file's tests. */
  tmp (): string
  start (name: string, overrides?: Record<string, unknown>, opts?: StartOptions): Promise<SwarmNode>
  /** `n` as a machine added by address, under `name`. */
  listing (n: SwarmNode, name: string): Peer
  /** `a` and `b` each list the other by address. */
  pair (a: SwarmNode, aName: string, b: SwarmNode, bName: string): void
}

export function loopbackNodes (prefix: string): LoopbackNodes {
  const dirs: string[] = []
  const nodes: SwarmNode[] = []
  afterAll(async () => {
    for (const n of nodes) await n.stop()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), prefix))
    dirs.push(d)
    return d
  }
  const listing = (n: SwarmNode, name: string): Peer => ({ id: n.identity.id, name, platform: 'linux', version: 'test', controlPort: n.controlPort, btPort: n.engine.port, address: '127.0.0.1', lastSeen: Date.now() })
  return {
    tmp,
    listing,
    async start (name, overrides = {}, opts = {}) {
      const warnings = opts.warnings
      const r = await SwarmNode.start({
        dataDir: opts.dataDir ?? tmp(),
        overrides: { btPort: 0, controlPort: 0, name, ...overrides },
        anyPortIfTaken: true,
        ...(warnings !== undefined ? { beforeResume: (n: SwarmNode) => { n.on('warning', m => warnings.push(m)) } } : {})
      })
      if (!r.ok) throw new Error(r.error.message)
      nodes.push(r.value)
      return r.value
    },
    pair (a, aName, b, bName) {
      a.discovery.setDirect(listing(b, bName))
      b.discovery.setDirect(listing(a, aName))
    }
  }
}

/** Waits until `check` holds, polling every 50 ms, at most `ms`; answers how long it took. */
export async function until (what: string, check: () => boolean, ms = 20_000): Promise<number> {
  const begin = Date.now()
  while (!check()) {
    if (Date.now() - begin > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return Date.now() - begin
}
