// The many-small-files case (part `many`, lab family `bm`): a folder of `--many-files` files of
// `--many-kib` KiB (default 50,000 × 8 KiB, 400 MB in 5 sub-folders, like a folder of HLS
// segments) from an origin to two recipients, every host at `--many-rate` Mbit/s (1 Gbit/s).
// Per round, in alternating order:
// - libtorrent: `lt_peer.py create` (timed: a torrent has to be made), `lt_peer.py seed` on the
//   origin, `lt_peer.py get` on both recipients; timed from the start of create to the last "done".
// - Swarmdrop: `agent --accept all` on both recipients (fresh data dirs, started and discovered
//   untimed), `send FOLDER --all --wait` on the origin; timed from starting send to its exit
//   (hashing, offer, transfer, both recipients' final SHA-256 check and rename).
// Every copy's tree is compared file by file with the source. Target: Swarmdrop ≤ 1.5 × libtorrent
// (median of the per-round ratios).

import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomFillSync } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { createTorrentWithLibtorrent, startLibtorrentPeer, type LibtorrentPeer } from '../test/interop/libtorrent-peer.js'
import { Lab, type LabHost } from '../test/lab/netns-lab.js'
import { describeSend, runSend } from '../test/multi/cli-send.js'
import { isProgress, isVerified, type AgentEvent } from '../test/multi/agent-events.js'
import type { ManyOptions } from './options.js'
import type { PartReport } from './part-output.js'
import { journaledScratch } from './journaled-scratch.js'
import { ProcSampler } from './proc-sampler.js'
import { startAgents, stopAgents } from './sd-agents.js'
import { median } from './stats.js'
import { fmt, type TargetCheck } from './targets.js'
import { settleFreedMemory } from './freed-memory.js'

const LAB_FAMILY = 'bm'
const LT_PORT = 6881
const FOLDER = 'segments'
const SUB_FOLDERS = 5
const TARGET_RATIO = 1.5
const TIMEOUT_S = 300
const SETTLE_MS = 3_000

interface RoundResult {
  readonly round: number
  /** cpuSeconds: CPU (user + system) of every process on the three hosts, over the timed window. */
  readonly libtorrent: { readonly status: string; readonly seconds: number; readonly createSeconds: number; readonly cpuSeconds?: number; readonly error?: string }
  readonly swarmdrop: { readonly status: string; readonly seconds: number; readonly sendOwnSeconds: number; readonly offerToLastVerifiedSeconds: number; readonly cpuSeconds?: number; readonly phases?: Readonly<Record<string, number>>; readonly error?: string }
  readonly ratio: number
  /** SWARMDROP_MANY_CLI_B: another build's Swarmdrop in the same round, and its ratio to libtorrent. */
  readonly swarmdropB?: RoundResult['swarmdrop']
  readonly ratioB?: number
}

/**
 * SWARMDROP_MANY_CLI_B=PATH: the CLI of another build (its own dist with node_modules and
 * package.json beside it), run in every round too, for an A/B of two builds within one run.
 */
const CLI_B = process.env['SWARMDROP_MANY_CLI_B']

/** The folder: SUB_FOLDERS sub-folders, `files` random files of `bytes` bytes in all. */
function buildFolder (root: string, files: number, bytes: number): void {
  const buf = Buffer.allocUnsafe(bytes)
  const perFolder = Math.ceil(files / SUB_FOLDERS)
  for (let i = 0; i < files; i++) {
    const dir = join(root, `d${String(Math.floor(i / perFolder)).padStart(2, '0')}`)
    if (i % perFolder === 0) mkdirSync(dir, { recursive: true })
    randomFillSync(buf)
    writeFileSync(join(dir, `seg${String(i).padStart(6, '0')}.ts`), buf)
  }
}

/** Relative path → SHA-256 of every file under `root`. */
function digestTree (root: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else out.set(relative(root, p).split(sep).join('/'), createHash('sha256').update(readFileSync(p)).digest('hex'))
    }
  }
  walk(root)
  return out
}

/** undefined when `copy` holds exactly the files of `expected`, else what differs. */
function compareTree (expected: ReadonlyMap<string, string>, copy: string): string | undefined {
  let got: Map<string, string>
  try {
    got = digestTree(copy)
  } catch (err) {
    return `${copy}: ${err instanceof Error ? err.message : String(err)}`
  }
  if (got.size !== expected.size) return `${copy}: ${got.size} files, expected ${expected.size}`
  for (const [path, sha] of expected) if (got.get(path) !== sha) return `${copy}/${path}: ${got.has(path) ? 'wrong SHA-256' : 'missing'}`
  return undefined
}

