// Swarmdrop as shipped, over one link: `swarmdrop agent --accept all` on the recipient (started
// and discovered before anything is timed, fresh data each time) and `swarmdrop send FILE --to
// NAME --wait` on the origin (no agent there: send runs the device itself, as on a laptop).
// Timed: the recipient's "offer-received" to its "verified" (every piece checked, then the whole
// file's SHA-256); send's own seconds (hashing and discovery included) are in extra.

import { join } from 'node:path'
import { describeSend, runSend } from '../test/multi/cli-send.js'
import { isVerified, type AgentEvent } from '../test/multi/agent-events.js'
import type { LinkContext, LinkOutcome } from './link-run.js'
import { startAgents, stopAgents } from './sd-agents.js'

const RECIPIENT_NAME = 'r1'

export async function linkSwarmdropAgent (ctx: LinkContext): Promise<LinkOutcome> {
  const dir = join(ctx.dir, 'sd-agent')
  const [agent] = await startAgents(ctx.lab, ctx.cli, dir, [{ host: ctx.recipient, name: RECIPIENT_NAME }])
  if (agent === undefined) throw new Error('no agent started')
  // The CPU window starts with the offer: the origin's hashing and discovery are not transfer.
  const unsubscribe = agent.onEvent((e: AgentEvent) => { if (e.event === 'offer-received') ctx.openWindow() })
  try {
    const run = await runSend({
      lab: ctx.lab, host: ctx.origin, path: ctx.source, targets: ['--to', RECIPIENT_NAME], dataDir: join(dir, 'origin-data'), cli: ctx.cli,
      name: ctx.origin.name, timeoutSeconds: Math.ceil(ctx.timeoutMs / 1000)
    })
    ctx.closeWindow()
    const offered = agent.events.find((e) => e.event === 'offer-received')
    const verified = agent.events.find(isVerified)
    const summary = run.summary
    if (run.outcome.code !== 0 || summary instanceof Error || !summary.ok || offered === undefined || verified === undefined) {
      throw new Error(`send --to ${RECIPIENT_NAME}: ${summary instanceof Error ? summary.message : `ok ${String(summary.ok)}`}\n${describeSend(run).slice(0, 2000)}\n${agent.tail(30)}`)
    }
    return {
      startAt: offered.time,
      doneAt: verified.time,
      copy: verified.path,
      extra: {
        timing: 'the recipient agent\'s "offer-received" to its "verified" (pieces checked, then the whole file\'s SHA-256), from its --json event times',
        sendSeconds: summary.seconds,
        sendWallSeconds: run.wallSeconds
      }
    }
  } finally {
    unsubscribe()
    ctx.closeWindow()
    await stopAgents([agent])
  }
}
