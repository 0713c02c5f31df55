// One line per target of the benchmark issue: what was measured, what the target is, and whether
// it was met, so every part prints and stores the same kind of verdict.

export interface TargetCheck {
  /** The bench part ('table', 'link', 'footprint', 'resume'). */
  readonly part: string
  /** What is compared, e.g. "single link, MB/s (getter launch to verified copy)". */
  readonly what: string
  /** The measured figure(s), with units. */
  readonly measured: string
  /** The target, with units. */
  readonly target: string
  /** undefined = could not be judged (the measurement failed or is missing). */
  readonly met: boolean | undefined
}

export function verdict (met: boolean | undefined): string {
  return met === undefined ? 'n/a' : met ? 'met' : 'NOT met'
}

/** "part: what: measured; target …: met". */
export function targetLine (t: TargetCheck): string {
  return `${t.part}: ${t.what}: ${t.measured}; target ${t.target}: ${verdict(t.met)}`
}

export function targetsMarkdown (checks: readonly TargetCheck[]): string {
  if (checks.length === 0) return ''
  return [
    '| part | what | measured | target | verdict |',
    '|---|---|---|---|---|',
    ...checks.map((t) => `| ${t.part} | ${t.what} | ${t.measured} | ${t.target} | ${verdict(t.met)} |`),
    ''
  ].join('\n')
}

/** A number for a table cell: fixed digits, or '–' when it is missing. */
export function fmt (x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–'
}
