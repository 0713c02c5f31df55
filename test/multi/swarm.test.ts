// The engine and the headless agent on real network stacks: five lab "machines" (network
// namespaces on one bridge, links capped like a LAN), one origin running the built CLI's `send`
// and four recipients running the built CLI's `agent`. Checks, from the files on disk, that every
// recipient gets a byte-identical copy of a big file and of a folder of many small files, that
// the origin uploads less than twice the data (the swarm carries the rest), and that a recipient
// killed with SIGKILL mid-transfer resumes without fetching its verified pieces again.
//
// It never skips: a machine that cannot build network namespaces fails here with the reason.

import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { checkNamespaceSupport, Lab, type LabCounters, type LabHost } from '../lab/netns-lab.js'
import { isOfferAccepted, isProgress, isVerified, type AgentEvent, type ProgressEvent, type VerifiedEvent } from './agent-events.js'
import { describeSend, requireBuiltCli, runSend, type SendRun } from './cli-send.js'
import { LabAgent } from './lab-agent.js'
import { writeRandomFile, writeRandomFolder } from './random-content.js'
import { transferStatus } from './transfer-status.js'
import type { SendSummary } from './send-summary.js'
import { digestTree, manifestSha256, partLeftovers, sha256File } from './tree-digest.js'

const MiB = 1024 * 1024
const LAB_FAMILY = 'smt'
const RECIPIENTS = 4
/** Every host's cable: fast enough for a quick suite, slow enough that the links, not the CPU, set the pace. */
const LINK_MBIT = 200
/** The resume test's recipient downloads this slowly, so its transfer lasts long enough to kill it half-way. */
const SLOW_DOWN_MBIT = 40
const BIG_FILE_BYTES = 64 * MiB
const FOLDER_FILES = 500
const FOLDER_MAX_FILE_BYTES = 64 * 1024
/** send's own --timeout; each test's deadline leaves room for setup and checks on top. */
const SEND_TIMEOUT_S = 120
/** The whole file's budget: later sends get shorter --timeouts so a run of failures still ends in time. */
const SUITE_BUDGET_S = 450
const suiteStarted = Date.now()
const TEST_TIMEOUT_MS = 170_000
const HOOK_TIMEOUT_MS = 90_000
const MAX_ORIGIN_UPLOAD_RATIO = 2
/** The resume bound's allowances: pieces lost at the kill, and protocol + TCP/IP overhead. */
const RESUME_SLACK_PIECES = 4
const RESUME_OVERHEAD = 0.10

let lab: Lab | undefined
let root = ''
let cli = ''
const agents: LabAgent[] = []
const sendLogs: string[] = []

function theLab (): Lab {
  if (lab === undefined) throw new Error('the lab was not created (see the beforeAll failure)')
  return lab
}

function agentNamed (name: string): LabAgent {
  const a = agents.find((x) => x.name === name)
  if (a === undefined) throw new Error(`no agent ${name} (see the beforeAll failure)`)
  return a
}

const originHost = (): LabHost => theLab().host('origin')
const dataDirOf = (i: number): string => join(root, `d${i}`)
const downloadsOf = (i: number): string => join(root, `dl${i}`)
const recipientName = (i: number): string => `lab-${i}`

/** On failure, prints every agent's recent output and what send said. */
function printLogsOnFailure (): void {
  onTestFailed(() => {
    console.log([...sendLogs.splice(0), ...agents.map((a) => a.tail(80))].join('\n\n'))
  })
}

async function rxTx (host: LabHost): Promise<LabCounters> {
  const c = await theLab().counters(host)
  if (!c.ok) throw new Error(`counters of ${host.name}: ${c.error.message}`)
  return c.value
}

/** send's --timeout: SEND_TIMEOUT_S, or less when the suite's budget is running out. */
function sendTimeoutSeconds (): number {
  const left = SUITE_BUDGET_S - (Date.now() - suiteStarted) / 1000
  return Math.max(10, Math.min(SEND_TIMEOUT_S, Math.floor(left - 30)))
}

