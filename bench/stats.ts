// Small statistics over a handful of measurements, ignoring the missing (NaN) ones.

function finite (xs: readonly number[]): number[] {
  return xs.filter((x) => Number.isFinite(x))
}

export function median (xs: readonly number[]): number {
  const s = finite(xs).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2
}

/** CPU seconds per GiB (2^30 bytes) of `bytes` delivered: the cost of moving a byte, across methods. */
export function cpuPerGiB (cpuSeconds: number, bytes: number): number {
  return bytes > 0 ? cpuSeconds / (bytes / 2 ** 30) : NaN
}

export function min (xs: readonly number[]): number {
  const s = finite(xs)
  return s.length === 0 ? NaN : Math.min(...s)
}

export function max (xs: readonly number[]): number {
  const s = finite(xs)
  return s.length === 0 ? NaN : Math.max(...s)
}
