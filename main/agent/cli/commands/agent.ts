// `swarmdrop agent`: runs this device in the foreground until SIGINT/SIGTERM, then leaves the
// network cleanly (mDNS goodbye, resume state written).
import { resolve as resolvePath } from 'node:path'
import { isAcceptPolicy, validateName, type Settings } from '../../../core/settings/settings.js'
import { shortFingerprint } from '../../../core/identity/device-id.js'
import { runAgent } from '../../run-agent.js'
import { startAgentUi } from '../../ui/agent-ui.js'
import { flag, intFlag, parse, str } from '../args.js'
import { attachEventLog } from '../event-log.js'
import { dataDirOf, runningAgent } from '../session.js'
import { EXIT_OK, UsageError } from '../usage-error.js'

export const agentHelp = `swarmdrop agent [--name NAME] [--data-dir DIR] [--downloads DIR] [--accept ask|trusted|all]
                [--bt-port N] [--control-port N] [--upload-limit BYTES/S] [--download-limit BYTES/S] [--json]
                [--ui [--ui-port N] [--ui-dir DIR]]
  Runs this machine's agent in the foreground: it is found by others on the LAN, answers offers
  (ask: wait for 'swarmdrop accept'; trusted: accept trusted devices, ask for others; all: accept
  everything) and keeps seeding. Stop with Ctrl-C.
  --ui serves the app's window to a browser on this machine, at http://127.0.0.1:PORT/?token=...
  (printed at start; kept across restarts when the port is free; --ui-port 0 = any free port;
  --ui-dir serves another build of the UI).`

export async function agentCommand (args: readonly string[]): Promise<number> {
  const p = parse('agent', args, {
    name: { type: 'string' }, 'data-dir': { type: 'string' }, downloads: { type: 'string' }, accept: { type: 'string' },
    'bt-port': { type: 'string' }, 'control-port': { type: 'string' }, 'upload-limit': { type: 'string' }, 'download-limit': { type: 'string' }, json: { type: 'boolean' },
    ui: { type: 'boolean' }, 'ui-port': { type: 'string' }, 'ui-dir': { type: 'string' }
  })
  if (p.positionals.length > 0) throw new UsageError(`agent: unexpected argument "${p.positionals[0] ?? ''}"`)
  const overrides: { -readonly [K in keyof Settings]?: Settings[K] } = {}
  const name = str(p, 'name')
  if (name !== undefined) {
    const n = validateName(name)
    if (!n.ok) throw new UsageError(n.error.message)
    overrides.name = n.value
  }
  const downloads = str(p, 'downloads')
  if (downloads !== undefined) overrides.downloadsDir = downloads
  const accept = str(p, 'accept')
  if (accept !== undefined) {
    if (!isAcceptPolicy(accept)) throw new UsageError('--accept must be ask, trusted or all')
    overrides.accept = accept
  }
  for (const [flagName, key] of [['bt-port', 'btPort'], ['control-port', 'controlPort']] as const) {
    const v = intFlag(p, flagName, 0, 65535)
    if (v !== undefined) overrides[key] = v
  }
  const up = intFlag(p, 'upload-limit', 0, 1e12)
  if (up !== undefined) overrides.uploadLimit = up
  const down = intFlag(p, 'download-limit', 0, 1e12)
  if (down !== undefined) overrides.downloadLimit = down
  const ui = flag(p, 'ui')
  const uiPort = intFlag(p, 'ui-port', 0, 65535)
  const uiDir = str(p, 'ui-dir')
  if (!ui && (uiPort !== undefined || uiDir !== undefined)) throw new UsageError('--ui-port and --ui-dir need --ui')
  const dataDir = dataDirOf(str(p, 'data-dir'))
  if (await runningAgent(dataDir)) throw new UsageError(`an agent is already running for ${dataDir}`)

  const json = flag(p, 'json')
  const started = await runAgent({ dataDir, overrides, beforeResume: n => attachEventLog(n, json) }, true)
  if (!started.ok) throw new UsageError(started.error.message)
  const agent = started.value
  const node = agent.node
  const info = node.info()
  const s = node.settings
  if (json) {
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), event: 'listening', id: info.id, name: info.name, controlPort: info.controlPort, btPort: info.btPort, accept: s.accept, downloadsDir: s.downloadsDir, dataDir }) + '\n')
  } else {
    process.stdout.write(`Swarmdrop agent ${info.name} (${shortFingerprint(info.id)}, id ${info.id})\n` +
      `  control port ${info.controlPort}, BitTorrent port ${info.btPort}, accepting: ${s.accept}\n` +
      `  downloads go to ${s.downloadsDir}; data in ${dataDir}\n`)
  }
  const web = ui ? await startAgentUi(node, { ...(uiPort !== undefined ? { port: uiPort } : {}), ...(uiDir !== undefined ? { rendererDir: resolvePath(uiDir) } : {}) }) : undefined
  if (web && !web.ok) {
    await agent.stop()
    throw new UsageError(web.error.message)
  }
  if (web?.ok) {
    const { url, port } = web.value.server
    process.stdout.write(json
      ? JSON.stringify({ time: new Date().toISOString(), event: 'ui', url, port }) + '\n'
      : `  web UI: ${url}\n`)
  }
  await new Promise<void>(resolve => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
    void agent.stopRequested.then(resolve)
  })
  if (web?.ok) await web.value.close()
  await agent.stop()
  if (!json) process.stdout.write('left the network\n')
  return EXIT_OK
}
