// Installs and removes the agent as a service that starts at boot (system) or login (user) and
// restarts when it fails: writes the file service-files.ts describes, then asks the service
// manager (systemctl, launchctl) to enable and start it. Where there is no running manager (a
// container, a staging --root), the file is still written and the outcome says so in one line.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fail, ok, errorMessage, type Result } from '../../../common/result.js'
import { LAUNCHD_LABEL, SERVICE_NAME, launchdPlist, servicePaths, systemdUnit, underRoot, type AgentLaunch, type ServiceHome, type ServicePlatform, type ServiceScope } from './service-files.js'

export interface ServiceRequest {
  readonly platform: ServicePlatform
  readonly scope: ServiceScope
  /** `/`, or a folder every path is written under (staging, tests); nothing is enabled then. */
  readonly root: string
  readonly where: ServiceHome
  /** The user id launchd's per-user domain is named by (gui/<uid>). */
  readonly uid: number
}

export interface ServicePlan {
  /** Where the file goes, under the root. */
  readonly file: string
  readonly text: string
  /** The service's data folder as the agent sees it (not under the root). */
  readonly dataDir: string
  /** Folders to create before it starts (launchd creates none; systemd's StateDirectory does). */
  readonly folders: readonly string[]
}

export interface ServiceOutcome {
  readonly file: string
  readonly dataDir: string
  /** True when the service manager enabled (install) or disabled (uninstall) it. */
  readonly managed: boolean
  /** One line: what happened with the service manager, or why it was not asked. */
  readonly note: string
}

export function planService (req: ServiceRequest, launch: Omit<AgentLaunch, 'dataDir'> & { readonly dataDir?: string }): ServicePlan {
  const paths = servicePaths(req.platform, req.scope, req.where)
  const dataDir = launch.dataDir ?? paths.dataDir
  const downloadsDir = launch.downloadsDir ?? (launch.dataDir === undefined ? paths.downloadsDir : undefined)
  const full: AgentLaunch = { ...launch, dataDir, ...(downloadsDir !== undefined ? { downloadsDir } : {}) }
  const file = underRoot(req.root, paths.file)
  if (req.platform === 'linux') {
    // A system unit's data folder under /var/lib is made by systemd itself (StateDirectory).
    const folders = req.scope === 'user' || !dataDir.startsWith('/var/lib/') ? [underRoot(req.root, dataDir)] : []
    return { file, text: systemdUnit(req.scope, full), dataDir, folders }
  }
  const logFile = launch.dataDir === undefined ? paths.logFile ?? `${dataDir}/agent.log` : `${dataDir}/agent.log`
  return { file, text: launchdPlist(req.scope, full, logFile), dataDir, folders: [underRoot(req.root, dataDir)] }
}

function run (command: string, args: readonly string[]): Promise<Result<string>> {
  return new Promise(resolve => {
    execFile(command, [...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) resolve(fail('service-manager', `${command} ${args.join(' ')} failed: ${(stderr.trim().split('\n').at(-1) ?? '') || errorMessage(err)}`))
      else resolve(ok(stdout))
    })
  })
}

function onPath (command: string): boolean {
  return (process.env.PATH ?? '').split(':').some(dir => dir !== '' && existsSync(`${dir}/${command}`))
}

/** Why the service manager cannot be asked here, or undefined when it can. */
function managerMissing (req: ServiceRequest): string | undefined {
  if (req.root !== '/') return `written under ${req.root}, so not enabled (--root)`
  if (req.platform === 'darwin') return onPath('launchctl') ? undefined : 'launchctl is not available here'
  if (!onPath('systemctl')) return 'systemctl is not available here'
  // sd_booted(): systemd runs as this machine's init exactly when this folder exists.
  if (!existsSync('/run/systemd/system')) return 'systemd is not running on this machine (no /run/systemd/system)'
  return undefined
}

function systemctl (req: ServiceRequest, ...args: string[]): Promise<Result<string>> {
  return run('systemctl', req.scope === 'user' ? ['--user', ...args] : args)
}

function launchdDomain (req: ServiceRequest): string {
  return req.scope === 'system' ? 'system' : `gui/${req.uid}`
}

export async function installService (req: ServiceRequest, plan: ServicePlan): Promise<Result<ServiceOutcome>> {
  try {
    for (const folder of plan.folders) await mkdir(folder, { recursive: true })
    await mkdir(dirname(plan.file), { recursive: true })
    await writeFile(plan.file, plan.text, { mode: 0o644 })
  } catch (err) {
    return fail('write-failed', `could not write ${plan.file}: ${errorMessage(err)}`)
  }
  const base = { file: plan.file, dataDir: plan.dataDir }
  const user = req.scope === 'user' ? '--user ' : ''
  const missing = managerMissing(req)
  if (missing !== undefined) {
    const how = req.platform === 'linux'
      ? `systemctl ${user}daemon-reload && systemctl ${user}enable --now ${SERVICE_NAME}.service`
      : `launchctl bootstrap ${launchdDomain(req)} ${plan.file}`
    return ok({ ...base, managed: false, note: `${missing}; to start it where it can run: ${how}` })
  }
  if (req.platform === 'darwin') {
    // A re-install replaces a loaded job: unload the old one first (an error means none was loaded).
    await run('launchctl', ['bootout', `${launchdDomain(req)}/${LAUNCHD_LABEL}`])
    const loaded = await run('launchctl', ['bootstrap', launchdDomain(req), plan.file])
    if (!loaded.ok) return loaded
    return ok({ ...base, managed: true, note: `loaded and started; log in ${plan.dataDir}/agent.log` })
  }
  for (const args of [['daemon-reload'], ['enable', `${SERVICE_NAME}.service`], ['restart', `${SERVICE_NAME}.service`]]) {
    const r = await systemctl(req, ...args)
    if (!r.ok) return r
  }
  const linger = req.scope === 'user' ? '; to keep it running while you are logged out and after a reboot: loginctl enable-linger' : ''
  return ok({ ...base, managed: true, note: `enabled and started; its log: journalctl ${user}-u ${SERVICE_NAME}${linger}` })
}

export async function uninstallService (req: ServiceRequest, plan: ServicePlan): Promise<Result<ServiceOutcome>> {
  const base = { file: plan.file, dataDir: plan.dataDir }
  const missing = managerMissing(req)
  let managed = false
  if (missing === undefined) {
    const stopped = req.platform === 'darwin'
      ? await run('launchctl', ['bootout', `${launchdDomain(req)}/${LAUNCHD_LABEL}`])
      : await systemctl(req, 'disable', '--now', `${SERVICE_NAME}.service`)
    managed = stopped.ok
  }
  const existed = existsSync(plan.file)
  try {
    await rm(plan.file, { force: true })
  } catch (err) {
    return fail('write-failed', `could not remove ${plan.file}: ${errorMessage(err)}`)
  }
  if (missing === undefined && req.platform === 'linux') await systemctl(req, 'daemon-reload')
  const what = existed ? 'removed' : 'was not installed'
  const kept = `its data is kept in ${plan.dataDir} (delete it to forget this device's identity)`
  return ok({ ...base, managed, note: `${what}${missing !== undefined && existed ? ` (${missing})` : managed ? ', stopped and disabled' : ''}; ${kept}` })
}
