// The side-by-side table (markdown) and the JSON record of a run.

import type { MethodResult } from './method.js'
import { cpuPerGiB } from './stats.js'
import { fmt, type TargetCheck } from './targets.js'

export interface LabFacts {
  readonly rateMbit: number
  readonly sizeMiB: number
  readonly delay: string
  readonly cores: number
  readonly kernel: string
  readonly node: string
  readonly timeToOneSource: string
  readonly cpuSource: string
  /** Seconds waited before each method for freed memory to reach the VM's host (bench/freed-memory.ts); empty where nothing is reported. */
  readonly settleWaits?: readonly number[]
  readonly warnings: readonly string[]
}

export interface BenchRecord {
  readonly startedAt: string
  readonly runSeconds: number
  readonly facts: LabFacts
  /** Per N: one plain copy at the same rate, measured in the same lab. */
  readonly timeToOne: Readonly<Record<string, number>>
  readonly results: readonly MethodResult[]
}

/** Swarmdrop's targets: time to all ÷ time to one, and origin upload ÷ size. */
const TARGETS: Readonly<Record<number, { time: number; upload: number }>> = { 4: { time: 1.2, upload: 1.1 }, 10: { time: 1.25, upload: 1.15 } }

function f (x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–'
}

function target (r: MethodResult, ratio: number): string {
  const t = TARGETS[r.n]
  if (r.method !== 'swarmdrop' || t === undefined) return ''
  const timeOk = Number.isFinite(ratio) && ratio <= t.time
  const upOk = Number.isFinite(r.originUploadRatio) && r.originUploadRatio <= t.upload
  const timeText = Number.isFinite(ratio) ? (timeOk ? 'met' : 'NOT met') : 'n/a (no time to one in this run)'
  return `≤${t.time} ${timeText} / ≤${t.upload} ${upOk ? 'met' : 'NOT met'}`
}

export function markdownTable (rec: BenchRecord): string {
  const head = '| method | N | status | time to all (s) | ÷ time to one | origin upload ÷ size | origin CPU (s) | recipient CPU (s) mean / max | CPU s per GiB delivered | origin peak RSS (MiB) | recipient peak RSS max (MiB) | copies SHA-256 ok | target (time / upload) |'
  const rule = '|' + head.split('|').slice(1, -1).map(() => '---').join('|') + '|'
  const rows = rec.results.map((r) => {
    const one = rec.timeToOne[String(r.n)] ?? NaN
    const ratio = r.timeToAllS / one
    const [origin, ...recips] = r.usage
    const cpus = recips.map((u) => u.cpuSeconds)
    const mean = cpus.length === 0 ? NaN : cpus.reduce((a, b) => a + b, 0) / cpus.length
    const status = r.status === 'ok' ? 'ok' : r.status
    return `| ${r.method} | ${r.n} | ${status} | ${f(r.timeToAllS, 1)} | ${f(ratio)} | ${f(r.originUploadRatio)} | ${f(origin?.cpuSeconds ?? NaN, 1)} | ${f(mean, 1)} / ${f(Math.max(...cpus), 1)} | ${f(swarmCpuPerGiB(r, rec.facts.sizeMiB), 1)} | ${f(origin?.peakRssMiB ?? NaN, 0)} | ${f(Math.max(...recips.map((u) => u.peakRssMiB)), 0)} | ${r.copiesVerified}/${r.n} | ${target(r, ratio)} |`
  })
  const ones = Object.entries(rec.timeToOne).map(([n, s]) => `N=${n}: ${f(s)} s`).join(', ')
  const facts = rec.facts
  const notes = [
    `Lab: every host capped at ${facts.rateMbit} Mbit/s up and down (HTB on its veth), file ${facts.sizeMiB} MiB of random bytes; added delay: ${facts.delay}.`,
    `${facts.cores} cores, kernel ${facts.kernel}, Node ${facts.node}. Run started ${rec.startedAt}, took ${f(rec.runSeconds, 0)} s.`,
    `Time to one (${facts.timeToOneSource}): ${ones}.`,
    `CPU/RSS: ${facts.cpuSource}`,
    'CPU s per GiB delivered: the CPU seconds of every host (origin and recipients) ÷ the GiB of verified copies (N × the file): what moving a byte costs each method.',
    (facts.settleWaits ?? []).length > 0
      ? `Before each method the bench waited until the memory freed by the previous method's copies had been reported to the VM's host (${f(Math.min(...(facts.settleWaits ?? [])), 1)}–${f(Math.max(...(facts.settleWaits ?? [])), 1)} s), so no method writes into pages another just freed (bench/freed-memory.ts).`
      : 'No free-page reporting to a host here: no wait between methods.',
    ...facts.warnings.map((w) => `Warning: ${w}`)
  ]
  const errors = rec.results.filter((r) => r.error !== undefined).map((r) => `- ${r.method} N=${r.n}: ${(r.error ?? '').split('\n')[0] ?? ''}`)
  return [head, rule, ...rows, '', ...notes.map((n) => `- ${n}`), ...(errors.length > 0 ? ['', 'Errors:', ...errors] : []), ''].join('\n')
}