/**
 * Runs `method` once the file system has caught up with the previous one: each method's copies
 * (100,000 files) are removed when it ends, and creating files while the kernel still frees the
 * last ones was several times slower, which penalised whichever tool came next.
 */
async function settled<T> (method: () => Promise<T>): Promise<T> {
  spawnSync('sync')
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  // And once the memory those files held has reached the VM's host (bench/freed-memory.ts).
  await settleFreedMemory()
  return await method()
}

/**
 * SWARMDROP_MANY_PERF=DIR: a system-wide `perf record` around each Swarmdrop send (DIR/many-sd-roundN.data),
 * with DIR/many-sd-roundN.pids naming the lab's processes (`host pid`), for where the time goes.
 * Start the bench with NODE_OPTIONS=--perf-basic-prof for JavaScript symbols.
 */
const PERF_DIR = process.env['SWARMDROP_MANY_PERF']

function startPerf (out: string | undefined): { stop: () => Promise<void> } | undefined {
  if (out === undefined) return undefined
  mkdirSync(dirname(out), { recursive: true })
  const child = spawn('perf', ['record', '-a', '-g', '-F', '499', '-o', `${out}.data`], { stdio: 'ignore' })
  const pids: string[] = []
  const note = setInterval(() => {
    for (const ns of spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(`${LAB_FAMILY}`))) {
      for (const pid of spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout.split('\n').filter((x) => x.length > 0)) {
        const line = `${ns} ${pid}`
        if (!pids.includes(line)) pids.push(line)
      }
    }
  }, 1000)
  return {
    stop: async () => {
      clearInterval(note)
      writeFileSync(`${out}.pids`, pids.join('\n') + '\n')
      child.kill('SIGINT')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  }
}

function inNs (host: LabHost): string[] {
  return ['ip', 'netns', 'exec', host.ns]
}

/** CPU seconds of the lab's three hosts since `sampler.begin()`. */
function cpuOf (sampler: ProcSampler, hosts: readonly LabHost[]): number {
  return sampler.end(hosts.map((h) => h.name)).reduce((sum, u) => sum + u.cpuSeconds, 0)
}

async function runLibtorrent (dir: string, source: string, origin: LabHost, recipients: readonly LabHost[], expected: ReadonlyMap<string, string>, sampler: ProcSampler): Promise<RoundResult['libtorrent']> {
  const torrent = join(dir, `${FOLDER}.torrent`)
  await mkdir(dir, { recursive: true })
  const peers: LibtorrentPeer[] = []
  sampler.begin()
  const t0 = performance.now()
  try {
    const created = await createTorrentWithLibtorrent(source, torrent, undefined, { timeoutMs: TIMEOUT_S * 1000, commandPrefix: inNs(origin) })
    if (!created.ok) throw new Error(`lt_peer.py create: ${created.error.message}`)
    const createSeconds = (performance.now() - t0) / 1000
    const seed = await startLibtorrentPeer({
      mode: 'seed', torrent, savePath: join(source, '..'), listen: `${origin.ip}:${LT_PORT}`,
      commandPrefix: inNs(origin), trust: 'seed-mode', timeoutSeconds: TIMEOUT_S
    })
    if (!seed.ok) throw new Error(`libtorrent seed: ${seed.error.message}`)
    peers.push(seed.value)
    const everyone = [origin, ...recipients].map((h) => `${h.ip}:${LT_PORT}`)
    const started = await Promise.all(recipients.map(async (h) => {
      await mkdir(join(dir, h.name), { recursive: true })
      return await startLibtorrentPeer({
        mode: 'get', torrent, savePath: join(dir, h.name), listen: `${h.ip}:${LT_PORT}`,
        peers: everyone.filter((p) => p !== `${h.ip}:${LT_PORT}`),
        staySeconds: TIMEOUT_S, timeoutSeconds: TIMEOUT_S, redialSeconds: 1, commandPrefix: inNs(h)
      })
    }))
    for (const s of started) if (s.ok) peers.push(s.value)
    const bad = started.find((s) => !s.ok)
    if (bad !== undefined && !bad.ok) throw new Error(`libtorrent get: ${bad.error.message}`)
    const done = await Promise.all(started.flatMap((s) => (s.ok ? [s.value] : [])).map(async (g) => await g.waitForDone(TIMEOUT_S * 1000)))
    const seconds = (performance.now() - t0) / 1000
    const cpuSeconds = cpuOf(sampler, [origin, ...recipients])
    const failed = done.find((d) => !d.ok)
    if (failed !== undefined && !failed.ok) return { status: 'failed', seconds: NaN, createSeconds, error: failed.error.message }
    const wrong = recipients.map((h) => compareTree(expected, join(dir, h.name, FOLDER))).find((w) => w !== undefined)
    if (wrong !== undefined) return { status: 'mismatch', seconds: NaN, createSeconds, error: wrong }
    return { status: 'ok', seconds, createSeconds, cpuSeconds }
  } catch (err) {
    return { status: 'failed', seconds: NaN, createSeconds: NaN, error: err instanceof Error ? err.message : String(err) }
  } finally {
    await Promise.all(peers.map(async (p) => await p.stop()))
    await rm(dir, { recursive: true, force: true })
  }
}

