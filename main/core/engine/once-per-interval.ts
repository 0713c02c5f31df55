// "Report this once per interval": a peer that redials every second must not write a log line
// each time. Keys are remembered for one interval and their number is capped, so a flood of
// distinct addresses costs bounded memory (the oldest key is forgotten first).
export class OncePerInterval {
  private readonly last = new Map<string, number>()

  constructor (
    private readonly intervalMs: number,
    private readonly maxKeys = 1_024,
    private readonly now: () => number = Date.now
  ) {}

  /** True the first time `key` is seen in an interval, false after that until it ends. */
  allow (key: string): boolean {
    const t = this.now()
    const seen = this.last.get(key)
    if (seen !== undefined && t - seen < this.intervalMs) return false
    this.last.delete(key) // re-inserted below: Map order is insertion order, oldest first
    this.last.set(key, t)
    for (const [k, at] of this.last) {
      if (this.last.size <= this.maxKeys && t - at < this.intervalMs) break
      this.last.delete(k)
    }
    return true
  }
}
