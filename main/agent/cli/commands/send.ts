// `swarmdrop send PATH (--to NAME[,@GROUP...] | --all)`: hash PATH, offer it to machines on the
// LAN (a group's members by id: one off the network gets it when it comes back), and with --wait
// follow every recipient until it has verified the file.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ApiResult, AppState, CommandReplies, Distribution, Machine, MemberRow, MemberState } from '../../../../common/api.js'
import type { SendFinished, SendOffered } from '../../../../common/cli-json.js'
import { parseSettingsPatch } from '../../../../common/commands.js'
import type { DeviceClient } from '../../../core/app/device-client.js'
import { flag, intFlag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, type CommandUsage } from '../command-usage.js'
import { formatBytes, formatRate } from '../../../../common/units.js'
import { bar, formatDuration, pad } from '../format.js'
import { memberLine, memberName, stateLabel } from '../member-line.js'
import { chooseRecipient, matchMachines } from '../recipient-match.js'
import { outcomeOf, outcomeText, summaryLine, type Outcome } from '../send-outcome.js'
import { sendToAll } from '../send-to-all.js'
import { stateChanges } from '../state-changes.js'
import { dataDirOf, openSession } from '../session.js'
import { jsonLine, terminalText } from '../terminal-text.js'
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js'

export const sendUsage: CommandUsage = {
  name: 'send',
  synopsis: 'PATH (--to NAME|@GROUP[,...] | --all)',
  positionals: ['PATH'],
  summary: 'Offers a file or folder to machines on the LAN, by device name (case-insensitive), id prefix or @group.',
  details: `@GROUP names a group (swarmdrop group): its machines by id; one that is not on the network
now is offered the file as soon as it comes back (state "waiting"), with no second send. So is a
machine named that this one knows but that is away now.
--all listens a few seconds (--listen) for the machines on the LAN and offers the file to each one
as soon as it is found and the file is hashed, so the first machines do not wait for the others.
Without --wait it returns once the offers are delivered (each accepted, pending or declined).
With --wait it shows a progress bar per machine (on a terminal; in a log or a pipe, a line each
time a machine's state changes) and ends when every one has verified the file (exit 0) or one
declined, failed, ran out of space or did not finish in time (exit 1). Without an agent running for
the data folder, send runs one itself and waits, since it must stay to seed.`,
  flags: [
    { name: 'to', type: 'string', value: 'NAME|@GROUP[,...]', meaning: 'the machines to send to, by name, id prefix or @group' },
    { name: 'all', type: 'boolean', meaning: 'send to every machine found on the LAN' },
    { name: 'listen', type: 'string', value: 'SEC', meaning: 'with --all: listen SEC seconds for machines (default 3); each gets the file as soon as it is found' },
    { name: 'wait', type: 'boolean', meaning: 'follow every machine until it has verified the file' },
    { name: 'timeout', type: 'string', value: 'SEC', meaning: 'with --wait: give up after SEC seconds (a machine not done is reported as timeout, or lost)' },
    DATA_DIR_FLAG,
    { name: 'name', type: 'string', value: 'NAME', meaning: 'this machine\'s name when send runs its own device (no agent running)' },
    { name: 'json', type: 'boolean', meaning: 'print one JSON summary line; with --wait each recipient\'s status is verified, declined, failed, timeout, lost or no-space' }
  ],
  examples: ['swarmdrop send ./ubuntu.iso --to lab-01,lab-02 --wait', 'swarmdrop send ./ubuntu.iso --to @lab,lab-03', 'swarmdrop send /srv/images/build-42 --all --wait --timeout 600 --json']
}

const DISCOVERY_WAIT_MS = 6_000
const ALL_SETTLE_MS = 3_000
/** `--wait` looks at its deadline at least this often while no row moves. */
const FOLLOW_WAIT_MS = 1_000
/** `--wait` gives up on a device that has not answered for this long (its agent was stopped or killed). */
const DEVICE_GONE_MS = 3_000

