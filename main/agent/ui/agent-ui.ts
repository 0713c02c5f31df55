// The web UI of a running agent: one AppService over its node, served by the UI server.
import { AppService } from '../../core/app/app-service.js'
import type { SwarmNode } from '../../core/node/swarm-node.js'
import { ok, type Result } from '../../../common/result.js'
import { loadUiIdentity, saveUiIdentity } from '../../core/app/ui-identity.js'
import { startUiServer, type UiServer } from './ui-server.js'

export interface AgentUi {
  readonly server: UiServer
  close (): Promise<void>
}

/**
 * `port` undefined: the port of the last run if it is free (the open page reconnects), else any.
 * The token is the last run's too, from ui.json.
 */
export async function startAgentUi (node: SwarmNode, opts: { readonly port?: number; readonly rendererDir?: string }): Promise<Result<AgentUi>> {
  const service = new AppService(node, { shell: 'web' })
  const last = await loadUiIdentity(node.dataDir)
  const serve = (port: number): ReturnType<typeof startUiServer> =>
    startUiServer({ service, dataDir: node.dataDir, port, token: last.token, ...(opts.rendererDir !== undefined ? { rendererDir: opts.rendererDir } : {}) })
  let served = await serve(opts.port ?? last.port)
  if (!served.ok && opts.port === undefined && last.port !== 0) served = await serve(0)
  if (!served.ok) {
    service.close()
    return served
  }
  const server = served.value
  await saveUiIdentity(node.dataDir, { token: server.token, port: server.port })
  return ok({
    server,
    close: async () => {
      await server.close()
      service.close()
    }
  })
}
