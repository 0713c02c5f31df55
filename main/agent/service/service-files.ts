// What `swarmdrop service install` writes, as text: a systemd unit on Linux, a launchd property
// list on macOS, and where each goes. Pure (no file system, no processes), so tests pin every line
// and `--dry-run` prints exactly what would be written.
import { join, posix } from 'node:path'

export type ServicePlatform = 'linux' | 'darwin'
/** `system`: starts at boot, before anyone logs in; `user`: runs as, and for, one user. */
export type ServiceScope = 'system' | 'user'

export const SERVICE_NAME = 'swarmdrop'
export const LAUNCHD_LABEL = 'org.swarmdrop.agent'

/** Where the service file goes and the service's own data folder, for one platform and scope. */
export interface ServicePaths {
  /** The unit or property list, absolute, on the target machine (before any --root). */
  readonly file: string
  /** The agent's data folder (identity, trust, settings): the service's own, not a desktop app's. */
  readonly dataDir: string
  /** Where received files go unless --downloads says otherwise; undefined: the agent's default. */
  readonly downloadsDir: string | undefined
  /** launchd only: the agent's log (systemd keeps it in the journal). */
  readonly logFile: string | undefined
}

export interface ServiceHome {
  readonly home: string
  /** $XDG_CONFIG_HOME and $XDG_DATA_HOME when set (Linux user services). */
  readonly configHome?: string
  readonly dataHome?: string
}

export function servicePaths (platform: ServicePlatform, scope: ServiceScope, where: ServiceHome): ServicePaths {
  const p = posix
  if (platform === 'linux') {
    if (scope === 'system') {
      return { file: `/etc/systemd/system/${SERVICE_NAME}.service`, dataDir: '/var/lib/swarmdrop', downloadsDir: '/var/lib/swarmdrop/downloads', logFile: undefined }
    }
    const config = where.configHome ?? p.join(where.home, '.config')
    const data = where.dataHome ?? p.join(where.home, '.local/share')
    return { file: p.join(config, 'systemd/user', `${SERVICE_NAME}.service`), dataDir: p.join(data, 'swarmdrop'), downloadsDir: undefined, logFile: undefined }
  }
  if (scope === 'system') {
    const dataDir = '/usr/local/var/swarmdrop'
    return { file: `/Library/LaunchDaemons/${LAUNCHD_LABEL}.plist`, dataDir, downloadsDir: p.join(dataDir, 'downloads'), logFile: p.join(dataDir, 'agent.log') }
  }
  // The CLI's own default for this user, so `swarmdrop status` reaches the service without --data-dir.
  const dataDir = p.join(where.home, 'Library/Application Support/Swarmdrop')
  return { file: p.join(where.home, 'Library/LaunchAgents', `${LAUNCHD_LABEL}.plist`), dataDir, downloadsDir: undefined, logFile: p.join(dataDir, 'agent.log') }
}

/** `file` under `root` (a staging or test folder); `/` leaves it where it is. */
export function underRoot (root: string, file: string): string {
  return root === '/' ? file : join(root, file)
}

export interface AgentLaunch {
  /** The Node binary and the CLI script, absolute: a service does not search PATH. */
  readonly node: string
  readonly cli: string
  readonly dataDir: string
  readonly downloadsDir?: string
  readonly name?: string
  readonly accept?: string
  /** System services only: the account it runs as (default root on Linux, as launchd's default). */
  readonly runAs?: string
}

/** The agent's command line: `node swarmdrop.js agent --data-dir … [--downloads …] [--accept …] [--name …]`. */
export function agentArgs (l: AgentLaunch): string[] {
  return [
    l.node, l.cli, 'agent', '--data-dir', l.dataDir,
    ...(l.downloadsDir !== undefined ? ['--downloads', l.downloadsDir] : []),
    ...(l.accept !== undefined ? ['--accept', l.accept] : []),
    ...(l.name !== undefined ? ['--name', l.name] : [])
  ]
}

/** One ExecStart word: quoted when it needs it; `%` and `$` doubled so systemd expands neither. */
export function systemdWord (word: string): string {
  const escaped = word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')
  return word === '' || /[\s"'\\;]/.test(word) ? `"${escaped}"` : escaped
}

export function systemdUnit (scope: ServiceScope, l: AgentLaunch): string {
  const system = scope === 'system'
  const stateDir = system && l.dataDir.startsWith('/var/lib/') ? l.dataDir.slice('/var/lib/'.length) : undefined
  return [
    `# Written by \`swarmdrop service install --${scope}\`; \`swarmdrop service uninstall --${scope}\` removes it.`,
    '[Unit]',
    'Description=Swarmdrop agent (LAN distribution of big files)',
    ...(system ? ['Wants=network-online.target', 'After=network-online.target'] : []),
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${agentArgs(l).map(systemdWord).join(' ')}`,
    ...(system && l.runAs !== undefined ? [`User=${l.runAs}`] : []),
    // systemd creates /var/lib/<dir> owned by the service's user before it starts.
    ...(stateDir !== undefined ? [`StateDirectory=${stateDir}`] : []),
    // SIGTERM makes the agent leave the network cleanly (mDNS goodbye, resume state written).
    'KillSignal=SIGTERM',
    'TimeoutStopSec=30',
    'Restart=on-failure',
    'RestartSec=5',
    '',
    '[Install]',
    `WantedBy=${system ? 'multi-user.target' : 'default.target'}`,
    ''
  ].join('\n')
}

function xml (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

export function launchdPlist (scope: ServiceScope, l: AgentLaunch, logFile: string): string {
  const s = (text: string): string => `<string>${xml(text)}</string>`
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    // An XML comment may not hold "--": the flags are named in words.
    `<!-- Written by "swarmdrop service install" (${scope} scope); "swarmdrop service uninstall" removes it. -->`,
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key>${s(LAUNCHD_LABEL)}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...agentArgs(l).map(a => `    ${s(a)}`),
    '  </array>',
    ...(scope === 'system' && l.runAs !== undefined ? [`  <key>UserName</key>${s(l.runAs)}`] : []),
    `  <key>WorkingDirectory</key>${s(l.dataDir)}`,
    '  <key>RunAtLoad</key><true/>',
    // Restarted when it fails (a non-zero exit), not after a clean stop: systemd's on-failure.
    '  <key>KeepAlive</key>',
    '  <dict><key>SuccessfulExit</key><false/></dict>',
    '  <key>ThrottleInterval</key><integer>5</integer>',
    `  <key>StandardOutPath</key>${s(logFile)}`,
    `  <key>StandardErrorPath</key>${s(logFile)}`,
    '</dict>',
    '</plist>',
    ''
  ].join('\n')
}