export async function sendCommand (args: readonly string[]): Promise<number> {
  const p = parse(sendUsage, args)
  const path = p.positionals[0]
  if (path === undefined) throw new UsageError('send: which file or folder? (swarmdrop send PATH --to NAME | --all)')
  const to = str(p, 'to')
  const all = flag(p, 'all')
  if ((to === undefined) === !all) throw new UsageError('send: say who gets it: --to NAME[,NAME...] or --all')
  const timeout = intFlag(p, 'timeout', 1, 30 * 24 * 3600)
  const listen = intFlag(p, 'listen', 1, 3600)
  if (listen !== undefined && !all) throw new UsageError('send: --listen goes with --all (how long to listen for machines)')
  const json = flag(p, 'json')
  // Bad paths fail fast, before any network activity.
  const st = await stat(path).catch(() => undefined)
  if (!st) throw new UsageError(`send: ${path}: no such file or folder`)
  if (st.isFile() && st.size === 0) throw new UsageError(`send: ${path} is empty: there is nothing to send`)
  const name = str(p, 'name')
  // Checked as the window checks a new name (the settings patch of common/commands.ts).
  const named = name === undefined ? undefined : parseSettingsPatch({ name }, () => '--name')
  if (named !== undefined && !named.ok) throw new UsageError(named.error.message)

  const session = await openSession(dataDirOf(str(p, 'data-dir')), named?.value ?? {})
  try {
    const client = session.client
    const wait = flag(p, 'wait') || session.inProcess !== undefined
    if (session.inProcess && !flag(p, 'wait') && !json) process.stderr.write('No agent runs for this data directory: sending from this process, which stays until every recipient has the file.\n')
    const tty = !json && process.stderr.isTTY === true
    let sent: ApiResult<CommandReplies['send']>
    let ids: readonly string[]
    let started: number
    if (all) {
      // Hashing needs no recipient, so it starts now, while the device listens for machines; the
      // first send joins it (a path being hashed is not hashed twice; see Origin.create).
      const hashing = client.run({ type: 'create', path: resolve(path) }).catch(() => undefined)
      const first = async (to: readonly string[]): Promise<ApiResult<CommandReplies['send']>> => {
        await hashing
        const sending = client.run({ type: 'send', path: resolve(path), to })
        return tty ? await withHashingProgress(client, sending) : await sending
      }
      const out = await sendToAll(client, first, { settleMs: listen === undefined ? ALL_SETTLE_MS : listen * 1000, discoveryMs: Math.max(DISCOVERY_WAIT_MS, (listen ?? 0) * 1000), waitMs: FOLLOW_WAIT_MS })
      sent = out.sent
      ids = out.ids
      started = out.startedAt
      for (const m of out.twins) process.stderr.write(`send: not sent to ${terminalText(m.name)}: ${terminalText(m.twinProblem ?? '')}\n`)
    } else {
      ids = await chooseTargets(client, to, session.inProcess !== undefined)
      started = performance.now()
      // The device may run elsewhere (an agent): it gets an absolute path.
      const sending = client.run({ type: 'send', path: resolve(path), to: ids })
      sent = tty ? await withHashingProgress(client, sending) : await sending
    }
    // The recipients are chosen: this process's own device stops asking the LAN every second.
    session.inProcess?.node.discovery.calm()
    if (!sent.ok) {
      // Hashed, but no machine took the offer: the reasons are in the message.
      if (sent.error.code === 'unreachable') {
        process.stderr.write(`send: ${terminalText(sent.error.message)}\n`)
        return EXIT_FAILED
      }
      throw new UsageError(`send: ${sent.error.message}`)
    }
    const first = await distributionOf(client, sent.value.infoHash)
    if (!json) process.stderr.write(`${terminalText(first.name)}: ${formatBytes(first.totalLength)}, sha256 ${first.sha256}\n`)
    if (!wait) {
      const rows = first.members.filter(m => ids.includes(m.id))
      const width = nameWidth(rows.map(r => r.name))
      for (const r of rows) if (!json) process.stdout.write(`${pad(terminalText(r.name), width)} ${stateLabel(r.state)}${r.reason ? ` (${terminalText(r.reason)})` : ''}\n`)
      if (json) {
        const offered: SendOffered = { ok: rows.every(r => TAKEN.includes(r.state)), name: first.name, infoHash: first.infoHash, bytes: first.totalLength, sha256: first.sha256, recipients: rows.map(r => ({ name: r.name, id: r.id, status: r.state })) }
        process.stdout.write(jsonLine(offered))
      }
      return rows.some(r => REFUSED.includes(r.state)) ? EXIT_FAILED : EXIT_OK
    }
    const deadline = timeout === undefined ? Infinity : Date.now() + timeout * 1000
    // A device this process runs ends the wait when `swarmdrop stop` asks it to.
    let stopped = false
    void session.inProcess?.stopRequested.then(() => { stopped = true })
    const followed = await follow(client, first, ids, () => stopped || Date.now() > deadline, json ? 'quiet' : process.stderr.isTTY === true ? 'bars' : 'changes')
    if (followed.gone !== undefined) {
      // Its agent was stopped or killed: nothing moves until it runs again, so waiting is pointless.
      process.stderr.write(`send: the device sending ${terminalText(first.name)} stopped answering (${terminalText(followed.gone)}); what the machines verified stays, and sending goes on when its agent runs again\n`)
      return EXIT_FAILED
    }
    const outcomes = followed.outcomes
    const uploaded = (await distributionOf(client, first.infoHash)).uploadedBytes
    const seconds = (performance.now() - started) / 1000
    const okAll = outcomes.every(o => o.status === 'verified')
    if (json) {
      const finished: SendFinished = { ok: okAll, name: first.name, infoHash: first.infoHash, bytes: first.totalLength, sha256: first.sha256, seconds: Number(seconds.toFixed(3)), originUploadedBytes: uploaded, recipients: outcomes }
      process.stdout.write(jsonLine(finished))
    } else {
      const width = nameWidth(outcomes.map(o => o.name))
      for (const o of outcomes) process.stdout.write(`${pad(terminalText(o.name), width)} ${outcomeText(o)}\n`)
      process.stdout.write(`${summaryLine(outcomes)} in ${formatDuration(seconds)}; this machine uploaded ${formatBytes(uploaded)} (${(uploaded / first.totalLength).toFixed(2)}× the size)\n`)
    }
    return okAll ? EXIT_OK : EXIT_FAILED
  } finally {
    await session.close()
  }
}

