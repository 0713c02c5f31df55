// `swarmdrop agent`: runs this device in the foreground until SIGINT/SIGTERM, then leaves the
// network cleanly (mDNS goodbye, resume state written).
import { resolve as resolvePath } from 'node:path'
import type { SettingsPatch } from '../../../../common/api.js'
import type { AgentListening, AgentUiLine } from '../../../../common/cli-json.js'
import { parseSettingsPatch } from '../../../../common/commands.js'
import type { NodeOptions } from '../../../core/node/swarm-node.js'
import { runAgent } from '../../run-agent.js'
import { startAgentUi } from '../../ui/agent-ui.js'
import { flag, intFlag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, JSON_FLAG, type CommandUsage } from '../command-usage.js'
import { attachEventLog } from '../event-log.js'
import { jsonLine } from '../terminal-text.js'
import { dataDirOf } from '../session.js'
import { EXIT_OK, UsageError } from '../exit-codes.js'

export const agentUsage: CommandUsage = {
  name: 'agent',
  synopsis: '',
  positionals: [],
  summary: "Runs this machine's agent in the foreground until Ctrl-C or SIGTERM, then leaves the LAN cleanly.",
  details: `It is found by other machines on the LAN, answers offers by its --accept policy, keeps seeding
what it holds, and logs every event (peer up/down, offers, progress once a second, verified, failed).
Flags apply to this run; settings.json in the data folder keeps the defaults.`,
  flags: [
    { name: 'name', type: 'string', value: 'NAME', meaning: "the name other machines see (default: settings.json's, else the host name)" },
    DATA_DIR_FLAG,
    { name: 'downloads', type: 'string', value: 'DIR', meaning: 'where received files go (default: ~/Downloads/Swarmdrop)' },
    { name: 'accept', type: 'string', value: 'ask|trusted|all', meaning: "offers: ask = wait for 'swarmdrop accept' (default), trusted = accept trusted devices and ask for others, all = accept all" },
    { name: 'bt-port', type: 'string', value: 'N', meaning: 'BitTorrent port (default 47621; 0 = any free port)' },
    { name: 'control-port', type: 'string', value: 'N', meaning: 'control port other devices reach (default 47620; 0 = any free port)' },
    { name: 'upload-limit', type: 'string', value: 'BYTES/S', meaning: 'cap on upload rate, bytes per second (0 = none)' },
    { name: 'download-limit', type: 'string', value: 'BYTES/S', meaning: 'cap on download rate, bytes per second (0 = none)' },
    { ...JSON_FLAG, meaning: 'log one JSON object per line per event' },
    { name: 'ui', type: 'boolean', meaning: "also serve the app's window to a browser on this machine (loopback only; prints its address)" },
    { name: 'ui-port', type: 'string', value: 'N', meaning: "with --ui: the web UI's port (default: the last run's if free; 0 = any free port)" },
    { name: 'ui-dir', type: 'string', value: 'DIR', meaning: 'with --ui: serve another build of the UI' }
  ],
  examples: ['swarmdrop agent --name lab-01 --accept trusted', 'swarmdrop agent --ui --json']
}

export async function agentCommand (args: readonly string[]): Promise<number> {
  const p = parse(agentUsage, args)
  // The settings flags are a settings patch, checked as the window's are (common/commands.ts).
  const flagged: { -readonly [K in keyof SettingsPatch]?: unknown } = {}
  const name = str(p, 'name')
  if (name !== undefined) flagged.name = name
  const downloads = str(p, 'downloads')
  if (downloads !== undefined) flagged.downloadsDir = downloads
  const accept = str(p, 'accept')
  if (accept !== undefined) flagged.accept = accept
  const patch = Object.keys(flagged).length > 0 ? parseSettingsPatch(flagged, setting => setting === 'downloadsDir' ? '--downloads' : `--${setting}`) : undefined
  if (patch !== undefined && !patch.ok) throw new UsageError(patch.error.message)
  const overrides: { -readonly [K in keyof NonNullable<NodeOptions['overrides']>]?: NonNullable<NodeOptions['overrides']>[K] } = { ...patch?.value }
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

  const json = flag(p, 'json')
  // One device per data directory: refused while another process (an agent, a send) runs it.
  const started = await runAgent({ dataDir, overrides, beforeResume: n => attachEventLog(n, json) })
  if (!started.ok) throw new UsageError(started.error.message)
  const agent = started.value
  // Listen for the stop signals before saying "listening": a supervisor (systemd, a test) may send
  // SIGTERM as soon as it reads that line, and the device must still leave the LAN cleanly.
  const stopSignal = new Promise<void>(resolve => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
    void agent.stopRequested.then(resolve)
  })
  const node = agent.node
  const info = node.info()
  // Who this device is and how it is set, as the window shows it.
  const { self, settings } = agent.app.state()
  if (json) {
    const listening: AgentListening = { time: new Date().toISOString(), event: 'listening', id: self.id, name: self.name, controlPort: info.controlPort, btPort: info.btPort, accept: settings.accept, downloadsDir: settings.downloadsDir, dataDir }
    process.stdout.write(jsonLine(listening))
  } else {
    process.stdout.write(`Swarmdrop agent ${self.name} (${self.fingerprint}, id ${self.id})\n` +
      `  control port ${info.controlPort}, BitTorrent port ${info.btPort}, accepting: ${settings.accept}\n` +
      `  downloads go to ${settings.downloadsDir}; data in ${dataDir}\n`)
  }
  const web = ui ? await startAgentUi(node, { ...(uiPort !== undefined ? { port: uiPort } : {}), ...(uiDir !== undefined ? { rendererDir: resolvePath(uiDir) } : {}) }) : undefined
  if (web && !web.ok) {
    await agent.stop()
    throw new UsageError(web.error.message)
  }
  if (web?.ok) {
    const { url, port } = web.value.server
    const line: AgentUiLine = { time: new Date().toISOString(), event: 'ui', url, port }
    process.stdout.write(json ? jsonLine(line) : `  web UI: ${url}\n`)
  }
  await stopSignal
  if (web?.ok) await web.value.close()
  await agent.stop()
  if (!json) process.stdout.write('left the network\n')
  return EXIT_OK
}
