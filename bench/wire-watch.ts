// The byte and packet counters of one lab host's cable, sampled every POLL_MS. Read from the root
// namespace without spawning anything: the bridge-side end of the host's veth (LabHost.peerVeth)
// transmits exactly what the host receives and receives what the host sends, so its
// /sys/class/net/<peerVeth>/statistics files are the host's counters with rx and tx swapped.

import { readFileSync } from 'node:fs'
import type { LabHost } from '../test/lab/netns-lab.js'

const POLL_MS = 100
/** At POLL_MS, two hours of samples: enough for any part, bounded if something forgets stop(). */
const MAX_SAMPLES = 72_000

export interface WireSample {
  /** Date.now() of the reading. */
  readonly t: number
  /** What the host received (download). */
  readonly rxBytes: number
  readonly rxPackets: number
  /** What the host sent (upload). */
  readonly txBytes: number
  readonly txPackets: number
}

function counter (dev: string, name: string): number {
  return Number(readFileSync(`/sys/class/net/${dev}/statistics/${name}`, 'utf8').trim())
}

export class WireWatch {
  readonly samples: WireSample[] = []
  private timer: NodeJS.Timeout | undefined

  constructor (readonly host: LabHost) {}

  /** One reading now (throws if the cable is gone: the lab was destroyed under us). */
  read (): WireSample {
    const dev = this.host.peerVeth
    return { t: Date.now(), rxBytes: counter(dev, 'tx_bytes'), rxPackets: counter(dev, 'tx_packets'), txBytes: counter(dev, 'rx_bytes'), txPackets: counter(dev, 'rx_packets') }
  }

  start (): void {
    if (this.timer !== undefined) return
    this.take()
    this.timer = setInterval(() => { this.take() }, POLL_MS)
  }

  stop (): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  /** The first sample from `since` (ms) on that passes `match`, waiting for it at most `timeoutMs`. */
  async waitFor (match: (s: WireSample) => boolean, timeoutMs: number, since = 0): Promise<WireSample | undefined> {
    const deadline = Date.now() + timeoutMs
    let checked = 0
    for (;;) {
      for (; checked < this.samples.length; checked++) {
        const s = this.samples[checked]
        if (s !== undefined && s.t >= since && match(s)) return s
      }
      if (Date.now() >= deadline || this.timer === undefined) return undefined
      await new Promise((resolve) => setTimeout(resolve, POLL_MS / 2))
    }
  }

  /** The first sample at or after `t` (ms), or the newest one. */
  at (t: number): WireSample | undefined {
    return this.samples.find((s) => s.t >= t) ?? this.samples[this.samples.length - 1]
  }

  private take (): void {
    try {
      if (this.samples.length >= MAX_SAMPLES) this.samples.splice(0, MAX_SAMPLES / 10)
      this.samples.push(this.read())
    } catch {
      this.stop()
    }
  }
}
