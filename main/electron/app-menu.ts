// The application menu: Quit everywhere (so Ctrl/Cmd+Q quits even while transfers keep the
// window in the tray), the Edit roles text fields need for copy and paste on macOS, and nothing
// that reloads the page or opens developer tools.
import { Menu, type MenuItemConstructorOptions } from 'electron'

export function installAppMenu (quit: () => void): void {
  const quitItem: MenuItemConstructorOptions = { label: 'Quit Swarmdrop', accelerator: 'CmdOrCtrl+Q', click: quit }
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }]
  }
  const template: MenuItemConstructorOptions[] = process.platform === 'darwin'
    ? [
        { label: 'Swarmdrop', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, quitItem] },
        edit,
        { role: 'windowMenu' }
      ]
    : [{ label: 'File', submenu: [{ role: 'close', label: 'Close Window' }, quitItem] }, edit]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
