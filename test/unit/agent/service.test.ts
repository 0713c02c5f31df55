// `swarmdrop service install|uninstall`: the systemd unit and the launchd job it writes (checked
// by systemd-analyze and by Python's plistlib where they are installed), the service's own data
// folder, the agent's flags passed through, and a real install and uninstall into a temp root
// through the CLI.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { launchdPlist, servicePaths, systemdUnit, systemdWord, type AgentLaunch } from '../../../main/agent/service/service-files.js'
import { planService } from '../../../main/agent/service/service-install.js'

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'swarmdrop-service-'))
  dirs.push(d)
  return d
}

function has (command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0
}

const CLI_PATH = resolve('main/agent/cli/swarmdrop.ts')
const launch: AgentLaunch = { node: process.execPath, cli: CLI_PATH, dataDir: '/var/lib/swarmdrop', downloadsDir: '/var/lib/swarmdrop/downloads', accept: 'trusted', name: 'lab 01' }

function cli (args: readonly string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve('main/agent/cli/swarmdrop.ts'), ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('the systemd unit', () => {
  it('runs the agent with its own data folder, the agent\'s flags, and restarts it on failure', () => {
    const unit = systemdUnit('system', launch)
    const lines = unit.split('\n')
    expect(lines).toContain(`ExecStart=${process.execPath} ${CLI_PATH} agent --data-dir /var/lib/swarmdrop --downloads /var/lib/swarmdrop/downloads --accept trusted --name "lab 01"`)
    expect(lines).toContain('StateDirectory=swarmdrop')
    expect(lines).toContain('Restart=on-failure')
    expect(lines).toContain('KillSignal=SIGTERM')
    expect(lines).toContain('After=network-online.target')
    expect(lines).toContain('WantedBy=multi-user.target')
    expect(lines.some(l => l.startsWith('User='))).toBe(false)
    expect(systemdUnit('system', { ...launch, runAs: 'swarmdrop' }).split('\n')).toContain('User=swarmdrop')
  })

  it('is a user unit wanted by the user\'s session, without network-online or a state directory', () => {
    const unit = systemdUnit('user', { node: process.execPath, cli: CLI_PATH, dataDir: '/home/ana/.local/share/swarmdrop' })
    expect(unit).toContain('WantedBy=default.target')
    expect(unit).not.toContain('network-online')
    expect(unit).not.toContain('StateDirectory')
    expect(unit).toContain('Restart=on-failure')
  })

  it('quotes words so systemd neither splits nor expands them', () => {
    expect(systemdWord('plain')).toBe('plain')
    expect(systemdWord('lab 01')).toBe('"lab 01"')
    expect(systemdWord('100%')).toBe('100%%')
    expect(systemdWord('$HOME')).toBe('$$HOME')
    expect(systemdWord('say "hi"')).toBe('"say \\"hi\\""')
    expect(systemdWord('')).toBe('""')
  })

  // `--user verify` needs a user manager; the unit's syntax is checked by the system's.
  it.skipIf(!has('systemd-analyze'))('passes systemd-analyze verify, system and user units', () => {
    for (const scope of ['system', 'user'] as const) {
      const dir = tempDir()
      const file = join(dir, 'swarmdrop.service')
      writeFileSync(file, systemdUnit(scope, { ...launch, name: 'lab 100% $HOME' }))
      const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', timeout: 30_000 })
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
    }
  })
})

describe('the launchd job', () => {
  const plist = launchdPlist('system', { ...launch, name: 'R&D <lab>', runAs: '_swarmdrop' }, '/usr/local/var/swarmdrop/agent.log')

  it('runs the agent at load, restarts it only when it fails, and logs into its data folder', () => {
    expect(plist).toContain('<key>Label</key><string>org.swarmdrop.agent</string>')
    expect(plist).toContain('<key>RunAtLoad</key><true/>')
    expect(plist).toContain('<dict><key>SuccessfulExit</key><false/></dict>')
    expect(plist).toContain('<key>UserName</key><string>_swarmdrop</string>')
    expect(plist).toContain('<string>R&amp;D &lt;lab&gt;</string>')
  })

  it.skipIf(!existsSync('/usr/bin/python3'))('is a property list plistlib reads back to the agent\'s arguments', () => {
    const read = execFileSync('/usr/bin/python3', ['-c', 'import plistlib,sys,json; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'], { input: plist, encoding: 'utf8' })
    const job = JSON.parse(read) as Record<string, unknown>
    expect(job.Label).toBe('org.swarmdrop.agent')
    expect(job.ProgramArguments).toEqual([process.execPath, CLI_PATH, 'agent', '--data-dir', '/var/lib/swarmdrop', '--downloads', '/var/lib/swarmdrop/downloads', '--accept', 'trusted', '--name', 'R&D <lab>'])
    expect(job.KeepAlive).toEqual({ SuccessfulExit: false })
    expect(job.StandardErrorPath).toBe('/usr/local/var/swarmdrop/agent.log')
    expect(job.RunAtLoad).toBe(true)
  })
})

describe('where a service lives', () => {
  it('keeps its data in its own folder, per platform and scope', () => {
    expect(servicePaths('linux', 'system', { home: '/root' })).toMatchObject({ file: '/etc/systemd/system/swarmdrop.service', dataDir: '/var/lib/swarmdrop' })
    expect(servicePaths('linux', 'user', { home: '/home/ana' })).toMatchObject({ file: '/home/ana/.config/systemd/user/swarmdrop.service', dataDir: '/home/ana/.local/share/swarmdrop' })
    expect(servicePaths('linux', 'user', { home: '/home/ana', configHome: '/cfg', dataHome: '/data' })).toMatchObject({ file: '/cfg/systemd/user/swarmdrop.service', dataDir: '/data/swarmdrop' })
    expect(servicePaths('darwin', 'system', { home: '/Users/ana' })).toMatchObject({ file: '/Library/LaunchDaemons/org.swarmdrop.agent.plist', dataDir: '/usr/local/var/swarmdrop' })
    expect(servicePaths('darwin', 'user', { home: '/Users/ana' })).toMatchObject({ file: '/Users/ana/Library/LaunchAgents/org.swarmdrop.agent.plist', dataDir: '/Users/ana/Library/Application Support/Swarmdrop' })
  })

  it('lets --data-dir replace the data folder, downloads then the agent\'s default', () => {
    const plan = planService({ platform: 'linux', scope: 'system', root: '/', uid: 0, where: { home: '/root' } }, { node: 'node', cli: 'cli.js', dataDir: '/srv/swarmdrop' })
    expect(plan.text).toContain('agent --data-dir /srv/swarmdrop\n')
    expect(plan.folders).toEqual(['/srv/swarmdrop'])
  })
})

describe('swarmdrop service install and uninstall', () => {
  it('installs into a root, with the agent\'s flags, then uninstalls and keeps the data', () => {
    const root = tempDir()
    const installed = cli(['service', 'install', '--system', '--root', root, '--name', 'lab-01', '--accept', 'all', '--json'])
    expect(installed.stderr).toBe('')
    expect(installed.code).toBe(0)
    const out = JSON.parse(installed.stdout) as { file: string; dataDir: string; managed: boolean; note: string }
    const file = join(root, 'etc/systemd/system/swarmdrop.service')
    expect(out).toMatchObject({ file, dataDir: '/var/lib/swarmdrop', managed: false })
    expect(out.note).toMatch(/^written under .*, so not enabled \(--root\); to start it where it can run: systemctl daemon-reload && systemctl enable --now swarmdrop.service$/)
    const unit = readFileSync(file, 'utf8')
    expect(unit).toContain('agent --data-dir /var/lib/swarmdrop --downloads /var/lib/swarmdrop/downloads --accept all --name lab-01\n')

    const removed = cli(['service', 'uninstall', '--system', '--root', root])
    expect(removed.code).toBe(0)
    expect(removed.stdout).toContain('removed')
    expect(removed.stdout).toContain('its data is kept in /var/lib/swarmdrop')
    expect(existsSync(file)).toBe(false)
  })

  it('writes a user unit and makes its data folder, under the user\'s home', () => {
    const root = tempDir()
    const home = tempDir()
    const r = cli(['service', 'install', '--user', '--root', root], { HOME: home, XDG_CONFIG_HOME: '', XDG_DATA_HOME: '' })
    expect(r.code).toBe(0)
    expect(existsSync(join(root, home, '.config/systemd/user/swarmdrop.service'))).toBe(true)
    expect(existsSync(join(root, home, '.local/share/swarmdrop'))).toBe(true)
  })

  it('prints the file with --dry-run and writes nothing', () => {
    const root = tempDir()
    const r = cli(['service', 'install', '--platform', 'darwin', '--system', '--dry-run', '--root', root, '--accept', 'trusted'])
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toBe(`# ${join(root, 'Library/LaunchDaemons/org.swarmdrop.agent.plist')}`)
    expect(r.stdout).toContain('<string>trusted</string>')
    expect(existsSync(join(root, 'Library'))).toBe(false)
  })

  it.skipIf(process.platform !== 'linux' || existsSync('/run/systemd/system'))('says in one line that systemd is not running, and still writes the unit when asked', () => {
    const home = tempDir()
    const r = cli(['service', 'install', '--user'], { HOME: home, XDG_CONFIG_HOME: '', XDG_DATA_HOME: '' })
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/^(systemd is not running on this machine \(no \/run\/systemd\/system\)|systemctl is not available here); to start it where it can run: systemctl --user daemon-reload/)
    expect(existsSync(join(home, '.config/systemd/user/swarmdrop.service'))).toBe(true)
    expect(cli(['service', 'uninstall', '--user'], { HOME: home }).code).toBe(0)
    expect(existsSync(join(home, '.config/systemd/user/swarmdrop.service'))).toBe(false)
  })

  it('refuses bad agent flags with the contract\'s rules, in one line', () => {
    const r = cli(['service', 'install', '--dry-run', '--accept', 'everyone'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('swarmdrop: --accept must be one of ask, trusted, all\n')
    expect(cli(['service', 'start']).stderr).toContain('swarmdrop service install, or swarmdrop service uninstall')
    expect(cli(['service', 'install', '--user', '--run-as', 'x', '--dry-run']).stderr).toContain('--run-as is for a --system service')
  })
})
