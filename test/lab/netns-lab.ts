// A "lab" of simulated LAN machines on one Linux box, for multi-machine tests, benchmarks and
// fault injection. Each host is a network namespace with one veth "cable" into a bridge that the
// lab creates (the bridge has no IP, so nothing can leave the lab), an address in 10.213.0.0/24,
// loopback up (agents listen there for local control), a multicast route (mDNS is not sent
// without one) and no default route (nothing tries to reach DNS or the internet).
//
// A lab may also have two subnets: hosts whose spec says `subnet: 1` sit on a second bridge in
// 10.213.1.0/24, and a router namespace with a leg on each bridge (.1 on both) forwards unicast
// between them. Every host routes the other subnet via its router; multicast is not forwarded (no
// multicast routing), so mDNS stays within each subnet, as behind a real router.
//
// Every name carries a per-lab prefix (see lab-names.ts), so cleanup is by name, two labs can
// coexist, and leftovers of a crashed run are recognised and removed by the next one.

import { spawn as spawnChild, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process'
import { errorMessage, fail, ok, type Result } from '../../common/result.js'
import { registerExitCleanup } from './exit-cleanup.js'
import { DEFAULT_FAMILY, familyOf, isBridgeName, labNames, MAX_HOSTS, MAX_IFNAME, newLabPrefix, parseLabName, validFamily, type LabNames } from './lab-names.js'
import { capCommands, checkCaps, hasLabHtbRoot, showQdiscCommand, uncapCommands, type LinkCaps, type TcArgs } from './link-shaping.js'
import { findExecutable, killGroup, pidAlive, runBounded, waitForExit, type RunOptions, type RunOutcome } from './run-command.js'

export type { LinkCaps } from './link-shaping.js'
export type { RunOptions, RunOutcome } from './run-command.js'
export { waitForOutput } from './run-command.js'

export type LabErrorCode =
  | 'not-linux' | 'not-root' | 'no-ip' | 'no-tc' | 'netns-failed'
  | 'bad-options' | 'setup-failed' | 'unsupported' | 'destroyed' | 'command-failed' | 'cleanup-failed'

export type LabResult<T> = Result<T, LabErrorCode>

/** The lab's LAN. Every lab uses the same addresses: they are private to its own bridge. */
export const LAB_SUBNET = '10.213.0.0/24'
export const LAB_PREFIX_LENGTH = 24
export function labHostIp (index: number, subnet = 0): string {
  return `10.213.${subnet}.${10 + index}`
}
/** The subnets of a routed lab, and the router's address on each. */
export const LAB_SUBNETS = 2
export function labSubnet (subnet: number): string { return `10.213.${subnet}.0/24` }
export function labRouterIp (subnet: number): string { return `10.213.${subnet}.1` }

export interface LabHostSpec extends LinkCaps {
  /** Human label for logs and `lab.host(name)`; defaults to "h<index>". */
  readonly name?: string
  /** 0 (default) or 1: a lab with any host on subnet 1 has two subnets joined by a router. */
  readonly subnet?: number
}

export interface LabOptions {
  /** How many hosts, or one spec per host. */
  readonly hosts: number | readonly LabHostSpec[]
  /**
   * Name family, 2-4 lower-case letters/digits starting with a letter (default "sd"). The lab
   * appends its own owner-pid + sequence tag, so labs of one family never collide; use
   * different families only to keep unrelated suites' cleanup apart.
   */
  readonly prefix?: string
}

export interface LabHost {
  readonly index: number
  readonly name: string
  /** Network namespace name (for `ip netns exec`). */
  readonly ns: string
  /** IPv4 address inside the namespace, without prefix length. */
  readonly ip: string
  /** Which subnet (bridge) its cable is plugged into: 0, or 1 in a routed lab. */
  readonly subnet: number
  /** The host's end of its cable, inside `ns`. Egress here = upload. */
  readonly veth: string
  /** The bridge's end of the host's cable, in the root namespace. Egress here = download. */
  readonly peerVeth: string
}

/** A host object of this lab, or its index. */
export type HostRef = LabHost | number

export interface SpawnOptions {
  /** Added to (and overriding) the parent's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
  /**
   * Default 'pipe'. A piped stdout/stderr must be read (or the child blocks once the pipe is
   * full): pass 'ignore' or 'inherit' for chatty long-running processes you don't parse.
   */
  readonly stdio?: StdioOptions
}

export interface LabCounters {
  /** Bytes the host received on its cable (download). */
  readonly rxBytes: number
  /** Bytes the host sent on its cable (upload). */
  readonly txBytes: number
  readonly rxPackets: number
  readonly txPackets: number
}

interface Tools { readonly ip: string; readonly tc: string | undefined }

/** Deadline for one ip/tc command: they take milliseconds unless the kernel is stuck. */
const IP_TIMEOUT_MS = 5_000
/** How long destroy() lets processes end on SIGTERM before SIGKILL. */
const TERM_GRACE_MS = 2_000
const KILL_WAIT_MS = 1_000
const LINK_STATE_WAIT_MS = 3_000
const POLL_MS = 25

/** Prefixes of labs this process created and has not destroyed: cleanup must never touch them. */
const liveLabs = new Set<string>()

function findTools (): LabResult<Tools> {
  const ip = findExecutable('ip')
  if (ip === undefined) return fail('no-ip', "iproute2's `ip` command was not found in PATH, /usr/sbin or /sbin (install iproute2)")
  return ok({ ip, tc: findExecutable('tc') })
}

function commandLine (cmd: string, args: readonly string[]): string {
  return [cmd, ...args].join(' ')
}

/** Runs an ip/tc command; a non-zero exit becomes a Failure carrying the command and its stderr. */
async function tool (cmd: string, args: readonly string[]): Promise<LabResult<string>> {
  const r = await runBounded(cmd, args, { timeoutMs: IP_TIMEOUT_MS })
  if (r.code === 0) return ok(r.stdout)
  const why = r.spawnError ?? (r.timedOut ? `timed out after ${IP_TIMEOUT_MS} ms` : r.stderr.trim() || `exit code ${String(r.code)}`)
  return fail('command-failed', `\`${commandLine(cmd, args)}\` failed: ${why}`)
}

/** Deleting something already gone is success for teardown purposes. */
function isAlreadyGone (message: string): boolean {
  return /Cannot find device|No such file or directory|does not exist/i.test(message)
}

function parseJsonArray (text: string): unknown[] {
  if (text.trim() === '') return []
  const parsed: unknown = JSON.parse(text)
  return Array.isArray(parsed) ? parsed : []
}

function field (obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || !(key in cur)) return undefined
    cur = (cur as Record<string, unknown>)[key]
  }
  return cur
}

