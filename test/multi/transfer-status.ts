// What a lab agent's engine says about one distribution, from `swarmdrop status --json` run inside
// its namespace: state, verified pieces, and bytes exchanged with each connected peer. Printed
// when a send fails, so a stalled recipient shows who it is connected to and what flows.

import type { Lab, LabHost } from '../lab/netns-lab.js'

interface PeerLine { readonly address: string; readonly downloaded: number; readonly uploaded: number }

function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function num (v: unknown): number {
  return typeof v === 'number' ? v : NaN
}

function peersOf (transfer: Record<string, unknown>): PeerLine[] {
  const peers = Array.isArray(transfer.peers) ? transfer.peers : []
  return peers.filter(isObject).map((p) => ({ address: String(p.address), downloaded: num(p.downloaded), uploaded: num(p.uploaded) }))
}

/** One line per distribution named `name` on the agent of `dataDir` (or why it could not be read). */
export async function transferStatus (lab: Lab, host: LabHost, cli: string, dataDir: string, name: string): Promise<string> {
  const r = await lab.run(host, process.execPath, [cli, 'status', '--json', '--data-dir', dataDir], { timeoutMs: 10_000 })
  let parsed: unknown
  try { parsed = JSON.parse(r.stdout) } catch { return `${host.name}: status failed (exit ${String(r.code)}): ${r.stderr.trim().slice(0, 300)}` }
  if (!isObject(parsed) || !Array.isArray(parsed.distributions)) return `${host.name}: unexpected status output: ${r.stdout.slice(0, 300)}`
  const lines: string[] = []
  for (const d of parsed.distributions) {
    if (!isObject(d) || !isObject(d.record) || d.record.name !== name) continue
    const rec = d.record
    const t = isObject(d.transfer) ? d.transfer : undefined
    const pieces = t === undefined ? 'not in the engine' : `${num(t.verifiedPieces)}/${num(t.pieceCount)} pieces, received ${num(t.receivedBytes)} B, uploaded ${num(t.uploadedBytes)} B`
    const peers = t === undefined ? '' : `; peers: ${peersOf(t).map((p) => `${p.address} (got ${p.downloaded} B from it, sent ${p.uploaded} B)`).join(', ') || 'none'}`
    lines.push(`${host.name}: ${String(rec.state)}${typeof rec.reason === 'string' ? ` (${rec.reason})` : ''}, ${pieces}${peers}`)
  }
  return lines.length > 0 ? lines.join('\n') : `${host.name}: no distribution named ${name}`
}
