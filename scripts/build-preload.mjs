// Bundles the Electron preload into ONE CommonJS file, dist/preload/preload.cjs. A sandboxed
// preload can `require('electron')` and nothing else, so its own modules (the IPC bridge, the
// channel names) are inlined and 'electron' stays an external require.
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    outDir: 'dist/preload',
    emptyOutDir: false,
    minify: false,
    sourcemap: false,
    target: 'chrome130',
    lib: {
      entry: 'preload/electron-preload.ts',
      formats: ['cjs'],
      fileName: () => 'preload.cjs'
    },
    rolldownOptions: {
      external: ['electron'],
      // One file whatever the imports: the sandbox cannot load a second chunk.
      output: { codeSplitting: false }
    }
  }
})
