// `--only link`: one seeder, one downloader, the same random file (1 GiB by default) sent by
// libtorrent, by Swarmdrop's explicit-peer mode (seed/get --peer) and by Swarmdrop as shipped
// (agent + send --to --wait), interleaved over a few rounds in one unshaped lab of two namespaces
// (veth + bridge, no tc cap): loopback would put both agents on one host, where mDNS and the
// control ports collide. Target: Swarmdrop ≥ libtorrent in MB/s.

import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Lab } from '../test/lab/netns-lab.js'
import { writeRandomFile } from '../test/multi/random-content.js'
import { sha256File } from '../test/multi/tree-digest.js'
import { linkLibtorrent } from './link-libtorrent.js'
import { LINK_TOOLS, measureLink, type LinkFn, type LinkResult, type LinkTool } from './link-run.js'
import { linkSwarmdropAgent } from './link-sd-agent.js'
import { linkSwarmdropPeer } from './link-sd-peer.js'
import type { PartReport } from './part-output.js'
import { ProcSampler } from './proc-sampler.js'
import { createTorrent } from './sd-create.js'
import { cpuPerGiB, max, median, min } from './stats.js'
import { fmt, type TargetCheck } from './targets.js'
import { settleFreedMemory } from './freed-memory.js'
import { WireWatch } from './wire-watch.js'

const MiB = 1024 * 1024
const LAB_FAMILY = 'bl'

/** Each tool's run; the baseline is the agent method with the other build's CLI. */
function toolFns (baselineCli: string | undefined): Readonly<Record<LinkTool, LinkFn>> {
  return {
    libtorrent: linkLibtorrent,
    'swarmdrop-peer': linkSwarmdropPeer,
    'swarmdrop-agent': linkSwarmdropAgent,
    'swarmdrop-agent-baseline': async ctx => await linkSwarmdropAgent({ ...ctx, cli: baselineCli ?? ctx.cli })
  }
}

const TOOL_LABELS: Readonly<Record<LinkTool, string>> = {
  libtorrent: 'libtorrent (lt_peer.py seed / get --peer)',
  'swarmdrop-peer': 'Swarmdrop seed / get --peer',
  'swarmdrop-agent': 'Swarmdrop agent --accept all / send --to --wait',
  'swarmdrop-agent-baseline': 'the same, baseline build (--link-baseline)'
}

/** A run's budget: generous against 20 MB/s, so only a stall hits it. */
function runTimeoutMs (bytes: number): number {
  return Math.ceil(120_000 + bytes / 20e6 * 1000)
}

function summaryRows (tools: readonly LinkTool[], results: readonly LinkResult[]): string[] {
  return tools.map((tool) => {
    const mine = results.filter((r) => r.tool === tool && r.status === 'ok')
    const all = results.filter((r) => r.tool === tool)
    const mb = mine.map((r) => r.mbPerS)
    return `| ${TOOL_LABELS[tool]} | ${mine.length}/${all.length} | ${fmt(median(mb), 1)} | ${fmt(min(mb), 1)}–${fmt(max(mb), 1)} | ${fmt(median(mine.map((r) => r.wireMBPerS)), 1)} | ${fmt(median(mine.map((r) => r.originCpuS)), 1)} | ${fmt(median(mine.map((r) => r.recipientCpuS)), 1)} | ${fmt(median(mine.map(linkCpuPerGiB)), 2)} | ${fmt(max(mine.map((r) => r.originPeakRssMiB)), 0)} / ${fmt(max(mine.map((r) => r.recipientPeakRssMiB)), 0)} |`
  })
}

/** Both sides' CPU seconds per GiB of the file moved (its size is MB/s × seconds). */
function linkCpuPerGiB (r: LinkResult): number {
  return cpuPerGiB(r.originCpuS + r.recipientCpuS, r.mbPerS * 1e6 * r.seconds)
}

function runRows (results: readonly LinkResult[]): string[] {
  return results.map((r) => `| ${r.tool} | ${r.round} | ${r.status} | ${fmt(r.seconds)} | ${fmt(r.mbPerS, 1)} | ${fmt(r.wireSeconds)} | ${fmt(r.wireMBPerS, 1)} | ${fmt(r.originCpuS, 1)} | ${fmt(r.recipientCpuS, 1)} | ${fmt(r.rxExcessBytes / MiB, 2)} |`)
}

function targets (results: readonly LinkResult[]): TargetCheck[] {
  const med = (tool: LinkTool): number => median(results.filter((r) => r.tool === tool && r.status === 'ok').map((r) => r.mbPerS))
  const lt = med('libtorrent')
  return (['swarmdrop-peer', 'swarmdrop-agent'] as const).map((tool) => {
    const sd = med(tool)
    const judged = Number.isFinite(sd) && Number.isFinite(lt)
    return {
      part: 'link',
      what: `single link, median MB/s: ${TOOL_LABELS[tool]} vs libtorrent`,
      measured: `${fmt(sd, 1)} vs ${fmt(lt, 1)} MB/s (${fmt(sd / lt)}×)`,
      target: 'Swarmdrop ≥ libtorrent',
      met: judged ? sd >= lt : undefined
    }
  })
}

