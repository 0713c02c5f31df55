// Names that come from other machines are theirs to choose: up to 64 characters, with no space to
// break at; file names may be near 255 bytes. The real renderer build in Chromium (a stand-in for the preload gives it the state, see
// renderer-page.ts), at 800 and 640 px: a distribution sent to machines with such names, and an
// offer from one, the machines list and the incoming offers must not push the page sideways, and
// the machine table must keep its rate and ETA columns in view rather than scroll them off (the
// first run: the name column took the width, the other columns 497 px out of view, and the send
// panel's list pushed the page 30 px sideways). A screenshot at 640 px is kept.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppState, Machine } from '../../common/api.js'
import { appState, machine, originDistribution } from '../../renderer/src/test/fixtures.js'
import { labFixture } from '../multi/lab-fixture.js'
import { labChromium } from './lab-chromium.js'
import { overflow, testId } from './ui-actions.js'
import { openWindow, pushState, serveRenderer } from './renderer-page.js'
import { chromiumMissing, screenshot } from './ui-lab.js'

const SHOTS = resolve('docs/screenshots')
/** The longest name a device may announce, with nothing to break at. */
const LONG = 'lab-' + 'w'.repeat(60)
const LONGER = 'render-node-' + 'x9'.repeat(26)
/** A file name near the 255 bytes a file system takes, with nothing to break at. */
const LONG_FILE = 'capture_' + '0123456789abcdef'.repeat(14) + '.iso'

/** The fixture's swarm and offer, its machines renamed to long names. */
function longNamed (): AppState {
  const base = appState()
  const names = new Map<string, string>([['lab-01', LONG], ['lab-02', LONGER], ['lab-03', LONG.replace('lab-', 'lab3')]])
  const rename = <T extends { readonly name: string }>(x: T): T => ({ ...x, name: names.get(x.name) ?? x.name })
  const dist = originDistribution()
  const machines: Machine[] = base.machines.map(rename)
  return {
    ...base,
    machines: [...machines, machine(12, { name: LONGER + 'z' })],
    distributions: [{ ...dist, name: LONG_FILE, path: `/srv/images/${LONG_FILE}`, members: dist.members.map(rename) }, ...base.distributions.slice(1)],
    offers: base.offers.map(o => ({ ...o, name: LONG_FILE, sender: rename(o.sender) }))
  }
}

/** How far the machine table's scroller would have to scroll sideways (≤ 0: it fits). */
async function tableOverflow (page: Page): Promise<number> {
  return await page.evaluate(() => {
    const el = document.querySelector('[data-testid="members"]')?.parentElement
    return el === null || el === undefined ? -1 : el.scrollWidth - el.clientWidth
  })
}

describe.skipIf(chromiumMissing() !== undefined)('machine names as long as a device may make them', () => {
  const browser = labChromium(labFixture(1, 'longnames'))

  it('fit 800 and 640 px: nothing pushed sideways, rate and ETA in view', async () => {
    const page = await browser.newPage({ width: 800, height: 900 })
    await serveRenderer(page)
    await openWindow(page)
    await pushState(page, longNamed())
    await page.getByText(LONG).first().waitFor({ timeout: 15_000 })
    for (const width of [800, 640]) {
      await page.setViewportSize({ width, height: 900 })
      await page.waitForTimeout(300)
      const o = await overflow(page)
      expect(Math.max(o.main, o.card, o.body), `page at ${width} px`).toBeLessThanOrEqual(0)
      expect(await tableOverflow(page), `machine table at ${width} px`).toBeLessThanOrEqual(0)
      const eta = await testId(page, `member-eta-${LONGER}`).boundingBox()
      expect((eta?.x ?? 0) + (eta?.width ?? 0), `ETA column at ${width} px`).toBeLessThanOrEqual(width)
    }
    // The title keeps to three lines at 640 px (it took seven), with the name's end (its extension)
    // in view and the whole name in its tooltip.
    const title = testId(page, 'dist-title-text')
    expect(await title.getAttribute('title')).toBe(LONG_FILE)
    expect(await title.textContent()).toMatch(/^capture_0123.*….*abcdef\.iso$/)
    const lines = await title.evaluate(el => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)))
    expect(lines).toBeLessThanOrEqual(3)
    await screenshot(page, SHOTS, 'long-names-640-light')
    // The machines list and an offer from such a machine, at 640 px (the sidebar folded: the menu
    // opens it).
    for (const view of ['nav-machines', 'nav-incoming']) {
      await testId(page, 'menu-toggle').click()
      await testId(page, view).click()
      await page.waitForTimeout(300)
      const o = await overflow(page)
      expect(Math.max(o.main, o.body), `${view} at 640 px`).toBeLessThanOrEqual(0)
    }
  }, 60_000)
})
