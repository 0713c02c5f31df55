// `swarmdrop create FILE -o FILE.torrent --json` with the built CLI: the metainfo every tool of a
// part shares, and its piece length.

import { runBounded } from '../test/lab/run-command.js'

export interface CreatedTorrent {
  readonly torrent: string
  readonly pieceLength: number
  readonly pieces: number
  readonly sha256: string
}

export async function createTorrent (cli: string, source: string, torrent: string, timeoutMs: number): Promise<CreatedTorrent> {
  const r = await runBounded(process.execPath, [cli, 'create', source, '-o', torrent, '--json'], { timeoutMs })
  if (r.code !== 0) throw new Error(`swarmdrop create: ${r.timedOut ? 'timed out' : `exit ${String(r.code)}`} ${r.spawnError ?? r.stderr.trim()}`)
  let v: unknown
  try { v = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') } catch { v = undefined }
  const o = typeof v === 'object' && v !== null ? v as Record<string, unknown> : {}
  const { pieceLength, pieces, sha256 } = o
  if (typeof pieceLength !== 'number' || typeof pieces !== 'number' || typeof sha256 !== 'string') throw new Error(`swarmdrop create: unexpected output ${r.stdout.slice(0, 300)}`)
  return { torrent, pieceLength, pieces, sha256 }
}