export async function singleLink (root: string, cli: string, sizeMiB: number, rounds: number, baselineCli?: string): Promise<PartReport> {
  const tools: readonly LinkTool[] = baselineCli === undefined ? LINK_TOOLS : [...LINK_TOOLS, 'swarmdrop-agent-baseline']
  const fns = toolFns(baselineCli)
  const bytes = sizeMiB * MiB
  const dir = join(root, 'link')
  const fileName = `link-${sizeMiB}m.bin`
  const source = join(dir, 'origin', fileName)
  console.log(`link: writing ${sizeMiB} MiB of random bytes to ${source} ...`)
  await writeRandomFile(source, bytes)
  const sha256 = await sha256File(source)
  const created = await createTorrent(cli, source, join(dir, `${fileName}.torrent`), 600_000)
  if (created.sha256 !== sha256) throw new Error(`swarmdrop create reports SHA-256 ${created.sha256}, the file has ${sha256}`)

  const made = await Lab.create({ prefix: LAB_FAMILY, hosts: [{ name: 'origin' }, { name: 'r1' }] })
  if (!made.ok) throw new Error(`Lab.create: ${made.error.message}`)
  const lab = made.value
  const warnings = [...lab.warnings]
  const results: LinkResult[] = []
  const settleWaits: number[] = []
  const started = Date.now()
  const wire = new WireWatch(lab.host('r1'))
  try {
    const sampler = new ProcSampler(lab.hosts)
    wire.start()
    const timeoutMs = runTimeoutMs(bytes)
    for (let round = 1; round <= rounds; round++) {
      // Rotate the order each round, so no tool always runs first (cold caches) or last.
      const order = tools.map((_, k) => tools[(k + round - 1) % tools.length]).filter((t): t is LinkTool => t !== undefined)
      for (const tool of order) {
        const runDir = join(dir, `${tool}-${round}`)
        await mkdir(runDir, { recursive: true })
        const settled = await settleFreedMemory()
        if (settled.reporting) settleWaits.push(settled.waitedMs / 1000)
        console.log(`link round ${round}/${rounds} ${tool}: running (timeout ${(timeoutMs / 1000).toFixed(0)} s${settled.reporting ? `; waited ${fmt(settled.waitedMs / 1000, 1)} s for freed memory to reach the host, ${fmt(settled.reportedKiB / 1024, 0)} MiB` : ''}) ...`)
        const r = await measureLink(tool, round, fns[tool], {
          lab, origin: lab.host('origin'), recipient: lab.host('r1'), source, fileName, bytes, sha256, torrent: created.torrent, cli, dir: runDir, timeoutMs
        }, sampler, wire)
        results.push(r)
        console.log(`link round ${round}/${rounds} ${tool}: ${r.status}, ${fmt(r.seconds)} s, ${fmt(r.mbPerS, 1)} MB/s (wire ${fmt(r.wireMBPerS, 1)} MB/s), CPU origin ${fmt(r.originCpuS, 1)} s / recipient ${fmt(r.recipientCpuS, 1)} s${r.error === undefined ? '' : `\n  ${r.error.split('\n').slice(0, 6).join('\n  ')}`}`)
      }
    }
  } finally {
    wire.stop()
    const d = await lab.destroy()
    if (!d.ok) warnings.push(`lab teardown: ${d.error.message}`)
  }
  const timings = tools.map((tool) => {
    const t = results.find((r) => r.tool === tool)?.extra['timing']
    return `- ${tool}: ${typeof t === 'string' ? t : 'n/a'}`
  })
  const markdown = [
    `Single link: one seeder → one downloader, ${sizeMiB} MiB random file, piece ${created.pieceLength / 1024} KiB (the same Swarmdrop-made .torrent for every tool), ${rounds} round(s), tools interleaved.`,
    'Where: two network namespaces of one lab (veth + bridge, no tc cap, no added delay), not loopback: the agents need mDNS and a control port each. MB/s = 10^6 bytes/s over the timed part.',
    '',
    '| tool | runs ok | MB/s median | MB/s min–max | wire MB/s median | origin CPU s median | recipient CPU s median | CPU s per GiB (both) median | peak RSS MiB origin / recipient |',
    '|---|---|---|---|---|---|---|---|---|',
    ...summaryRows(tools, results),
    '',
    '| tool | round | status | seconds | MB/s | wire s | wire MB/s | origin CPU s | recipient CPU s | rx beyond one copy (MiB) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runRows(results),
    '',
    'Timed part of each tool:',
    ...timings,
    '- wire: the recipient\'s cable counters, from the first MiB of payload to the whole file (headers taken off); CPU: user+system seconds of every process in the host\'s namespace inside the timed part; CPU s per GiB: origin + recipient CPU seconds ÷ the file\'s GiB.',
    '- Peak RSS: largest VmHWM of one process in the host\'s namespace in the window (Swarmdrop seed and send include their hashing). libtorrent 2 does its disk I/O through mmap, so its RSS counts the file\'s pages in the page cache: not comparable with Node\'s heap and buffers.',
    `- Other work ran on this 2-core machine at the same time: compare tools within this run. Run took ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    settleWaits.length > 0
      ? `- Before each tool the bench waited until the memory freed by the previous copy's deletion had been reported to the VM's host (free page reporting; ${fmt(min(settleWaits), 1)}–${fmt(max(settleWaits), 1)} s), so no tool writes into pages another just freed (bench/freed-memory.ts).`
      : '- This kernel reports no free pages to a host: no wait between tools.',
    ...warnings.map((w) => `- Warning: ${w}`),
    ...results.filter((r) => r.error !== undefined).map((r) => `- Error ${r.tool} round ${r.round}: ${(r.error ?? '').split('\n')[0] ?? ''}`),
    ''
  ].join('\n')
  return { part: 'link', markdown, json: { sizeMiB, rounds, pieceLength: created.pieceLength, where: 'two namespaces of one unshaped lab (veth)', results, warnings }, targets: targets(results) }
}
