// Swarmdrop's explicit-peer mode over one link, the equal of libtorrent's: `swarmdrop seed
// FILE.torrent --in DIR` on the origin (it hashes the data before serving: untimed) and `swarmdrop
// get FILE.torrent --peer ORIGIN:PORT --out DIR` on the recipient. Timed: from starting get (Node
// start-up included) to its "done" line (every piece checked, then the whole file's SHA-256).

import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { LinkContext, LinkOutcome } from './link-run.js'
import { NsJsonProcess } from './ns-json-process.js'

const PORT = 6882
const SEED_HASH_TIMEOUT_MS = 300_000

export async function linkSwarmdropPeer (ctx: LinkContext): Promise<LinkOutcome> {
  const outDir = join(ctx.dir, 'sd-peer-copy')
  await mkdir(outDir, { recursive: true })
  const seed = new NsJsonProcess(ctx.lab, ctx.origin, 'swarmdrop seed', process.execPath, [ctx.cli, 'seed', ctx.torrent, '--in', dirname(ctx.source), '--bt-port', String(PORT), '--json'])
  let get: NsJsonProcess | undefined
  try {
    const seeding = await seed.waitFor((v) => v['event'] === 'seeding', SEED_HASH_TIMEOUT_MS, '"seeding" line')
    if (!seeding.ok) throw new Error(seeding.error.message)
    ctx.openWindow()
    const startAt = Date.now()
    get = new NsJsonProcess(ctx.lab, ctx.recipient, 'swarmdrop get', process.execPath, [
      ctx.cli, 'get', ctx.torrent, '--peer', `${ctx.origin.ip}:${PORT}`, '--out', outDir, '--json', '--timeout', String(Math.ceil(ctx.timeoutMs / 1000))
    ])
    const done = await get.waitFor((v) => v['event'] === 'done', ctx.timeoutMs + 10_000, '"done" line')
    ctx.closeWindow()
    if (!done.ok) throw new Error(done.error.message)
    const v = done.value.value
    if (v['ok'] !== true || typeof v['path'] !== 'string') throw new Error(`swarmdrop get failed: ${String(v['reason'])}${get.tail()}`)
    return {
      startAt,
      doneAt: done.value.at,
      copy: v['path'],
      extra: {
        timing: 'starting swarmdrop get (Node start-up included) to its "done" line (pieces checked, then the whole file\'s SHA-256)',
        getOwnSeconds: typeof v['seconds'] === 'number' ? v['seconds'] : NaN,
        seedHashSeconds: (seeding.value.at - seed.startedAt) / 1000,
        hashFailures: typeof v['hashFailures'] === 'number' ? v['hashFailures'] : NaN
      }
    }
  } finally {
    ctx.closeWindow()
    await get?.stop()
    await seed.stop()
  }
}