/** States in which a machine took the offer (or already had the file). */
const TAKEN: readonly MemberState[] = ['accepted', 'pending', 'verified', 'downloading', 'verifying', 'waiting']
/** States in which it will not get it this time. */
const REFUSED: readonly MemberState[] = ['declined', 'failed', 'unreachable']
/** States a row does not leave by itself: it has the file, or will not get it this time. */
const SETTLED: readonly MemberState[] = ['verified', 'declined', 'failed', 'unreachable', 'timeout']

/** The distribution as the device shows it now. */
async function distributionOf (client: DeviceClient, infoHash: string): Promise<Distribution> {
  const s = await client.state()
  if (!s.ok) throw new UsageError(`send: ${s.error.message}`)
  const d = s.value.distributions.find(x => x.infoHash === infoHash)
  if (d === undefined) throw new UsageError(`send: the device no longer lists ${infoHash}`)
  return d
}

/**
 * The device ids `--to` names: each name or id prefix a machine on the network, or one known here
 * that is away; each @group all its members, on the network or not (one away gets the file when
 * back).
 * A device that just started (`cold`) listens a few seconds for the group's machines too.
 */
async function chooseTargets (client: DeviceClient, to: string | undefined, cold: boolean): Promise<string[]> {
  const entries = to === undefined ? [] : to.split(',').map(s => s.trim()).filter(s => s.length > 0)
  const groupNames = entries.filter(e => e.startsWith('@')).map(e => e.slice(1))
  const wanted = entries.filter(e => !e.startsWith('@'))
  if (entries.length === 0) throw new UsageError('send: --to needs at least one machine name or @group')
  const started = Date.now()
  let peers: Machine[] = []
  let groupIds: string[] = []
  let r = await client.state()
  let state: AppState
  for (;;) {
    if (!r.ok) throw new UsageError(r.error.message)
    state = r.value
    const online = r.value.machines.filter(m => m.online)
    peers = online
    groupIds = groupMembers(r.value, groupNames)
    const elapsed = Date.now() - started
    const groupsSeen = !cold || groupIds.every(id => peers.some(p => p.id === id))
    if (groupsSeen && wanted.every(w => matchMachines(peers, w).length === 1)) break
    if (elapsed >= DISCOVERY_WAIT_MS) break
    // Answered as soon as a machine comes or goes, at the latest when the wait is over.
    r = await client.nextState(DISCOVERY_WAIT_MS - elapsed)
  }
  const chosen: string[] = [...groupIds]
  for (const w of wanted) {
    const c = chooseRecipient(w, peers, state.machines, state.self)
    if ('error' in c) throw new UsageError(c.error)
    if (!chosen.includes(c.id)) chosen.push(c.id)
  }
  return chosen
}

/** The ids of the named groups' members, each once; an unknown or empty group is a usage error. */
function groupMembers (state: AppState, names: readonly string[]): string[] {
  const ids: string[] = []
  for (const name of names) {
    const g = state.groups.find(x => x.name.toLowerCase() === name.toLowerCase())
    if (g === undefined) {
      const known = state.groups.map(x => `@${terminalText(x.name)}`).join(', ') || 'none'
      throw new UsageError(`send: there is no group "${terminalText(name)}"; groups: ${known} (swarmdrop group add NAME ID...)`)
    }
    if (g.members.length === 0) throw new UsageError(`send: group ${terminalText(g.name)} holds no machines`)
    for (const m of g.members) if (!ids.includes(m.id)) ids.push(m.id)
  }
  return ids
}

