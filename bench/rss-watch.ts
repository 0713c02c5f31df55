// Resident memory of chosen processes over time: VmRSS and VmHWM (the kernel's own peak) from
// /proc/PID/status every SAMPLE_MS, per label, so a part can tell the peak of one phase (hashing,
// transfer) from the peak of the process's whole life.

import { readFileSync } from 'node:fs'

const SAMPLE_MS = 200
const MAX_SAMPLES = 100_000

export interface RssSample {
  readonly t: number
  readonly label: string
  readonly pid: number
  readonly rssKiB: number
  readonly hwmKiB: number
}

function statusKiB (text: string, field: string): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)
  return m?.[1] === undefined ? NaN : Number(m[1])
}

export class RssWatch {
  readonly samples: RssSample[] = []
  private readonly pids = new Map<string, number>()
  private timer: NodeJS.Timeout | undefined

  /** Follows `pid` under `label` from the next sample on (a restarted process: call again). */
  watch (label: string, pid: number): void {
    this.pids.set(label, pid)
  }

  start (): void {
    if (this.timer !== undefined) return
    this.sample()
    this.timer = setInterval(() => { this.sample() }, SAMPLE_MS)
  }

  stop (): void {
    this.sample()
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Largest VmRSS seen for `label` between `from` and `to` (ms), MiB; NaN without a sample. */
  peakRssMiB (label: string, from = 0, to = Infinity): number {
    const mine = this.samples.filter((s) => s.label === label && s.t >= from && s.t <= to)
    return mine.length === 0 ? NaN : Math.max(...mine.map((s) => s.rssKiB)) / 1024
  }

  /** The newest VmHWM of `label` (peak resident set over the process's life so far), MiB. */
  hwmMiB (label: string): number {
    const mine = this.samples.filter((s) => s.label === label)
    return mine.length === 0 ? NaN : Math.max(...mine.map((s) => s.hwmKiB)) / 1024
  }

  /** One pass now; a process that is gone is skipped. */
  sample (): void {
    const t = Date.now()
    for (const [label, pid] of this.pids) {
      let text: string
      try { text = readFileSync(`/proc/${pid}/status`, 'utf8') } catch { continue }
      if (this.samples.length >= MAX_SAMPLES) this.samples.splice(0, MAX_SAMPLES / 10)
      this.samples.push({ t, label, pid, rssKiB: statusKiB(text, 'VmRSS'), hwmKiB: statusKiB(text, 'VmHWM') })
    }
  }
}