async function runSwarmdrop (dir: string, cli: string, lab: Lab, source: string, origin: LabHost, recipients: readonly LabHost[], expected: ReadonlyMap<string, string>, sampler: ProcSampler, perfOut?: string): Promise<RoundResult['swarmdrop']> {
  await mkdir(dir, { recursive: true })
  try {
    // Untimed: agents started and discovered before send.
    const agents = await startAgents(lab, cli, dir, recipients.map((host) => ({ host, name: host.name })))
    try {
      const perf = startPerf(perfOut)
      sampler.begin()
      const sendStart = Date.now()
      const run = await runSend({ lab, host: origin, path: source, targets: ['--all'], dataDir: join(dir, 'origin-data'), name: origin.name, timeoutSeconds: TIMEOUT_S, cli })
      const cpuSeconds = cpuOf(sampler, [origin, ...recipients])
      await perf?.stop()
      const summary = run.summary
      const times = (event: string): number[] => agents.flatMap((a) => a.events.filter((e: AgentEvent) => e.event === event && (event !== 'verified' || (isVerified(e) && e.name === FOLDER))).map((e) => e.time))
      const offers = times('offer-received')
      const verified = times('verified')
      const offerToLast = offers.length > 0 && verified.length === agents.length ? (Math.max(...verified) - Math.min(...offers)) / 1000 : NaN
      const sendOwnSeconds = NaN
      // Phases, approximately (progress lines come about once a second): until the first offer
      // (scan + hash), until each recipient's last byte verified, then the final check and rename.
      const allPieces = agents.map((a) => {
        const progress = a.events.filter(isProgress).filter((e) => e.name === FOLDER && e.role === 'recipient')
        // The first line with every byte verified, else the last line before the final check.
        return progress.find((e) => e.verifiedBytes >= e.totalLength)?.time ?? progress.at(-1)?.time ?? NaN
      })
      const firstBytes = agents.map((a) => a.events.filter(isProgress).find((e) => e.name === FOLDER && e.role === 'recipient' && e.verifiedBytes > 0)?.time ?? NaN)
      const sendOwn = summary instanceof Error ? NaN : summary.seconds
      const phases = {
        // Starting send's own device and the discovery wait of --all, before hashing begins.
        startAndDiscoveryS: run.wallSeconds - sendOwn,
        untilOfferS: (Math.min(...offers) - sendStart) / 1000,
        // From the first offer to the first progress line with verified bytes (lines come each second).
        untilFirstBytesS: (Math.min(...firstBytes) - Math.min(...offers)) / 1000,
        transferS: (Math.max(...allPieces) - Math.min(...offers)) / 1000,
        finalCheckS: (Math.max(...verified) - Math.max(...allPieces)) / 1000
      }
      if (run.outcome.timedOut || summary instanceof Error || run.outcome.code !== 0 || !summary.ok || summary.recipients.length !== agents.length) {
        return { status: run.outcome.timedOut ? 'timeout' : 'failed', seconds: NaN, sendOwnSeconds, offerToLastVerifiedSeconds: offerToLast, phases, error: describeSend(run).slice(0, 2000) }
      }
      const wrong = agents.map((a) => compareTree(expected, join(a.spec.downloadsDir, FOLDER))).find((w) => w !== undefined)
      if (wrong !== undefined) return { status: 'mismatch', seconds: NaN, sendOwnSeconds, offerToLastVerifiedSeconds: offerToLast, phases, error: wrong }
      return { status: 'ok', seconds: run.wallSeconds, sendOwnSeconds: summary.seconds, offerToLastVerifiedSeconds: offerToLast, cpuSeconds, phases }
    } finally {
      await stopAgents(agents)
    }
  } catch (err) {
    return { status: 'failed', seconds: NaN, sendOwnSeconds: NaN, offerToLastVerifiedSeconds: NaN, error: err instanceof Error ? err.message : String(err) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export async function manyFiles (root: string, cli: string, opts: ManyOptions): Promise<PartReport> {
  const bytes = opts.kib * 1024
  // The source and at most four copies at once (plus each copy's metadata), twice over.
  const scratch = journaledScratch(root, 'many', Math.max(4 * 2 ** 30, 10 * opts.files * Math.max(bytes, 4096)))
  console.log(`files on ${scratch.fs}`)
  const source = join(scratch.dir, 'origin', FOLDER)
  const rounds: RoundResult[] = []
  let lab: Lab | undefined
  try {
    console.log(`writing ${opts.files} files of ${opts.kib} KiB in ${SUB_FOLDERS} sub-folders to ${source} ...`)
    buildFolder(source, opts.files, bytes)
    const expected = digestTree(source)
    const hosts = ['origin', 'r1', 'r2'].map((name) => ({ name, upMbit: opts.rateMbit, downMbit: opts.rateMbit }))
    const created = await Lab.create({ prefix: LAB_FAMILY, hosts })
    if (!created.ok) throw new Error(`Lab.create: ${created.error.message}`)
    const theLab = created.value
    lab = theLab
    const origin = theLab.host('origin')
    const recipients = theLab.hosts.slice(1)
    const sampler = new ProcSampler(theLab.hosts)
    for (let round = 1; round <= opts.rounds; round++) {
      const roundDir = join(scratch.dir, `round${round}`)
      const lt = async (): Promise<RoundResult['libtorrent']> => await runLibtorrent(join(roundDir, 'lt'), source, origin, recipients, expected, sampler)
      const perfOut = PERF_DIR === undefined ? undefined : join(PERF_DIR, `many-sd-round${round}`)
      const sd = async (): Promise<RoundResult['swarmdrop']> => await runSwarmdrop(join(roundDir, 'sd'), cli, theLab, source, origin, recipients, expected, sampler, perfOut)
      const sdB = CLI_B === undefined ? undefined : async (): Promise<RoundResult['swarmdrop']> => await runSwarmdrop(join(roundDir, 'sdb'), CLI_B, theLab, source, origin, recipients, expected, sampler)
      let l: RoundResult['libtorrent']
      let s: RoundResult['swarmdrop']
      let b: RoundResult['swarmdrop'] | undefined
      // B (when given) runs next to A, before it in even rounds.
      if (round % 2 === 1) { l = await settled(lt); s = await settled(sd); if (sdB) b = await settled(sdB) } else { if (sdB) b = await settled(sdB); s = await settled(sd); l = await settled(lt) }
      const r: RoundResult = { round, libtorrent: l, swarmdrop: s, ratio: s.seconds / l.seconds, ...(b === undefined ? {} : { swarmdropB: b, ratioB: b.seconds / l.seconds }) }
      rounds.push(r)
      console.log(`round ${round}: libtorrent ${l.status} ${fmt(l.seconds)} s (create ${fmt(l.createSeconds)} s, CPU ${fmt(l.cpuSeconds ?? NaN)} s), swarmdrop ${s.status} ${fmt(s.seconds)} s (CPU ${fmt(s.cpuSeconds ?? NaN)} s, send's own ${fmt(s.sendOwnSeconds)} s, offer to last verified ${fmt(s.offerToLastVerifiedSeconds)} s; phases ${s.phases === undefined ? '–' : `start + discovery ${fmt(s.phases['startAndDiscoveryS'] ?? NaN)} s, until offer ${fmt(s.phases['untilOfferS'] ?? NaN)} s, offer to first bytes ${fmt(s.phases['untilFirstBytesS'] ?? NaN)} s, transfer ${fmt(s.phases['transferS'] ?? NaN)} s, final check ${fmt(s.phases['finalCheckS'] ?? NaN)} s`}), ratio ${fmt(r.ratio)}` +
        `${l.error === undefined ? '' : `\n  libtorrent: ${l.error.split('\n').slice(0, 6).join('\n  ')}`}${s.error === undefined ? '' : `\n  swarmdrop: ${s.error.split('\n').slice(0, 12).join('\n  ')}`}`)
      if (b !== undefined) console.log(`round ${round}: swarmdrop B (${CLI_B ?? ''}) ${b.status} ${fmt(b.seconds)} s (CPU ${fmt(b.cpuSeconds ?? NaN)} s, offer to last verified ${fmt(b.offerToLastVerifiedSeconds)} s; phases ${b.phases === undefined ? '–' : Object.entries(b.phases).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}), ratio ${fmt(r.ratioB ?? NaN)}${b.error === undefined ? '' : `\n  ${b.error.split('\n').slice(0, 12).join('\n  ')}`}`)
      await rm(roundDir, { recursive: true, force: true })
    }
  } finally {
    const d = await lab?.destroy()
    if (d !== undefined && !d.ok) console.error(`lab teardown: ${d.error.message}`)
    scratch.release()
  }
  const ratios = rounds.map((r) => r.ratio).filter(Number.isFinite)
  const medianRatio = ratios.length === rounds.length && ratios.length > 0 ? median(ratios) : NaN
  const ltMedian = median(rounds.map((r) => r.libtorrent.seconds).filter(Number.isFinite))
  const sdMedian = median(rounds.map((r) => r.swarmdrop.seconds).filter(Number.isFinite))
  const markdown = [
    `Many small files: ${opts.files} × ${opts.kib} KiB (${(opts.files * bytes / 1e6).toFixed(0)} MB) in ${SUB_FOLDERS} sub-folders, origin → 2 recipients, ${opts.rateMbit} Mbit/s per host; files on ${scratch.fs}.`,
    'libtorrent: create + seed + 2 getters, from create to the last "done". Swarmdrop: `send --all --wait` wall time (hashing to both verified).',
    '',
    '| round | libtorrent s (create) | Swarmdrop s (offer → last verified) | ratio | CPU s, all hosts: libtorrent · Swarmdrop |',
    '|---|---|---|---|---|',
    ...rounds.map((r) => `| ${r.round} | ${fmt(r.libtorrent.seconds)} (${fmt(r.libtorrent.createSeconds)}) | ${fmt(r.swarmdrop.seconds)} (${fmt(r.swarmdrop.offerToLastVerifiedSeconds)}) | ${fmt(r.ratio)} | ${fmt(r.libtorrent.cpuSeconds ?? NaN)} · ${fmt(r.swarmdrop.cpuSeconds ?? NaN)} |`),
    `| median | ${fmt(ltMedian)} | ${fmt(sdMedian)} | ${fmt(medianRatio)} | |`,
    '',
    ...(CLI_B === undefined
      ? []
      : [
          `A/B: build B (${CLI_B}) in the same rounds:`,
          '',
          '| round | Swarmdrop B s (offer → last verified) | ratio B | A ÷ B | CPU s, all hosts: A · B |',
          '|---|---|---|---|---|',
          ...rounds.map((r) => `| ${r.round} | ${fmt(r.swarmdropB?.seconds ?? NaN)} (${fmt(r.swarmdropB?.offerToLastVerifiedSeconds ?? NaN)}) | ${fmt(r.ratioB ?? NaN)} | ${fmt(r.swarmdrop.seconds / (r.swarmdropB?.seconds ?? NaN))} | ${fmt(r.swarmdrop.cpuSeconds ?? NaN)} · ${fmt(r.swarmdropB?.cpuSeconds ?? NaN)} |`),
          ''
        ])
  ].join('\n')
  const targets: TargetCheck[] = [{
    part: 'many',
    what: `${opts.files} × ${opts.kib} KiB to 2 machines, Swarmdrop ÷ libtorrent time (median of ${rounds.length} rounds)`,
    measured: `${fmt(medianRatio)} (${fmt(sdMedian)} s vs ${fmt(ltMedian)} s)`,
    target: `≤ ${TARGET_RATIO}`,
    met: Number.isFinite(medianRatio) ? medianRatio <= TARGET_RATIO : undefined
  }]
  return { part: 'many', markdown, json: { options: opts, rounds }, targets }
}
