// Per-host CPU time and peak memory of every process running inside the lab's namespaces:
// scans /proc every SAMPLE_MS, attributes each process to a host by its network namespace
// (readlink /proc/PID/ns/net against the inode of /run/netns/NS), and keeps per process the
// newest utime+stime (/proc/PID/stat) and the largest VmHWM (/proc/PID/status).
// Only the lab's namespaces are watched, so this counts exactly what the bench started there.
// A process that exits between two samples loses at most SAMPLE_MS of CPU from the count.

import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs'
import type { LabHost } from '../test/lab/netns-lab.js'

const SAMPLE_MS = 200
/** USER_HZ: /proc/PID/stat counts CPU time in these ticks (getconf CLK_TCK = 100 on Linux). */
const TICKS_PER_SECOND = 100

export interface HostUsage {
  readonly host: string
  /** CPU seconds (user + system) used inside the window by the host's processes. */
  readonly cpuSeconds: number
  /** Largest VmHWM (peak resident set) of any one of the host's processes, MiB. */
  readonly peakRssMiB: number
  /** How many processes were seen. */
  readonly processes: number
}

interface ProcSeen {
  readonly host: string
  /** Ticks the process had already used when the window began (0 if it started inside it). */
  readonly baseTicks: number
  lastTicks: number
  hwmKiB: number
}

function readTicksAndStart (pid: string): { ticks: number; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which is in parentheses and may contain spaces.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ')
    // rest[0] is field 3 (state); utime = field 14, stime = 15, starttime = 22.
    const utime = Number(rest[11])
    const stime = Number(rest[12])
    const start = rest[19] ?? ''
    return Number.isFinite(utime) && Number.isFinite(stime) ? { ticks: utime + stime, start } : undefined
  } catch {
    return undefined
  }
}

function readHwmKiB (pid: string): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m?.[1] === undefined ? 0 : Number(m[1])
  } catch {
    return 0
  }
}

export class ProcSampler {
  private readonly hostByNetns = new Map<string, string>()
  private readonly seen = new Map<string, ProcSeen>()
  private timer: NodeJS.Timeout | undefined
  private first = true

  constructor (hosts: readonly LabHost[]) {
    for (const h of hosts) {
      const ino = statSync(`/run/netns/${h.ns}`).ino
      this.hostByNetns.set(`net:[${ino}]`, h.name)
    }
  }

  /** Starts a window: processes already running count only the CPU they use from now on. */
  begin (): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.seen.clear()
    this.first = true
    this.sample()
    this.first = false
    this.timer = setInterval(() => { this.sample() }, SAMPLE_MS)
  }

  /** Takes a last sample (call it before stopping the processes you measure) and ends the window. */
  end (hostNames: readonly string[]): HostUsage[] {
    this.sample()
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    return hostNames.map((host) => {
      const mine = [...this.seen.values()].filter((p) => p.host === host)
      return {
        host,
        cpuSeconds: mine.reduce((s, p) => s + (p.lastTicks - p.baseTicks), 0) / TICKS_PER_SECOND,
        peakRssMiB: mine.reduce((m, p) => Math.max(m, p.hwmKiB), 0) / 1024,
        processes: mine.length
      }
    })
  }

  /** One pass over /proc. */
  sample (): void {
    let pids: string[]
    try { pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)) } catch { return }
    for (const pid of pids) {
      let netns: string
      try { netns = readlinkSync(`/proc/${pid}/ns/net`) } catch { continue }
      const host = this.hostByNetns.get(netns)
      if (host === undefined) continue
      const t = readTicksAndStart(pid)
      if (t === undefined) continue
      const key = `${pid}:${t.start}`
      const hwm = readHwmKiB(pid)
      const known = this.seen.get(key)
      if (known === undefined) {
        this.seen.set(key, { host, baseTicks: this.first ? t.ticks : 0, lastTicks: t.ticks, hwmKiB: hwm })
      } else {
        known.lastTicks = Math.max(known.lastTicks, t.ticks)
        known.hwmKiB = Math.max(known.hwmKiB, hwm)
      }
    }
  }
}
