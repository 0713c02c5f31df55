// What every benchmarked method gets (the lab, the file, a deadline, a measuring window) and
// what it hands back; measureMethod runs one method and adds the checks common to all of them.

import { rm } from 'node:fs/promises'
import type { Lab, LabHost } from '../test/lab/netns-lab.js'
import { sha256File } from '../test/multi/tree-digest.js'
import type { MethodName } from './options.js'
import type { HostUsage, ProcSampler } from './proc-sampler.js'

export interface BenchContext {
  readonly lab: Lab
  readonly origin: LabHost
  readonly recipients: readonly LabHost[]
  /** The random file on the origin. */
  readonly source: string
  readonly fileName: string
  readonly bytes: number
  readonly sha256: string
  /** Scratch folder of this N (every namespace sees the same filesystem). */
  readonly root: string
  readonly cli: string
  /** The method's whole budget. */
  readonly timeoutMs: number
  /** Called by a method right before it stops the processes it measures. */
  readonly closeWindow: () => void
  /** Restarts the CPU window (after a method's untimed set-up, e.g. starting agents). */
  readonly restartWindow: () => void
}

export type MethodStatus = 'ok' | 'timeout' | 'failed' | 'hash-mismatch'

export interface MethodOutcome {
  readonly status: 'ok' | 'timeout' | 'failed'
  readonly error?: string
  /** Seconds until every recipient had its copy (NaN when not all did). */
  readonly timeToAllS: number
  /** Every recipient's copy, to hash. */
  readonly copies: readonly string[]
  /** Method-specific figures for the JSON (per-copy seconds, the tool's own timings, ...). */
  readonly extra: Readonly<Record<string, number | string | readonly number[]>>
  /** How timeToAllS was measured. */
  readonly timing: string
}

export interface MethodResult {
  readonly method: MethodName
  readonly n: number
  readonly status: MethodStatus
  readonly error?: string
  readonly timeToAllS: number
  readonly timing: string
  readonly copiesVerified: number
  readonly originTxBytes: number
  readonly originUploadRatio: number
  readonly usage: readonly HostUsage[]
  readonly extra: Readonly<Record<string, number | string | readonly number[]>>
}

export type MethodFn = (ctx: BenchContext) => Promise<MethodOutcome>

export function deadlineError (what: string, ms: number): Error {
  return new Error(`${what}: no result within ${(ms / 1000).toFixed(0)} s`)
}

/** Runs one method: origin cable counter and process sampling around it, then every copy's SHA-256. */
export async function measureMethod (
  method: MethodName,
  fn: MethodFn,
  base: Omit<BenchContext, 'closeWindow' | 'restartWindow'>,
  sampler: ProcSampler
): Promise<MethodResult> {
  const hostNames = [base.origin.name, ...base.recipients.map((h) => h.name)]
  const before = await base.lab.counters(base.origin)
  if (!before.ok) throw new Error(`origin counters: ${before.error.message}`)
  let usage: HostUsage[] | undefined
  const closeWindow = (): void => { usage ??= sampler.end(hostNames) }
  sampler.begin()
  let outcome: MethodOutcome
  try {
    outcome = await fn({ ...base, closeWindow, restartWindow: () => { if (usage === undefined) sampler.begin() } })
  } catch (err) {
    outcome = { status: 'failed', error: err instanceof Error ? err.message : String(err), timeToAllS: NaN, copies: [], extra: {}, timing: '' }
  }
  closeWindow()
  const after = await base.lab.counters(base.origin)
  const originTxBytes = after.ok ? after.value.txBytes - before.value.txBytes : NaN

  let verified = 0
  const bad: string[] = []
  for (const copy of outcome.copies) {
    const sha = await sha256File(copy).catch(() => 'missing')
    if (sha === base.sha256) verified++
    else bad.push(`${copy}: ${sha === 'missing' ? 'missing' : 'wrong SHA-256'}`)
    await rm(copy, { force: true })
  }
  let status: MethodStatus = outcome.status
  let error = outcome.error
  if (status === 'ok' && (verified !== base.recipients.length || bad.length > 0)) {
    status = 'hash-mismatch'
    error = `${verified}/${base.recipients.length} copies verified; ${bad.join('; ')}`
  }
  return {
    method,
    n: base.recipients.length,
    status,
    ...(error === undefined ? {} : { error }),
    timeToAllS: status === 'ok' ? outcome.timeToAllS : NaN,
    timing: outcome.timing,
    copiesVerified: verified,
    originTxBytes,
    originUploadRatio: originTxBytes / base.bytes,
    usage: usage ?? [],
    extra: outcome.extra
  }
}

export function sleep (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
