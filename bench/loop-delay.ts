// Event-loop delay of the agents: the environment that preloads bench/probes/loop-delay.mjs into a
// Node process, and the per-phase summary of the lines it writes (one per second, see the probe).

import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { max, median } from './stats.js'

export const LOOP_DELAY_PROBE = fileURLToPath(new URL('./probes/loop-delay.mjs', import.meta.url))

/** One second of one process's main loop, delays in ms beyond the 10 ms tick. */
export interface LoopDelaySample {
  readonly t: number
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly n: number
  /** The main thread's GC pauses in that second: sum and longest (ms), and how many were mark-compacts. */
  readonly gcMs?: number
  readonly gcMaxMs?: number
  readonly majorGcs?: number
  /** ms the main thread was runnable but waiting for a core, and ms it ran (Linux schedstat). */
  readonly waitMs?: number
  readonly cpuMs?: number
}

export interface PhaseDelay {
  /** Seconds (probe lines) inside the phase. */
  readonly seconds: number
  readonly worstP99Ms: number
  readonly medianP99Ms: number
  readonly maxMs: number
  /** Main-thread GC pause per second (median of the seconds) and the longest single pause, ms. */
  readonly medianGcMs: number
  readonly maxGcPauseMs: number
  /** Mark-compacts per second over the phase. */
  readonly majorGcsPerSecond: number
  /** ms per second the main thread waited for a core while runnable, and ran (medians of the seconds). */
  readonly medianWaitMs: number
  readonly medianCpuMs: number
}

/** Environment for a Node process that should write its loop delay to `file`. */
export function loopDelayEnv (file: string): Record<string, string> {
  const existing = process.env['NODE_OPTIONS'] ?? ''
  return {
    NODE_OPTIONS: `${existing} --import ${JSON.stringify(LOOP_DELAY_PROBE)}`.trim(),
    SWARMDROP_LOOP_DELAY_FILE: file
  }
}

function isSample (v: unknown): v is LoopDelaySample {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return ['t', 'p50', 'p99', 'max', 'n'].every((k) => typeof o[k] === 'number') &&
    ['gcMs', 'gcMaxMs', 'majorGcs', 'waitMs', 'cpuMs'].every((k) => o[k] === undefined || typeof o[k] === 'number')
}

/** The probe's lines (a missing file = no samples: the probe never ran). */
export async function readLoopDelay (file: string): Promise<LoopDelaySample[]> {
  const text = await readFile(file, 'utf8').catch(() => '')
  const out: LoopDelaySample[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      const v: unknown = JSON.parse(line)
      if (isSample(v)) out.push(v)
    } catch { /* a line cut by a kill: skip it */ }
  }
  return out
}

/**
 * The seconds whose middle lies in [from, to] (ms): each line covers the second before its `t`.
 * A phase shorter than a second gets the first line that overlaps it.
 */
export function phaseDelay (samples: readonly LoopDelaySample[], from: number, to: number): PhaseDelay {
  let inside = samples.filter((s) => s.t - 500 >= from && s.t - 500 <= to)
  if (inside.length === 0 && Number.isFinite(from) && Number.isFinite(to)) {
    const overlapping = samples.filter((s) => s.t > from && s.t - 1000 < to)
    inside = overlapping.slice(0, 1)
  }
  const p99s = inside.map((s) => s.p99)
  const field = (k: 'gcMs' | 'gcMaxMs' | 'majorGcs' | 'waitMs' | 'cpuMs'): number[] => inside.flatMap((s) => s[k] === undefined ? [] : [s[k]])
  const majors = field('majorGcs')
  return {
    seconds: inside.length,
    worstP99Ms: max(p99s),
    medianP99Ms: median(p99s),
    maxMs: max(inside.map((s) => s.max)),
    medianGcMs: median(field('gcMs')),
    maxGcPauseMs: max(field('gcMaxMs')),
    majorGcsPerSecond: majors.length > 0 ? majors.reduce((a, b) => a + b, 0) / majors.length : NaN,
    medianWaitMs: median(field('waitMs')),
    medianCpuMs: median(field('cpuMs'))
  }
}
