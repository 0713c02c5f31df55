// Naming scheme of everything a lab creates. Cleanup works by name only, so the names must
// (1) fit Linux's 15-character interface limit, (2) never collide between two labs alive at
// the same time (a test and a benchmark), and (3) say which process owns them, so a later run
// can tell a crashed run's leftovers from a lab that is still in use.
//
//   lab prefix  = family + owner pid (base 36, 5 chars) + per-process sequence (base 36, 2 chars)
//   bridge      = <lab prefix>br
//   namespace   = <lab prefix>n<i>
//   veth in ns  = <lab prefix>h<i>
//   bridge peer = <lab prefix>p<i>
// and, in a lab of two subnets joined by a router (netns-lab.ts, LabHostSpec.subnet):
//   2nd bridge  = <lab prefix>br1
//   router ns   = <lab prefix>rn
//   router veth = <lab prefix>rh<s> (inside the router), its bridge end <lab prefix>rp<s>
//
// e.g. family "sd", pid 12345, 3rd lab: prefix "sd009ix02", bridge "sd009ix02br", host veth "sd009ix02h1".

export const DEFAULT_FAMILY = 'sd'
/** Linux IFNAMSIZ is 16 including the terminating NUL. */
export const MAX_IFNAME = 15
export const MAX_FAMILY_LENGTH = 4
const PID_CHARS = 5
const SEQ_CHARS = 2
/** 10.213.0.(10+i) must stay a unicast host address below .255. */
export const MAX_HOSTS = 244

const FAMILY_RE = /^[a-z][a-z0-9]{1,3}$/

let sequence = 0

export function validFamily (family: string): boolean {
  return FAMILY_RE.test(family)
}

/** A prefix no other lab alive on this machine has: it embeds our pid and a per-process counter. */
export function newLabPrefix (family: string): string {
  const pid = process.pid.toString(36).padStart(PID_CHARS, '0').slice(-PID_CHARS)
  const seq = (sequence++ % 36 ** SEQ_CHARS).toString(36).padStart(SEQ_CHARS, '0')
  return `${family}${pid}${seq}`
}

export interface LabNames {
  readonly prefix: string
  readonly bridge: string
  ns (i: number): string
  veth (i: number): string
  peer (i: number): string
  /** The bridge of subnet s (0: `bridge`). */
  subnetBridge (s: number): string
  readonly routerNs: string
  routerVeth (s: number): string
  routerPeer (s: number): string
}

export function labNames (prefix: string): LabNames {
  return {
    prefix,
    bridge: `${prefix}br`,
    ns: (i) => `${prefix}n${i}`,
    veth: (i) => `${prefix}h${i}`,
    peer: (i) => `${prefix}p${i}`,
    subnetBridge: (s) => s === 0 ? `${prefix}br` : `${prefix}br${s}`,
    routerNs: `${prefix}rn`,
    routerVeth: (s) => `${prefix}rh${s}`,
    routerPeer: (s) => `${prefix}rp${s}`
  }
}

/** A bridge's name (deleted last at cleanup: its ports go first). */
export function isBridgeName (name: string): boolean {
  return /br\d?$/.test(name)
}

export interface ParsedName {
  /** The owning lab's prefix. */
  readonly labPrefix: string
  /** Pid of the process that created the lab. */
  readonly ownerPid: number
}

/**
 * Recognises a name made by `labNames` for a prefix of this family; anything else (someone
 * else's interface that merely starts with the same letters) is left alone by cleanup.
 */
export function parseLabName (name: string, family: string): ParsedName | undefined {
  if (!validFamily(family)) return undefined
  const re = new RegExp(`^(${family}([0-9a-z]{${PID_CHARS}})[0-9a-z]{${SEQ_CHARS}})(?:br\\d?|rn|r[hp]\\d|[nhp]\\d{1,3})$`)
  const m = re.exec(name)
  if (m === null || m[1] === undefined || m[2] === undefined) return undefined
  return { labPrefix: m[1], ownerPid: parseInt(m[2], 36) }
}

/** Family of a full lab prefix or a family itself, for `cleanupStaleLabs(prefix)`. */
export function familyOf (prefix: string): string | undefined {
  for (let len = MAX_FAMILY_LENGTH; len >= 2; len--) {
    const family = prefix.slice(0, len)
    if (!validFamily(family)) continue
    if (prefix.length === len || prefix.length === len + PID_CHARS + SEQ_CHARS) return family
  }
  return undefined
}
