// Swarmdrop as shipped: `swarmdrop agent --accept all --json` on every recipient (started and
// discovered before the clock starts), `swarmdrop send FILE --all --wait --json` on the origin.

import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { runSend, describeSend } from '../test/multi/cli-send.js'
import { LabAgent } from '../test/multi/lab-agent.js'
import { isOfferReceived, isProgress, isVerified, type AgentEvent } from '../test/multi/agent-events.js'
import { sleep, type BenchContext, type MethodOutcome } from './method.js'
import { peersSeen } from './sd-agents.js'

// Start-up and discovery slow down with N on 2 cores (N=20: 20 Node processes starting at once).
const START_WAIT_MS = 20_000
const DISCOVERY_WAIT_MS = 20_000
const PER_RECIPIENT_MS = 1_500

function eventTimes (agent: LabAgent, event: string, name: string): number[] {
  // Events of this file only: an agent that was offered another file first is not timed from that offer.
  return agent.events.filter((e: AgentEvent) => e.event === event && (event === 'verified' ? isVerified(e) && e.name === name : event === 'offer-received' ? isOfferReceived(e) && e.name === name : true)).map((e) => e.time)
}

export async function swarmdropSwarm (ctx: BenchContext): Promise<MethodOutcome> {
  const dir = join(ctx.root, 'sd')
  const agents = await Promise.all(ctx.recipients.map(async (h) => {
    const downloadsDir = join(dir, h.name, 'downloads')
    await mkdir(downloadsDir, { recursive: true })
    return new LabAgent({ lab: ctx.lab, host: h, cli: ctx.cli, name: h.name, dataDir: join(dir, h.name, 'data'), downloadsDir, accept: 'all' })
  }))
  const copies = agents.map((a) => join(a.spec.downloadsDir, ctx.fileName))
  try {
    await Promise.all(agents.map(async (a) => await a.start(START_WAIT_MS + PER_RECIPIENT_MS * agents.length)))
    // Untimed: let the recipients find each other (each sees the other N-1) before sending.
    const deadline = Date.now() + DISCOVERY_WAIT_MS + PER_RECIPIENT_MS * agents.length
    while (Date.now() < deadline && agents.some((a) => peersSeen(a) < agents.length - 1)) await sleep(200)
    const discovered = agents.map(peersSeen)
    ctx.restartWindow()

    const run = await runSend({
      lab: ctx.lab, host: ctx.origin, path: ctx.source, targets: ['--all'], dataDir: join(dir, 'origin-data'),
      name: ctx.origin.name, timeoutSeconds: Math.ceil(ctx.timeoutMs / 1000)
    })
    ctx.closeWindow()
    const summary = run.summary
    const offerTimes = agents.flatMap((a) => eventTimes(a, 'offer-received', ctx.fileName))
    const verifiedTimes = agents.flatMap((a) => eventTimes(a, 'verified', ctx.fileName))
    const offerToLast = offerTimes.length > 0 && verifiedTimes.length === agents.length
      ? (Math.max(...verifiedTimes) - Math.min(...offerTimes)) / 1000
      : NaN
    const t0 = Math.min(...offerTimes)
    // Per recipient, seconds after the first offer went out: accepted, first verified piece, half verified.
    const since = (t: number | undefined): number => (t === undefined ? NaN : Number(((t - t0) / 1000).toFixed(3)))
    const progressOf = (a: LabAgent): Array<{ time: number; verifiedBytes: number; totalLength: number }> =>
      a.events.filter(isProgress).filter((e) => e.name === ctx.fileName && e.role === 'recipient')
    const extraTimeline = {
      acceptedSeconds: agents.map((a) => since(eventTimes(a, 'offer-accepted', ctx.fileName)[0])),
      firstVerifiedPieceSeconds: agents.map((a) => since(progressOf(a).find((e) => e.verifiedBytes > 0)?.time)),
      halfVerifiedSeconds: agents.map((a) => since(progressOf(a).find((e) => e.verifiedBytes >= e.totalLength / 2)?.time))
    }
    const extra = {
      ...extraTimeline,
      sendSeconds: summary instanceof Error ? NaN : summary.seconds,
      sendWallSeconds: run.wallSeconds,
      offerToLastVerifiedSeconds: offerToLast,
      perCopySeconds: verifiedTimes.map((t) => (t - Math.min(...offerTimes)) / 1000).sort((a, b) => a - b),
      originUploadedBytesBySend: summary instanceof Error ? NaN : summary.originUploadedBytes,
      recipientsNamedInSummary: summary instanceof Error ? 0 : summary.recipients.length,
      peersDiscoveredBeforeSend: discovered
    }
    const timing = 'first "offer-received" to last "verified" (SHA-256 checked) in the recipients\' agent event logs; send\'s own "seconds" (incl. hashing the file) is in extra'
    if (run.outcome.timedOut) return { status: 'timeout', error: describeSend(run).slice(0, 2000), timeToAllS: NaN, copies, extra, timing }
    if (summary instanceof Error || run.outcome.code !== 0 || !summary.ok || summary.recipients.length !== agents.length || Number.isNaN(offerToLast)) {
      const why = summary instanceof Error ? summary.message : `exit ${String(run.outcome.code)}, ok ${String(summary.ok)}, ${summary.recipients.length} recipients: ${summary.recipients.map((r) => `${r.name} ${r.status}${r.reason === undefined ? '' : ` (${r.reason})`}`).join(', ')}`
      return { status: 'failed', error: `${why}\n${describeSend(run).slice(0, 2000)}`, timeToAllS: NaN, copies, extra, timing }
    }
    return { status: 'ok', timeToAllS: offerToLast, copies, extra, timing }
  } finally {
    ctx.closeWindow()
    await Promise.all(agents.map(async (a) => await a.stop()))
  }
}
