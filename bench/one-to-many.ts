// The one-to-many table (part `table`): one origin, N recipients on a shaped lab LAN, the same
// random file sent four ways (plain sequential copies, plain parallel copies, a libtorrent swarm,
// Swarmdrop), side by side, one lab (family `bn`) per N.

import { mkdir, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, release } from 'node:os'
import { join } from 'node:path'
import { Lab } from '../test/lab/netns-lab.js'
import { writeRandomFile } from '../test/multi/random-content.js'
import { sha256File } from '../test/multi/tree-digest.js'
import { libtorrentSwarm } from './libtorrent-swarm.js'
import { measureMethod, type MethodFn, type MethodResult } from './method.js'
import type { BenchOptions, MethodName } from './options.js'
import { settleFreedMemory } from './freed-memory.js'
import { RESULTS_DIR, resultStem, type PartReport } from './part-output.js'
import { plainParallel, plainSequential } from './plain-copy.js'
import { ProcSampler } from './proc-sampler.js'
import { markdownTable, tableTargets, type BenchRecord } from './report.js'
import { swarmdropSwarm } from './swarmdrop-swarm.js'

const MiB = 1024 * 1024
const LAB_FAMILY = 'bn'

const METHOD_FNS: Readonly<Record<MethodName, MethodFn>> = {
  'plain-sequential': plainSequential,
  'plain-parallel': plainParallel,
  libtorrent: libtorrentSwarm,
  swarmdrop: swarmdropSwarm
}

/** A method's budget: generous against one copy's line-rate time, so only a real stall hits it. */
function methodTimeoutMs (method: MethodName, n: number, oneCopyS: number): number {
  const copies = method === 'plain-sequential' || method === 'plain-parallel' ? n : Math.max(2, n / 2)
  return Math.ceil((60 + 3 * oneCopyS * copies) * 1000)
}

export async function oneToMany (root: string, cli: string, opts: BenchOptions, startedAt: Date, stamp: string): Promise<PartReport> {
  const bytes = opts.sizeMiB * MiB
  const fileName = `bench-${opts.sizeMiB}m.bin`
  const source = join(root, 'origin', fileName)
  console.log(`writing ${opts.sizeMiB} MiB of random bytes to ${source} ...`)
  await writeRandomFile(source, bytes)
  const sha256 = await sha256File(source)
  const oneCopyS = bytes * 8 / (opts.rateMbit * 1e6)
  const facts = {
    rateMbit: opts.rateMbit,
    sizeMiB: opts.sizeMiB,
    delay: 'not available (this kernel has no netem; no delay was added, RTT is that of veth+bridge, well under 1 ms)',
    cores: availableParallelism(),
    kernel: release(),
    node: process.version,
    timeToOneSource: 'the first plain sequential copy of the same N, same lab, same file (curl over HTTP, file on disk)',
    cpuSource: 'user+system CPU seconds inside the timed window of every process in the host\'s network namespace (/proc scanned every 0.2 s, /proc/PID/stat), peak RSS = largest VmHWM of one such process; Swarmdrop agents\' start-up and discovery are outside the window',
    settleWaits: [] as number[],
    warnings: [] as string[]
  }
  console.log(`lab: ${opts.rateMbit} Mbit/s up and down per host, ${opts.sizeMiB} MiB file (one copy at line rate ≈ ${oneCopyS.toFixed(1)} s of payload), delay: ${facts.delay}`)
  const results: MethodResult[] = []
  const timeToOne: Record<string, number> = {}
  const record = (): BenchRecord => ({ startedAt: startedAt.toISOString(), runSeconds: (Date.now() - startedAt.getTime()) / 1000, facts, timeToOne, results })
  // Saved after every method, so an interrupted run keeps what it measured.
  const save = async (): Promise<void> => {
    const rec = record()
    await mkdir(RESULTS_DIR, { recursive: true })
    await writeFile(new URL(`${resultStem(stamp, 'table')}.json`, RESULTS_DIR), JSON.stringify(rec, null, 2) + '\n')
    await writeFile(new URL(`${resultStem(stamp, 'table')}.md`, RESULTS_DIR), markdownTable(rec))
  }

  for (const n of opts.ns) {
    const caps = { upMbit: opts.rateMbit, downMbit: opts.rateMbit }
    const created = await Lab.create({ prefix: LAB_FAMILY, hosts: [{ name: 'origin', ...caps }, ...Array.from({ length: n }, (_, k) => ({ name: `r${k + 1}`, ...caps }))] })
    if (!created.ok) throw new Error(`Lab.create: ${created.error.message}`)
    const lab = created.value
    facts.warnings.push(...lab.warnings)
    try {
      const sampler = new ProcSampler(lab.hosts)
      const nRoot = join(root, `n${n}`)
      await mkdir(nRoot, { recursive: true })
      const recipients = lab.hosts.slice(1)
      const origin = lab.host('origin')
      for (const method of opts.methods) {
        const timeoutMs = methodTimeoutMs(method, n, oneCopyS)
        const settled = await settleFreedMemory()
        if (settled.reporting) facts.settleWaits.push(settled.waitedMs / 1000)
        console.log(`N=${n} ${method}: running (timeout ${(timeoutMs / 1000).toFixed(0)} s${settled.reporting ? `; waited ${(settled.waitedMs / 1000).toFixed(1)} s for freed memory to reach the host` : ''}) ...`)
        const r = await measureMethod(method, METHOD_FNS[method], { lab, origin, recipients, source, fileName, bytes, sha256, root: join(nRoot, method), cli, timeoutMs }, sampler)
        results.push(r)
        if (method === 'plain-sequential') {
          const first = r.extra['perCopySeconds']
          if (Array.isArray(first) && typeof first[0] === 'number') timeToOne[String(n)] = first[0]
        }
        console.log(`N=${n} ${method}: ${r.status}, time to all ${r.timeToAllS.toFixed(2)} s, origin tx ${(r.originTxBytes / MiB).toFixed(1)} MiB (${r.originUploadRatio.toFixed(2)}x)${r.error === undefined ? '' : `\n  ${r.error.split('\n').slice(0, 6).join('\n  ')}`}`)
        await save()
        await rm(join(nRoot, method), { recursive: true, force: true })
      }
    } finally {
      const d = await lab.destroy()
      if (!d.ok) facts.warnings.push(`lab teardown: ${d.error.message}`)
    }
  }
  await rm(source, { force: true })
  const rec = record()
  return { part: 'table', markdown: markdownTable(rec), json: rec, targets: tableTargets(rec) }
}
