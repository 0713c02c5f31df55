// Waits, before a tool is measured, until the memory the previous tool's files gave back has been
// handed to the VM's host. These VMs report free memory to their host (virtio-balloon free page
// reporting) a few seconds after it is freed, and a page the host took back costs several
// microseconds of system time at its next touch. So a GiB written into the page cache right after
// another GiB was deleted cost 0.3 s of system time here, and 3.2–3.7 s five seconds later
// (2026-12-06, session 20, three pairs): a tool that ran first after a delete, and fast, was
// charged a tenth of what the next one paid for the same bytes. After this wait every tool starts
// from the same state. Where the kernel does not report free pages (bare metal), it returns at once.
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

export interface SettleOptions {
  /** The kernel's running count of KiB reported to the host (present only where reporting runs). */
  readonly counter: string
  /** Reporting runs in passes two seconds apart: no change for longer than that means it is done. */
  readonly quietMs: number
  readonly pollMs: number
  readonly maxWaitMs: number
}

export const SETTLE_DEFAULTS: SettleOptions = {
  counter: '/sys/module/page_reporting/parameters/reported_kib',
  quietMs: 3_000,
  pollMs: 500,
  maxWaitMs: 40_000
}

export interface SettleOutcome {
  /** False where the kernel does not report free pages: nothing was waited for. */
  readonly reporting: boolean
  readonly waitedMs: number
  /** KiB reported to the host while waiting. */
  readonly reportedKiB: number
}

async function reportedKiB (counter: string): Promise<number | undefined> {
  try {
    const n = Number((await readFile(counter, 'utf8')).trim())
    return Number.isFinite(n) ? n : undefined
  } catch {
    return undefined
  }
}

/**
 * Returns once the host has been given back what was freed (the count has not moved for
 * `quietMs`), or after `maxWaitMs` at most.
 */
export async function settleFreedMemory (opts: SettleOptions = SETTLE_DEFAULTS): Promise<SettleOutcome> {
  const first = await reportedKiB(opts.counter)
  if (first === undefined) return { reporting: false, waitedMs: 0, reportedKiB: 0 }
  const started = Date.now()
  let last = first
  let lastChange = started
  while (Date.now() - lastChange < opts.quietMs && Date.now() - started < opts.maxWaitMs) {
    await sleep(opts.pollMs)
    const now = await reportedKiB(opts.counter)
    if (now !== undefined && now !== last) { last = now; lastChange = Date.now() }
  }
  return { reporting: true, waitedMs: Date.now() - started, reportedKiB: last - first }
}
