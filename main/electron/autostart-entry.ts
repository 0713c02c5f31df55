// The XDG autostart entry that starts Swarmdrop at login on Linux, where Electron's
// app.setLoginItemSettings does nothing. Pure, so it is tested under Node; login-item.ts writes it.
import { homedir } from 'node:os'
import { join } from 'node:path'

export function autostartPath (env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'autostart', 'swarmdrop.desktop')
}

/** A freedesktop.org Desktop Entry that runs `executable`, quoted as the spec asks when needed. */
export function autostartEntry (executable: string): string {
  const exec = /^[\w./-]+$/.test(executable) ? executable : `"${executable.replace(/(["`$\\])/g, '\\$1')}"`
  return ['[Desktop Entry]', 'Type=Application', 'Name=Swarmdrop', `Exec=${exec}`, 'X-GNOME-Autostart-enabled=true', ''].join('\n')
}
