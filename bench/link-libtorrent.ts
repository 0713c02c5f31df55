// libtorrent over one link: lt_peer.py seeds on the origin (data checked before it listens for
// real, untimed) and `lt_peer.py get` on the recipient dials it. Timed: from starting the getter
// (python and libtorrent start-up included) to its "done" (every piece hash-checked, on disk).

import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { startLibtorrentPeer, type LibtorrentPeer } from '../test/interop/libtorrent-peer.js'
import type { LabHost } from '../test/lab/netns-lab.js'
import type { LinkContext, LinkOutcome } from './link-run.js'

const PORT = 6881
const SEED_CHECK_TIMEOUT_MS = 300_000

function inNs (host: LabHost): string[] {
  return ['ip', 'netns', 'exec', host.ns]
}

export async function linkLibtorrent (ctx: LinkContext): Promise<LinkOutcome> {
  const scriptTimeout = Math.ceil((SEED_CHECK_TIMEOUT_MS + ctx.timeoutMs) / 1000)
  const peers: LibtorrentPeer[] = []
  const saveDir = join(ctx.dir, 'lt-copy')
  await mkdir(saveDir, { recursive: true })
  try {
    const seed = await startLibtorrentPeer({
      mode: 'seed', torrent: ctx.torrent, savePath: dirname(ctx.source), listen: `${ctx.origin.ip}:${PORT}`,
      commandPrefix: inNs(ctx.origin), trust: 'check', timeoutSeconds: scriptTimeout
    })
    if (!seed.ok) throw new Error(`libtorrent seed: ${seed.error.message}`)
    peers.push(seed.value)
    const seeding = await seed.value.waitForEvent('seeding', SEED_CHECK_TIMEOUT_MS)
    if (!seeding.ok) throw new Error(`libtorrent seed: ${seeding.error.message}\n${seed.value.stderrTail()}`)

    ctx.openWindow()
    const startAt = Date.now()
    const get = await startLibtorrentPeer({
      mode: 'get', torrent: ctx.torrent, savePath: saveDir, listen: `${ctx.recipient.ip}:${PORT}`,
      peers: [`${ctx.origin.ip}:${PORT}`], commandPrefix: inNs(ctx.recipient), timeoutSeconds: scriptTimeout, redialSeconds: 1
    })
    if (!get.ok) throw new Error(`libtorrent get: ${get.error.message}`)
    peers.push(get.value)
    const done = await get.value.waitForDone(ctx.timeoutMs)
    const doneAt = Date.now()
    ctx.closeWindow()
    if (!done.ok) throw new Error(`libtorrent get: ${done.error.message}\n${get.value.stderrTail()}`)
    return {
      startAt,
      doneAt,
      copy: join(saveDir, ctx.fileName),
      extra: {
        timing: 'starting lt_peer.py get (python + libtorrent start-up) to its "done" line (all pieces hash-checked, cache flushed)',
        libtorrentOwnSeconds: done.value.seconds,
        seedCheckSeconds: seeding.value.seconds,
        hashFailedBytes: done.value.hashFailedBytes
      }
    }
  } finally {
    ctx.closeWindow()
    await Promise.all(peers.map(async (p) => await p.stop()))
  }
}
