// `swarmdrop send PATH --to NAME --json` without --wait, through the agent already running for
// the data directory: returns once the offer is out (after hashing), so the bench can follow,
// stop and restart the recipient without send deciding the transfer failed.

import type { Lab, LabHost } from '../test/lab/netns-lab.js'

export interface OfferOptions {
  readonly lab: Lab
  readonly host: LabHost
  readonly cli: string
  readonly path: string
  readonly to: string
  /** Data directory of the agent running on `host`. */
  readonly dataDir: string
  readonly timeoutMs: number
}

/** Throws with send's output unless it exits 0 with {"ok":true}. */
export async function offerTo (o: OfferOptions): Promise<void> {
  const r = await o.lab.run(o.host, process.execPath, [o.cli, 'send', o.path, '--to', o.to, '--json', '--data-dir', o.dataDir], { timeoutMs: o.timeoutMs })
  const last = r.stdout.trim().split('\n').pop() ?? ''
  let okLine = false
  try {
    const v: unknown = JSON.parse(last)
    okLine = typeof v === 'object' && v !== null && (v as Record<string, unknown>)['ok'] === true
  } catch { okLine = false }
  if (r.code !== 0 || !okLine) {
    throw new Error(`send --to ${o.to}: ${r.timedOut ? `no answer within ${(o.timeoutMs / 1000).toFixed(0)} s` : `exit ${String(r.code)}`}\n--- stdout ---\n${r.stdout.trim().slice(-2000)}\n--- stderr ---\n${r.stderr.trim().slice(-2000)}`)
  }
}
