// The desktop shell finds its parts where the build and the packager put them, and every icon
// the tray can ask for exists as a real PNG of the size its name promises.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { appPaths } from '../../../main/electron/app-paths.js'
import { trayIconFile, type TrayIconState, type TrayTheme } from '../../../main/electron/tray-model.js'

const ROOT = resolve('.')

function pngSize (path: string): { width: number; height: number } {
  const bytes = readFileSync(path)
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

describe('desktop app paths', () => {
  it('resolve from the compiled main/electron folder to the built parts', () => {
    const paths = appPaths(join(ROOT, 'dist', 'main', 'electron'))
    expect(paths.root).toBe(ROOT)
    expect(paths.preload).toBe(join(ROOT, 'dist', 'preload', 'preload.cjs'))
    // The engine's own process runs the host entry tsc writes beside the rest of core (shipped by dist/**).
    expect(paths.engineHost).toBe(join(ROOT, 'dist', 'main', 'core', 'app', 'engine-host-main.js'))
    expect(paths.rendererIndex).toBe(join(ROOT, 'renderer', 'dist', 'index.html'))
    expect(fileURLToPath(paths.rendererIndexUrl)).toBe(paths.rendererIndex)
    expect(pngSize(paths.appIcon)).toEqual({ width: 512, height: 512 })
  })
})

describe('icons', () => {
  const states: TrayIconState[] = ['idle', 'transferring', 'attention', 'error']
  const themes: TrayTheme[] = ['light', 'dark']
  const iconsDir = join(ROOT, 'build', 'icons')

  it('has every tray icon, at 1x and 2x, for every platform size', () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      for (const state of states) {
        for (const theme of themes) {
          const file = trayIconFile(platform, state, theme)
          const size = Number(/-(\d+)\.png$/.exec(file)?.[1])
          expect(pngSize(join(iconsDir, file))).toEqual({ width: size, height: size })
          expect(pngSize(join(iconsDir, file.replace(/\.png$/, '@2x.png')))).toEqual({ width: size * 2, height: size * 2 })
        }
      }
    }
  })

  it('has the app icon sizes electron-builder uses', () => {
    expect(pngSize(join(ROOT, 'build', 'icon.png'))).toEqual({ width: 512, height: 512 })
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(join(iconsDir, `${size}x${size}.png`))).toEqual({ width: size, height: size })
    }
  })

  it('ships the command-line wrappers the package config names', () => {
    const config = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')
    for (const file of ['build/bin/swarmdrop', 'build/bin/swarmdrop.cmd', 'build/linux/after-install.sh', 'build/linux/after-remove.sh']) {
      expect(existsSync(join(ROOT, file))).toBe(true)
    }
    expect(config).toContain('afterInstall: build/linux/after-install.sh')
    expect(readFileSync(join(ROOT, 'build/bin/swarmdrop'), 'utf8')).toContain('ELECTRON_RUN_AS_NODE=1 exec "$app" "$resources/app.asar/dist/main/agent/cli/swarmdrop.js"')
  })
})
