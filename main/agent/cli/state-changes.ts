// `send --wait` into a log or a pipe (no terminal to redraw bars on): one line per machine each
// time its state or reason changes, so a machine killed or a disk filled shows when it happened,
// not only in the summary at the end.
import type { MemberRow } from '../../../common/api.js'
import { stateText } from './member-line.js'
import { terminalText } from './terminal-text.js'

/**
 * The lines for the rows whose state or reason changed since `said` (by id), which it updates.
 * A row is keyed on its state and reason, not its words: "lost contact 0:05 ago" ages, it does not change.
 */
export function stateChanges (rows: readonly MemberRow[], said: Map<string, string>, now: number): string[] {
  const lines: string[] = []
  for (const r of rows) {
    const key = `${r.state} ${r.offlineSince === undefined ? '' : 'offline'} ${r.waitsForSource === true ? 'waits' : ''} ${r.reason ?? ''}`
    if (said.get(r.id) === key) continue
    said.set(r.id, key)
    lines.push(`${terminalText(r.name)}: ${stateText(r, now)}${r.reason === undefined ? '' : ` (${terminalText(r.reason)})`}`)
  }
  return lines
}
