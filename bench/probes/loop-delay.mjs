// Event-loop delay probe, preloaded into a Node process with `node --import <this file>` (or
// NODE_OPTIONS="--import <this file>"; bench/loop-delay.ts builds that). Every second it appends
// one JSON line {"t", "p50", "p99", "max", "n", "gcMs", "gcMaxMs", "majorGcs", "waitMs", "cpuMs"}
// to the file named by SWARMDROP_LOOP_DELAY_FILE and resets the histogram, so each line covers the
// second before `t` (ms since the epoch).
// p50/p99/max are in ms and are the delay beyond the probe's own 10 ms tick: Node's histogram
// records the whole time between two ticks, so an idle loop reads 10 ms, which is taken off.
// The other fields say what a stall was: gcMs/gcMaxMs = the main thread's GC pauses in that
// second (sum, longest; perf_hooks 'gc' entries), majorGcs = how many were mark-compacts;
// waitMs/cpuMs = how long the main thread waited for a core while runnable, and ran
// (/proc/self/task/PID/schedstat; Linux only, absent elsewhere). A loop that stalls while waitMs is
// high was held up by the machine, not by its own work.
// Without the variable it does nothing. Only the main thread is probed: worker threads inherit
// NODE_OPTIONS too, but theirs is not the loop that serves the network, the API and the UI.

import { appendFileSync, readFileSync } from 'node:fs'
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { isMainThread } from 'node:worker_threads'

const file = process.env.SWARMDROP_LOOP_DELAY_FILE
const INTERVAL_MS = 1000
const RESOLUTION_MS = 10
const NS_PER_MS = 1e6

if (isMainThread && typeof file === 'string' && file !== '') {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  h.enable()
  const delayMs = (ns) => Math.max(0, Math.round((ns / NS_PER_MS - RESOLUTION_MS) * 1000) / 1000)
  const round = (ms) => Math.round(ms * 1000) / 1000
  let gc = { ms: 0, maxMs: 0, majors: 0 }
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.ms += e.duration
      gc.maxMs = Math.max(gc.maxMs, e.duration)
      if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.majors++
    }
  })
  gcObserver.observe({ entryTypes: ['gc'] })
  // schedstat of the main thread (its task id is the process id): ns on a core, ns runnable but waiting.
  const schedFile = `/proc/self/task/${process.pid}/schedstat`
  const sched = () => {
    try {
      const [run, wait] = readFileSync(schedFile, 'utf8').split(' ').map(Number)
      return Number.isFinite(run) && Number.isFinite(wait) ? { run, wait } : undefined
    } catch { return undefined }
  }
  let lastSched = sched()
  const flush = () => {
    // No tick in the last second (the loop was blocked all along) leaves nothing to report here;
    // the next line's max shows the stall.
    if (h.count > 0) {
      const now = sched()
      const cpu = now !== undefined && lastSched !== undefined ? { waitMs: round((now.wait - lastSched.wait) / NS_PER_MS), cpuMs: round((now.run - lastSched.run) / NS_PER_MS) } : {}
      const line = { t: Date.now(), p50: delayMs(h.percentile(50)), p99: delayMs(h.percentile(99)), max: delayMs(h.max), n: h.count, gcMs: round(gc.ms), gcMaxMs: round(gc.maxMs), majorGcs: gc.majors, ...cpu }
      try { appendFileSync(file, JSON.stringify(line) + '\n') } catch { /* the bench removed its folder: nobody to report to */ }
    }
    h.reset()
    gc = { ms: 0, maxMs: 0, majors: 0 }
    lastSched = sched()
  }
  // unref: the probe must never keep alive a process that would otherwise exit.
  setInterval(flush, INTERVAL_MS).unref()
  process.once('exit', flush)
}