/** Shows the hashing job's progress on the terminal until `work` settles. */
async function withHashingProgress<T> (client: DeviceClient, work: Promise<T>): Promise<T> {
  let settled = false
  void work.finally(() => { settled = true })
  const started = performance.now()
  while (!settled) {
    await Promise.race([work, new Promise(resolve => setTimeout(resolve, 250))])
    if (settled) break
    const s = await client.state()
    if (s.ok) drawHashing(s.value, started)
  }
  process.stderr.write('\r\x1b[2K')
  return work
}

/** One line on the terminal: the first hashing job's bar and rate since `started`. */
function drawHashing (state: AppState, started: number): void {
  const job = state.hashing[0]
  if (job === undefined || job.bytesTotal <= 0) return
  const seconds = (performance.now() - started) / 1000
  process.stderr.write(`\r\x1b[2Khashing ${bar(job.bytesDone / job.bytesTotal)} ${((job.bytesDone / job.bytesTotal) * 100).toFixed(0)}%  ${formatRate(job.bytesDone / Math.max(seconds, 0.001))}`)
}

/** A row in a state it will not leave by itself: it has the file, or will not get it this time. */
function settled (row: MemberRow | undefined): boolean {
  return row !== undefined && SETTLED.includes(row.state)
}

/** What `--wait` saw: each recipient's outcome, or that the device sending it stopped answering. */
interface FollowResult { readonly outcomes: Outcome[]; readonly gone: string | undefined }

/** What `--wait` shows meanwhile on stderr: bars redrawn on a terminal, a line per change elsewhere, or nothing (--json). */
type Progress = 'bars' | 'changes' | 'quiet'

/** Follows the rows of `ids` until each is settled, the source went stale, the device is gone, or `over()`. */
async function follow (client: DeviceClient, sent: Distribution, ids: readonly string[], over: () => boolean, progress: Progress): Promise<FollowResult> {
  let lines = 0
  const said = new Map<string, string>()
  let rows: readonly MemberRow[] = []
  // The source changed while being sent: nobody unfinished will get it now, so stop waiting.
  let stale: string | undefined
  // Since when the device has not answered; a few seconds of that and it is gone (stopped or killed).
  let silentSince: number | undefined
  let s = await client.state()
  for (;;) {
    if (!s.ok) {
      silentSince ??= Date.now()
      if (Date.now() - silentSince >= DEVICE_GONE_MS) return { outcomes: [], gone: s.error.message }
    } else {
      silentSince = undefined
      const d = s.value.distributions.find(x => x.infoHash === sent.infoHash)
      if (d?.role === 'origin') {
        rows = d.members.filter(m => ids.includes(m.id))
        if (d.state === 'stale') stale = d.reason ?? 'its source changed while being sent'
      }
    }
    if (progress === 'bars') lines = draw(rows, sent.totalLength, lines)
    if (progress === 'changes') for (const l of stateChanges(rows, said, Date.now())) process.stderr.write(`${new Date().toLocaleTimeString()}  ${l}\n`)
    // A lost machine is not done: it resumes when it returns, so the wait goes on until the deadline.
    const done = ids.every(id => settled(rows.find(r => r.id === id)))
    if (done || stale !== undefined || over()) break
    // The next state as soon as a row moves; the deadline is looked at again at least this often.
    // A device that does not answer (it died) answers at once: wait before asking again.
    if (!s.ok) await new Promise(resolve => setTimeout(resolve, FOLLOW_WAIT_MS))
    s = await client.nextState(FOLLOW_WAIT_MS)
  }
  return { outcomes: ids.map(id => outcomeOf({ id, row: rows.find(r => r.id === id), sha256: sent.sha256 }, stale)), gone: undefined }
}

function nameWidth (names: readonly string[]): number {
  return Math.min(24, Math.max(8, ...names.map(n => terminalText(n).length)))
}

function draw (rows: readonly MemberRow[], totalLength: number, previous: number): number {
  if (previous > 0) process.stderr.write(`\x1b[${previous}A`)
  // A line wider than the terminal wraps, and moving up by `previous` lines would then miss.
  const columns = process.stderr.columns > 0 ? process.stderr.columns - 1 : 120
  const width = Math.min(32, Math.max(8, ...rows.map(r => memberName(r).length)))
  for (const r of rows) process.stderr.write(`\x1b[2K${memberLine(r, totalLength, width).slice(0, columns)}\n`)
  return rows.length
}
