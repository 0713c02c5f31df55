// Bundles the renderer into renderer/dist. `base: './'` keeps asset URLs relative, so the same
// build loads from file:// in Electron and from the agent's HTTP server.
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // A strict CSP allows no inline script: keep the module preload polyfill out of index.html.
    modulePreload: { polyfill: false }
  }
})