function numberField (obj: unknown, ...path: string[]): number {
  const v = field(obj, ...path)
  return typeof v === 'number' ? v : NaN
}

interface ExistingNames { readonly netns: readonly string[]; readonly links: readonly string[] }

/** Namespaces and root-namespace interfaces that exist now. */
async function listExisting (ip: string): Promise<LabResult<ExistingNames>> {
  const ns = await tool(ip, ['-j', 'netns', 'list'])
  if (!ns.ok) return ns
  const links = await tool(ip, ['-j', 'link', 'show'])
  if (!links.ok) return links
  const names = (text: string, key: string): string[] =>
    parseJsonArray(text).map((e) => field(e, key)).filter((v): v is string => typeof v === 'string')
  return ok({ netns: names(ns.value, 'name'), links: names(links.value, 'ifname') })
}

function parsePids (text: string): number[] {
  return text.split(/\s+/).filter((s) => /^\d+$/.test(s)).map(Number).filter((p) => p !== process.pid)
}

/** Pids of the processes living in a namespace (descendants of what a lab started there). */
async function namespacePids (ip: string, ns: string): Promise<number[]> {
  const r = await tool(ip, ['netns', 'pids', ns])
  return r.ok ? parsePids(r.value) : []
}

function sleep (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Tells, with a reason, whether this process can build a lab: Linux, root, iproute2, and
 * the kernel lets us add a network namespace (it may not inside an unprivileged container).
 */
export async function checkNamespaceSupport (prefix: string = DEFAULT_FAMILY): Promise<LabResult<void>> {
  if (process.platform !== 'linux') return fail('not-linux', `network namespaces need Linux; this is ${process.platform}`)
  const uid = process.getuid?.()
  if (uid !== 0) return fail('not-root', `network namespaces need root (uid 0); this process runs as uid ${String(uid)}`)
  const tools = findTools()
  if (!tools.ok) return tools
  const family = familyOf(prefix)
  if (family === undefined) return fail('bad-options', `bad lab prefix "${prefix}"`)
  // Probe with a name of the lab scheme, so even an interrupted probe is cleaned up later.
  const probe = labNames(newLabPrefix(family)).ns(0)
  const add = await tool(tools.value.ip, ['netns', 'add', probe])
  if (!add.ok) return fail('netns-failed', `cannot create a network namespace: ${add.error.message}`)
  const del = await tool(tools.value.ip, ['netns', 'del', probe])
  if (!del.ok) return fail('netns-failed', `created probe namespace ${probe} but cannot delete it: ${del.error.message}`)
  return ok(undefined)
}

/**
 * Removes namespaces and interfaces left by crashed runs: names of the lab scheme that start
 * with `prefix` (a family like "sd" or one lab's full prefix) whose owner process is gone. Labs
 * of live processes, including this one's live labs, are never touched. Processes still
 * running inside a stale namespace (started there by the dead run) are killed first.
 * Returns the names removed.
 */
export async function cleanupStaleLabs (prefix: string = DEFAULT_FAMILY): Promise<LabResult<readonly string[]>> {
  const family = familyOf(prefix)
  if (family === undefined) return fail('bad-options', `bad lab prefix "${prefix}": expected a 2-4 character family or a full lab prefix`)
  const tools = findTools()
  if (!tools.ok) return tools
  const ip = tools.value.ip
  const existing = await listExisting(ip)
  if (!existing.ok) return existing

  const isStale = (name: string): boolean => {
    const parsed = parseLabName(name, family)
    if (parsed === undefined || !parsed.labPrefix.startsWith(prefix) || liveLabs.has(parsed.labPrefix)) return false
    // Our own pid with no live lab means a lab of ours whose teardown failed (or pid reuse).
    return parsed.ownerPid === process.pid || !pidAlive(parsed.ownerPid)
  }

  const removed: string[] = []
  const problems: string[] = []
  for (const ns of existing.value.netns.filter(isStale)) {
    for (const pid of await namespacePids(ip, ns)) killGroup(pid, 'SIGKILL')
    const r = await tool(ip, ['netns', 'del', ns])
    if (r.ok) removed.push(ns)
    else if (!isAlreadyGone(r.error.message)) problems.push(r.error.message)
  }
  // Bridges last: deleting a veth end removes its pair, so some links are gone already.
  const staleLinks = existing.value.links.filter(isStale).sort((a, b) => Number(isBridgeName(a)) - Number(isBridgeName(b)))
  for (const link of staleLinks) {
    const r = await tool(ip, ['link', 'del', link])
    if (r.ok) removed.push(link)
    else if (!isAlreadyGone(r.error.message)) problems.push(r.error.message)
  }
  if (problems.length > 0) return fail('cleanup-failed', problems.join('; '))
  return ok(removed)
}

function checkOptions (opts: LabOptions): LabResult<{ family: string; specs: readonly LabHostSpec[] }> {
  const family = opts.prefix ?? DEFAULT_FAMILY
  if (!validFamily(family)) {
    return fail('bad-options', `prefix "${family}" must be 2-4 lower-case letters/digits starting with a letter (the lab adds a unique tag)`)
  }
  if (typeof opts.hosts === 'number' && !Number.isInteger(opts.hosts)) {
    return fail('bad-options', `hosts must be a whole number, got ${opts.hosts}`)
  }
  const specs: readonly LabHostSpec[] = typeof opts.hosts === 'number'
    ? Array.from({ length: opts.hosts }, () => ({}))
    : opts.hosts
  const count = specs.length
  if (count < 1 || count > MAX_HOSTS) {
    return fail('bad-options', `hosts must be between 1 and ${MAX_HOSTS}, got ${count}`)
  }
  const names = new Set<string>()
  for (const [i, spec] of specs.entries()) {
    const name = spec.name ?? `h${i}`
    if (names.has(name)) return fail('bad-options', `two hosts are named "${name}"`)
    names.add(name)
    if (spec.subnet !== undefined && (!Number.isInteger(spec.subnet) || spec.subnet < 0 || spec.subnet >= LAB_SUBNETS)) {
      return fail('bad-options', `host ${i}: subnet must be 0 or 1, got ${spec.subnet}`)
    }
    const caps = checkCaps({ ...spec, delayMs: undefined })
    if (!caps.ok) return fail('bad-options', `host ${i}: ${caps.error.message}`)
  }
  return ok({ family, specs })
}

export class Lab {
  /** This lab's unique name prefix: every namespace and interface it made starts with it. */
  readonly prefix: string
  readonly bridge: string
  readonly hosts: readonly LabHost[]
  /** The bridge of each subnet (one, or two in a routed lab). */
  readonly bridges: readonly string[]
  /** The router between the subnets, in a routed lab. */
  readonly router: { readonly ns: string; readonly ips: readonly string[] } | undefined
  private readonly names: LabNames
  /** Requests the lab could not honour but did not fail on (e.g. delay without netem). */
  readonly warnings: string[] = []

  private readonly tools: Tools
  /** Leaders of process groups started by spawn()/run() that have not exited yet. */
  private readonly children = new Map<number, ChildProcess>()
  private readonly caps: { up: number | undefined; down: number | undefined }[]
  private destroyed = false
  private destroying: Promise<LabResult<void>> | undefined
  private unregisterExitCleanup: () => void = () => {}

  private constructor (names: LabNames, tools: Tools, specs: readonly LabHostSpec[]) {
    this.tools = tools
    this.prefix = names.prefix
    this.bridge = names.bridge
    this.names = names
    const routed = specs.some((spec) => (spec.subnet ?? 0) > 0)
    const subnets = routed ? LAB_SUBNETS : 1
    this.bridges = Array.from({ length: subnets }, (_, s) => names.subnetBridge(s))
    this.router = routed ? { ns: names.routerNs, ips: Array.from({ length: subnets }, (_, s) => labRouterIp(s)) } : undefined
    this.hosts = specs.map((spec, index): LabHost => Object.freeze({
      index,
      name: spec.name ?? `h${index}`,
      ns: names.ns(index),
      ip: labHostIp(index, spec.subnet ?? 0),
      subnet: spec.subnet ?? 0,
      veth: names.veth(index),
      peerVeth: names.peer(index)
    }))
    this.caps = specs.map(() => ({ up: undefined, down: undefined }))
  }

  /**
   * Builds a lab. Checks support first (so the failure says why: not root, no `ip`, ...),
   * removes stale leftovers of crashed runs of the same family, and tears down whatever was
   * already built if a later step fails.
   */
  static async create (opts: LabOptions): Promise<LabResult<Lab>> {
    const checked = checkOptions(opts)
    if (!checked.ok) return checked
    const { family, specs } = checked.value
    const support = await checkNamespaceSupport(family)
    if (!support.ok) return support
    const tools = findTools()
    if (!tools.ok) return tools

    const lab = new Lab(labNames(newLabPrefix(family)), tools.value, specs)
    const longest = [...lab.bridges, ...lab.routerLinks(), ...lab.hosts.flatMap((h) => [h.veth, h.peerVeth])].find((n) => n.length > MAX_IFNAME)
    if (longest !== undefined) return fail('bad-options', `interface name ${longest} is longer than ${MAX_IFNAME} characters`)

    const stale = await cleanupStaleLabs(family)
    if (!stale.ok) lab.warnings.push(`could not remove stale labs: ${stale.error.message}`)

    // Register for cleanup before creating anything, so an interrupt mid-setup cleans up too.
    liveLabs.add(lab.prefix)
    lab.unregisterExitCleanup = registerExitCleanup(() => { lab.teardownSync(); })

    const built = await lab.build(specs)
    if (!built.ok) {
      await lab.destroy()
      return fail('setup-failed', `building lab ${lab.prefix}: ${built.error.message}`)
    }
    return ok(lab)
  }

  private async build (specs: readonly LabHostSpec[]): Promise<LabResult<void>> {
    const ip = this.tools.ip
    // STP off and no forward delay: ports forward the moment a cable is plugged in.
    // No multicast snooping: the bridge floods multicast like a dumb switch, so mDNS works
    // without an IGMP querier.
    const steps: TcArgs[] = this.bridges.flatMap((b): TcArgs[] => [
      ['link', 'add', b, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0', 'mcast_snooping', '0'],
      ['link', 'set', b, 'up']
    ])
    if (this.router !== undefined) {
      const rn = this.router.ns
      steps.push(['netns', 'add', rn], ['-n', rn, 'link', 'set', 'lo', 'up'])
      for (const [sub, b] of this.bridges.entries()) {
        steps.push(
          ['link', 'add', this.names.routerPeer(sub), 'type', 'veth', 'peer', 'name', this.names.routerVeth(sub), 'netns', rn],
          ['link', 'set', this.names.routerPeer(sub), 'master', b, 'up'],
          ['-n', rn, 'addr', 'add', `${labRouterIp(sub)}/${LAB_PREFIX_LENGTH}`, 'dev', this.names.routerVeth(sub)],
          ['-n', rn, 'link', 'set', this.names.routerVeth(sub), 'up']
        )
      }
      // Unicast forwarding only: without a multicast routing daemon the kernel forwards no multicast.
      steps.push(['netns', 'exec', rn, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'])
    }
    for (const h of this.hosts) {
      steps.push(
        ['netns', 'add', h.ns],
        // Create the inside end directly in the namespace: it never appears in the root one.
        ['link', 'add', h.peerVeth, 'type', 'veth', 'peer', 'name', h.veth, 'netns', h.ns],
        ['link', 'set', h.peerVeth, 'master', this.bridges[h.subnet] ?? this.bridge, 'up'],
        ['-n', h.ns, 'link', 'set', 'lo', 'up'],
        ['-n', h.ns, 'addr', 'add', `${h.ip}/${LAB_PREFIX_LENGTH}`, 'dev', h.veth],
        ['-n', h.ns, 'link', 'set', h.veth, 'up'],
        // Without this route the kernel has no interface to send 224.0.0.251 (mDNS) on.
        ['-n', h.ns, 'route', 'add', '224.0.0.0/4', 'dev', h.veth]
      )
      // In a routed lab, the other subnet is reached through the router's leg on this one.
      for (let other = 0; this.router !== undefined && other < this.bridges.length; other++) {
        if (other !== h.subnet) steps.push(['-n', h.ns, 'route', 'add', labSubnet(other), 'via', labRouterIp(h.subnet), 'dev', h.veth])
      }
    }
    for (const args of steps) {
      const r = await tool(ip, args)
      if (!r.ok) return r
    }
    for (const [i, spec] of specs.entries()) {
      const host = this.hosts[i]
      if (host === undefined) continue
      if (spec.delayMs !== undefined && spec.delayMs !== 0) {
        this.warnings.push(`host ${host.name}: delayMs=${spec.delayMs} ignored: added delay needs netem, which this kernel lacks`)
      }
      if (spec.upMbit !== undefined || spec.downMbit !== undefined) {
        const shaped = await this.shape(host, { upMbit: spec.upMbit, downMbit: spec.downMbit })
        if (!shaped.ok) return fail('setup-failed', shaped.error.message)
      }
    }
    for (const h of this.hosts) {
      const up = await this.waitOperState(h, true)
      if (!up.ok) return up
    }
    return ok(undefined)
  }

  /** A host by index or name; throws on an unknown one (a bug in the calling test). */
  host (ref: number | string): LabHost {
    const h = typeof ref === 'number' ? this.hosts[ref] : this.hosts.find((x) => x.name === ref)
    if (h === undefined) throw new Error(`lab ${this.prefix} has no host ${String(ref)}`)
    return h
  }

  private resolve (ref: HostRef): LabHost {
    const h = typeof ref === 'number' ? this.hosts[ref] : this.hosts[ref.index]
    if (h === undefined || (typeof ref !== 'number' && h !== ref)) {
      throw new Error(`host ${typeof ref === 'number' ? ref : ref.name} does not belong to lab ${this.prefix}`)
    }
    return h
  }

  private assertAlive (): void {
    if (this.destroyed) throw new Error(`lab ${this.prefix} has been destroyed`)
  }

  private track (child: ChildProcess): void {
    const pid = child.pid
    if (pid === undefined) return
    this.children.set(pid, child)
    child.once('exit', () => this.children.delete(pid))
  }

  /**
   * Starts `command args` inside the host's namespace (`ip netns exec` execs it, so the child's
   * pid is the command's). It leads its own process group, which destroy() ends. Throws only
   * for programming errors (unknown host, destroyed lab); a missing command shows up as the
   * child's 'error'/'exit'.
   */
  spawn (host: HostRef, command: string, args: readonly string[] = [], opts: SpawnOptions = {}): ChildProcess {
    this.assertAlive()
    const h = this.resolve(host)
    const child = spawnChild(this.tools.ip, ['netns', 'exec', h.ns, command, ...args], {
      cwd: opts.cwd,
      env: opts.env === undefined ? process.env : { ...process.env, ...opts.env },
      detached: true,
      stdio: opts.stdio ?? 'pipe'
    })
    this.track(child)
    return child
  }

  /**
   * Runs `command args` inside the host's namespace to completion, bounded by
   * `timeoutMs` (default 10 s). Never rejects: see RunOutcome for failures.
   */
  async run (host: HostRef, command: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<RunOutcome> {
    this.assertAlive()
    const h = this.resolve(host)
    return runBounded(this.tools.ip, ['netns', 'exec', h.ns, command, ...args], opts, (c) => { this.track(c); })
  }

  /**
   * Sets a host's link caps at run time, replacing earlier ones; a direction left undefined
   * becomes uncapped. `delayMs` fails with 'unsupported' (no netem) without changing anything.
   */
  async shape (host: HostRef, caps: LinkCaps): Promise<LabResult<void>> {
    if (this.destroyed) return fail('destroyed', `lab ${this.prefix} has been destroyed`)
    const h = this.resolve(host)
    const checked = checkCaps(caps)
    if (!checked.ok) return checked
    const tc = this.tools.tc
    if (tc === undefined) return fail('no-tc', "iproute2's `tc` command was not found; link caps need it")
    const state = this.caps[h.index]
    if (state === undefined) return fail('bad-options', `no caps state for host ${h.name}`)

    const apply = async (ns: string | undefined, dev: string, want: number | undefined): Promise<LabResult<void>> => {
      const inNs = (args: TcArgs): TcArgs => ns === undefined ? args : ['-n', ns, ...args]
      // Ask the kernel what is installed rather than trusting our bookkeeping: a failed
      // earlier call may have half-applied.
      const shown = await tool(tc, inNs(showQdiscCommand(dev)))
      if (!shown.ok) return shown
      const installed = hasLabHtbRoot(shown.value)
      const cmds = want !== undefined ? capCommands(dev, want, installed) : installed ? uncapCommands(dev) : []
      for (const args of cmds) {
        const r = await tool(tc, inNs(args))
        if (!r.ok) return r
      }
      return ok(undefined)
    }
    const up = await apply(h.ns, h.veth, caps.upMbit)
    if (!up.ok) return up
    state.up = caps.upMbit
    const down = await apply(undefined, h.peerVeth, caps.downMbit)
    if (!down.ok) return down
    state.down = caps.downMbit
    return ok(undefined)
  }

  /** The caps currently set on a host (undefined = uncapped). */
  currentCaps (host: HostRef): { readonly upMbit: number | undefined; readonly downMbit: number | undefined } {
    const state = this.caps[this.resolve(host).index]
    return { upMbit: state?.up, downMbit: state?.down }
  }

  /**
   * Unplugs (false) or plugs back (true) a host's cable. Done on the bridge-side end, so the
   * host sees carrier loss but keeps its address and routes (incl. the multicast route), like
   * a real pulled cable: packets are dropped, open TCP connections stall and resume when the
   * cable returns unless they time out meanwhile. Resolves once the host sees the new state.
   */
  async setLink (host: HostRef, up: boolean): Promise<LabResult<void>> {
    if (this.destroyed) return fail('destroyed', `lab ${this.prefix} has been destroyed`)
    const h = this.resolve(host)
    const r = await tool(this.tools.ip, ['link', 'set', h.peerVeth, up ? 'up' : 'down'])
    if (!r.ok) return r
    return this.waitOperState(h, up)
  }

  private async waitOperState (h: LabHost, up: boolean): Promise<LabResult<void>> {
    const deadline = Date.now() + LINK_STATE_WAIT_MS
    let last = 'unknown'
    while (Date.now() < deadline) {
      const r = await tool(this.tools.ip, ['-n', h.ns, '-j', 'link', 'show', 'dev', h.veth])
      if (!r.ok) return r
      const state = field(parseJsonArray(r.value)[0], 'operstate')
      last = typeof state === 'string' ? state : 'unknown'
      if ((last === 'UP') === up) return ok(undefined)
      await sleep(POLL_MS)
    }
    return fail('command-failed', `${h.veth} in ${h.ns} still ${last} after ${LINK_STATE_WAIT_MS} ms (wanted ${up ? 'UP' : 'DOWN'})`)
  }

  /** Byte/packet counters of the host's cable as the host sees them (inside its namespace). */
  async counters (host: HostRef): Promise<LabResult<LabCounters>> {
    if (this.destroyed) return fail('destroyed', `lab ${this.prefix} has been destroyed`)
    const h = this.resolve(host)
    return await this.linkCounters(h.ns, h.veth)
  }

  /**
   * Counters of the router's leg on `subnet`, as the router sees it: txBytes is what crossed the
   * router into that subnet. Fails in a lab without a router.
   */
  async routerCounters (subnet: number): Promise<LabResult<LabCounters>> {
    if (this.destroyed) return fail('destroyed', `lab ${this.prefix} has been destroyed`)
    if (this.router === undefined || subnet < 0 || subnet >= this.bridges.length) return fail('bad-options', `lab ${this.prefix} has no router leg on subnet ${subnet}`)
    return await this.linkCounters(this.router.ns, this.names.routerVeth(subnet))
  }

  private async linkCounters (ns: string, dev: string): Promise<LabResult<LabCounters>> {
    const r = await tool(this.tools.ip, ['-n', ns, '-j', '-s', 'link', 'show', 'dev', dev])
    if (!r.ok) return r
    let entry: unknown
    try {
      entry = parseJsonArray(r.value)[0]
    } catch (err) {
      return fail('command-failed', `unreadable counters for ${dev}: ${errorMessage(err)}`)
    }
    const c: LabCounters = {
      rxBytes: numberField(entry, 'stats64', 'rx', 'bytes'),
      txBytes: numberField(entry, 'stats64', 'tx', 'bytes'),
      rxPackets: numberField(entry, 'stats64', 'rx', 'packets'),
      txPackets: numberField(entry, 'stats64', 'tx', 'packets')
    }
    if (Object.values(c).some(Number.isNaN)) return fail('command-failed', `no stats64 counters for ${dev} in: ${r.value.slice(0, 200)}`)
    return ok(c)
  }

  /**
   * Ends every process the lab started (SIGTERM, then SIGKILL after a bounded wait; also
   * anything they left running inside the namespaces) and deletes the lab's veths, namespaces
   * and bridge. Idempotent and safe to call concurrently; fails only if something could not be
   * removed, naming it.
   */
  destroy (): Promise<LabResult<void>> {
    this.destroying ??= this.doDestroy()
    return this.destroying
  }

  private async doDestroy (): Promise<LabResult<void>> {
    this.destroyed = true
    const ip = this.tools.ip

    const signalAll = async (signal: NodeJS.Signals): Promise<number> => {
      let count = 0
      for (const pid of this.children.keys()) { killGroup(pid, signal); count++ }
      for (const ns of this.namespaces()) {
        for (const pid of await namespacePids(ip, ns)) { killGroup(pid, signal); count++ }
      }
      return count
    }
    const allExited = async (ms: number): Promise<boolean> => {
      const deadline = Date.now() + ms
      while (Date.now() < deadline) {
        await Promise.all([...this.children.values()].map((c) => waitForExit(c, POLL_MS)))
        if (this.children.size === 0 && (await Promise.all(this.namespaces().map((ns) => namespacePids(ip, ns)))).every((p) => p.length === 0)) return true
        await sleep(POLL_MS)
      }
      return false
    }
    if (await signalAll('SIGTERM') > 0 && !(await allExited(TERM_GRACE_MS))) {
      await signalAll('SIGKILL')
      await allExited(KILL_WAIT_MS)
    }

    const problems: string[] = []
    for (const args of this.teardownPlan()) {
      const r = await tool(ip, args)
      if (!r.ok && !isAlreadyGone(r.error.message)) problems.push(r.error.message)
    }
    const existing = await listExisting(ip)
    if (existing.ok) {
      const left = [...existing.value.netns, ...existing.value.links].filter((n) => n.startsWith(this.prefix))
      if (left.length > 0) problems.push(`still present: ${left.join(', ')}`)
    } else {
      problems.push(existing.error.message)
    }

    this.unregisterExitCleanup()
    liveLabs.delete(this.prefix)
    if (problems.length > 0) return fail('cleanup-failed', `lab ${this.prefix}: ${problems.join('; ')}`)
    return ok(undefined)
  }

  /** Every namespace of the lab: the hosts', and the router's in a routed lab. */
  private namespaces (): string[] {
    return [...this.hosts.map((h) => h.ns), ...(this.router === undefined ? [] : [this.router.ns])]
  }

  /** The root-namespace ends of the router's legs (none without a router). */
  private routerLinks (): string[] {
    return this.router === undefined ? [] : this.bridges.map((_, sub) => this.names.routerPeer(sub))
  }

  /** ip commands that delete everything the lab may have created, in a safe order. */
  private teardownPlan (): readonly TcArgs[] {
    return [
      // Deleting one veth end deletes the pair, even if a stuck process keeps the namespace alive.
      ...this.hosts.map((h) => ['link', 'del', h.peerVeth]),
      ...this.routerLinks().map((l) => ['link', 'del', l]),
      ...this.namespaces().map((ns) => ['netns', 'del', ns]),
      ...this.bridges.map((b) => ['link', 'del', b])
    ]
  }

  /** Exit/signal-time cleanup: synchronous, SIGKILL at once, every step bounded. */
  private teardownSync (): void {
    // May run while an async destroy() is half-way: every step below is idempotent.
    this.destroyed = true
    const ip = this.tools.ip
    for (const pid of this.children.keys()) killGroup(pid, 'SIGKILL')
    for (const ns of this.namespaces()) {
      const r = spawnSync(ip, ['netns', 'pids', ns], { timeout: IP_TIMEOUT_MS, encoding: 'utf8' })
      for (const pid of parsePids(r.error === undefined ? r.stdout : '')) killGroup(pid, 'SIGKILL')
    }
    for (const args of this.teardownPlan()) {
      spawnSync(ip, [...args], { timeout: IP_TIMEOUT_MS, stdio: 'ignore' })
    }
    liveLabs.delete(this.prefix)
  }
}
