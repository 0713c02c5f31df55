// Event-loop delay probe, preloaded into a Node process with `node --import <this file>` (or
// NODE_OPTIONS="--import <this file>"; bench/loop-delay.ts builds that). Every second it appends
// one JSON line {"t", "p50", "p99", "max", "n"} to the file named by SWARMDROP_LOOP_DELAY_FILE and
// resets the histogram, so each line covers the second before `t` (ms since the epoch).
// p50/p99/max are in ms and are the delay beyond the probe's own 10 ms tick: Node's histogram
// records the whole time between two ticks, so an idle loop reads 10 ms, which is taken off.
// Without the variable it does nothing. Only the main thread is probed: worker threads inherit
// NODE_OPTIONS too, but theirs is not the loop that serves the network, the API and the UI.

import { appendFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { isMainThread } from 'node:worker_threads'

const file = process.env.SWARMDROP_LOOP_DELAY_FILE
const INTERVAL_MS = 1000
const RESOLUTION_MS = 10
const NS_PER_MS = 1e6

if (isMainThread && typeof file === 'string' && file !== '') {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  h.enable()
  const delayMs = (ns) => Math.max(0, Math.round((ns / NS_PER_MS - RESOLUTION_MS) * 1000) / 1000)
  const flush = () => {
    // No tick in the last second (the loop was blocked all along) leaves nothing to report here;
    // the next line's max shows the stall.
    if (h.count > 0) {
      const line = { t: Date.now(), p50: delayMs(h.percentile(50)), p99: delayMs(h.percentile(99)), max: delayMs(h.max), n: h.count }
      try { appendFileSync(file, JSON.stringify(line) + '\n') } catch { /* the bench removed its folder: nobody to report to */ }
    }
    h.reset()
  }
  // unref: the probe must never keep alive a process that would otherwise exit.
  setInterval(flush, INTERVAL_MS).unref()
  process.once('exit', flush)
}
