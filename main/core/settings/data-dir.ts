// Where a device keeps its state. One data directory is one device: identity, settings, trusted
// devices, distributions and their resume state. Defaults follow each platform's convention.
import { homedir, platform } from 'node:os'
import { join } from 'node:path'

export function defaultDataDir (): string {
  const env = process.env.SWARMDROP_DATA_DIR
  if (env) return env
  const home = homedir()
  switch (platform()) {
    case 'darwin': return join(home, 'Library', 'Application Support', 'Swarmdrop')
    case 'win32': return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Swarmdrop')
    default: return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'swarmdrop')
  }
}

export function defaultDownloadsDir (): string {
  return join(homedir(), 'Downloads', 'Swarmdrop')
}

export const dataPaths = (dataDir: string) => ({
  settings: join(dataDir, 'settings.json'),
  trust: join(dataDir, 'trusted-devices.json'),
  distributions: join(dataDir, 'distributions.json'),
  distributionDir: join(dataDir, 'distributions'),
  agent: join(dataDir, 'agent.json')
})