/** Every host's CPU seconds ÷ the GiB of verified copies delivered. */
export function swarmCpuPerGiB (r: MethodResult, sizeMiB: number): number {
  const cpu = r.usage.reduce((s, u) => s + u.cpuSeconds, 0)
  return cpuPerGiB(cpu, r.copiesVerified * sizeMiB * 2 ** 20)
}

/** Mean CPU seconds of a method's recipients (every host but the origin, the first). */
function recipientCpuMean (r: MethodResult): number {
  const cpus = r.usage.slice(1).map((u) => u.cpuSeconds)
  return cpus.length === 0 ? NaN : cpus.reduce((a, b) => a + b, 0) / cpus.length
}

/** Swarmdrop's rows against their targets (N with a target only), one check per figure. */
export function tableTargets (rec: BenchRecord): TargetCheck[] {
  return rec.results.filter((r) => r.method === 'swarmdrop' && TARGETS[r.n] !== undefined).flatMap((r): TargetCheck[] => {
    const t = TARGETS[r.n]
    if (t === undefined) return []
    const ratio = r.timeToAllS / (rec.timeToOne[String(r.n)] ?? NaN)
    // Issue 12: a recipient spends no more CPU per copy than libtorrent's, in the same run.
    const lt = rec.results.find((x) => x.method === 'libtorrent' && x.n === r.n && x.status === 'ok')
    const sdCpu = recipientCpuMean(r)
    const ltCpu = lt === undefined ? NaN : recipientCpuMean(lt)
    const cpuJudged = r.status === 'ok' && Number.isFinite(sdCpu) && Number.isFinite(ltCpu)
    return [
      { part: 'table', what: `N=${r.n}, recipient CPU s per copy (mean): Swarmdrop vs libtorrent`, measured: `${fmt(sdCpu, 1)} vs ${fmt(ltCpu, 1)} s (${fmt(sdCpu / ltCpu)}×)`, target: 'Swarmdrop ≤ libtorrent', met: cpuJudged ? sdCpu <= ltCpu : undefined },
      { part: 'table', what: `N=${r.n}, Swarmdrop time to all ÷ time to one`, measured: `${fmt(ratio)}× (${fmt(r.timeToAllS, 1)} s, ${r.status})`, target: `≤ ${t.time}×`, met: Number.isFinite(ratio) ? ratio <= t.time : undefined },
      { part: 'table', what: `N=${r.n}, Swarmdrop origin upload ÷ size`, measured: `${fmt(r.originUploadRatio)}×`, target: `≤ ${t.upload}×`, met: Number.isFinite(r.originUploadRatio) ? r.originUploadRatio <= t.upload : undefined }
    ]
  })
}
