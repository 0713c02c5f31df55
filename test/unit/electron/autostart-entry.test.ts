import { describe, expect, it } from 'vitest'
import { autostartEntry, autostartPath } from '../../../main/electron/autostart-entry.js'

describe('Linux autostart entry', () => {
  it('lives in the XDG config folder', () => {
    expect(autostartPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/me')).toBe('/cfg/autostart/swarmdrop.desktop')
    expect(autostartPath({}, '/home/me')).toBe('/home/me/.config/autostart/swarmdrop.desktop')
  })

  it('runs the app, quoting a path with spaces or shell characters', () => {
    expect(autostartEntry('/opt/Swarmdrop/swarmdrop-desktop').split('\n')).toEqual([
      '[Desktop Entry]', 'Type=Application', 'Name=Swarmdrop', 'Exec=/opt/Swarmdrop/swarmdrop-desktop', 'X-GNOME-Autostart-enabled=true', ''
    ])
    expect(autostartEntry('/home/me/Apps/Swarm drop $1.AppImage')).toContain('Exec="/home/me/Apps/Swarm drop \\$1.AppImage"')
  })
})
