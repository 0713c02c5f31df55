// `swarmdrop service install|uninstall`: keeps the agent running across reboots as a systemd
// service (Linux) or a launchd job (macOS), with its data in the service's own folder. The
// agent's --name, --accept and --downloads are checked by the contract's own parser, the same
// rules the app applies to its settings.
import { homedir } from 'node:os'
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCommand } from '../../../../common/commands.js'
import { installService, planService, uninstallService, type ServiceRequest } from '../../service/service-install.js'
import type { ServicePlatform, ServiceScope } from '../../service/service-files.js'
import { flag, parse, str } from '../args.js'
import { JSON_FLAG, type CommandUsage } from '../command-usage.js'
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js'
import { jsonLine, terminalText } from '../terminal-text.js'

export const serviceUsage: CommandUsage = {
  name: 'service',
  synopsis: 'install|uninstall',
  positionals: ['ACTION'],
  summary: 'Installs or removes the agent as a service that starts at boot and restarts when it fails.',
  details: `Linux: a systemd unit, /etc/systemd/system/swarmdrop.service with data in /var/lib/swarmdrop
(--system, the default as root), or ~/.config/systemd/user/swarmdrop.service with data in
~/.local/share/swarmdrop (--user). macOS: a launchd job, /Library/LaunchDaemons or
~/Library/LaunchAgents/org.swarmdrop.agent.plist. Without a running service manager the file is
still written, and one line says how to start it. Uninstall keeps the data folder.`,
  flags: [
    { name: 'system', type: 'boolean', meaning: 'a system service, started at boot (default when run as root)' },
    { name: 'user', type: 'boolean', meaning: 'a service of this user, started at login (default otherwise)' },
    { name: 'name', type: 'string', value: 'NAME', meaning: 'install: the name other machines see (the agent\'s --name)' },
    { name: 'accept', type: 'string', value: 'ask|trusted|all', meaning: 'install: the agent\'s offer policy (its --accept)' },
    { name: 'downloads', type: 'string', value: 'DIR', meaning: 'install: where received files go (system default: DATA/downloads)' },
    { name: 'data-dir', type: 'string', value: 'DIR', meaning: 'the service\'s data folder instead of its own default' },
    { name: 'run-as', type: 'string', value: 'USER', meaning: 'install --system: the account the agent runs as (default root)' },
    { name: 'dry-run', type: 'boolean', meaning: 'print the file that would be written, change nothing' },
    { name: 'root', type: 'string', value: 'DIR', meaning: 'write under DIR instead of / (staging an image); nothing is enabled' },
    { name: 'platform', type: 'string', value: 'linux|darwin', meaning: 'write for this platform instead of this machine\'s (with --dry-run or --root)' },
    { ...JSON_FLAG, meaning: 'print the outcome as JSON' }
  ],
  examples: ['swarmdrop service install --system --name lab-01 --accept trusted', 'swarmdrop service install --user --dry-run', 'swarmdrop service uninstall --system']
}

/** The agent's built CLI, next to this command: what the service runs. */
const CLI = fileURLToPath(new URL('../swarmdrop.js', import.meta.url))

function platformOf (value: string | undefined, staged: boolean): ServicePlatform {
  if (value !== undefined) {
    if (value !== 'linux' && value !== 'darwin') throw new UsageError('--platform must be linux or darwin')
    if (!staged) throw new UsageError('--platform needs --dry-run or --root: the service manager here is this machine\'s')
    return value
  }
  if (process.platform === 'linux' || process.platform === 'darwin') return process.platform
  throw new UsageError(`swarmdrop service supports Linux (systemd) and macOS (launchd), not ${process.platform}; run swarmdrop agent under your own service manager`)
}

function absolute (flagName: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (value.trim() === '') throw new UsageError(`--${flagName} needs a folder`)
  return isAbsolute(value) ? value : resolve(value)
}

