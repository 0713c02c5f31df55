// `--only footprint`: memory and responsiveness of Swarmdrop agents with a big file (4 GiB by
// default). An agent on the origin hashes the file and seeds it (`send --to r1 --wait` goes
// through it), an agent on r1 downloads it; both run with the loop-delay probe preloaded. Reports
// each agent's peak RSS (VmHWM, target ≤ 250 MB) and its main loop's per-second p99 delay while
// hashing and while transferring at full speed (target ≤ 20 ms), in an unshaped lab (family `bf`).

import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Lab } from '../test/lab/netns-lab.js'
import { describeSend, runSend } from '../test/multi/cli-send.js'
import { isVerified } from '../test/multi/agent-events.js'
import { writeRandomFile } from '../test/multi/random-content.js'
import { sha256File } from '../test/multi/tree-digest.js'
import { loopDelayEnv, phaseDelay, readLoopDelay, type PhaseDelay } from './loop-delay.js'
import { sleep } from './method.js'
import type { PartReport } from './part-output.js'
import { tcpPayload, excessBytes } from './payload-estimate.js'
import { RssWatch } from './rss-watch.js'
import { agentLines, startAgents, stopAgents } from './sd-agents.js'
import { fmt, type TargetCheck } from './targets.js'
import { WireWatch, type WireSample } from './wire-watch.js'

const MiB = 1024 * 1024
const LAB_FAMILY = 'bf'
const RSS_TARGET_BYTES = 250e6
const DELAY_TARGET_MS = 20
const IDLE_MS = 3_000
const FLOW_BYTES = MiB

interface Phase { readonly name: string; readonly from: number; readonly to: number }

interface PhaseRow {
  readonly agent: string
  readonly phase: string
  readonly seconds: number
  readonly delay: PhaseDelay
  readonly peakRssMiB: number
}

function transferWindow (samples: readonly WireSample[], base: WireSample, bytes: number): { from: number; to: number } {
  const payload = (s: WireSample): number => tcpPayload(s.rxBytes - base.rxBytes, s.rxPackets - base.rxPackets)
  const after = samples.filter((s) => s.t >= base.t)
  return { from: after.find((s) => payload(s) >= FLOW_BYTES)?.t ?? NaN, to: after.find((s) => payload(s) >= bytes)?.t ?? NaN }
}

function delayCheck (what: string, row: PhaseRow | undefined): TargetCheck {
  const d = row?.delay
  const judged = d !== undefined && d.seconds > 0
  return {
    part: 'footprint',
    what: `main-loop delay, ${what}: worst per-second p99 (median per-second p99)`,
    measured: judged ? `${fmt(d.worstP99Ms, 1)} ms (${fmt(d.medianP99Ms, 1)} ms) over ${d.seconds} s` : 'no samples',
    target: `≤ ${DELAY_TARGET_MS} ms`,
    met: judged ? d.worstP99Ms <= DELAY_TARGET_MS : undefined
  }
}

function rssCheck (what: string, hwmMiB: number): TargetCheck {
  const bytes = hwmMiB * MiB
  return {
    part: 'footprint',
    what: `peak RSS (VmHWM) of ${what}`,
    measured: `${fmt(hwmMiB, 0)} MiB (${fmt(bytes / 1e6, 0)} MB)`,
    target: '≤ 250 MB (10^6 B)',
    met: Number.isFinite(bytes) ? bytes <= RSS_TARGET_BYTES : undefined
  }
}

