// The layering rule must actually fire: lint small sources as if they lived in each layer.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function errors (filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter(m => m.ruleId === 'no-restricted-imports').map(m => m.message)
}

describe('layering lint rule', () => {
  it('keeps electron out of main/core and main/agent', async () => {
    expect(await errors('main/core/engine/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toHaveLength(1)
    expect(await errors('main/agent/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toHaveLength(1)
  })

  it('keeps the shells out of main/core', async () => {
    expect(await errors('main/core/x.ts', "import { runAgent } from '../agent/run-agent.js'\nexport const a = runAgent\n")).toHaveLength(1)
    expect(await errors('main/core/x.ts', "import { a } from '../electron/window.js'\nexport const b = a\n")).toHaveLength(1)
  })

  it('lets the renderer reach the engine only through the preload', async () => {
    expect(await errors('renderer/src/x.ts', "import { Engine } from '../../main/core/engine/engine.js'\nexport const a = Engine\n")).toHaveLength(1)
    expect(await errors('renderer/src/x.ts', "import { readFile } from 'node:fs/promises'\nexport const a = readFile\n")).toHaveLength(1)
    expect(await errors('renderer/src/x.ts', "import type { SwarmdropApi } from '../../preload/api.js'\nexport type A = SwarmdropApi\n")).toHaveLength(0)
    // common/ is the contract and its pure helpers: the renderer formats with the CLI's units.
    expect(await errors('renderer/src/x.ts', "import { formatBytes } from '../../common/units.js'\nexport const a = formatBytes\n")).toHaveLength(0)
  })

  it('lets the agent reach core only through core/app and the node start-up', async () => {
    const engine = await errors('main/agent/cli/x.ts', "import { Engine } from '../../core/engine/engine.js'\nexport const a = Engine\n")
    expect(engine).toHaveLength(1)
    expect(engine[0]).toContain('main/core/app/**')
    expect(await errors('main/agent/x.ts', "import type { NodeEvents } from '../core/node/events.js'\nexport type A = NodeEvents\n")).toHaveLength(1)
    expect(await errors('main/agent/x.ts', "import { TrustStore } from '../core/settings/trust-store.js'\nexport const a = TrustStore\n")).toHaveLength(1)
    expect(await errors('main/agent/x.ts', "import { AppService } from '../core/app/app-service.js'\nexport const a = AppService\n")).toHaveLength(0)
    expect(await errors('main/agent/ui/x.ts', "import { SwarmNode } from '../../core/node/swarm-node.js'\nexport const a = SwarmNode\n")).toHaveLength(0)
    expect(await errors('main/agent/x.ts', "import { parseCommand } from '../../common/commands.js'\nexport const a = parseCommand\n")).toHaveLength(0)
  })

  it('keeps the agent, the preload and the renderer out of main/electron', async () => {
    expect(await errors('main/electron/x.ts', "import { runAgent } from '../agent/run-agent.js'\nexport const a = runAgent\n")).toHaveLength(1)
    expect(await errors('main/electron/x.ts', "import { a } from '../../preload/ipc-bridge.js'\nexport const b = a\n")).toHaveLength(1)
    expect(await errors('main/electron/x.ts', "import { a } from '../../renderer/src/x.js'\nexport const b = a\n")).toHaveLength(1)
    expect(await errors('main/electron/x.ts', "import { AppService } from '../core/app/app-service.js'\nexport const a = AppService\n")).toHaveLength(0)
  })

  it('keeps common/ plain: no layer above it, no Node', async () => {
    expect(await errors('common/x.ts', "import { AppService } from '../main/core/app/app-service.js'\nexport const a = AppService\n")).toHaveLength(1)
    expect(await errors('common/x.ts', "import { readFile } from 'node:fs/promises'\nexport const a = readFile\n")).toHaveLength(1)
    expect(await errors('common/x.ts', "import type { SwarmdropApi } from '../preload/api.js'\nexport type A = SwarmdropApi\n")).toHaveLength(1)
    expect(await errors('common/x.ts', "import { ok } from './result.js'\nexport const a = ok\n")).toHaveLength(0)
  })

  it('keeps the preload a bridge: no engine, no files; electron only in electron-preload.ts', async () => {
    expect(await errors('preload/x.ts', "import { Engine } from '../main/core/engine/engine.js'\nexport const a = Engine\n")).toHaveLength(1)
    expect(await errors('preload/x.ts', "import { readFile } from 'node:fs/promises'\nexport const a = readFile\n")).toHaveLength(1)
    expect(await errors('preload/x.ts', "import { ipcRenderer } from 'electron'\nexport const a = ipcRenderer\n")).toHaveLength(1)
    expect(await errors('preload/electron-preload.ts', "import { ipcRenderer } from 'electron'\nexport const a = ipcRenderer\n")).toHaveLength(0)
    expect(await errors('preload/x.ts', "import { parseCommand } from '../common/commands.js'\nexport const a = parseCommand\n")).toHaveLength(0)
  })

  it('allows electron in main/electron', async () => {
    expect(await errors('main/electron/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toHaveLength(0)
  })
})
