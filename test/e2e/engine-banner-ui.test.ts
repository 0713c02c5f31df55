// The desktop window once its engine process was given up on, end to end but for Electron itself:
// the real supervisor drives real engine host processes (forked from source, as engine-host.test.ts
// does), and its states reach the real renderer build in Chromium at 800 px through a stand-in for
// the preload (page.exposeFunction carries the window's commands to the supervisor, page.evaluate
// its states to the window). Two quick crashes make the supervisor give up: the window says so,
// with "Try again" in reach; pressed, it starts a host that now starts, and the banner goes.
// Screenshots in docs/screenshots.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import type { AppState } from '../../common/api.js'
import type { EngineLaunch } from '../../common/engine-host-messages.js'
import { EngineSupervisor } from '../../main/core/app/engine-supervisor.js'
import { forkEngineHost } from '../../main/core/app/forked-engine.js'
import { labFixture } from '../multi/lab-fixture.js'
import { labChromium } from './lab-chromium.js'
import { openWindow, pushState, serveRenderer } from './renderer-page.js'
import { chromiumMissing, screenshot } from './ui-lab.js'

const ENTRY = resolve('main/core/app/engine-host-main.ts')
const SHOTS = resolve('docs/screenshots')

const banner = (page: Page) => page.locator('[data-testid="engine-status"]')

describe.skipIf(chromiumMissing() !== undefined)('the desktop window when its engine was given up on', () => {
  const browser = labChromium(labFixture(1, 'ebanner'))
  const dataDir = mkdtempSync(join(tmpdir(), 'sd-banner-'))
  let supervisor: EngineSupervisor | undefined
  afterAll(async () => {
    await supervisor?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('says so at 800 px with Try again in reach, and Try again brings the engine back', async () => {
    // Host 0 runs; host 1 (the first restart) refuses its settings and exits, a cause then mended.
    let spawned = 0
    const launch = (n: number): EngineLaunch => n === 1
      ? { dataDir, settings: { btPort: 0, controlPort: 0, name: 'desk-01', accept: 'nobody' } }
      : { dataDir, settings: { btPort: 0, controlPort: 0, name: 'desk-01' } }
    const pids: number[] = []
    const s = new EngineSupervisor(() => forkEngineHost(launch(spawned++), { entry: ENTRY, execArgv: ['--import', 'tsx'], onPid: pid => pids.push(pid) }),
      { backoffMs: [200], maxCrashes: 2, onWarning: () => {} })
    supervisor = s
    const first = await s.start()
    if (!first.ok) throw new Error(first.error.message)

    const page = await browser.newPage({ width: 800, height: 600 })
    await serveRenderer(page)
    const asked: unknown[] = []
    await page.exposeFunction('sdRestartEngine', async () => {
      const answer = await s.execute({ type: 'restart-engine' })
      asked.push(answer)
      return answer
    })
    // Every state the supervisor has, in order, as the preload would deliver it.
    let chain = Promise.resolve()
    const deliver = (st: AppState): void => { chain = chain.then(() => pushState(page, st)).catch(() => {}) }
    await openWindow(page)
    s.subscribe(deliver)
    deliver(s.state())
    await page.getByText('desk-01').first().waitFor({ timeout: 15_000 })
    expect(await banner(page).count()).toBe(0)

    // The engine dies; its restart exits at once: given up.
    process.kill(pids[0] ?? 0, 'SIGKILL')
    await page.locator('[data-testid="engine-status"][data-status="failed"]').waitFor({ timeout: 30_000 })
    const text = await banner(page).textContent()
    expect(text).toContain('The engine is not running. The engine stopped 2 times in a row soon after starting')
    expect(text).toContain('try again once that is mended, or quit and open Swarmdrop again.')
    const retry = page.locator('[data-testid="engine-retry"]')
    expect(await retry.textContent()).toBe('Try again')
    // In reach at 800 px: the button inside the window, nothing pushed sideways.
    const box = await retry.boundingBox()
    expect(box).not.toBeNull()
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(800)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800)
    await screenshot(page, SHOTS, 'engine-given-up-800-light')

    await retry.click()
    await page.locator('[data-testid="engine-status"][data-status="restarting"]').waitFor({ timeout: 10_000 })
    expect(await banner(page).textContent()).toContain('Starting the engine again, as asked.')
    await banner(page).waitFor({ state: 'detached', timeout: 30_000 })
    expect(asked).toEqual([{ ok: true, value: {} }])
    expect(s.status()).toBe('running')
    expect(pids).toHaveLength(3)
  }, 90_000)
})
