// Groups in the UI, end to end, in Chromium against real agents (three lab namespaces, the sender
// running `swarmdrop agent --ui`): a group made in Settings from the machines on the network; one
// of its machines switched off; a file sent by ticking the group in the send panel; the machine
// on the network verifies, the one away is shown waiting, not failed; started again, it gets the
// file with no second send. Settings and the send panel fit 800 px (no sideways overflow).
// Screenshots in docs/screenshots.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabAgent } from '../multi/lab-agent.js'
import { labFixture } from '../multi/lab-fixture.js'
import { peersOn } from '../multi/status-json.js'
import { chromiumMissing, openUi, patternBytes, uiUrlOf, type HostBrowser } from './ui-lab.js'

const MiB = 1024 * 1024
const SHOTS = resolve('docs/screenshots')
const fx = labFixture([{ name: 'sender' }, {}, {}], 'e2e-groups')
const agents: LabAgent[] = []
let ui: HostBrowser | undefined

const testId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`).first()

function page (): Page {
  if (!ui) throw new Error('the browser did not open')
  return ui.page
}

async function shot (p: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await p.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled', fullPage: true })
}

/** Widths the page and its main area would need, against what they have. */
async function overflow (p: Page): Promise<{ main: number; body: number }> {
  return await p.evaluate(() => {
    const over = (el: Element | null): number => el === null ? -1 : el.scrollWidth - el.clientWidth
    return { main: over(document.querySelector('main')), body: over(document.documentElement) }
  })
}

async function fitsAt800 (p: Page, name: string): Promise<void> {
  await p.setViewportSize({ width: 800, height: 900 })
  await p.waitForTimeout(300)
  const o = await overflow(p)
  expect(o.main).toBeLessThanOrEqual(0)
  expect(o.body).toBeLessThanOrEqual(0)
  await shot(p, name)
  await p.setViewportSize({ width: 1280, height: 800 })
}

describe.skipIf(chromiumMissing() !== undefined)('groups in the UI against real agents', () => {
  beforeAll(async () => {
    agents.push(fx.agent(0, 'studio', 'all', ['--ui']), fx.agent(1, 'lab-01'), fx.agent(2, 'lab-02'))
    for (const a of agents) await a.start()
    const sender = agents[0]
    if (!sender) throw new Error('no sender agent')
    ui = await openUi(fx, 0, await uiUrlOf(sender))
  }, 120_000)

  afterAll(async () => {
    await ui?.close()
  })

  it('makes a group in Settings from the machines on the network', async () => {
    const p = page()
    await testId(p, 'settings-button').click()
    await testId(p, 'group-new').click()
    await testId(p, 'group-name').fill('lab')
    await testId(p, 'group-member-lab-01').waitFor({ timeout: 30_000 })
    await testId(p, 'group-member-lab-02').waitFor({ timeout: 30_000 })
    await testId(p, 'group-member-lab-01').check()
    await testId(p, 'group-member-lab-02').check()
    await testId(p, 'group-editor').scrollIntoViewIfNeeded()
    await fitsAt800(p, 'group-editor-800-light')
    await testId(p, 'group-save').click()
    await expect.poll(async () => await testId(p, 'groups-status').textContent(), { timeout: 10_000 }).toBe('Saved @lab.')
    expect(await testId(p, 'group-lab').textContent()).toContain('2 machines, 2 online')
    await fitsAt800(p, 'groups-settings-800-light')
    // The CLI sees the same group, by id.
    const listed = await fx.cli(0, ['group', 'list', '--json'])
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toContain('"name":"lab"')
  }, 90_000)

  it('sends to the group picked in the send panel: one verifies, the one away waits, then gets it when back', async () => {
    const p = page()
    const lab2 = agents[2]
    if (!lab2) throw new Error('no lab-02 agent')
    await lab2.stop()
    await expect.poll(async () => (await peersOn(fx, 0, 10_000)).some(m => m.name === 'lab-02'), { timeout: 30_000, interval: 500 }).toBe(false)

    const dir = join(fx.work, 'on-sender')
    mkdirSync(dir, { recursive: true })
    const path = join(dir, 'weekly.img')
    const bytes = patternBytes(6 * MiB, 0x6a0b)
    writeFileSync(path, bytes)
    await testId(p, 'nav-send-path').click()
    await testId(p, 'path-input').fill(path)
    await testId(p, 'path-send').click()
    await testId(p, 'dist-weekly.img').waitFor({ timeout: 60_000 })
    await testId(p, 'dist-weekly.img').click()
    await testId(p, 'group-pick-lab').click()
    expect(await testId(p, 'send-button').textContent()).toBe('Send to 2 machines')
    expect(await testId(p, 'send-away-hint').textContent()).toContain('off the network')
    await fitsAt800(p, 'send-group-800-light')
    await testId(p, 'send-button').click()

    const stateOf = async (member: string): Promise<string> => (await testId(p, `member-${member}`).getAttribute('data-state')) ?? ''
    await expect.poll(async () => await stateOf('lab-01'), { timeout: 60_000, interval: 250 }).toBe('verified')
    expect(await stateOf('lab-02')).toBe('waiting')
    expect(await testId(p, 'member-state-lab-02').textContent()).toContain('gets it when back')
    await shot(p, 'group-waiting-light')

    await lab2.start()
    try {
      await expect.poll(async () => await stateOf('lab-02'), { timeout: 90_000, interval: 250 }).toBe('verified')
    } catch (err) {
      for (const a of agents) console.log(a.tail(60))
      throw err
    }
    const want = createHash('sha256').update(bytes).digest('hex')
    expect(createHash('sha256').update(readFileSync(join(fx.work, 'dl2', 'weekly.img'))).digest('hex')).toBe(want)
  }, 240_000)
})
