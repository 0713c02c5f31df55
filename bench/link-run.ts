// One file over one link, one tool: what each tool gets, what it hands back, and measureLink,
// which adds what is common to all of them (CPU of each side in the tool's timed window, the
// recipient's cable counters, the SHA-256 of the copy).

import { rm } from 'node:fs/promises'
import type { Lab, LabHost } from '../test/lab/netns-lab.js'
import { sha256File } from '../test/multi/tree-digest.js'
import { excessBytes, tcpPayload } from './payload-estimate.js'
import type { HostUsage, ProcSampler } from './proc-sampler.js'
import type { WireSample, WireWatch } from './wire-watch.js'

export const LINK_TOOLS = ['libtorrent', 'swarmdrop-peer', 'swarmdrop-agent'] as const
/** `swarmdrop-agent-baseline`: the agent method with another build (`--link-baseline`), an A/B in one run. */
export type LinkTool = typeof LINK_TOOLS[number] | 'swarmdrop-agent-baseline'

export interface LinkContext {
  readonly lab: Lab
  readonly origin: LabHost
  readonly recipient: LabHost
  /** The random file on the origin. */
  readonly source: string
  readonly fileName: string
  readonly bytes: number
  /** SHA-256 of `source`, which the copy must have. */
  readonly sha256: string
  /** Swarmdrop's .torrent of `source`: the same metainfo (piece length) for every tool. */
  readonly torrent: string
  readonly cli: string
  /** Scratch folder of this run (removed afterwards). */
  readonly dir: string
  readonly timeoutMs: number
  /** Call when the timed part starts (restarts the CPU window) and when it ends. */
  readonly openWindow: () => void
  readonly closeWindow: () => void
}

export interface LinkOutcome {
  /** Date.now() at the start and end of the timed part. */
  readonly startAt: number
  readonly doneAt: number
  /** The recipient's copy, to hash and remove. */
  readonly copy: string
  readonly extra: Readonly<Record<string, number | string>>
}

export type LinkFn = (ctx: LinkContext) => Promise<LinkOutcome>

export interface LinkResult {
  readonly tool: LinkTool
  readonly round: number
  readonly status: 'ok' | 'failed' | 'hash-mismatch'
  readonly error?: string
  /** Timed part (see the tool's `timing`), seconds, and the file size over it in MB/s (10^6 B). */
  readonly seconds: number
  readonly mbPerS: number
  /** From the first MiB on the recipient's cable to the last byte of payload, and the rate over it. */
  readonly wireSeconds: number
  readonly wireMBPerS: number
  /** Payload bytes received beyond one copy (see payload-estimate.ts). */
  readonly rxExcessBytes: number
  readonly originCpuS: number
  readonly recipientCpuS: number
  readonly originPeakRssMiB: number
  readonly recipientPeakRssMiB: number
  readonly extra: Readonly<Record<string, number | string>>
}

const FLOW_BYTES = 1024 * 1024

/** Seconds and MB/s of the payload between the first MiB and the whole file on the cable. */
function wireFigures (samples: readonly WireSample[], base: WireSample, bytes: number): { seconds: number; mbPerS: number } {
  const payload = (s: WireSample): number => tcpPayload(s.rxBytes - base.rxBytes, s.rxPackets - base.rxPackets)
  const after = samples.filter((s) => s.t >= base.t)
  const first = after.find((s) => payload(s) >= FLOW_BYTES)
  const last = after.find((s) => payload(s) >= bytes)
  if (first === undefined || last === undefined || last.t <= first.t) return { seconds: NaN, mbPerS: NaN }
  const seconds = (last.t - first.t) / 1000
  return { seconds, mbPerS: (payload(last) - payload(first)) / seconds / 1e6 }
}

export async function measureLink (tool: LinkTool, round: number, fn: LinkFn, base: Omit<LinkContext, 'openWindow' | 'closeWindow'>, sampler: ProcSampler, wire: WireWatch): Promise<LinkResult> {
  const hosts = [base.origin.name, base.recipient.name]
  let usage: HostUsage[] | undefined
  const openWindow = (): void => { if (usage === undefined) sampler.begin() }
  const closeWindow = (): void => { usage ??= sampler.end(hosts) }
  const before = wire.read()
  sampler.begin()
  let outcome: LinkOutcome | Error
  try {
    outcome = await fn({ ...base, openWindow, closeWindow })
  } catch (err) {
    outcome = err instanceof Error ? err : new Error(String(err))
  }
  closeWindow()
  const after = wire.read()
  const [originUse, recipientUse] = usage ?? []
  const common = {
    tool,
    round,
    rxExcessBytes: excessBytes(after.rxBytes - before.rxBytes, after.rxPackets - before.rxPackets, base.bytes),
    originCpuS: originUse?.cpuSeconds ?? NaN,
    recipientCpuS: recipientUse?.cpuSeconds ?? NaN,
    originPeakRssMiB: originUse?.peakRssMiB ?? NaN,
    recipientPeakRssMiB: recipientUse?.peakRssMiB ?? NaN
  }
  if (outcome instanceof Error) {
    return { ...common, status: 'failed', error: outcome.message, seconds: NaN, mbPerS: NaN, wireSeconds: NaN, wireMBPerS: NaN, extra: {} }
  }
  const seconds = (outcome.doneAt - outcome.startAt) / 1000
  const w = wireFigures(wire.samples, before, base.bytes)
  const sha = await sha256File(outcome.copy).catch(() => 'missing')
  await rm(outcome.copy, { force: true })
  const good = sha === base.sha256
  return {
    ...common,
    status: good ? 'ok' : 'hash-mismatch',
    ...(good ? {} : { error: `copy ${outcome.copy}: ${sha === 'missing' ? 'missing' : 'wrong SHA-256'}` }),
    seconds,
    mbPerS: base.bytes / seconds / 1e6,
    wireSeconds: w.seconds,
    wireMBPerS: w.mbPerS,
    extra: outcome.extra
  }
}
