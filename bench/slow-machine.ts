// One slow machine among fast ones (part `slow`, lab family `bw`): three recipients at the lab's
// rate and one at 20 Mbit/s up and down (a machine on Wi-Fi or behind a slow switch port), the same
// random file sent by a libtorrent swarm and by Swarmdrop in one lab. What counts is when the fast
// machines are done: a schedule that hands a piece's only copy to the slow machine makes them wait
// on its upload. Target (issue 12): the fast machines finish no later than libtorrent's fast ones
// in the same run, with the origin uploading at most 1.15 × the file.

import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Lab } from '../test/lab/netns-lab.js'
import { writeRandomFile } from '../test/multi/random-content.js'
import { sha256File } from '../test/multi/tree-digest.js'
import { libtorrentSwarm } from './libtorrent-swarm.js'
import { measureMethod, type MethodResult } from './method.js'
import type { PartReport } from './part-output.js'
import { ProcSampler } from './proc-sampler.js'
import { swarmdropSwarm } from './swarmdrop-swarm.js'
import { fmt, type TargetCheck } from './targets.js'

const MiB = 1024 * 1024
const LAB_FAMILY = 'bw'
const FAST = 3
const SLOW_MBIT = 20

/** Seconds until the fast machines all had their copy: every copy but the slowest (the slow machine's). */
function fastDone (r: MethodResult): number {
  const times = r.extra['perCopySeconds']
  if (!Array.isArray(times) || times.length !== FAST + 1) return NaN
  return [...times].sort((a, b) => a - b)[FAST - 1] ?? NaN
}

export async function slowMachine (root: string, cli: string, sizeMiB: number, rateMbit: number): Promise<PartReport> {
  const bytes = sizeMiB * MiB
  const fileName = `slow-${sizeMiB}m.bin`
  const source = join(root, 'origin', fileName)
  await mkdir(join(root, 'origin'), { recursive: true })
  await writeRandomFile(source, bytes)
  const sha256 = await sha256File(source)
  const oneCopyS = bytes * 8 / (rateMbit * 1e6)
  // The slow machine needs the whole file through its own link: that sets the budget.
  const timeoutMs = Math.ceil((90 + 3 * bytes * 8 / (SLOW_MBIT * 1e6)) * 1000)
  const fast = { upMbit: rateMbit, downMbit: rateMbit }
  const created = await Lab.create({
    prefix: LAB_FAMILY,
    hosts: [{ name: 'origin', ...fast }, ...Array.from({ length: FAST }, (_, k) => ({ name: `fast${k + 1}`, ...fast })), { name: 'slow', upMbit: SLOW_MBIT, downMbit: SLOW_MBIT }]
  })
  if (!created.ok) throw new Error(`Lab.create: ${created.error.message}`)
  const lab = created.value
  const results: MethodResult[] = []
  try {
    const sampler = new ProcSampler(lab.hosts)
    for (const [method, fn] of [['libtorrent', libtorrentSwarm], ['swarmdrop', swarmdropSwarm]] as const) {
      console.log(`slow machine, ${method}: running (timeout ${(timeoutMs / 1000).toFixed(0)} s) ...`)
      const r = await measureMethod(method, fn, {
        lab, origin: lab.host('origin'), recipients: lab.hosts.slice(1), source, fileName, bytes, sha256, root: join(root, method), cli, timeoutMs
      }, sampler)
      results.push(r)
      console.log(`slow machine, ${method}: ${r.status}, fast machines done ${fmt(fastDone(r))} s, all ${fmt(r.timeToAllS)} s, origin ${fmt(r.originUploadRatio)} × F${r.error === undefined ? '' : `\n  ${r.error.split('\n').slice(0, 4).join('\n  ')}`}`)
    }
  } finally {
    const d = await lab.destroy()
    if (!d.ok) console.error(`lab teardown: ${d.error.message}`)
    await rm(source, { force: true })
  }
  const lt = results.find(r => r.method === 'libtorrent')
  const sd = results.find(r => r.method === 'swarmdrop')
  const ltFast = lt ? fastDone(lt) : NaN
  const sdFast = sd ? fastDone(sd) : NaN
  const rows = results.map(r => `| ${r.method} | ${r.status} | ${fmt(fastDone(r))} | ${fmt(r.timeToAllS)} | ${fmt(r.originUploadRatio)} |`)
  const markdown = [
    `One slow machine: ${FAST} recipients at ${rateMbit} Mbit/s, one at ${SLOW_MBIT} Mbit/s up and down, ${sizeMiB} MiB (one copy at ${rateMbit} Mbit/s ≈ ${oneCopyS.toFixed(1)} s).`,
    '',
    '| method | status | fast machines done, s | all done, s | origin upload ÷ size |',
    '|---|---|---|---|---|',
    ...rows,
    ''
  ].join('\n')
  const targets: TargetCheck[] = [
    {
      part: 'slow',
      what: 'fast machines done with one slow machine in the swarm, s (Swarmdrop vs libtorrent, same run)',
      measured: `${fmt(sdFast)} vs ${fmt(ltFast)}`,
      target: '≤ libtorrent',
      met: Number.isFinite(sdFast) && Number.isFinite(ltFast) ? sdFast <= ltFast : undefined
    },
    {
      part: 'slow',
      what: 'origin upload ÷ size with one slow machine (Swarmdrop)',
      measured: sd ? fmt(sd.originUploadRatio) : '–',
      target: '≤ 1.15',
      met: sd && Number.isFinite(sd.originUploadRatio) ? sd.originUploadRatio <= 1.15 : undefined
    }
  ]
  return { part: 'slow', markdown, json: { sizeMiB, rateMbit, slowMbit: SLOW_MBIT, results }, targets }
}
