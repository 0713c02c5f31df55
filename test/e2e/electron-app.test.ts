// The built desktop app under Playwright's Electron mode: isolation of the page, the tray,
// close-to-tray while seeding, and Quit. Needs an Electron binary, which this project cannot
// download offline: without one every test is skipped and says why.
//
// The app runs inside a lab namespace (its node announces itself by mDNS and must not do so on
// the host's network). Playwright reaches its debugging ports through relays: a TCP listener in
// the test's namespace → a Unix socket (shared by all namespaces) → the port inside the lab.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, connect, type Server } from 'node:net'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { ChildProcess } from 'node:child_process'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiResult, AppState, SwarmdropApi } from '../../common/api.js'
import { labFixture } from '../multi/lab-fixture.js'
import { startRelay } from '../agent/ui-client.js'

const ROOT = resolve('.')
const SKIP_REASON = 'Electron binary not installed (no internet to download it): set ELECTRON_OVERRIDE_DIST_PATH to run these'

/** The Electron executable `require('electron')` would give, or null when none is installed. */
function electronBinary (): string | null {
  const pathTxt = join(ROOT, 'node_modules', 'electron', 'path.txt')
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (!override && !existsSync(pathTxt)) return null
  const platformPath = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : 'electron'
  const binary = override ? join(override, platformPath) : join(ROOT, 'node_modules', 'electron', 'dist', platformPath)
  return existsSync(binary) ? binary : null
}

/** The page's global object as the preload leaves it (this file is type-checked without DOM). */
type PageGlobal = typeof globalThis & { swarmdrop?: SwarmdropApi }

const found = electronBinary()
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
const skipReason = found === null ? SKIP_REASON : noDisplay ? 'no display to open windows on: run under xvfb-run' : null
const binary = skipReason === null ? found : null
if (skipReason !== null) console.warn(`electron-app.test.ts: ${skipReason}`)

/** A TCP listener on 127.0.0.1 here that pipes every connection to a Unix socket. */
function forwardTo (socketPath: string): Promise<Server> {
  return new Promise((resolvePort, reject) => {
    const server = createServer(c => {
      const u = connect(socketPath)
      c.pipe(u)
      u.pipe(c)
      c.on('error', () => u.destroy())
      u.on('error', () => c.destroy())
    })
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolvePort(server))
  })
}

function portOf (server: Server): number {
  const a = server.address()
  if (a === null || typeof a === 'string') throw new Error('forwarder has no port')
  return a.port
}

/**
 * The executable Playwright launches: enters the lab namespace and pins the debugging ports it
 * asks for as 0 to the ones the relays serve.
 */
function writeLauncher (path: string, ns: string, electron: string, inspectPort: number, devtoolsPort: number): void {
  writeFileSync(path, [
    '#!/bin/sh',
    'for a do',
    '  shift',
    '  case "$a" in',
    `    --inspect=0) set -- "$@" "--inspect=127.0.0.1:${inspectPort}" ;;`,
    `    --remote-debugging-port=0) set -- "$@" "--remote-debugging-port=${devtoolsPort}" ;;`,
    '    *) set -- "$@" "$a" ;;',
    '  esac',
    'done',
    `exec ip netns exec '${ns}' '${electron}' "$@"`,
    ''
  ].join('\n'))
  chmodSync(path, 0o755)
}

