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

  it('allows electron in main/electron', async () => {
    expect(await errors('main/electron/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toHaveLength(0)
  })
})
