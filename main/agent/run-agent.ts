// Starts this data directory's device with the local API and registers it in agent.json, for
// `swarmdrop agent` and for a `send` or `peers` that finds no device running. It reaches core
// only through the node's start-up and core/app (the app service, its local API, the claim).
import { ok, type Result } from '../../common/result.js'
import { AppService } from '../core/app/app-service.js'
import { claimDataDir, newToken } from '../core/app/device-lock.js'
import type { DeviceClient } from '../core/app/device-client.js'
import { InProcessClient } from '../core/app/in-process-client.js'
import { openLocalApi } from '../core/app/local-api.js'
import { SwarmNode, type NodeOptions } from '../core/node/swarm-node.js'

export interface RunningAgent {
  readonly node: SwarmNode
  /** The app's door over this node: the state and commands every front end uses. */
  readonly app: AppService
  /** The command line's client of this device: the app service called directly, not over HTTP. */
  readonly client: DeviceClient
  /** Resolves when a `stop` command asked the device to stop. */
  readonly stopRequested: Promise<void>
  stop (): Promise<void>
}

/** Fails with `device-running` when a device already runs for the data directory. */
export async function runAgent (opts: NodeOptions): Promise<Result<RunningAgent>> {
  const claim = await claimDataDir(opts.dataDir)
  if (!claim.ok) return claim
  const token = newToken()
  let requestStop: () => void = () => {}
  const stopRequested = new Promise<void>(resolve => { requestStop = resolve })
  // The window's door for the CLI: state and commands through one AppService, made before the
  // node resumes its distributions so it hears their first events too. Nobody subscribes to it
  // (the CLI reads a state when it asks), so its refresh timer may be slow.
  let made = undefined as AppService | undefined
  // A stop is carried out after its answer went out (the local API closes on stop).
  const appOptions = { shell: 'web', throttleMs: 60_000, host: { stop: () => { setImmediate(requestStop) } } } as const
  const started = await SwarmNode.start({
    ...opts,
    beforeResume: n => {
      made = new AppService(n, appOptions)
      opts.beforeResume?.(n)
    }
  })
  if (!started.ok) {
    made?.close()
    await claim.value.release()
    return started
  }
  const node = started.value
  const app = made ?? new AppService(node, appOptions)
  const local = await openLocalApi(app, token)
  if (!local.ok) {
    app.close()
    await node.stop()
    await claim.value.release()
    return local
  }
  await claim.value.publish({ controlPort: node.controlPort, localPort: local.value.port }, token)
  let stopping: Promise<void> | undefined
  return ok({
    node,
    app,
    client: new InProcessClient(app),
    stopRequested,
    stop: () => {
      stopping ??= (async () => {
        await local.value.close()
        app.close()
        await node.stop()
        // Released last: until the node has left the network, no other process may start it.
        await claim.value.release()
      })()
      return stopping
    }
  })
}
