// Which machine `send --to NAME` means: one on the network, else one known here that is away (it
// waits for the file, as a group's member does); when none is, one sentence that says why: this
// machine itself, an id prefix too short, or a name no machine has (with the machines found); a
// name several machines share lists them, and a machine whose id two machines answer for says so.
import type { Machine, SelfDevice } from '../../../common/api.js'
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
 * The device `wanted` names: a machine on the network now, else one known here that is away (it
 * waits for the file and gets it when it is back, as a group's member does); or why none is.
 * `online` are the machines found, `known` every machine this device knows, `self` this device.
 */
export function chooseRecipient (wanted: string, online: readonly Machine[], known: readonly Machine[], self: SelfDevice): { readonly id: string } | { readonly error: string } {
  const here = matchMachines(online, wanted)
  const away = here.length > 0 ? [] : matchMachines(known.filter(m => !m.online), wanted)
  const m = here.length > 0 ? here : away
  if (m.length > 1) return { error: `send: "${terminalText(wanted)}" matches ${m.map(x => `${terminalText(x.name)} (${x.fingerprint})`).join(', ')}; use an id prefix` }
  const one = m[0]
  // Its id answers from several addresses: a file sent to it could reach either machine.
  if (one?.twinProblem !== undefined) return { error: `send: ${terminalText(one.twinProblem)}` }
  return one !== undefined ? { id: one.id } : { error: noRecipientMessage(wanted, online, self) }
}

/** Why `wanted` names no machine this device knows: this machine itself, an id prefix too short, or an unknown name (with the machines found). */
export function noRecipientMessage (wanted: string, online: readonly Machine[], self: SelfDevice): string {
  const shown = `"${terminalText(wanted)}"`
  const found = online.map(p => terminalText(p.name)).join(', ') || 'none'
  if (self.name.toLowerCase() === wanted.toLowerCase() || (idPrefix(wanted)?.length ?? 0) >= MIN_ID_PREFIX && self.id.startsWith(idPrefix(wanted) ?? '-')) {
    return `send: ${shown} is this machine; it has the file already. Machines found: ${found}`
  }
  const hex = idPrefix(wanted)
  if (hex !== undefined && hex.length < MIN_ID_PREFIX) {
    return `send: ${shown} is too short for an id prefix (at least ${MIN_ID_PREFIX} hex digits) and no machine has that name; machines found: ${found}`
  }
  return `send: unknown recipient ${shown}; machines found: ${found}`
}
