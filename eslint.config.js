// Lint, and above all the layering rule that keeps the architecture visible:
//   common         the UI/engine contract (types, validators): imports nothing, imported by all.
//   main/core      knows no Electron, no UI, no agent: it runs under plain Node.
//   main/agent     a shell over core (CLI, web UI); never Electron. It reaches core through the
//                  app's door (main/core/app) and the node's start-up (swarm-node.ts) alone.
//   main/electron  the other shell over core; the only place that imports 'electron'; never the
//                  agent, the preload or the renderer.
//   preload        the typed bridge: the contract, plus Electron's renderer-side APIs in
//                  electron-preload.ts only.
//   renderer       talks to the engine only through the preload's interface; may use common/.
import tseslint from 'typescript-eslint'

const noElectron = { name: 'electron', message: 'Only main/electron/ may import electron.' }
const layer = (patterns, paths = [noElectron]) => ({ 'no-restricted-imports': ['error', { paths, patterns }] })

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'renderer/dist/**', 'test-results/**', 'bench/results/**', 'packages/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off'
    }
  },
  {
    files: ['common/**/*.ts'],
    rules: layer([
      { group: ['**/main/**', '**/preload/**', '**/renderer/**', 'node:*', 'fs', 'path', 'child_process', 'webtorrent', 'bonjour-service', 'react', 'electron'], message: 'common/ is the shared contract: plain TypeScript that every layer can load.' }
    ])
  },
  {
    files: ['main/core/**/*.ts'],
    rules: layer([
      { group: ['**/agent/**', '**/electron/**', '**/preload/**', '**/renderer/**'], message: 'main/core must not depend on a shell (agent, electron) or on the UI.' }
    ])
  },
  {
    files: ['main/agent/**/*.ts'],
    rules: layer([
      { group: ['**/electron/**', '**/preload/**', '**/renderer/**'], message: 'The agent is a shell over main/core only.' },
      {
        regex: '(^|/)core/(?!app/|node/swarm-node\\.js$)',
        message: 'The agent reaches main/core only through main/core/app/** (the app service, its local API, the offline and open-swarm tools) and main/core/node/swarm-node.js (starting the node): put what it needs in core/app.'
      }
    ])
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: layer([
      { group: ['**/agent/**', '**/preload/**', '**/renderer/**'], message: 'main/electron is a shell over main/core: it never imports the agent (the other shell), the preload or the renderer.' }
    ], [])
  },
  {
    files: ['preload/**/*.ts'],
    ignores: ['preload/electron-preload.ts'],
    rules: layer([
      { group: ['**/main/**', '**/renderer/**', 'node:*', 'fs', 'path', 'child_process'], message: 'The preload is a typed bridge: it forwards messages, it holds no engine code and no file access.' }
    ])
  },
  {
    files: ['preload/electron-preload.ts'],
    rules: layer([
      { group: ['**/main/**', '**/renderer/**', 'node:*', 'fs', 'path', 'child_process'], message: 'The preload is a typed bridge: it forwards messages, it holds no engine code and no file access.' }
    ], [])
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: layer([
      { group: ['**/main/**', 'node:*', 'fs', 'path', 'child_process', 'webtorrent', 'bonjour-service'], message: 'The renderer reaches the engine only through the preload API (preload/api.ts); of the rest it may use common/ (the contract and its pure helpers).' }
    ])
  },
  {
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] }
  }
)
