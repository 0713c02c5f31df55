// What each bench part hands back, and how it is stored: bench/results/<stamp>-<part>.json and
// .md (the one-to-many table keeps its historical name, <stamp>.json/.md).

import { mkdir, writeFile } from 'node:fs/promises'
import type { TargetCheck } from './targets.js'
import { targetsMarkdown } from './targets.js'

export const RESULTS_DIR = new URL('./results/', import.meta.url)

export interface PartReport {
  readonly part: string
  /** The human report (without the target lines, which are appended when written). */
  readonly markdown: string
  /** Everything measured, for the JSON file. */
  readonly json: unknown
  readonly targets: readonly TargetCheck[]
}

/** File name stem of a part's results. */
export function resultStem (stamp: string, part: string): string {
  return part === 'table' ? stamp : `${stamp}-${part}`
}

/** Writes the part's .json and .md; returns the markdown written. */
export async function writePart (stamp: string, report: PartReport): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true })
  const stem = resultStem(stamp, report.part)
  const md = report.targets.length === 0 ? report.markdown : `${report.markdown}\nTargets:\n\n${targetsMarkdown(report.targets)}`
  await writeFile(new URL(`${stem}.json`, RESULTS_DIR), JSON.stringify({ part: report.part, targets: report.targets, ...asObject(report.json) }, null, 2) + '\n')
  await writeFile(new URL(`${stem}.md`, RESULTS_DIR), md)
  return md
}

function asObject (json: unknown): Record<string, unknown> {
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? json as Record<string, unknown> : { data: json }
}
