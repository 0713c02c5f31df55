// Which machine `send --to NAME` means, and when none is, one sentence that says why: a machine
// known here but off the network now, this machine itself, an id prefix too short, or a name no
// machine has (with the machines found).
import type { Machine, SelfDevice } from '../../../common/api.js'
import { formatDuration } from './format.js'
import { terminalText } from './terminal-text.js'

/** The shortest id prefix `--to` takes: fewer hex digits would name many machines of a large LAN. */
export const MIN_ID_PREFIX = 4

/** The machines among `machines` that `wanted` names: by name (case-insensitive), else by id prefix. */
export function matchMachines (machines: readonly Machine[], wanted: string): Machine[] {
  const w = wanted.toLowerCase()
  const byName = machines.filter(m => m.name.toLowerCase() === w)
  if (byName.length > 0) return byName
  const hex = idPrefix(wanted)
  return hex !== undefined && hex.length >= MIN_ID_PREFIX ? machines.filter(m => m.id.startsWith(hex)) : []
}

/** `wanted` as id hex digits ("9f3a·c21e" → "9f3ac21e"), or undefined when it is not one. */
function idPrefix (wanted: string): string | undefined {
  const hex = wanted.toLowerCase().replace(/[·:\-\s]/g, '')
  return /^[0-9a-f]{1,32}$/.test(hex) ? hex : undefined
}

/**
 * Why `wanted` names no machine on the network now. `online` are the machines found, `known` every
 * machine this device knows (also those away), `self` this device; `now` for "last seen 0:12 ago".
 */
export function noRecipientMessage (wanted: string, online: readonly Machine[], known: readonly Machine[], self: SelfDevice, now: number): string {
  const shown = `"${terminalText(wanted)}"`
  const found = online.map(p => terminalText(p.name)).join(', ') || 'none'
  if (self.name.toLowerCase() === wanted.toLowerCase() || (idPrefix(wanted)?.length ?? 0) >= MIN_ID_PREFIX && self.id.startsWith(idPrefix(wanted) ?? '-')) {
    return `send: ${shown} is this machine; it has the file already. Machines found: ${found}`
  }
  const away = matchMachines(known.filter(m => !m.online), wanted)
  const one = away[0]
  if (one !== undefined) {
    const seen = Date.parse(one.lastSeen)
    const ago = Number.isFinite(seen) ? ` (last seen ${formatDuration(Math.max(0, now - seen) / 1000)} ago)` : ''
    return `send: ${terminalText(one.name)} (${one.fingerprint}) is not on the network now${ago}; to have it get the file when it is back, send to a group that holds it (swarmdrop group add NAME ${one.id.slice(0, 8)}, then --to @NAME)`
  }
  const hex = idPrefix(wanted)
  if (hex !== undefined && hex.length < MIN_ID_PREFIX) {
    return `send: ${shown} is too short for an id prefix (at least ${MIN_ID_PREFIX} hex digits) and no machine has that name; machines found: ${found}`
  }
  return `send: unknown recipient ${shown}; machines found: ${found}`
}
