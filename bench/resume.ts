// `--only resume`: an agent downloading a big file (4 GiB by default) is stopped halfway (SIGTERM,
// the normal stop, and SIGKILL, a crash) and started again with the same data directory. Reports
// the seconds from the restart until bytes flow again (target ≤ 3 s) and the bytes fetched twice
// (target ≤ 2 pieces). A download that is not interrupted ('none') gives the same figure without
// a stop: the noise floor of the estimate. One lab (family `br`): the origin agent and one
// recipient host per kind of stop, each used once.

import { open, readdir, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { MAX_MEMBER_BLOCK_BYTES } from '../main/core/engine/member-proof.js'
import { choosePieceLength } from '../main/core/hashing/piece-length.js'
import { dataPaths } from '../main/core/settings/data-dir.js'
import { PieceJournal } from '../main/core/store/piece-journal.js'
import { Lab, type LabHost } from '../test/lab/netns-lab.js'
import { isProgress, isVerified } from '../test/multi/agent-events.js'
import type { LabAgent } from '../test/multi/lab-agent.js'
import { writeRandomFile } from '../test/multi/random-content.js'
import { sha256File } from '../test/multi/tree-digest.js'
import type { StopKind } from './options.js'
import type { PartReport } from './part-output.js'
import { excessBytes, pieceFraming, tcpPayload } from './payload-estimate.js'
import { agentLines, startAgents, stopAgents } from './sd-agents.js'
import { offerTo } from './sd-offer.js'
import { fmt, type TargetCheck } from './targets.js'
import { WireWatch, type WireSample } from './wire-watch.js'

const MiB = 1024 * 1024
const LAB_FAMILY = 'br'
const FLOW_BYTES = MiB
const RESUME_TARGET_S = 3
const TWICE_TARGET_PIECES = 2
/** After a restart, bytes must flow within this, or the resume counts as failed. */
const FLOW_WAIT_MS = 120_000

/** Which tree the recipient ran: the built one, or the --resume-baseline one (A/B). */
export type Build = 'built' | 'baseline'

export interface ResumeResult {
  readonly stop: StopKind
  readonly build: Build
  readonly status: 'ok' | 'failed'
  readonly error?: string
  /** Payload bytes received when the stop was sent, and how long the agent took to exit. */
  readonly receivedAtStopBytes: number
  readonly exitSeconds: number
  /** SIGTERM only: the agent did not exit within LabAgent's grace time and was killed. */
  readonly termEscalatedToKill: boolean
  /** From starting the agent again to its "listening" line, and to bytes flowing again (1 MiB of payload). */
  readonly listeningSeconds: number
  readonly resumeSeconds: number
  /** verifiedBytes of the last progress line before the stop and of the first one after the restart. */
  readonly lastVerifiedBeforeStopBytes: number
  readonly firstVerifiedAfterRestartBytes: number
  /**
   * Piece payload the origin sent this recipient over both runs minus one copy: its engine's own
   * count of piece data handed to the socket (the distribution's uploadedBytes), exact. A piece
   * queued in the origin's socket when the recipient died counts as sent, so it errs high.
   */
  readonly fetchedTwiceBytes: number
  readonly fetchedTwicePieces: number
  /** The same from the recipient's cable (counters minus headers and framing): a cross-check that also counts control traffic and TCP retransmissions. */
  readonly cableExcessBytes: number
  readonly pieceLength: number
  /** From the offer to the verified copy, both runs and the gap between them. */
  readonly totalSeconds: number
  readonly copySha256Ok: boolean
  /** Where the loss is, read at the stop: bytes in the recipient's TCP receive queues just before it, */
  readonly socketQueuedAtStopBytes: number
  /** the pieces its journal holds once it has exited (what a restart keeps without fetching), */
  readonly journaledAtStopPieces: number
  /**
   * the pieces whose writes had been issued but were not journaled (NAME.begun), and of those the
   * ones whole on disk after the exit: a restart checks them and keeps those,
   */
  readonly begunAtStopPieces: number
  readonly begunWholeAtStopPieces: number
  /** and the payload on its cable by then minus those pieces: what the stop lost. */
  readonly lostAtStopBytes: number
}

/** Recv-Q summed over the host's TCP connections (`ss -tn`), or NaN when ss fails. */
async function socketQueued (lab: Lab, host: LabHost): Promise<number> {
  const out = await lab.run(host, 'ss', ['-tnH'], { timeoutMs: 3000 })
  if (out.code !== 0) return NaN
  return out.stdout.split('\n').reduce((sum, line) => {
    const recvQ = Number(line.trim().split(/\s+/)[1])
    return Number.isFinite(recvQ) ? sum + recvQ : sum
  }, 0)
}

/**
 * Pieces the stopped agent's journals hold (one download per recipient here), as a restart reads
 * them, and the pieces begun but not journaled (a tree without NAME.begun has none).
 */
async function journaledPieces (dataDir: string, pieceCount: number): Promise<{ journaled: number, begun: number[] }> {
  const dir = dataPaths(dataDir).distributionDir
  const ends = /\.(bitfield|journal|begun)$/
  const bases = new Set((await readdir(dir).catch(() => [])).filter((f) => ends.test(f)).map((f) => f.replace(ends, '')))
  let journaled = 0
  const begun: number[] = []
  for (const b of bases) {
    const j = PieceJournal.open(join(dir, b), pieceCount)
    journaled += j.count
    begun.push(...j.unconfirmed())
  }
  return { journaled, begun }
}

/** How many of `pieces` are in `part` as in `source` (the restart's SHA-1 check, done by comparing). */
async function wholeOnDisk (part: string, source: string, pieces: readonly number[], pieceLength: number): Promise<number> {
  if (pieces.length === 0) return 0
  const [p, s] = await Promise.all([open(part, 'r'), open(source, 'r')])
  try {
    let n = 0
    const a = Buffer.alloc(pieceLength)
    const b = Buffer.alloc(pieceLength)
    for (const i of pieces) {
      const [ra, rb] = await Promise.all([p.read(a, 0, pieceLength, i * pieceLength), s.read(b, 0, pieceLength, i * pieceLength)])
      if (ra.bytesRead === rb.bytesRead && a.subarray(0, ra.bytesRead).equals(b.subarray(0, rb.bytesRead))) n++
    }
    return n
  } finally {
    await Promise.all([p.close(), s.close()])
  }
}

/**
 * Piece payload the origin agent has sent for `name` so far (`status --json`: the engine's count for
 * each distribution of that name), or NaN when its status cannot be read.
 */
async function originUploaded (ctx: VariantContext, name: string): Promise<number> {
  const r = await ctx.lab.run(ctx.origin, process.execPath, [ctx.cli, 'status', '--json', '--data-dir', ctx.originDataDir], { timeoutMs: 30_000 })
  if (r.code !== 0) return NaN
  try {
    const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { distributions?: Array<{ name?: unknown, uploadedBytes?: unknown }> }
    return (report.distributions ?? []).filter((d) => d.name === name).reduce((sum, d) => sum + (typeof d.uploadedBytes === 'number' ? d.uploadedBytes : 0), 0)
  } catch {
    return NaN
  }
}

function payloadSince (base: WireSample, s: WireSample): number {
  return tcpPayload(s.rxBytes - base.rxBytes, s.rxPackets - base.rxPackets)
}

/**
 * The distribution's piece length from the agent's progress lines of any run (pieceCount pieces of
 * a power of two); without one, the rule Swarmdrop picks piece lengths by.
 */
function pieceLengthOf (agent: LabAgent, bytes: number): number {
  const p = agentLines(agent, 'progress').map((l) => l.value).find((v) => typeof v['pieceCount'] === 'number' && typeof v['totalLength'] === 'number' && v['pieceCount'] > 0)
  if (p === undefined) return choosePieceLength(bytes)
  return 2 ** Math.ceil(Math.log2(Number(p['totalLength']) / Number(p['pieceCount'])))
}

interface VariantContext {
  readonly lab: Lab
  readonly cli: string
  readonly source: string
  readonly bytes: number
  readonly sha256: string
  readonly originDataDir: string
  readonly origin: LabHost
  readonly host: LabHost
  readonly agent: LabAgent
  readonly timeoutMs: number
}

async function stopAgent (agent: LabAgent, stop: StopKind): Promise<void> {
  if (stop === 'SIGKILL') await agent.kill()
  else await agent.stop()
}

async function runVariant (stop: StopKind, build: Build, ctx: VariantContext): Promise<ResumeResult> {
  const wire = new WireWatch(ctx.host)
  const base = wire.read()
  wire.start()
  const agent = ctx.agent
  const nan = { socketQueuedAtStopBytes: NaN, journaledAtStopPieces: NaN, begunAtStopPieces: NaN, begunWholeAtStopPieces: NaN, lostAtStopBytes: NaN, termEscalatedToKill: false, receivedAtStopBytes: NaN, exitSeconds: NaN, listeningSeconds: NaN, resumeSeconds: NaN, lastVerifiedBeforeStopBytes: NaN, firstVerifiedAfterRestartBytes: NaN }
  let partial: Partial<ResumeResult> = {}
  try {
    const uploadedBefore = await originUploaded(ctx, basename(ctx.source))
    const offeredAt = Date.now()
    await offerTo({ lab: ctx.lab, host: ctx.origin, cli: ctx.cli, path: ctx.source, to: agent.name, dataDir: ctx.originDataDir, timeoutMs: ctx.timeoutMs })
    if (stop !== 'none') {
      const half = await wire.waitFor((s) => payloadSince(base, s) >= ctx.bytes / 2, ctx.timeoutMs)
      if (half === undefined) throw new Error(`${agent.name}: not halfway within ${(ctx.timeoutMs / 1000).toFixed(0)} s\n${agent.tail(20)}`)
      const stopAt = Date.now()
      const atStop = wire.read()
      const lastVerified = agent.events.filter(isProgress).pop()?.verifiedBytes ?? NaN
      const linesBefore = agent.lines.length
      const queued = await socketQueued(ctx.lab, ctx.host)
      await stopAgent(agent, stop)
      const exitSeconds = (Date.now() - stopAt) / 1000
      const termEscalatedToKill = agent.lines.slice(linesBefore).some((l) => l.includes('did not end on SIGTERM'))
      const restartAt = Date.now()
      const atRestart = wire.read()
      const expectedPieceLength = choosePieceLength(ctx.bytes)
      const { journaled, begun } = await journaledPieces(agent.spec.dataDir, Math.ceil(ctx.bytes / expectedPieceLength))
      const begunWhole = await wholeOnDisk(join(agent.spec.downloadsDir, `${basename(ctx.source)}.part`), ctx.source, begun, expectedPieceLength).catch(() => NaN)
      await agent.start()
      const listeningSeconds = (Date.now() - restartAt) / 1000
      const flowing = await wire.waitFor((s) => payloadSince(atRestart, s) >= FLOW_BYTES, FLOW_WAIT_MS, restartAt)
      if (flowing === undefined) throw new Error(`${agent.name}: no data within ${FLOW_WAIT_MS / 1000} s of the restart\n${agent.tail(30)}`)
      partial = {
        receivedAtStopBytes: payloadSince(base, atStop),
        exitSeconds,
        termEscalatedToKill,
        listeningSeconds,
        resumeSeconds: (flowing.t - restartAt) / 1000,
        lastVerifiedBeforeStopBytes: lastVerified,
        socketQueuedAtStopBytes: queued,
        journaledAtStopPieces: journaled,
        begunAtStopPieces: begun.length,
        begunWholeAtStopPieces: begunWhole,
        lostAtStopBytes: payloadSince(base, atRestart) - Math.min(ctx.bytes, (journaled + (Number.isNaN(begunWhole) ? 0 : begunWhole)) * expectedPieceLength)
      }
    }
    const verified = await agent.waitFor(isVerified, ctx.timeoutMs, 'its "verified" line', 0)
    // A small rest can finish before the first progress line (one a second): then there is none.
    const firstAfter = stop === 'none' ? NaN : agent.events.find(isProgress)?.verifiedBytes ?? NaN
    const totalSeconds = (verified.time - offeredAt) / 1000
    // Let the last frames reach the counters before the final reading.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const end = wire.read()
    const pieceLength = pieceLengthOf(agent, ctx.bytes)
    // Two members ask for min(1 MiB, piece) at a time (sd_member bs): one 13-byte header per request.
    const cable = excessBytes(end.rxBytes - base.rxBytes, end.rxPackets - base.rxPackets, ctx.bytes, Math.min(MAX_MEMBER_BLOCK_BYTES, pieceLength))
    // The engine's upload counter counts every byte written to the connection (peer.js): the piece
    // messages' 13-byte headers too, one per request (0.05 MiB for 4 GiB in 1 MiB requests; session
    // 30 found the "none" rows' 0.05 MiB was these). A copy's headers are not fetched twice.
    const twice = await originUploaded(ctx, basename(ctx.source)) - uploadedBefore - ctx.bytes - pieceFraming(ctx.bytes, Math.min(MAX_MEMBER_BLOCK_BYTES, pieceLength))
    const copySha256Ok = (await sha256File(verified.path).catch(() => 'missing')) === ctx.sha256
    await rm(verified.path, { force: true })
    return {
      stop,
      build,
      status: copySha256Ok ? 'ok' : 'failed',
      ...(copySha256Ok ? {} : { error: `the copy ${verified.path} is not the file (SHA-256)` }),
      ...nan,
      ...partial,
      firstVerifiedAfterRestartBytes: firstAfter,
      fetchedTwiceBytes: twice,
      fetchedTwicePieces: twice / pieceLength,
      cableExcessBytes: cable,
      pieceLength,
      totalSeconds,
      copySha256Ok
    }
  } catch (err) {
    return { stop, build, status: 'failed', error: err instanceof Error ? err.message : String(err), ...nan, ...partial, fetchedTwiceBytes: NaN, fetchedTwicePieces: NaN, cableExcessBytes: NaN, pieceLength: NaN, totalSeconds: NaN, copySha256Ok: false }
  } finally {
    wire.stop()
    // Done with this recipient: it must not serve the next one.
    await agent.stop()
  }
}

function checks (results: readonly ResumeResult[]): TargetCheck[] {
  return results.filter((r) => r.stop !== 'none' && r.build === 'built').flatMap((r): TargetCheck[] => [
    {
      part: 'resume',
      what: `${r.stop}, seconds from restart until bytes flow again`,
      measured: r.status === 'ok' ? `${fmt(r.resumeSeconds, 1)} s (agent listening after ${fmt(r.listeningSeconds, 1)} s)` : `failed: ${(r.error ?? '').split('\n')[0] ?? ''}`,
      target: `≤ ${RESUME_TARGET_S} s`,
      met: r.status === 'ok' && Number.isFinite(r.resumeSeconds) ? r.resumeSeconds <= RESUME_TARGET_S : undefined
    },
    {
      part: 'resume',
      what: `${r.stop}, bytes fetched twice`,
      measured: r.status === 'ok' ? `${fmt(r.fetchedTwiceBytes / MiB, 2)} MiB = ${fmt(r.fetchedTwicePieces, 1)} pieces of ${fmt(r.pieceLength / MiB, 2)} MiB` : 'n/a',
      target: `≤ ${TWICE_TARGET_PIECES} pieces`,
      met: r.status === 'ok' && Number.isFinite(r.fetchedTwicePieces) ? r.fetchedTwicePieces <= TWICE_TARGET_PIECES : undefined
    }
  ])
}

export async function resume (root: string, cli: string, sizeMiB: number, stops: readonly StopKind[], rounds = 1, baselineCli?: string): Promise<PartReport> {
  const bytes = sizeMiB * MiB
  const dir = join(root, 'resume')
  const source = join(dir, 'origin-files', `resume-${sizeMiB}m.bin`)
  console.log(`resume: writing ${sizeMiB} MiB of random bytes to ${source} ...`)
  await writeRandomFile(source, bytes)
  const sha256 = await sha256File(source)
  const timeoutMs = Math.ceil(300_000 + bytes / 20e6 * 1000)
  // With a baseline, every stop runs on a baseline and a built recipient in turn (the order
  // alternating by round), so both see the same load.
  const builds: readonly Build[] = baselineCli === undefined ? ['built'] : ['baseline', 'built']
  const letter = { none: 'n', SIGTERM: 't', SIGKILL: 'k' } as const
  const variants = Array.from({ length: rounds }, (_, round) => stops.flatMap((stop) =>
    (round % 2 === 0 ? builds : [...builds].reverse()).map((build) => ({ stop, build, name: `r${round}${letter[stop]}${build === 'built' ? 'b' : 'a'}` })))).flat()
  const made = await Lab.create({ prefix: LAB_FAMILY, hosts: [{ name: 'origin' }, ...variants.map(({ name }) => ({ name }))] })
  if (!made.ok) throw new Error(`Lab.create: ${made.error.message}`)
  const lab = made.value
  const warnings = [...lab.warnings]
  const results: ResumeResult[] = []
  const started = Date.now()
  try {
    const agents = await startAgents(lab, cli, join(dir, 'agents'), lab.hosts.map((h, i) => ({
      host: h,
      name: h.name,
      ...(variants[i - 1]?.build === 'baseline' && baselineCli !== undefined ? { cli: baselineCli } : {})
    })))
    try {
      const [origin, ...recipients] = agents
      if (origin === undefined) throw new Error('no origin agent')
      for (const [i, { stop, build }] of variants.entries()) {
        const agent = recipients[i]
        const host = lab.hosts[i + 1]
        if (agent === undefined || host === undefined) continue
        console.log(`resume ${stop} (${build}): sending ${sizeMiB} MiB to ${agent.name}${stop === 'none' ? ' (no interruption)' : `, ${stop} halfway, then restart`} (timeout ${(timeoutMs / 1000).toFixed(0)} s) ...`)
        const r = await runVariant(stop, build, { lab, cli, source, bytes, sha256, originDataDir: origin.spec.dataDir, origin: lab.host('origin'), host, agent, timeoutMs })
        results.push(r)
        console.log(`resume ${stop} (${build}): ${r.status}, flowing again after ${fmt(r.resumeSeconds, 2)} s, fetched twice ${fmt(r.fetchedTwiceBytes / MiB, 2)} MiB (${fmt(r.fetchedTwicePieces, 2)} pieces)${r.error === undefined ? '' : `\n  ${r.error.split('\n').slice(0, 8).join('\n  ')}`}`)
      }
    } finally {
      await stopAgents(agents)
    }
  } finally {
    const d = await lab.destroy()
    if (!d.ok) warnings.push(`lab teardown: ${d.error.message}`)
    await rm(dir, { recursive: true, force: true })
  }
  // The uninterrupted download's own excess (end-game duplicates, control traffic), if it ran.
  const floors = results.filter((f) => f.stop === 'none' && f.status === 'ok')
  const floorOf = (r: ResumeResult): number => {
    const same = floors.filter((f) => f.build === r.build)
    return same.reduce((sum, f) => sum + f.fetchedTwicePieces, 0) / same.length
  }
  const markdown = [
    `Resume: an agent downloading a ${sizeMiB} MiB random file from the origin agent (\`send --to NAME\`, one lab, veth, no tc cap) is stopped once half the file has arrived and started again with the same data directory.`,
    '',
    '| stop | build | status | exit took (s) | received at stop (MiB) | TCP receive queues just before the stop (MiB) | journaled after the exit (pieces) | begun, not journaled: whole on disk / all (pieces) | lost at the stop: cable after the exit − kept (MiB) | verified before stop / at first report after restart (MiB) | restart → listening (s) | restart → bytes flow (s) | fetched twice (MiB) | = pieces | pieces beyond "none" | cable excess (MiB) | piece (KiB) | offer → verified (s) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.stop} | ${r.build} | ${r.status} | ${fmt(r.exitSeconds, 2)}${r.termEscalatedToKill ? ' (SIGKILL after 5 s)' : ''} | ${fmt(r.receivedAtStopBytes / MiB, 0)} | ${fmt(r.socketQueuedAtStopBytes / MiB, 2)} | ${fmt(r.journaledAtStopPieces, 0)} | ${fmt(r.begunWholeAtStopPieces, 0)} / ${fmt(r.begunAtStopPieces, 0)} | ${fmt(r.lostAtStopBytes / MiB, 2)} | ${fmt(r.lastVerifiedBeforeStopBytes / MiB, 0)} / ${fmt(r.firstVerifiedAfterRestartBytes / MiB, 0)} | ${fmt(r.listeningSeconds, 2)} | ${fmt(r.resumeSeconds, 2)} | ${fmt(r.fetchedTwiceBytes / MiB, 2)} | ${fmt(r.fetchedTwicePieces, 2)} | ${r.stop === 'none' ? '' : fmt(r.fetchedTwicePieces - floorOf(r), 2)} | ${fmt(r.cableExcessBytes / MiB, 2)} | ${fmt(r.pieceLength / 1024, 0)} | ${fmt(r.totalSeconds, 1)} |`),
    '',
    '- Restart = spawning the agent again (Node start-up included); bytes flow = 1 MiB of payload on the recipient\'s cable since the restart (counters sampled every 0.1 s).',
    '- Fetched twice = what the origin sent this recipient over both runs, by the origin engine\'s own count (`status --json`, the distribution\'s uploadedBytes, which counts every byte written to the connection), minus the file size and one 13-byte piece-message header per request of the copy (min(1 MiB, piece)): a little high after a kill (pieces still in the origin\'s socket count as sent, and a few hundred bytes of the second connection\'s handshakes). The row "none" is an uninterrupted download measured the same way (end-game duplicates).',
    '- Cable excess = the same from the recipient\'s cable (counters minus frame headers and a 13-byte piece-message header per request of min(1 MiB, piece), the size members agree on): it also counts control traffic (mDNS, TLS reports, HAVEs) and TCP retransmissions, 1.5-2.2 MiB for an uninterrupted 4 GiB (session 25). Until session 24 the target was judged on it.',
    '- "verified before stop" is the last progress line before the stop (one a second, so up to a second old); the targets are judged on the raw figure, not on the figure beyond "none".',
    '- build: "built" = this tree; "baseline" = the --resume-baseline tree, run in turn with the built one (the order alternating by round). "Beyond none" subtracts the mean of the same build\'s "none" rows.',
    '- TCP receive queues = Recv-Q summed over the recipient\'s connections (`ss -tn`) just before the stop; journaled after the exit = pieces a restart keeps without fetching them; begun, not journaled = pieces whose writes had been issued (NAME.begun), and of them those whole on disk after the exit, which the restart\'s check keeps; lost = payload on the cable by the restart minus the pieces kept.',
    '- Other work ran on this 2-core machine at the same time: times are noisy.',
    `- Run took ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    ...warnings.map((w) => `- Warning: ${w}`),
    ...results.filter((r) => r.error !== undefined).map((r) => `- Error (${r.stop}): ${(r.error ?? '').split('\n')[0] ?? ''}`),
    ''
  ].join('\n')
  return { part: 'resume', markdown, json: { sizeMiB, rounds, baselineCli: baselineCli ?? null, results, warnings }, targets: checks(results) }
}
