// Issue 13: the engine runs in its own process; the desktop shell's main process keeps the window,
// tray, notifications and menus. Followed import by import from the shell's entry, the code the
// main process loads reaches no engine: not SwarmNode, not the AppService, not the host itself
// (type-only imports vanish at compile time and are not followed).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = resolve('.')

/** The files a module loads at run time: its relative value imports and re-exports. */
function valueImports (file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false)
  const specs: string[] = []
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined && clause.namedBindings !== undefined &&
        ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every(e => e.isTypeOnly)))
      if (!typeOnly && ts.isStringLiteral(st.moduleSpecifier)) specs.push(st.moduleSpecifier.text)
    } else if (ts.isExportDeclaration(st) && !st.isTypeOnly && st.moduleSpecifier !== undefined && ts.isStringLiteral(st.moduleSpecifier)) {
      specs.push(st.moduleSpecifier.text)
    }
  }
  return specs.filter(s => s.startsWith('.')).map(s => resolve(dirname(file), s.replace(/\.js$/, '.ts')))
}

function loadedBy (entry: string): Set<string> {
  const seen = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.pop() as string
    if (seen.has(file)) continue
    expect(existsSync(file), `${relative(ROOT, file)} exists`).toBe(true)
    seen.add(file)
    queue.push(...valueImports(file))
  }
  return new Set([...seen].map(f => relative(ROOT, f)))
}

describe('desktop process model', () => {
  it('keeps the engine out of the main process: its imports reach the supervisor, not the node', () => {
    const loaded = loadedBy(join(ROOT, 'main/electron/main.ts'))
    expect(loaded).toContain('main/electron/engine-process.ts')
    expect(loaded).toContain('main/core/app/engine-supervisor.ts')
    for (const engine of ['main/core/node/swarm-node.ts', 'main/core/app/app-service.ts', 'main/core/app/engine-host.ts', 'main/core/app/engine-host-main.ts']) {
      expect(loaded, engine).not.toContain(engine)
    }
    // Of core, the main process loads the supervisor and the small file writer of its own prefs.
    expect([...loaded].filter(f => f.startsWith('main/core/') && !f.startsWith('main/core/store/'))).toEqual(['main/core/app/engine-supervisor.ts'])
  })

  it('starts the host entry that the build writes and the package ships', () => {
    const loaded = loadedBy(join(ROOT, 'main/core/app/engine-host-main.ts'))
    expect(loaded).toContain('main/core/node/swarm-node.ts')
    expect(loaded).toContain('main/core/app/app-service.ts')
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }
    expect(build.include).toContain('main/core/**/*.ts')
    expect(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')).toMatch(/^ {2}- dist\/\*\*$/m)
  })
})
