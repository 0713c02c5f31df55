// One identity on two machines, in the window (agent --ui), end to end: host 1 starts with a copy
// of host 0's identity.json. The original's window says in a notice which other address answers
// for its id and what to do; a third machine's Machines view lists the id once, with both
// addresses, a tag and the sentence why nothing is sent to it, and its send panel will not tick it.
// Checked in the windows' text, and photographed at 800 px (docs/screenshots/cloned-identity-*-800-light.png).
import { copyFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabAgent } from '../multi/lab-agent.js'
import { labFixture } from '../multi/lab-fixture.js'
import { testId } from './ui-actions.js'
import { chromiumMissing, openUi, screenshotAt800, uiUrlOf, type HostBrowser } from './ui-lab.js'

const SHOTS = resolve('docs/screenshots')
const fx = labFixture([{ name: 'lab-a' }, { name: 'lab-b' }, { name: 'lab-c' }], 'e2e-cloned')
const browsers: HostBrowser[] = []
let original: Page
let third: Page
let a: LabAgent

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

async function textUntil (p: Page, id: string, done: (text: string) => boolean, ms: number): Promise<string> {
  const deadline = Date.now() + ms
  let text = ''
  while (Date.now() < deadline) {
    const el = testId(p, id)
    text = (await el.count()) > 0 ? (await el.textContent()) ?? '' : ''
    if (done(text)) break
    await p.waitForTimeout(300)
  }
  return text
}

describe.skipIf(chromiumMissing() !== undefined)('one identity on two machines, in the window', () => {
  beforeAll(async () => {
    a = fx.agent(0, 'lab-a', 'all', ['--ui'])
    await a.start(60_000)
    await sleep(1_500)
    mkdirSync(join(fx.work, 'd1'), { recursive: true })
    copyFileSync(join(fx.work, 'd0', 'identity.json'), join(fx.work, 'd1', 'identity.json'))
    await fx.agent(1, 'lab-b').start(60_000)
    const c = fx.agent(2, 'lab-c', 'all', ['--ui'])
    await c.start(60_000)
    const ui0 = await openUi(fx, 0, await uiUrlOf(a))
    browsers.push(ui0)
    original = ui0.page
    const ui2 = await openUi(fx, 2, await uiUrlOf(c))
    browsers.push(ui2)
    third = ui2.page
  }, 150_000)

  afterAll(async () => {
    for (const b of browsers) await b.close()
  })

  it('the device itself says which other address answers for its id and what to do', async () => {
    const text = await textUntil(original, 'device-notice', t => t.includes('answers for this device'), 15_000)
    expect(text).toContain(`Another machine, at ${fx.host(1).ip}, answers for this device's id`)
    expect(text).toContain(`move its ${join(fx.work, 'd0', 'identity.json')} aside so it makes a new identity at its next start`)
    await screenshotAt800(original, SHOTS, 'cloned-identity-self-800-light')
  }, 60_000)

  it('a third machine lists the id once, with both addresses and why nothing is sent to it', async () => {
    await testId(third, 'nav-machines').click()
    const [ipA, ipB] = [fx.host(0).ip, fx.host(1).ip].sort() as [string, string]
    const problem = await textUntil(third, 'twin-problem-lab-a', t => t.includes('answers from'), 20_000)
    const problemB = problem === '' ? await textUntil(third, 'twin-problem-lab-b', t => t.includes('answers from'), 5_000) : ''
    expect(`${problem}${problemB}`).toContain(`answers from ${ipA} and ${ipB}, each holding its device key`)
    const rows = await third.locator('.machine-list > li').allTextContents()
    const twinRows = rows.filter(r => r.includes('2 machines, one id'))
    expect(twinRows).toHaveLength(1)
    expect(twinRows[0]).toContain(`${ipA} and ${ipB}`)
    await screenshotAt800(third, SHOTS, 'cloned-identity-machines-800-light')
    // The notice on this machine says the same.
    const notice = await textUntil(third, 'device-notice', t => t.includes('answers from'), 5_000)
    expect(notice).toContain('two machines share one identity')
  }, 60_000)

  it('a third machine\'s send panel will not tick the id, and says why on its row', async () => {
    // A fresh load opens on the send panel (no file yet): machines can be ticked there.
    await third.reload()
    const boxes = third.locator('.send .machine-list input[type="checkbox"]')
    await expect.poll(async () => await boxes.count(), { timeout: 15_000 }).toBeGreaterThan(0)
    const twinRow = third.locator('.send .machine-list > li', { hasText: '2 machines, one id' })
    await twinRow.waitFor({ timeout: 15_000 })
    expect(await twinRow.count()).toBe(1)
    expect(await twinRow.locator('input[type="checkbox"]').isDisabled()).toBe(true)
    expect(await twinRow.textContent()).toContain('two machines share one identity')
    // "All online" leaves it out; with no other machine online it is disabled, as Send is.
    const allOnline = testId(third, 'select-all-online')
    if (await allOnline.isEnabled()) await allOnline.click()
    expect(await twinRow.locator('input[type="checkbox"]').isChecked()).toBe(false)
    expect(await testId(third, 'send-button').isDisabled()).toBe(true)
    await screenshotAt800(third, SHOTS, 'cloned-identity-send-800-light')
  }, 60_000)
})
