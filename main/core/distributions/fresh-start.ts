// A download whose NAME.part does not exist yet has nothing on disk to check. Left alone,
// WebTorrent's start-up check asks the store for every piece of it anyway (2,048 failed reads for
// 256 MiB, each creating the file or its folders first), 0.1–0.3 s between accepting an offer and
// the first request. An empty start-up bitfield tells it there is nothing to check.
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Metainfo } from '../torrent/metainfo.js'
import { partName, type Placement } from './finish.js'

/** An all-clear bitfield when `p`'s NAME.part does not exist, else undefined (check what is there). */
export async function freshBitfield (m: Pick<Metainfo, 'pieceCount'>, p: Placement): Promise<Uint8Array | undefined> {
  try {
    await stat(join(p.downloadsDir, partName(p)))
    return undefined
  } catch (err) {
    // Only "not there" is fresh; anything else (no permission, …) keeps the check, which reports it.
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? new Uint8Array(Math.ceil(m.pieceCount / 8)) : undefined
  }
}