describe.skipIf(binary === null)(`desktop app in Electron${skipReason === null ? '' : ` — skipped: ${skipReason}`}`, () => {
  const fx = labFixture(1, 'eapp')
  const servers: Server[] = []
  const relays: ChildProcess[] = []
  let app: ElectronApplication
  let page: Page
  let share = ''

  beforeAll(async () => {
    for (const part of ['dist/main/electron/main.js', 'dist/preload/preload.cjs', 'renderer/dist/index.html']) {
      if (!existsSync(join(ROOT, part))) throw new Error(`${part} is missing: run npm run build && npm run build:electron first`)
    }
    const host = fx.host(0)
    const sockets = [join(fx.work, 'inspect.sock'), join(fx.work, 'devtools.sock')] as const
    for (const s of sockets) servers.push(await forwardTo(s))
    const [inspect, devtools] = servers.map(portOf) as [number, number]
    relays.push(await startRelay(fx.lab, host, sockets[0], inspect, 120_000))
    relays.push(await startRelay(fx.lab, host, sockets[1], devtools, 120_000))
    const launcher = join(fx.work, 'launch-electron.sh')
    writeLauncher(launcher, host.ns, binary ?? '', inspect, devtools)

    const userData = join(fx.work, 'user-data')
    // Ports 0: the lab host is alone, but the defaults may be taken by an agent elsewhere.
    mkdirSync(join(userData, 'device'), { recursive: true })
    writeFileSync(join(userData, 'device', 'settings.json'), JSON.stringify({ name: 'e2e-desk', btPort: 0, controlPort: 0, downloadsDir: join(fx.work, 'downloads') }))
    share = join(fx.work, 'share.bin')
    writeFileSync(share, randomBytes(2 * 1024 * 1024))

    app = await _electron.launch({
      executablePath: launcher,
      args: [ROOT],
      env: { ...process.env, SWARMDROP_USER_DATA: userData, SWARMDROP_TEST_HOOKS: '1' } as Record<string, string>,
      timeout: 60_000
    })
    page = await app.firstWindow({ timeout: 60_000 })
    await page.waitForLoadState('domcontentloaded')
  }, 120_000)

  afterAll(async () => {
    if (app && app.process().exitCode === null) await app.close().catch(() => {})
    for (const r of relays) r.kill()
    for (const s of servers) s.close()
  }, 30_000)

  const state = async (): Promise<AppState> => {
    const r = await page.evaluate(() => (globalThis as PageGlobal).swarmdrop?.getState() ?? null) as ApiResult<AppState> | null
    if (r === null || !r.ok) throw new Error(`no state: ${JSON.stringify(r)}`)
    return r.value
  }

  it('opens the window with window.swarmdrop and without Node in the page', async () => {
    const seen = await page.evaluate(() => {
      const w = globalThis as unknown as Record<string, unknown>
      return { api: typeof w.swarmdrop, shell: (globalThis as PageGlobal).swarmdrop?.shell, require: typeof w.require, process: typeof w.process, module: typeof w.module }
    })
    expect(seen).toEqual({ api: 'object', shell: 'electron', require: 'undefined', process: 'undefined', module: 'undefined' })
    expect((await state()).self.name).toBe('e2e-desk')
  })

  it('has a tray icon with the rates in its tooltip', async () => {
    const tray = await app.evaluate(() => {
      const hooks = (globalThis as { swarmdropTestHooks?: { trayPresent (): boolean; trayTooltip (): string } }).swarmdropTestHooks
      return hooks ? { present: hooks.trayPresent(), tooltip: hooks.trayTooltip() } : null
    })
    expect(tray?.present).toBe(true)
    expect(tray?.tooltip).toMatch(/^Swarmdrop — ↑ .+ ↓ /)
  })

  it('hides to the tray when the window is closed while seeding, and shows again', async () => {
    const created = await app.evaluate(async (_electron, path) => {
      const hooks = (globalThis as { swarmdropTestHooks?: { execute (raw: unknown): Promise<unknown> } }).swarmdropTestHooks
      return hooks?.execute({ type: 'create', path })
    }, share)
    expect(created).toMatchObject({ ok: true })
    const deadline = Date.now() + 30_000
    while (!(await state()).distributions.some(d => d.state === 'seeding')) {
      if (Date.now() > deadline) throw new Error('the distribution never started seeding')
      await new Promise(r => setTimeout(r, 200))
    }
    await app.evaluate(({ BrowserWindow }) => { BrowserWindow.getAllWindows()[0]?.close() })
    await new Promise(r => setTimeout(r, 500))
    expect(app.process().exitCode).toBeNull()
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map(w => w.isVisible()))).toEqual([false])
    const shown = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0]
      w?.show()
      return w?.isVisible() ?? false
    })
    expect(shown).toBe(true)
  })

  it('runs the engine in a utility process of its own, and restarts it with its distribution when it dies', async () => {
    const enginePid = async (): Promise<number | null> => app.evaluate(({ app: electronApp }) =>
      electronApp.getAppMetrics().find(m => m.type === 'Utility' && m.serviceName === 'Swarmdrop engine')?.pid ?? null)
    const first = await enginePid()
    expect(first).not.toBeNull()
    expect(first).not.toBe(app.process().pid)
    const before = (await state()).distributions.map(d => d.infoHash)
    process.kill(first ?? 0, 'SIGKILL')
    const deadline = Date.now() + 60_000
    for (;;) {
      const now = await state()
      const pid = await enginePid()
      if (now.engine?.status === 'running' && pid !== null && pid !== first && before.every(h => now.distributions.some(d => d.infoHash === h && d.connections !== undefined))) break
      if (Date.now() > deadline) throw new Error(`the engine did not come back: ${JSON.stringify(now.engine)}`)
      await new Promise(r => setTimeout(r, 250))
    }
    // The main process (window, tray) lived through it.
    expect(app.process().exitCode).toBeNull()
  })

  it('ends the process on Quit', async () => {
    const exited = new Promise<number | null>(done => app.process().once('exit', code => done(code)))
    await app.evaluate(({ app: electronApp }) => { electronApp.quit() }).catch(() => {})
    const code = await Promise.race([exited, new Promise<'timeout'>(r => setTimeout(() => r('timeout'), 20_000))])
    expect(code).toBe(0)
  }, 30_000)
})