export async function footprint (root: string, cli: string, sizeMiB: number): Promise<PartReport> {
  const bytes = sizeMiB * MiB
  const dir = join(root, 'footprint')
  const source = join(dir, 'origin-files', `footprint-${sizeMiB}m.bin`)
  console.log(`footprint: writing ${sizeMiB} MiB of random bytes to ${source} ...`)
  await writeRandomFile(source, bytes)
  const sha256 = await sha256File(source)
  const timeoutMs = Math.ceil(300_000 + bytes / 20e6 * 1000)

  const made = await Lab.create({ prefix: LAB_FAMILY, hosts: [{ name: 'origin' }, { name: 'r1' }] })
  if (!made.ok) throw new Error(`Lab.create: ${made.error.message}`)
  const lab = made.value
  const warnings = [...lab.warnings]
  const probeFile = { origin: join(dir, 'loop-origin.jsonl'), r1: join(dir, 'loop-r1.jsonl') }
  const rss = new RssWatch()
  const wire = new WireWatch(lab.host('r1'))
  const started = Date.now()
  let copy: string | undefined
  try {
    const agents = await startAgents(lab, cli, join(dir, 'agents'), [
      { host: lab.host('origin'), name: 'origin', env: loopDelayEnv(probeFile.origin) },
      { host: lab.host('r1'), name: 'r1', env: loopDelayEnv(probeFile.r1) }
    ])
    const [origin, r1] = agents
    try {
      if (origin?.pid === undefined || r1?.pid === undefined) throw new Error('an agent is not running')
      rss.watch('origin', origin.pid)
      rss.watch('r1', r1.pid)
      rss.start()
      wire.start()
      // A few quiet seconds first: the loop delay of idle agents on this (shared) machine.
      const idleFrom = Date.now()
      await sleep(IDLE_MS)
      const base = wire.read()
      const sendAt = Date.now()
      console.log(`footprint: send --to r1 --wait through the origin agent (timeout ${(timeoutMs / 1000).toFixed(0)} s) ...`)
      const run = await runSend({ lab, host: lab.host('origin'), path: source, targets: ['--to', 'r1'], dataDir: origin.spec.dataDir, name: 'origin', timeoutSeconds: Math.ceil(timeoutMs / 1000) })
      const verified = r1.events.find(isVerified)
      const summary = run.summary
      if (run.outcome.code !== 0 || summary instanceof Error || !summary.ok || verified === undefined) {
        throw new Error(`send --to r1: ${summary instanceof Error ? summary.message : `ok ${String(summary.ok)}`}\n${describeSend(run).slice(0, 2000)}\n${origin.tail(20)}\n${r1.tail(20)}`)
      }
      copy = verified.path
      // Let the probes write the last second before the agents stop.
      await sleep(1_500)
      rss.stop()
      wire.stop()
      const created = agentLines(origin, 'distribution-created')[0]
      const hashSeconds = typeof created?.value['seconds'] === 'number' ? created.value['seconds'] : NaN
      const hashing: Phase = { name: 'hashing (creating the distribution)', from: (created?.time ?? NaN) - hashSeconds * 1000, to: created?.time ?? NaN }
      const tw = transferWindow(wire.samples, base, bytes)
      const transfer: Phase = { name: 'transfer (first MiB to last byte on the cable)', from: tw.from, to: tw.to }
      const verify: Phase = { name: 'final whole-file SHA-256 check', from: tw.to, to: verified.time }
      const idle: Phase = { name: 'idle, before sending', from: idleFrom, to: sendAt }
      const samples = { origin: await readLoopDelay(probeFile.origin), r1: await readLoopDelay(probeFile.r1) }
      const row = (agent: 'origin' | 'r1', p: Phase): PhaseRow => ({
        agent, phase: p.name, seconds: (p.to - p.from) / 1000, delay: phaseDelay(samples[agent], p.from, p.to), peakRssMiB: rss.peakRssMiB(agent, p.from, p.to)
      })
      const rows: PhaseRow[] = [row('origin', idle), row('origin', hashing), row('origin', transfer), row('r1', idle), row('r1', transfer), row('r1', verify)]
      const hwm = { origin: rss.hwmMiB('origin'), r1: rss.hwmMiB('r1') }
      const after = wire.read()
      const rxExcess = excessBytes(after.rxBytes - base.rxBytes, after.rxPackets - base.rxPackets, bytes)
      await stopAgents(agents)
      const copySha = await sha256File(copy).catch(() => 'missing')
      if (copySha !== sha256) warnings.push(`the copy at ${copy} is ${copySha === 'missing' ? 'missing' : 'not the file (SHA-256 differs)'}`)
      const checks: TargetCheck[] = [
        rssCheck('the origin agent (hashing, then seeding)', hwm.origin),
        rssCheck('the recipient agent (downloading, then checking)', hwm.r1),
        delayCheck('origin agent while hashing', rows[1]),
        delayCheck('origin agent while transferring', rows[2]),
        delayCheck('recipient agent while transferring', rows[4]),
        delayCheck('recipient agent while checking the whole file (SHA-256)', rows[5])
      ]
      const markdown = [
        `Footprint: Swarmdrop agents with a ${sizeMiB} MiB random file, one lab (two namespaces, veth, no tc cap). The origin agent hashes it and seeds it (\`send --to r1 --wait\` through that agent); the agent on r1 downloads it. Copy SHA-256 ${copySha === sha256 ? 'verified' : 'NOT verified'}.`,
        '',
        `Peak RSS (VmHWM from /proc/PID/status, whole life): origin agent ${fmt(hwm.origin, 0)} MiB, recipient agent ${fmt(hwm.r1, 0)} MiB.`,
        '',
        '| agent | phase | seconds | loop delay p99, worst second (ms) | p99, median second (ms) | max (ms) | seconds sampled | GC pause per s, median (ms) | longest GC pause (ms) | mark-compacts per s | waiting for a core per s, median (ms) | on a core per s, median (ms) | peak VmRSS in phase (MiB) |',
        '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
        ...rows.map((r) => `| ${r.agent} | ${r.phase} | ${fmt(r.seconds, 1)} | ${fmt(r.delay.worstP99Ms, 1)} | ${fmt(r.delay.medianP99Ms, 1)} | ${fmt(r.delay.maxMs, 1)} | ${r.delay.seconds} | ${fmt(r.delay.medianGcMs, 1)} | ${fmt(r.delay.maxGcPauseMs, 1)} | ${fmt(r.delay.majorGcsPerSecond, 1)} | ${fmt(r.delay.medianWaitMs, 1)} | ${fmt(r.delay.medianCpuMs, 0)} | ${fmt(r.peakRssMiB, 0)} |`),
        '',
        `- Loop delay: bench/probes/loop-delay.mjs preloaded into each agent (NODE_OPTIONS=--import), monitorEventLoopDelay at 10 ms resolution, one p50/p99/max line per second with the histogram reset each second; delays are beyond the 10 ms tick. A second counts for a phase when its middle lies in it. The same probe sums the main thread's GC pauses (perf_hooks 'gc' entries) and reads its schedstat each second: "waiting for a core" is time it was runnable but not running (the machine's other work), "on a core" the time it ran.`,
        `- Phases: hashing from the origin agent's "distribution-created" event (its time minus its hashing seconds); transfer from r1's cable counters (first MiB of payload to the whole file); the check from then to r1's "verified" event. Send took ${fmt(summary.seconds, 1)} s in all (hashing included); transfer ${fmt(bytes / 1e6 / ((tw.to - tw.from) / 1000), 1)} MB/s on the wire.`,
        `- Payload received beyond one copy (uninterrupted download, cable counters minus headers and piece framing): ${fmt(rxExcess / MiB, 2)} MiB.`,
        '- Other work ran on this 2-core machine at the same time (see the idle rows): delays and rates are noisy.',
        `- Run took ${((Date.now() - started) / 1000).toFixed(0)} s.`,
        ...warnings.map((w) => `- Warning: ${w}`),
        ''
      ].join('\n')
      return { part: 'footprint', markdown, json: { sizeMiB, hwmMiB: hwm, phases: { hashing, transfer, verify, idle }, rows, loopSeconds: samples, rxExcessBytes: rxExcess, copySha256Ok: copySha === sha256, sendSeconds: summary.seconds, warnings }, targets: checks }
    } finally {
      await stopAgents(agents)
    }
  } finally {
    rss.stop()
    wire.stop()
    const d = await lab.destroy()
    if (!d.ok) console.error(`footprint: lab teardown: ${d.error.message}`)
    await rm(dir, { recursive: true, force: true })
  }
}