/** --name, --accept and --downloads by the contract's settings rules, worded as the flags. */
function checkAgentFlags (name: string | undefined, accept: string | undefined, downloads: string | undefined): void {
  const patch = { ...(name !== undefined ? { name } : {}), ...(accept !== undefined ? { accept } : {}), ...(downloads !== undefined ? { downloadsDir: downloads } : {}) }
  if (Object.keys(patch).length === 0) return
  const parsed = parseCommand({ type: 'update-settings', patch })
  if (!parsed.ok) throw new UsageError(parsed.error.message.replace('patch.name', '--name').replace('patch.accept', '--accept').replace('patch.downloadsDir', '--downloads'))
}

export async function serviceCommand (args: readonly string[]): Promise<number> {
  const p = parse(serviceUsage, args)
  const action = p.positionals[0]
  if (action !== 'install' && action !== 'uninstall') throw new UsageError('say what to do: swarmdrop service install, or swarmdrop service uninstall')
  if (flag(p, 'system') && flag(p, 'user')) throw new UsageError('--system and --user exclude each other')
  const root = absolute('root', str(p, 'root')) ?? '/'
  const dryRun = flag(p, 'dry-run')
  const platform = platformOf(str(p, 'platform'), dryRun || root !== '/')
  const uid = process.getuid?.() ?? -1
  const scope: ServiceScope = flag(p, 'system') ? 'system' : flag(p, 'user') ? 'user' : uid === 0 ? 'system' : 'user'
  const name = str(p, 'name')
  const accept = str(p, 'accept')
  const downloads = absolute('downloads', str(p, 'downloads'))
  const runAs = str(p, 'run-as')
  if (action === 'uninstall' && (name ?? accept ?? downloads ?? runAs) !== undefined) throw new UsageError('--name, --accept, --downloads and --run-as are for service install')
  if (runAs !== undefined && (scope !== 'system' || !/^[a-z_][a-z0-9_.-]{0,31}$/i.test(runAs))) {
    throw new UsageError(scope !== 'system' ? '--run-as is for a --system service' : '--run-as must be an account name')
  }
  checkAgentFlags(name, accept, downloads)
  const dataDir = absolute('data-dir', str(p, 'data-dir'))

  const req: ServiceRequest = {
    platform,
    scope,
    root,
    uid,
    where: {
      home: homedir(),
      ...(process.env.XDG_CONFIG_HOME ? { configHome: process.env.XDG_CONFIG_HOME } : {}),
      ...(process.env.XDG_DATA_HOME ? { dataHome: process.env.XDG_DATA_HOME } : {})
    }
  }
  const plan = planService(req, {
    node: process.execPath,
    cli: CLI,
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...(downloads !== undefined ? { downloadsDir: downloads } : {}),
    ...(name !== undefined ? { name: name.trim() } : {}),
    ...(accept !== undefined ? { accept } : {}),
    ...(runAs !== undefined ? { runAs } : {})
  })
  const json = flag(p, 'json')
  if (dryRun) {
    process.stdout.write(json
      ? jsonLine({ action, dryRun: true, platform, scope, file: plan.file, dataDir: plan.dataDir, text: action === 'install' ? plan.text : undefined })
      : action === 'install' ? `# ${plan.file}\n${plan.text}` : `would remove ${plan.file} (data kept in ${plan.dataDir})\n`)
    return EXIT_OK
  }
  const done = action === 'install' ? await installService(req, plan) : await uninstallService(req, plan)
  if (!done.ok) {
    process.stderr.write(`swarmdrop: ${terminalText(done.error.message)}\n`)
    return EXIT_FAILED
  }
  const o = done.value
  process.stdout.write(json
    ? jsonLine({ action, platform, scope, ...o })
    : action === 'install'
      ? `wrote ${o.file} (data in ${o.dataDir})\n${o.note}\n`
      : `${o.file} ${o.note}\n`)
  return EXIT_OK
}
