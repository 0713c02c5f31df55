// `npm run pack:agent`: the agent alone, for servers, as one npm tarball swarmdrop-agent-<version>.tgz
// that installs without Electron, without React and without the network:
//   npm install -g ./swarmdrop-agent-<version>.tgz && swarmdrop service install
// It holds the built agent, core and common (dist/), the web UI's build for `agent --ui`
// (renderer/dist), and a package.json with only the runtime dependencies the built code imports.
// Those are bundled (bundleDependencies) with the project's overrides and patches already applied:
// npm honours overrides only in a root project, never in a package installed with -g, so
// resolving them at the server's install would bring back what they replace. The engine's start-up
// check (core/engine/patch-check.ts) still refuses to run if a patch is not in.
import { execFileSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const outDir = process.argv[2] ?? root
const quiet = { stdio: ['ignore', 'ignore', 'inherit'] }

function die (message) {
  process.stderr.write(`pack:agent: ${message}\n`)
  process.exit(1)
}

for (const built of ['dist/main/agent/cli/swarmdrop.js', 'dist/main/core/version.js', 'renderer/dist/index.html']) {
  if (!existsSync(join(root, built))) die(`${built} is missing: run npm run build first`)
}

const stage = mkdtempSync(join(tmpdir(), 'swarmdrop-pack-'))
try {
  // The agent's code and what it reaches: no dist/main/electron, no preload.
  for (const part of ['dist/main/agent', 'dist/main/core', 'dist/common', 'renderer/dist', 'patches', 'README.md']) {
    cpSync(join(root, part), join(stage, part), { recursive: true })
  }
  for (const override of Object.values(project.overrides ?? {})) {
    if (typeof override === 'string' && override.startsWith('file:')) cpSync(join(root, override.slice(5)), join(stage, override.slice(5)), { recursive: true })
  }

  // Runtime dependencies: the project's dependencies the built code imports, nothing else.
  const imported = new Set()
  const walk = dir => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (p.endsWith('.js')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/(?:from|import\()\s*'((?:@[^/']+\/)?[^/'.][^/']*)/g)) imported.add(m[1])
      }
    }
  }
  walk(join(stage, 'dist'))
  const dependencies = Object.fromEntries(Object.entries(project.dependencies).filter(([name]) => imported.has(name)))
  const pkg = {
    name: project.name,
    version: project.version,
    description: `${project.description} The agent alone (command line, local API, web UI), for servers.`,
    license: project.license,
    type: 'module',
    engines: project.engines,
    bin: project.bin,
    dependencies,
    bundleDependencies: Object.keys(dependencies),
    overrides: project.overrides,
    allowScripts: Object.fromEntries(Object.entries(project.allowScripts ?? {}).filter(([name]) => name !== 'electron'))
  }
  writeFileSync(join(stage, 'package.json'), JSON.stringify(pkg, null, 2) + '\n')
  // The project's lock pins the same versions the tests ran with.
  cpSync(join(root, 'package-lock.json'), join(stage, 'package-lock.json'))
  execFileSync('npm', ['install', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: stage, ...quiet })

  // A file: override is installed as a symlink, which a tarball does not carry: make it a copy.
  const modules = join(stage, 'node_modules')
  for (const name of readdirSync(modules)) {
    const p = join(modules, name)
    if (lstatSync(p).isSymbolicLink()) {
      const source = project.overrides?.[name]
      if (typeof source !== 'string' || !source.startsWith('file:')) die(`node_modules/${name} is a link (to ${readlinkSync(p)}) that is no file: override`)
      rmSync(p)
      cpSync(join(stage, source.slice(5)), p, { recursive: true })
    }
  }
  if (existsSync(join(modules, 'electron'))) die('electron ended up in the agent package')

  // The patches, applied once here to the bundled copies.
  execFileSync(process.execPath, [join(root, 'node_modules/patch-package/index.js'), '--error-on-fail'], { cwd: stage, ...quiet })

  execFileSync('npm', ['pack', '--pack-destination', stage, '--loglevel=error'], { cwd: stage, ...quiet })
  const packed = join(stage, `${pkg.name}-${pkg.version}.tgz`)
  const out = join(outDir, `swarmdrop-agent-${pkg.version}.tgz`)
  copyFileSync(packed, out)
  process.stdout.write(`${relative(process.cwd(), out) || out} (${(statSync(out).size / 1e6).toFixed(1)} MB): npm install -g ./${`swarmdrop-agent-${pkg.version}.tgz`}, then swarmdrop service install\n`)
} finally {
  rmSync(stage, { recursive: true, force: true })
}