function sleep (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function mb (bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`
}

/**
 * After a send that did not end with every recipient verified (while the agents still run):
 * each recipient's engine view of the distribution, for the failure report.
 */
async function noteTransfersIfFailed (run: SendRun, name: string, recipients: readonly LabAgent[]): Promise<void> {
  const fine = run.outcome.code === 0 && !(run.summary instanceof Error) && run.summary.ok
  if (fine) return
  const lines = await Promise.all(recipients.map((a) => a.running
    ? transferStatus(theLab(), a.spec.host, cli, a.spec.dataDir, name)
    : Promise.resolve(`${a.name}: not running`)))
  sendLogs.push(`--- recipients' engines on ${name} after the send ended ---\n${lines.join('\n')}`)
}

/** The summary of a send that must have succeeded; throws with send's output otherwise. */
function successfulSummary (run: SendRun): SendSummary {
  sendLogs.push(describeSend(run))
  if (run.summary instanceof Error) throw new Error(`${run.summary.message}\n${describeSend(run)}`)
  return run.summary
}

/** Asserts the summary says: exit 0, ok, the expected content, every recipient verified with that hash. */
function expectAllVerified (run: SendRun, summary: SendSummary, bytes: number, sha256: string, names: readonly string[]): void {
  expect(run.outcome.code, describeSend(run)).toBe(0)
  expect(summary.ok, describeSend(run)).toBe(true)
  expect(summary.bytes).toBe(bytes)
  expect(summary.sha256).toBe(sha256)
  expect(summary.recipients.map((r) => r.name).sort()).toEqual([...names].sort())
  for (const r of summary.recipients) {
    expect({ name: r.name, status: r.status, sha256: r.sha256 }).toEqual({ name: r.name, status: 'verified', sha256 })
  }
}

/** Per recipient, seconds from accepting the offer of `name` to verifying it (from the agents' own log times). */
function copySeconds (name: string): string {
  return agents.map((a) => {
    const accepted = a.events.find((e) => isOfferAccepted(e) && e.name === name)
    const verified = a.events.find((e) => isVerified(e) && e.name === name)
    const s = accepted === undefined || verified === undefined ? '?' : ((verified.time - accepted.time) / 1000).toFixed(1)
    return `${a.name} ${s} s`
  }).join(', ')
}

/** Logs and checks the origin's upload, from send's own figure and from the origin's cable. */
function expectOriginUploadBelowLimit (what: string, run: SendRun, summary: SendSummary): void {
  const vethTx = run.after.txBytes - run.before.txBytes
  const bySummary = summary.originUploadedBytes / summary.bytes
  const byVeth = vethTx / summary.bytes
  console.log(`[${what}] ${mb(summary.bytes)} to ${summary.recipients.length} recipients in ${summary.seconds.toFixed(1)} s (send's figure; ${run.wallSeconds.toFixed(1)} s wall incl. hashing and discovery): ` +
    `origin uploaded ${mb(summary.originUploadedBytes)} = ${bySummary.toFixed(2)}x by send's originUploadedBytes, ` +
    `${mb(vethTx)} = ${byVeth.toFixed(2)}x by the origin veth's tx counter; offer accepted -> verified: ${copySeconds(summary.name)}`)
  expect.soft(bySummary, `${what}: originUploadedBytes / size`).toBeLessThan(MAX_ORIGIN_UPLOAD_RATIO)
  expect.soft(byVeth, `${what}: origin veth tx bytes / size`).toBeLessThan(MAX_ORIGIN_UPLOAD_RATIO)
}

describe(`swarm of ${RECIPIENTS + 1} lab machines (built CLI: send + agent)`, () => {
  beforeAll(async () => {
    cli = requireBuiltCli()
    const support = await checkNamespaceSupport(LAB_FAMILY)
    if (!support.ok) throw new Error(`cannot run the multi-machine suite here: ${support.error.message}`)
    root = await mkdtemp(join(tmpdir(), 'swarmdrop-multi-'))
    const caps = { upMbit: LINK_MBIT, downMbit: LINK_MBIT }
    const created = await Lab.create({
      prefix: LAB_FAMILY,
      hosts: [{ name: 'origin', ...caps }, ...Array.from({ length: RECIPIENTS }, (_, k) => ({ name: recipientName(k + 1), ...caps }))]
    })
    if (!created.ok) throw new Error(`Lab.create failed: ${created.error.message}`)
    lab = created.value
    for (const w of lab.warnings) console.log(`lab warning: ${w}`)
    for (let i = 1; i <= RECIPIENTS; i++) {
      await mkdir(downloadsOf(i), { recursive: true })
      agents.push(new LabAgent({ lab, host: lab.host(recipientName(i)), cli, name: recipientName(i), dataDir: dataDirOf(i), downloadsDir: downloadsOf(i) }))
    }
    await Promise.all(agents.map((a) => a.start()))
  }, HOOK_TIMEOUT_MS)

  afterAll(async () => {
    const problems: string[] = []
    try {
      await Promise.all(agents.map((a) => a.stop()))
    } catch (err) {
      problems.push(`stopping agents: ${String(err)}`)
    }
    // destroy() also ends anything still running in the namespaces (SIGTERM, then SIGKILL).
    const destroyed = await lab?.destroy()
    if (destroyed !== undefined && !destroyed.ok) problems.push(destroyed.error.message)
    if (root !== '') await rm(root, { recursive: true, force: true })
    if (problems.length > 0) throw new Error(problems.join('; '))
  }, HOOK_TIMEOUT_MS)

  it(`sends a ${mb(BIG_FILE_BYTES)} random file to all ${RECIPIENTS}: identical copies, origin uploads < ${MAX_ORIGIN_UPLOAD_RATIO}x`, async () => {
    printLogsOnFailure()
    const fileName = 'big-64m.bin'
    const source = join(root, 'src-file', fileName)
    await writeRandomFile(source, BIG_FILE_BYTES)
    const sha = await sha256File(source)

    const run = await runSend({ lab: theLab(), host: originHost(), path: source, targets: ['--all'], dataDir: dataDirOf(0), name: 'origin', timeoutSeconds: sendTimeoutSeconds() })
    await noteTransfersIfFailed(run, fileName, agents)
    const summary = successfulSummary(run)
    expectAllVerified(run, summary, BIG_FILE_BYTES, sha, agents.map((a) => a.name))

    for (let i = 1; i <= RECIPIENTS; i++) {
      expect(await sha256File(join(downloadsOf(i), fileName)), `${recipientName(i)}'s copy`).toBe(sha)
      expect(await partLeftovers(downloadsOf(i)), `${recipientName(i)}'s downloads`).toEqual([])
    }
    expectOriginUploadBelowLimit('64 MiB file', run, summary)
  }, TEST_TIMEOUT_MS)

  it(`sends a folder of ${FOLDER_FILES} small files (nested, one empty) to all ${RECIPIENTS}: identical trees, origin uploads < ${MAX_ORIGIN_UPLOAD_RATIO}x`, async () => {
    printLogsOnFailure()
    const folderName = 'tree-500'
    const source = join(root, 'src-folder', folderName)
    const bytes = await writeRandomFolder(source, { files: FOLDER_FILES, maxBytes: FOLDER_MAX_FILE_BYTES })
    const tree = await digestTree(source)
    expect(tree.size).toBe(FOLDER_FILES)
    const sorted = [...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

    const run = await runSend({ lab: theLab(), host: originHost(), path: source, targets: ['--all'], dataDir: dataDirOf(0), name: 'origin', timeoutSeconds: sendTimeoutSeconds() })
    await noteTransfersIfFailed(run, folderName, agents)
    const summary = successfulSummary(run)
    expectAllVerified(run, summary, bytes, manifestSha256(tree), agents.map((a) => a.name))

    for (let i = 1; i <= RECIPIENTS; i++) {
      const copy = await digestTree(join(downloadsOf(i), folderName))
      const copySorted = [...copy.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      expect(copySorted, `${recipientName(i)}'s copy of ${folderName}`).toEqual(sorted)
      expect(await partLeftovers(downloadsOf(i)), `${recipientName(i)}'s downloads`).toEqual([])
    }
    expectOriginUploadBelowLimit(`folder of ${FOLDER_FILES} files`, run, summary)
  }, TEST_TIMEOUT_MS)

  it('resumes a recipient killed with SIGKILL half-way without downloading its verified pieces again', async () => {
    printLogsOnFailure()
    const l = theLab()
    const index = RECIPIENTS
    const victim = agentNamed(recipientName(index))
    const victimHost = l.host(recipientName(index))
    const fileName = 'resume-64m.bin'
    const source = join(root, 'src-resume', fileName)
    await writeRandomFile(source, BIG_FILE_BYTES)
    const sha = await sha256File(source)

    const slowed = await l.shape(victimHost, { upMbit: LINK_MBIT, downMbit: SLOW_DOWN_MBIT })
    if (!slowed.ok) throw new Error(`shaping ${victimHost.name}: ${slowed.error.message}`)
    try {
      const mine = (e: AgentEvent): boolean => 'name' in e && e.name === fileName
      const isMyProgress = (e: AgentEvent): e is ProgressEvent => isProgress(e) && mine(e) && e.role === 'recipient'
      const isMyVerified = (e: AgentEvent): e is VerifiedEvent => isVerified(e) && mine(e)

      const sending = runSend({ lab: l, host: originHost(), path: source, targets: ['--to', victim.name], dataDir: dataDirOf(0), name: 'origin', timeoutSeconds: sendTimeoutSeconds() })
      // Noticed at once even if the test fails before awaiting it.
      sending.catch(() => {})

      const atKill = await victim.waitFor((e): e is ProgressEvent => isMyProgress(e) && e.verifiedBytes >= 0.3 * e.totalLength, 90_000, `progress on ${fileName} past 30%`, 0)
      await victim.kill()
      const totalLength = atKill.totalLength
      const pieceLength = Math.ceil(totalLength / atKill.pieceCount)
      const fraction = atKill.verifiedBytes / totalLength
      expect(fraction, 'verified fraction at the kill (a faster link than expected shows here)').toBeLessThanOrEqual(0.7)

      // Let what was queued for the dead process drain, so it does not count as "after restart".
      await sleep(1_000)
      const beforeRestart = await rxTx(victimHost)
      const restartedAt = performance.now()
      await victim.start()
      const firstProgress = await victim.waitFor(isMyProgress, 30_000, `progress on ${fileName} after the restart`, 0)
      await victim.waitFor(isMyVerified, 110_000, `"verified" for ${fileName} after the restart`, 0)
      const afterVerified = await rxTx(victimHost)
      const resumeSeconds = (performance.now() - restartedAt) / 1000

      const rxAfterRestart = afterVerified.rxBytes - beforeRestart.rxBytes
      const missing = totalLength - atKill.verifiedBytes
      const bound = (missing + RESUME_SLACK_PIECES * pieceLength) * (1 + RESUME_OVERHEAD)
      console.log(`[resume] ${victim.name} (${SLOW_DOWN_MBIT} Mbit down) killed at ${(fraction * 100).toFixed(1)}% verified (${mb(atKill.verifiedBytes)} of ${mb(totalLength)}, ${atKill.verifiedPieces}/${atKill.pieceCount} pieces of ${pieceLength / 1024} KiB); ` +
        `after restart it had ${mb(firstProgress.verifiedBytes)} verified at its first progress line, received ${mb(rxAfterRestart)} on its cable until verified ` +
        `(${resumeSeconds.toFixed(1)} s; missing ${mb(missing)}, bound ${mb(bound)} = (missing + ${RESUME_SLACK_PIECES} pieces) x ${1 + RESUME_OVERHEAD})`)

      const run = await sending
      await noteTransfersIfFailed(run, fileName, [victim])
      const summary = successfulSummary(run)
      console.log(`[resume] send took ${summary.seconds.toFixed(1)} s (${run.wallSeconds.toFixed(1)} s wall), origin uploaded ${mb(summary.originUploadedBytes)}`)
      expectAllVerified(run, summary, BIG_FILE_BYTES, sha, [victim.name])
      expect(await sha256File(join(downloadsOf(index), fileName)), `${victim.name}'s copy`).toBe(sha)
      expect(await partLeftovers(downloadsOf(index)), `${victim.name}'s downloads`).toEqual([])
      expect(firstProgress.verifiedBytes, 'verified bytes kept across the kill').toBeGreaterThanOrEqual(atKill.verifiedBytes - RESUME_SLACK_PIECES * pieceLength)
      expect(rxAfterRestart, 'bytes received after the restart').toBeLessThanOrEqual(bound)
    } finally {
      await l.shape(victimHost, { upMbit: LINK_MBIT, downMbit: LINK_MBIT })
    }
  }, TEST_TIMEOUT_MS)
})
