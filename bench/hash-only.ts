// `--only hash`: how fast each tool turns a big file into a torrent (or just its SHA-1s):
// swarmdrop create vs sha1sum vs mktorrent -t 2 vs libtorrent (lt_peer.py create), one after
// another on the same file, with the file in the page cache (written just before, and read once
// by a warm-up pass) so the disk is not what is measured.

import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createTorrentWithLibtorrent } from '../test/interop/libtorrent-peer.js'
import { runBounded } from '../test/lab/run-command.js'
import { requireBuiltCli } from '../test/multi/cli-send.js'
import { writeRandomFile } from '../test/multi/random-content.js'

const MiB = 1024 * 1024
const TIMEOUT_MS = 600_000

interface HashRow { readonly tool: string; readonly status: string; readonly seconds: number; readonly gbPerS: number; readonly note: string }

async function timed (tool: string, cmd: string, args: readonly string[], bytes: number, note: string): Promise<HashRow> {
  const t0 = performance.now()
  const r = await runBounded(cmd, args, { timeoutMs: TIMEOUT_MS })
  const seconds = (performance.now() - t0) / 1000
  const status = r.timedOut ? 'timeout' : r.code === 0 ? 'ok' : `failed: ${(r.spawnError ?? r.stderr.trim()).slice(0, 200)}`
  return { tool, status, seconds, gbPerS: status === 'ok' ? bytes / seconds / 1e9 : NaN, note }
}

export async function hashOnly (root: string, sizeMiB: number): Promise<{ markdown: string; json: unknown }> {
  const dir = join(root, 'hash')
  try {
    return await measure(dir, sizeMiB)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function measure (root: string, sizeMiB: number): Promise<{ markdown: string; json: unknown }> {
  const bytes = sizeMiB * MiB
  const file = join(root, `hash-${sizeMiB}m.bin`)
  console.log(`writing ${sizeMiB} MiB of random bytes to ${file} ...`)
  await writeRandomFile(file, bytes)
  await runBounded('cat', [file], { timeoutMs: TIMEOUT_MS }) // warm the page cache
  const rows: HashRow[] = []
  rows.push(await timed('swarmdrop create', process.execPath, [requireBuiltCli(), 'create', file, '-o', join(root, 'sd.torrent')], bytes, 'built CLI; wall time incl. Node start-up'))
  rows.push(await timed('sha1sum', 'sha1sum', [file], bytes, 'coreutils, one SHA-1 over the whole file, one thread'))
  rows.push(await timed('mktorrent -t 2', 'mktorrent', ['-t', '2', '-a', 'http://127.0.0.1/announce', '-o', join(root, 'mk.torrent'), file], bytes, '2 hashing threads'))
  const t0 = performance.now()
  const lt = await createTorrentWithLibtorrent(file, join(root, 'lt.torrent'), undefined, { timeoutMs: TIMEOUT_MS })
  const wall = (performance.now() - t0) / 1000
  rows.push(lt.ok
    ? { tool: 'libtorrent create', status: 'ok', seconds: wall, gbPerS: bytes / wall / 1e9, note: `lt_peer.py create; libtorrent's own hashing time ${lt.value.seconds.toFixed(2)} s (${(bytes / lt.value.seconds / 1e9).toFixed(2)} GB/s), piece ${lt.value.pieceLength / 1024} KiB` }
    : { tool: 'libtorrent create', status: `failed: ${lt.error.message.slice(0, 200)}`, seconds: wall, gbPerS: NaN, note: '' })
  const md = [
    `Torrent creation of a ${sizeMiB} MiB random file (in page cache), GB/s = 10^9 bytes per second of wall time:`,
    '',
    '| tool | status | seconds | GB/s | note |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.tool} | ${r.status} | ${r.seconds.toFixed(2)} | ${Number.isFinite(r.gbPerS) ? r.gbPerS.toFixed(2) : '–'} | ${r.note} |`),
    ''
  ].join('\n')
  return { markdown: md, json: { sizeMiB, rows } }
}
