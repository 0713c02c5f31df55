// What a lab agent's engine says about one distribution, from `swarmdrop status --json` run inside
// its namespace: state, verified pieces, and bytes exchanged on each connection. Printed when a
// send fails, so a stalled recipient shows who it is connected to and what flows.

import type { Lab, LabHost } from '../lab/netns-lab.js'
import type { WireDistribution } from '../../common/wire.js'

interface StatusJson { readonly distributions: readonly WireDistribution[] }

/** One line per distribution named `name` on the agent of `dataDir` (or why it could not be read). */
export async function transferStatus (lab: Lab, host: LabHost, cli: string, dataDir: string, name: string): Promise<string> {
  const r = await lab.run(host, process.execPath, [cli, 'status', '--json', '--data-dir', dataDir], { timeoutMs: 10_000 })
  let parsed: StatusJson
  try { parsed = JSON.parse(r.stdout) as StatusJson } catch { return `${host.name}: status failed (exit ${String(r.code)}): ${r.stderr.trim().slice(0, 300)}` }
  // (Array.isArray would widen the readonly list to any[].)
  if (!(parsed.distributions instanceof Array)) return `${host.name}: unexpected status output: ${r.stdout.slice(0, 300)}`
  const lines: string[] = []
  for (const d of parsed.distributions) {
    if (d.name !== name) continue
    const own = d.members.find(m => m.self)
    const c = d.connections
    const pieces = c === undefined ? 'not in the engine' : `${own?.verifiedPieces ?? 0}/${d.pieceCount} pieces, ${own?.verifiedBytes ?? 0} B verified, uploaded ${d.uploadedBytes} B`
    const peers = c === undefined ? '' : `; peers: ${c.map(p => `${p.address} (got ${p.downloaded} B from it, sent ${p.uploaded} B)`).join(', ') || 'none'}`
    lines.push(`${host.name}: ${d.state}${d.reason !== undefined ? ` (${d.reason})` : ''}, ${pieces}${peers}`)
  }
  return lines.length > 0 ? lines.join('\n') : `${host.name}: no distribution named ${name}`
}
