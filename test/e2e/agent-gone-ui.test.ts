// The web UI when its agent goes and comes back, as an operator meets it: a real agent with --ui in
// a lab namespace, Chromium on its page. Killed (SIGKILL) or stopped (SIGTERM), the agent's socket
// closes at once; the window said so only at its next heartbeat, up to 5 s later. It now says so
// within a second, and which of the two it was (a stopping agent says goodbye), keeps saying the
// same (a changing alert is read out again), and says when the agent is back, with the state it
// then sends. At 800 px light and wide dark; screenshots in
// docs/screenshots.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { labFixture } from '../multi/lab-fixture.js'
import { testId } from './ui-actions.js'
import { chromiumMissing, openUi, screenshot, uiUrlOf, type HostBrowser } from './ui-lab.js'

const SHOTS = resolve('docs/screenshots')
const SAID_AT_ONCE_MS = 1000
const KILLED = 'The connection broke without a goodbye: the agent was killed or crashed.'
const STOPPED = 'The agent was stopped (Ctrl-C, SIGTERM or its service).'

/** Ms from now until the lost-connection banner is shown (fails after `timeoutMs`). */
async function msUntilBanner (page: Page, timeoutMs: number): Promise<number> {
  const t0 = Date.now()
  await testId(page, 'connection-lost').waitFor({ timeout: timeoutMs })
  return Date.now() - t0
}

describe.skipIf(chromiumMissing() !== undefined)('the web UI when its agent is killed or stopped, and back', () => {
  const fx = labFixture(1, 'kb-gone')
  let ui: HostBrowser | undefined
  afterAll(async () => { await ui?.close() })

  it('says so within a second, the same words until it is back, and then that it is back', async () => {
    const agent = fx.agent(0, 'kb-01', 'all', ['--ui'])
    await agent.start()
    ui = await openUi(fx, 0, await uiUrlOf(agent))
    const page = ui.page
    await page.setViewportSize({ width: 800, height: 900 })
    await testId(page, 'self').waitFor({ timeout: 15_000 })
    expect(await testId(page, 'connection-lost').count()).toBe(0)

    // Killed: no goodbye, the socket just closes.
    await agent.kill()
    expect(await msUntilBanner(page, SAID_AT_ONCE_MS)).toBeLessThan(SAID_AT_ONCE_MS)
    const alert = testId(page, 'connection-lost-alert')
    expect(await alert.textContent()).toBe(`Lost the connection to Swarmdrop. ${KILLED} This window reconnects by itself once it runs again.`)
    // Nothing on screen reads as live: the rates are dashes.
    expect(await testId(page, 'rate-up').textContent()).toContain('—')
    await screenshot(page, SHOTS, 'agent-killed-800-light')
    // A heartbeat (every 5 s) that finds the link down does not reword the alert.
    await page.waitForTimeout(5_500)
    expect(await alert.textContent()).toContain(KILLED)

    // Back: the banner goes within the bridge's 2 s retry, and the window says it is back.
    await agent.start()
    await testId(page, 'connection-lost').waitFor({ state: 'detached', timeout: 5_000 })
    expect(await testId(page, 'notice').textContent()).toMatch(/^Connected to kb-01 again \(lost for 0:\d\d\)\. What you see is current\.$/)
    expect(await testId(page, 'rate-up').textContent()).not.toContain('—')
    await screenshot(page, SHOTS, 'agent-back-800-light')

    // Stopped gracefully, on a wide window in the dark: the same, at once.
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.setViewportSize({ width: 1280, height: 800 })
    await agent.stop()
    expect(await msUntilBanner(page, SAID_AT_ONCE_MS)).toBeLessThan(SAID_AT_ONCE_MS)
    expect(await alert.textContent()).toBe(`Lost the connection to Swarmdrop. ${STOPPED} This window reconnects by itself once it runs again.`)
    // The notice that it was back, seconds ago, is no longer true: gone with the link.
    expect(await testId(page, 'notice').count()).toBe(0)
    await screenshot(page, SHOTS, 'agent-stopped-wide-dark')
    await agent.start()
    await testId(page, 'connection-lost').waitFor({ state: 'detached', timeout: 5_000 })
    expect(await testId(page, 'notice').textContent()).toMatch(/^Connected to kb-01 again/)
    await screenshot(page, SHOTS, 'agent-back-wide-dark')
  }, 90_000)
})
