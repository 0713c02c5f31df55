// Starts a device with the agent's local API and advertises it through agent.json, for
// `swarmdrop agent` and for a `send` that finds no agent running for its data directory. The local
// API has a listener of its own, plain HTTP on loopback: the control port speaks mutual TLS with
// device certificates, which the CLI has no reason to hold.
import { AppService } from '../core/app/app-service.js'
import { ControlServer } from '../core/control/control-server.js'
import { SwarmNode, type NodeOptions } from '../core/node/swarm-node.js'
import { ok, type Result } from '../core/result.js'
import { newToken, removeAgentFile, writeAgentFile } from './agent-file.js'
import { LocalClient } from './local-client.js'
import { localRoutes } from './local-routes.js'

export interface RunningAgent {
  readonly node: SwarmNode
  readonly client: LocalClient
  /** Resolves when something asked the agent to stop (the local API's /stop). */
  readonly stopRequested: Promise<void>
  stop (): Promise<void>
}

export async function runAgent (opts: NodeOptions, advertise: boolean): Promise<Result<RunningAgent>> {
  const token = newToken()
  let requestStop: () => void = () => {}
  const stopRequested = new Promise<void>(resolve => { requestStop = resolve })
  // The agent's view of its distributions as the app draws them (member rows, totals), for status;
  // made before the node resumes its distributions so it hears their first events too.
  let made = undefined as AppService | undefined
  const started = await SwarmNode.start({
    ...opts,
    beforeResume: n => {
      made = new AppService(n, { shell: 'web' })
      opts.beforeResume?.(n)
    }
  })
  if (!started.ok) {
    made?.close()
    return started
  }
  const node = started.value
  const app = made ?? new AppService(node, { shell: 'web' })
  const local = await ControlServer.listen({ port: 0, host: '127.0.0.1', what: 'local API port' })
  if (!local.ok) {
    app.close()
    await node.stop()
    return local
  }
  local.value.setRoutes(localRoutes(node, app, token, requestStop))
  if (advertise) await writeAgentFile(opts.dataDir, { pid: process.pid, controlPort: node.controlPort, localPort: local.value.port, token, startedAt: new Date().toISOString() })
  let stopping: Promise<void> | undefined
  return ok({
    node,
    client: new LocalClient(local.value.port, token),
    stopRequested,
    stop: () => {
      stopping ??= (async () => {
        if (advertise) await removeAgentFile(opts.dataDir, process.pid)
        await local.value.close()
        app.close()
        await node.stop()
      })()
      return stopping
    }
  })
}
