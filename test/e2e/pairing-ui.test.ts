// "Add by address" in the window, end to end, against real agents on two subnets behind a router
// (mDNS does not cross it): the studio's window adds a far machine by address after two refusals an
// operator meets (an address where nothing listens, a port that is not Swarmdrop); the far machine
// is then killed with SIGKILL, comes back, and is finally replaced by another device (a new key)
// at the same address. Each state is checked in the window's text, not only photographed.
// Screenshots in docs/screenshots.
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForOutput } from '../lab/netns-lab.js'
import { SINK_SERVER } from '../lab/probe-scripts.js'
import { LabAgent } from '../multi/lab-agent.js'
import { CLI, labFixture } from '../multi/lab-fixture.js'
import { testId } from './ui-actions.js'
import { chromiumMissing, openUi, screenshot, uiUrlOf, type HostBrowser } from './ui-lab.js'

const SHOTS = resolve('docs/screenshots')
const fx = labFixture([{ name: 'studio' }, { name: 'far', subnet: 1 }], 'e2e-pairing')
const agents: LabAgent[] = []
let ui: HostBrowser | undefined

function page (): Page {
  if (!ui) throw new Error('the browser did not open')
  return ui.page
}

async function at800 (p: Page, name: string): Promise<void> {
  await p.setViewportSize({ width: 800, height: 700 })
  await p.waitForTimeout(300)
  const over = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  expect(over).toBeLessThanOrEqual(0)
  await screenshot(p, SHOTS, name)
  await p.setViewportSize({ width: 1280, height: 800 })
}

/**
 * Whether far-01's state (online, last seen) lies inside its row at `width` px: beside a pairing
 * problem it was once pushed out of view to the left.
 */
async function stateInRow (p: Page, width: number): Promise<boolean> {
  await p.setViewportSize({ width, height: 700 })
  await p.waitForTimeout(300)
  const row = await testId(p, 'known-far-01').boundingBox()
  const state = await p.locator('[data-testid="known-far-01"] .machine-flags .state').first().boundingBox()
  await p.setViewportSize({ width: 1280, height: 800 })
  if (row === null || state === null) return false
  return state.width > 0 && state.x >= row.x && state.x + state.width <= row.x + row.width + 0.5
}

async function pairText (p: Page, address: string): Promise<void> {
  await testId(p, 'pair-input').fill(address)
  await testId(p, 'pair-add').click()
}

/** The far machine's row in the Machines view, once `done` holds of its text (or its text at the deadline). */
async function rowUntil (p: Page, done: (text: string) => boolean, ms: number): Promise<string> {
  const deadline = Date.now() + ms
  let text = ''
  while (Date.now() < deadline) {
    const row = testId(p, 'known-far-01')
    text = (await row.count()) > 0 ? (await row.textContent()) ?? '' : ''
    if (done(text)) break
    await p.waitForTimeout(500)
  }
  return text
}

describe.skipIf(chromiumMissing() !== undefined)('adding a machine by address in the window', () => {
  beforeAll(async () => {
    agents.push(fx.agent(0, 'studio', 'all', ['--ui']), fx.agent(1, 'far-01'))
    for (const a of agents) await a.start(60_000)
    ui = await openUi(fx, 0, await uiUrlOf(agents[0] as LabAgent))
  }, 120_000)

  afterAll(async () => {
    await ui?.close()
  })

  it('says in one sentence why an address is refused: nothing listening, or not Swarmdrop', async () => {
    const p = page()
    await testId(p, 'nav-machines').click()
    await pairText(p, `${fx.host(1).ip}:7301`)
    await expect.poll(async () => await testId(p, 'pair-error').textContent(), { timeout: 15_000 }).toMatch(/^Cannot reach .*:7301 \(connection refused\)/)
    const sink = fx.lab.spawn(fx.host(1), process.execPath, ['-e', SINK_SERVER, '7300', '60000'])
    try {
      expect((await waitForOutput(sink, /listening/, 5_000)).ok).toBe(true)
      await pairText(p, `${fx.host(1).ip}:7300`)
      await expect.poll(async () => await testId(p, 'pair-error').textContent(), { timeout: 15_000 }).toMatch(/not a Swarmdrop device/)
      await at800(p, 'pair-refused-800-light')
    } finally {
      sink.kill('SIGTERM')
    }
  }, 60_000)

  it('adds the far machine, shows it lost when killed and online again when back', async () => {
    const p = page()
    await pairText(p, fx.host(1).ip)
    const added = await rowUntil(p, t => t.includes('online'), 15_000)
    expect(added).toContain('added by address')
    expect(added).toContain('online')
    const far = agents[1] as LabAgent
    await far.kill()
    const killedAt = Date.now()
    const gone = await rowUntil(p, t => !t.includes('online'), 90_000)
    console.log(`far-01 killed: the window stopped showing it online after ${((Date.now() - killedAt) / 1000).toFixed(1)} s; its row read: ${gone}`)
    await at800(p, 'pair-away-800-light')
    expect(gone).not.toMatch(/●\s*online/)
    expect(gone).toMatch(/Cannot reach .*47620/)
    for (const width of [1280, 800, 640]) expect(await stateInRow(p, width), `state in its row at ${width} px`).toBe(true)
    await far.start(60_000)
    const back = await rowUntil(p, t => t.includes('online'), 90_000)
    console.log(`far-01 restarted: its row read: ${back}`)
    expect(back).toContain('online')
  }, 240_000)

  it('refuses another device at the paired address and says so on the machine\'s row', async () => {
    const p = page()
    const far = agents[1] as LabAgent
    await far.stop()
    const other = new LabAgent({ lab: fx.lab, host: fx.host(1), cli: CLI, name: 'far-01', dataDir: join(fx.work, 'd1-other'), downloadsDir: join(fx.work, 'dl1-other') })
    try {
      await other.start(60_000)
      const problem = await rowUntil(p, t => /different device key/.test(t), 90_000)
      console.log(`another device at far-01's address: its row read: ${problem}`)
      await at800(p, 'pair-other-key-800-light')
      expect(problem).toMatch(/different device key/)
      expect(problem).not.toMatch(/●\s*online/)
      expect(await p.locator('[data-testid="known-far-01"] .machine-flags .state').first().textContent()).toMatch(/last seen/)
      for (const width of [1280, 800, 640]) expect(await stateInRow(p, width), `state in its row at ${width} px`).toBe(true)
    } finally {
      await other.stop()
    }
  }, 180_000)
})
