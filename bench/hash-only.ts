// `--only hash`: how fast each tool turns a big file into a torrent: swarmdrop create vs sha1sum vs
// mktorrent -t 2 vs libtorrent (lt_peer.py create), plus `openssl dgst -sha256`, the floor for
// anything that also gives the whole-file SHA-256 (Swarmdrop does; the others compute SHA-1 only).
// The file is in the page cache (written, synced, read once) so the disk is not what is measured;
// tools run `rounds` times (3 by default), interleaved with the order rotated, and report median and best.

import { readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { loadavg } from 'node:os'
import { createTorrentWithLibtorrent } from '../test/interop/libtorrent-peer.js'
import { runBounded } from '../test/lab/run-command.js'
import { requireBuiltCli } from '../test/multi/cli-send.js'
import { writeRandomFile } from '../test/multi/random-content.js'
import { median } from './stats.js'
import { fmt, type TargetCheck } from './targets.js'

const MiB = 1024 * 1024
const TIMEOUT_MS = 600_000

interface Timing { readonly tool: string; readonly status: string; readonly seconds: number }
interface Run extends Timing { readonly cpuSeconds: number }
interface Tool { readonly name: string; readonly note: string; run (round: number): Promise<Timing> }
interface HashRow { readonly tool: string; readonly ok: number; readonly medianGbPerS: number; readonly bestGbPerS: number; readonly cpuSecondsPerGb: number; readonly note: string }

// Linux's USER_HZ, the unit of /proc's times: 100 on every kernel build we know of.
const CLOCK_TICKS_PER_S = 100

/** CPU seconds (user + system) of every child this process has waited for, from /proc/self/stat. */
function reapedChildrenCpuSeconds (): number {
  // Fields after the ")" that ends the command name: state is field 3, cutime 16 and cstime 17.
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_S
}

async function timed (tool: string, cmd: string, args: readonly string[]): Promise<Timing> {
  const t0 = performance.now()
  const r = await runBounded(cmd, args, { timeoutMs: TIMEOUT_MS })
  const seconds = (performance.now() - t0) / 1000
  return { tool, status: r.timedOut ? 'timeout' : r.code === 0 ? 'ok' : `failed: ${(r.spawnError ?? r.stderr.trim()).slice(0, 200)}`, seconds }
}

function tools (root: string, file: string, baselineCli: string | undefined): Tool[] {
  const baseline: Tool[] = baselineCli === undefined
    ? []
    : [{ name: 'swarmdrop create (baseline)', note: `the same, built from another tree (${baselineCli}): the A/B in one run`, run: async i => await timed('swarmdrop create (baseline)', process.execPath, [baselineCli, 'create', file, '-o', join(root, `base${i}.torrent`)]) }]
  return [
    { name: 'swarmdrop create', note: 'built CLI; wall time incl. Node start-up; SHA-1 pieces and whole-file SHA-256', run: async i => await timed('swarmdrop create', process.execPath, [requireBuiltCli(), 'create', file, '-o', join(root, `sd${i}.torrent`)]) },
    ...baseline,
    { name: 'sha1sum', note: 'coreutils, one SHA-1 over the whole file, one thread', run: async () => await timed('sha1sum', 'sha1sum', [file]) },
    { name: 'openssl dgst -sha256', note: 'one SHA-256 over the whole file, one thread: the floor for a tool that reports the SHA-256', run: async () => await timed('openssl dgst -sha256', 'openssl', ['dgst', '-sha256', file]) },
    { name: 'mktorrent -t 2', note: '2 hashing threads, SHA-1 only', run: async i => await timed('mktorrent -t 2', 'mktorrent', ['-t', '2', '-a', 'http://127.0.0.1/announce', '-o', join(root, `mk${i}.torrent`), file]) },
    {
      name: 'libtorrent create',
      note: 'lt_peer.py create (Python start-up included), SHA-1 only',
      run: async i => {
        const t0 = performance.now()
        const lt = await createTorrentWithLibtorrent(file, join(root, `lt${i}.torrent`), undefined, { timeoutMs: TIMEOUT_MS })
        return { tool: 'libtorrent create', status: lt.ok ? 'ok' : `failed: ${lt.error.message.slice(0, 200)}`, seconds: (performance.now() - t0) / 1000 }
      }
    }
  ]
}

export async function hashOnly (root: string, sizeMiB: number, rounds: number, baselineCli?: string): Promise<{ markdown: string; json: unknown; targets: TargetCheck[] }> {
  const dir = join(root, 'hash')
  try {
    return await measure(dir, sizeMiB, rounds, baselineCli)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function measure (root: string, sizeMiB: number, rounds: number, baselineCli: string | undefined): Promise<{ markdown: string; json: unknown; targets: TargetCheck[] }> {
  const bytes = sizeMiB * MiB
  const file = join(root, `hash-${sizeMiB}m.bin`)
  console.log(`writing ${sizeMiB} MiB of random bytes to ${file} ...`)
  await writeRandomFile(file, bytes)
  // Dirty pages flushed now, not during whichever tool runs first; then the page cache is warmed.
  await runBounded('sync', [], { timeoutMs: TIMEOUT_MS })
  await runBounded('cat', [file], { timeoutMs: TIMEOUT_MS })
  const list = tools(root, file, baselineCli)
  const runs: Run[] = []
  const load: number[] = []
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < list.length; k++) {
      const tool = list[(k + round) % list.length]
      if (tool === undefined) continue
      load.push(loadavg()[0] ?? NaN)
      const cpuBefore = reapedChildrenCpuSeconds()
      const timing = await tool.run(round)
      const r: Run = { ...timing, cpuSeconds: reapedChildrenCpuSeconds() - cpuBefore }
      console.log(`  round ${round + 1}: ${r.tool} ${r.status} ${r.seconds.toFixed(2)} s, ${r.cpuSeconds.toFixed(2)} CPU-s`)
      runs.push(r)
    }
  }
  const rows: HashRow[] = list.map(t => {
    const okRuns = runs.filter(r => r.tool === t.name && r.status === 'ok')
    const ok = okRuns.map(r => bytes / r.seconds / 1e9)
    const cpu = okRuns.map(r => r.cpuSeconds / (bytes / 1e9))
    return { tool: t.name, ok: ok.length, medianGbPerS: ok.length > 0 ? median(ok) : NaN, bestGbPerS: ok.length > 0 ? Math.max(...ok) : NaN, cpuSecondsPerGb: cpu.length > 0 ? median(cpu) : NaN, note: t.note }
  })
  const rate = (name: string): number => rows.find(r => r.tool === name)?.medianGbPerS ?? NaN
  const sd = rate('swarmdrop create')
  const judge = (x: number, want: number): boolean | undefined => Number.isFinite(x) && Number.isFinite(want) ? x >= want : undefined
  const targets: TargetCheck[] = [
    { part: 'hash', what: 'torrent creation, median GB/s: Swarmdrop vs 1.8 × sha1sum', measured: `${fmt(sd)} vs ${fmt(1.8 * rate('sha1sum'))} GB/s`, target: '≥ 1.8 × sha1sum', met: judge(sd, 1.8 * rate('sha1sum')) },
    { part: 'hash', what: 'torrent creation, median GB/s: Swarmdrop vs mktorrent -t 2', measured: `${fmt(sd)} vs ${fmt(rate('mktorrent -t 2'))} GB/s`, target: 'faster than mktorrent', met: judge(sd, rate('mktorrent -t 2')) },
    { part: 'hash', what: 'torrent creation, median GB/s: Swarmdrop vs libtorrent', measured: `${fmt(sd)} vs ${fmt(rate('libtorrent create'))} GB/s`, target: 'faster than libtorrent', met: judge(sd, rate('libtorrent create')) }
  ]
  const md = [
    `Torrent creation of a ${sizeMiB} MiB random file (in page cache), ${rounds} rounds interleaved with the order rotated; GB/s = 10^9 bytes per second of wall time. Load average during the runs: median ${fmt(median(load), 1)}.`,
    '',
    '| tool | runs ok | GB/s median | GB/s best | CPU-s per GB, median | note |',
    '|---|---|---|---|---|---|',
    ...rows.map(r => `| ${r.tool} | ${r.ok}/${rounds} | ${fmt(r.medianGbPerS)} | ${fmt(r.bestGbPerS)} | ${fmt(r.cpuSecondsPerGb)} | ${r.note} |`),
    '',
    'Swarmdrop computes SHA-1 per piece and the whole-file SHA-256 in one read (about 1.2 CPU-seconds per GB here, twice what SHA-1 alone costs), so on two cores its ceiling is near the single-core SHA-256 row, while mktorrent and libtorrent compute SHA-1 only. Debian\'s sha1sum does not use the CPU\'s SHA instructions.',
    ''
  ].join('\n')
  return { markdown: md, json: { sizeMiB, rounds, loadAverage: load, runs, rows }, targets }
}
