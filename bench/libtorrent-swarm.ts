// The reference swarm: libtorrent (test/interop/lt_peer.py) on every host. The origin seeds;
// each recipient runs `lt_peer.py get` dialling the origin and every other recipient explicitly
// (no tracker, no DHT, no discovery) and keeps seeding after it completes, until all are done.

import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { createTorrentWithLibtorrent, startLibtorrentPeer, type LibtorrentPeer } from '../test/interop/libtorrent-peer.js'
import type { LabHost } from '../test/lab/netns-lab.js'
import type { BenchContext, MethodOutcome } from './method.js'

const LT_PORT = 6881

function inNs (host: LabHost): string[] {
  return ['ip', 'netns', 'exec', host.ns]
}

export async function libtorrentSwarm (ctx: BenchContext): Promise<MethodOutcome> {
  const torrent = join(ctx.root, 'lt', `${ctx.fileName}.torrent`)
  await mkdir(dirname(torrent), { recursive: true })
  const created = await createTorrentWithLibtorrent(ctx.source, torrent, undefined, { timeoutMs: 300_000 })
  if (!created.ok) throw new Error(`lt_peer.py create: ${created.error.message}`)
  const scriptTimeout = Math.ceil(ctx.timeoutMs / 1000) + 30
  const peers: LibtorrentPeer[] = []
  const copyOf = (h: LabHost): string => join(ctx.root, 'lt', h.name, ctx.fileName)
  const copies = ctx.recipients.map(copyOf)
  try {
    const seed = await startLibtorrentPeer({
      mode: 'seed', torrent, savePath: dirname(ctx.source), listen: `${ctx.origin.ip}:${LT_PORT}`,
      commandPrefix: inNs(ctx.origin), trust: 'seed-mode', timeoutSeconds: scriptTimeout
    })
    if (!seed.ok) throw new Error(`libtorrent seed: ${seed.error.message}`)
    peers.push(seed.value)
    const everyone = [ctx.origin, ...ctx.recipients].map((h) => `${h.ip}:${LT_PORT}`)
    const t0 = performance.now()
    const started = await Promise.all(ctx.recipients.map(async (h) => {
      await mkdir(dirname(copyOf(h)), { recursive: true })
      return await startLibtorrentPeer({
        mode: 'get', torrent, savePath: dirname(copyOf(h)), listen: `${h.ip}:${LT_PORT}`,
        peers: everyone.filter((p) => p !== `${h.ip}:${LT_PORT}`),
        staySeconds: scriptTimeout, timeoutSeconds: scriptTimeout, redialSeconds: 1
      ,
        commandPrefix: inNs(h)
      })
    }))
    for (const s of started) if (s.ok) peers.push(s.value)
    const bad = started.find((s) => !s.ok)
    if (bad !== undefined && !bad.ok) throw new Error(`libtorrent get: ${bad.error.message}`)
    const getters = started.flatMap((s) => (s.ok ? [s.value] : []))
    const doneAt: number[] = []
    const done = await Promise.all(getters.map(async (g) => {
      const left = ctx.timeoutMs - (performance.now() - t0)
      const d = await g.waitForDone(Math.max(1, left))
      doneAt.push((performance.now() - t0) / 1000)
      return d
    }))
    const total = (performance.now() - t0) / 1000
    ctx.closeWindow()
    const failed = done.find((d) => !d.ok)
    if (failed !== undefined && !failed.ok) {
      return { status: failed.error.code === 'timeout' ? 'timeout' : 'failed', error: failed.error.message, timeToAllS: NaN, copies, extra: {}, timing: '' }
    }
    const own = done.flatMap((d) => (d.ok ? [d.value.seconds] : []))
    return {
      status: 'ok',
      timeToAllS: total,
      copies,
      extra: {
        perCopySeconds: doneAt.sort((a, b) => a - b),
        libtorrentOwnSecondsMax: Math.max(...own),
        pieceLength: created.value.pieceLength,
        seedUploadedPayloadBytes: seed.value.lastProgress?.uploaded ?? NaN
      },
      timing: 'wall clock from starting every lt_peer.py get (incl. python/libtorrent start-up) to the last "done" (all pieces hash-checked, on disk)'
    }
  } finally {
    ctx.closeWindow()
    await Promise.all(peers.map(async (p) => await p.stop()))
  }
}
