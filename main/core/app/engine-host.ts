// The engine in a process of its own (the desktop app's): one SwarmNode and its AppService, served
// over a port as the messages of common/engine-host-messages.ts. The port is Electron's parentPort
// in a utilityProcess or a forked Node child's IPC channel (engine-host-main.ts picks one); this
// module knows neither, so plain Node runs it and the tests fork it.
import type { AppState } from '../../../common/api.js'
import { parseShellMessage, type EngineLaunch, type HostToShell } from '../../../common/engine-host-messages.js'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { SwarmNode } from '../node/swarm-node.js'
import type { Settings } from '../settings/settings.js'
import { AppService } from './app-service.js'

/** The host's end of the channel to the shell. */
export interface HostPort {
  post (message: HostToShell): void
  onMessage (listener: (raw: unknown) => void): void
}

export interface EngineHostOptions {
  readonly launch: EngineLaunch
  /**
   * The shell gets the latest state at most this often: snapshots in between are coalesced (the
   * AppService's throttle), so a busy transfer never queues old states on the channel.
   */
  readonly stateIntervalMs?: number
  /** Called once a stop has finished and the shell was told: the process may exit. */
  readonly onStopped?: () => void
}

const STATE_INTERVAL_MS = 200

export class EngineHost {
  private stopping: Promise<void> | null = null
  private readonly unsubscribe: () => void

  private constructor (
    private readonly port: HostPort,
    private readonly node: SwarmNode,
    private readonly service: AppService,
    private readonly onStopped: () => void
  ) {
    port.post({ kind: 'ready', state: service.state() })
    this.unsubscribe = service.subscribe((state: AppState) => port.post({ kind: 'state', state }))
  }

  /**
   * Starts the device and serves the port; a stop asked for while starting is done once started.
   * On failure the shell has been told (`start-failed`) and the caller exits.
   */
  static async start (port: HostPort, opts: EngineHostOptions): Promise<Result<EngineHost>> {
    let host: EngineHost | null = null
    let stopAsked = false
    port.onMessage(raw => {
      const message = parseShellMessage(raw)
      if (!message.ok) {
        const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined
        if (typeof id === 'number') port.post({ kind: 'result', id, result: message })
        else port.post({ kind: 'warning', message: `the engine dropped a message from the shell: ${message.error.message}` })
        return
      }
      const m = message.value
      if (m.kind === 'stop') {
        stopAsked = true
        void host?.stop()
        return
      }
      if (host === null) {
        port.post({ kind: 'result', id: m.id, result: fail('starting', 'the engine is still starting: try again in a moment') })
        return
      }
      void host.service.execute(m.command).then(result => port.post({ kind: 'result', id: m.id, result }))
    })

    let node: Result<SwarmNode>
    try {
      node = await SwarmNode.start({
        dataDir: opts.launch.dataDir,
        // Checked field by field by the node, as the CLI's flags are.
        ...(opts.launch.settings ? { overrides: opts.launch.settings as Partial<Settings> } : {}),
        // An agent may already run on this machine with the default ports: take free ones then.
        anyPortIfTaken: true,
        // Before it resumes its distributions, so what resuming finds wrong reaches the shell's log.
        beforeResume: n => { n.on('warning', message => port.post({ kind: 'warning', message })) }
      })
    } catch (err) {
      node = fail('internal', `the device could not start: ${errorMessage(err)}`)
    }
    if (!node.ok) {
      port.post({ kind: 'start-failed', error: node.error })
      return node
    }
    const service = new AppService(node.value, { shell: 'electron', throttleMs: opts.stateIntervalMs ?? STATE_INTERVAL_MS })
    host = new EngineHost(port, node.value, service, opts.onStopped ?? (() => {}))
    if (stopAsked) void host.stop()
    return ok(host)
  }

  /** Leaves the network cleanly (mDNS goodbye, journals), then says so; once. */
  stop (): Promise<void> {
    this.stopping ??= this.stopAll()
    return this.stopping
  }

  private async stopAll (): Promise<void> {
    this.unsubscribe()
    this.service.close()
    await this.node.stop()
    this.port.post({ kind: 'stopped' })
    this.onStopped()
  }
}
