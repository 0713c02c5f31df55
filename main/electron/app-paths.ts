// Where the desktop shell finds its built parts, relative to its own compiled file
// (dist/main/electron/*.js), so the same code works from a checkout and from inside the package.
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

export interface AppPaths {
  /** The repository (or the packaged app's) root. */
  readonly root: string
  /** The sandboxed preload, one CommonJS file (scripts/build-preload.mjs). */
  readonly preload: string
  /** The engine's own process (main/core/app/engine-host-main.ts), built by `npm run build`. */
  readonly engineHost: string
  /** The renderer's entry, built by `npm run build:ui`. */
  readonly rendererIndex: string
  readonly rendererIndexUrl: string
  /** Tray and window icons drawn by scripts/make-icons.mjs. */
  readonly iconsDir: string
  readonly appIcon: string
}

/** `moduleDir` is the directory of the compiled main/electron files. */
export function appPaths (moduleDir: string): AppPaths {
  const root = resolve(moduleDir, '..', '..', '..')
  const rendererIndex = join(root, 'renderer', 'dist', 'index.html')
  const iconsDir = join(root, 'build', 'icons')
  return {
    root,
    preload: join(root, 'dist', 'preload', 'preload.cjs'),
    engineHost: join(root, 'dist', 'main', 'core', 'app', 'engine-host-main.js'),
    rendererIndex,
    rendererIndexUrl: pathToFileURL(rendererIndex).href,
    iconsDir,
    appIcon: join(iconsDir, '512x512.png')
  }
}
