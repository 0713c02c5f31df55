// Servers install the agent alone: `npm run pack:agent` (scripts/pack-agent.mjs, on the built
// dist/) makes swarmdrop-agent-<version>.tgz; it installs with `npm install -g` into a temp
// prefix offline (its dependencies are bundled, overrides and patches applied), holds no Electron
// and no React, and the installed `swarmdrop` answers --version and --help, writes its service
// unit with its own path, and runs an agent whose start-up patch check passes.
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const project = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; scripts: Record<string, string> }
const work = mkdtempSync(join(tmpdir(), 'swarmdrop-pack-test-'))
const prefix = join(work, 'prefix')
const tarball = join(work, `swarmdrop-agent-${project.version}.tgz`)
const installed = join(prefix, 'lib/node_modules/swarmdrop')
const bin = join(prefix, 'bin/swarmdrop')

/** Every folder called `name` under `dir` (a package wherever npm put it). */
function foldersNamed (dir: string, name: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const p = join(dir, entry.name)
    if (entry.name === name) found.push(p)
    foldersNamed(p, name, found)
  }
  return found
}

describe('the agent alone, packed for servers', () => {
  beforeAll(async () => {
    if (!existsSync('dist/main/agent/cli/swarmdrop.js')) throw new Error('dist/ is missing: run npm run build first')
    await run(process.execPath, [resolve('scripts/pack-agent.mjs'), work], { timeout: 300_000 })
    await run('npm', ['install', '--global', '--prefix', prefix, tarball, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { timeout: 300_000 })
  }, 600_000)

  afterAll(() => { rmSync(work, { recursive: true, force: true }) })

  it('is made by npm run pack:agent after a build', () => {
    expect(project.scripts['pack:agent']).toBe('npm run build && node scripts/pack-agent.mjs')
    expect(statSync(tarball).size).toBeGreaterThan(1e6)
  })

  it('installs offline a swarmdrop command that answers --version and --help', async () => {
    expect((await run(bin, ['--version'])).stdout).toBe(`${project.version}\n`)
    const help = (await run(bin, ['--help'])).stdout
    expect(help).toMatch(/^ {2}agent +Runs this machine's agent/m)
    expect(help).toMatch(/^ {2}service +Installs or removes the agent as a service/m)
  })

  it('holds no Electron and no React, only the runtime dependencies the agent imports', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies?: unknown }
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['bonjour-service', 'webtorrent', 'ws'])
    expect(pkg.devDependencies).toBeUndefined()
    const modules = join(installed, 'node_modules')
    expect(foldersNamed(modules, 'electron')).toEqual([])
    expect(foldersNamed(modules, 'react')).toEqual([])
    expect(existsSync(join(installed, 'dist/main/electron'))).toBe(false)
    // The web UI's build is there for `agent --ui`.
    expect(existsSync(join(installed, 'renderer/dist/index.html'))).toBe(true)
    // The override is a real folder, not a link to a folder the package does not carry.
    expect(readFileSync(join(modules, 'webrtc-polyfill/package.json'), 'utf8')).toContain('0.0.0-swarmdrop')
  })

  it('writes its service unit with the installed path', async () => {
    const unit = (await run(bin, ['service', 'install', '--system', '--dry-run', '--platform', 'linux', '--accept', 'trusted'])).stdout
    expect(unit).toContain(`ExecStart=${process.execPath} ${join(installed, 'dist/main/agent/cli/swarmdrop.js')} agent --data-dir /var/lib/swarmdrop`)
  })

  it('runs an agent: the engine starts, so every patch it relies on is in', async () => {
    const data = join(work, 'data')
    const child = spawn(bin, ['agent', '--data-dir', data, '--control-port', '0', '--bt-port', '0', '--name', 'packed', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
    const lines = createInterface({ input: child.stdout })
    const listening = await new Promise<Record<string, unknown> | undefined>(resolve => {
      const timer = setTimeout(() => resolve(undefined), 30_000)
      lines.on('line', line => {
        const event = JSON.parse(line) as Record<string, unknown>
        if (event.event === 'listening') { clearTimeout(timer); resolve(event) }
      })
      child.once('exit', () => { clearTimeout(timer); resolve(undefined) })
    })
    const exited = new Promise<number | null>(resolve => {
      if (child.exitCode !== null) resolve(child.exitCode)
      else child.once('exit', code => resolve(code))
    })
    // The agent listens for its stop signals before it prints "listening": stop it at once.
    child.kill('SIGTERM')
    const code = await Promise.race([exited, new Promise<string>(resolve => setTimeout(() => resolve('no exit in 20 s'), 20_000))])
    if (code === 'no exit in 20 s') child.kill('SIGKILL')
    expect(listening, stderr).toMatchObject({ name: 'packed', dataDir: data })
    expect(code).toBe(0)
  }, 60_000)
})
