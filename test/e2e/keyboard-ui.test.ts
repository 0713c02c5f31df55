// The window with the keyboard only, in the real renderer build in Chromium (a stand-in for the
// preload gives it the state, see renderer-page.ts), as a screen reader user meets it at 800 px:
// the menu button opens the folded sidebar with the focus in it and Escape gives the focus back to
// the button (it opened with the focus left on the button, the sidebar still hidden by its
// fade-in, and closed with the focus lost to the page); while it covers the content, Tab and
// Shift+Tab go round inside it (they went on into the covered view); a view chosen in it, or with
// the top bar's Settings, puts the focus on that view's title, where a screen reader starts
// reading it (it went back to the menu button), with no ring drawn after a mouse click; an
// accepted offer's card leaves the
// focus on the view's title, not on nothing; Save with a wrong field puts the focus on it; the
// Stop sending… confirmation takes the focus and Escape gives it back; the notice is said through
// one status region that is always there (one added with its text is often not read out).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { appState, offer } from '../../renderer/src/test/fixtures.js'
import { labFixture } from '../multi/lab-fixture.js'
import { labChromium } from './lab-chromium.js'
import { openWindow, pushState, serveRenderer } from './renderer-page.js'
import { testId } from './ui-actions.js'
import { chromiumMissing, screenshot } from './ui-lab.js'

const DIST = 'ubuntu-24.04-server.iso'
const SHOTS = resolve('docs/screenshots')

/** The focused element's test id (or its tag), and whether a focus ring is drawn around it. */
async function focused (page: Page): Promise<{ readonly id: string; readonly ring: boolean }> {
  return await page.evaluate(() => {
    const el = document.activeElement
    if (el === null || el === document.body) return { id: 'BODY', ring: false }
    const style = getComputedStyle(el)
    return { id: el.getAttribute('data-testid') ?? el.id, ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 }
  })
}

/** Tabs until `id` has the focus (at most `max` presses), failing when it never does. */
async function tabTo (page: Page, id: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if ((await focused(page)).id === id) return
  }
  throw new Error(`${id} never took the focus in ${max} presses of Tab`)
}

/** Whether the main content is inert (covered by the open sidebar). */
async function mainInert (page: Page): Promise<boolean> {
  return await page.evaluate(() => document.querySelector('main')?.inert === true)
}

/** Whether the focus is inside the sidebar. */
async function inSidebar (page: Page): Promise<boolean> {
  return await page.evaluate(() => document.getElementById('sidebar')?.contains(document.activeElement) === true)
}

async function narrowWindow (page: Page): Promise<void> {
  await serveRenderer(page)
  await openWindow(page)
  await pushState(page, appState({ offers: [offer()] }))
  await testId(page, `dist-${DIST}`).waitFor({ state: 'attached', timeout: 15_000 })
}

describe.skipIf(chromiumMissing() !== undefined)('the window with the keyboard only', () => {
  const browser = labChromium(labFixture(1, 'keyboard'))

  it('opens the folded sidebar with the focus in it, gives it back to the menu button on Escape, and puts it on the chosen view\'s title', async () => {
    const page = await browser.newPage({ width: 800, height: 900 })
    await narrowWindow(page)
    await tabTo(page, 'menu-toggle')
    expect((await focused(page)).ring).toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused(page)).id).toBe(`dist-${DIST}`)
    expect((await focused(page)).ring).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(async () => (await focused(page)).id).toBe('menu-toggle')
    expect(await testId(page, 'menu-toggle').getAttribute('aria-expanded')).toBe('false')
    // A choice made with the keyboard: the sidebar folds and the focus lands on the view's title.
    await page.keyboard.press('Enter')
    await tabTo(page, 'nav-incoming', 10)
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused(page)).id).toBe('incoming-title')
    expect(await testId(page, 'menu-toggle').getAttribute('aria-expanded')).toBe('false')
    // The same for a distribution, for Machines, and for Settings in the top bar.
    await tabTo(page, 'menu-toggle')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused(page)).id).toBe(`dist-${DIST}`)
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused(page)).id).toBe('dist-title-text')
    await tabTo(page, 'menu-toggle')
    await page.keyboard.press('Enter')
    await tabTo(page, 'nav-machines', 10)
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused(page)).id).toBe('machines-title')
    await tabTo(page, 'settings-button')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused(page)).id).toBe('settings-title')
  }, 60_000)

  it('keeps Tab and Shift+Tab inside the open sidebar while it covers the content', async () => {
    const page = await browser.newPage({ width: 800, height: 900 })
    await narrowWindow(page)
    await tabTo(page, 'menu-toggle')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused(page)).id).toBe(`dist-${DIST}`)
    // What it covers is inert: a screen reader's browse mode does not read it either.
    expect(await mainInert(page)).toBe(true)
    // Round and round: more presses than there are controls in it, every one inside it.
    const seen = new Set<string>()
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab')
      expect(await inSidebar(page), `Tab ${i + 1} left the sidebar for ${(await focused(page)).id}`).toBe(true)
      seen.add((await focused(page)).id)
    }
    // It went round: through its last control (the file chooser) and on to the first again.
    expect(seen).toContain(`dist-${DIST}`)
    expect(seen).toContain('pick-file')
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Shift+Tab')
      expect(await inSidebar(page), `Shift+Tab ${i + 1} left the sidebar for ${(await focused(page)).id}`).toBe(true)
    }
    await screenshot(page, SHOTS, 'keyboard-sidebar-open-800')
    await page.keyboard.press('Escape')
    await expect.poll(async () => (await focused(page)).id).toBe('menu-toggle')
    expect((await focused(page)).ring).toBe(true)
    expect(await mainInert(page)).toBe(false)
    // Folded, Tab reaches the content again.
    await tabTo(page, 'open-folder', 60)
  }, 60_000)

  it('puts the focus on the chosen view\'s title after a mouse click too, without drawing a ring', async () => {
    for (const width of [800, 1200]) {
      const page = await browser.newPage({ width, height: 900 })
      await narrowWindow(page)
      if (width === 800) await testId(page, 'menu-toggle').click()
      await testId(page, 'nav-machines').click()
      await expect.poll(async () => (await focused(page)).id).toBe('machines-title')
      expect((await focused(page)).ring).toBe(false)
      if (width === 800) await testId(page, 'menu-toggle').click()
      await testId(page, `dist-${DIST}`).click()
      await expect.poll(async () => (await focused(page)).id).toBe('dist-title-text')
      expect((await focused(page)).ring).toBe(false)
      await screenshot(page, SHOTS, `view-title-focused-by-mouse-${width}`)
      await page.close()
    }
  }, 60_000)

  it('leaves the focus on the view\'s title once an accepted offer\'s card has gone', async () => {
    const page = await browser.newPage({ width: 800, height: 900 })
    await narrowWindow(page)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await tabTo(page, 'nav-incoming', 10)
    await page.keyboard.press('Enter')
    await tabTo(page, `accept-${offer().name}`)
    await page.keyboard.press('Enter')
    await expect.poll(async () => await testId(page, `offer-${offer().name}`).count()).toBe(0)
    await expect.poll(async () => (await focused(page)).id).toBe('incoming-title')
  }, 60_000)

  it('puts the focus on the first wrong field when Save finds a problem', async () => {
    const page = await browser.newPage({ width: 800, height: 900 })
    await narrowWindow(page)
    await tabTo(page, 'settings-button')
    await page.keyboard.press('Enter')
    await tabTo(page, 'settings-upload-limit')
    await page.keyboard.type('x')
    await tabTo(page, 'settings-download-limit', 2)
    await page.keyboard.type('-1')
    await tabTo(page, 'settings-save')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused(page)).id).toBe('settings-upload-limit')
    expect(await testId(page, 'settings-upload-limit').getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#settings-upload-limit-error').getAttribute('role')).toBe('alert')
  }, 60_000)

  it('moves the focus into the Stop sending… confirmation and back to its button on Escape', async () => {
    const page = await browser.newPage({ width: 1200, height: 900 })
    await serveRenderer(page)
    await openWindow(page)
    await pushState(page, appState())
    await testId(page, 'remove-button').waitFor({ timeout: 15_000 })
    await tabTo(page, 'remove-button')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused(page)).id).toBe('remove-keep')
    await page.keyboard.press('Shift+Tab')
    expect((await focused(page)).id).toBe('remove-confirm')
    await page.keyboard.press('Escape')
    await expect.poll(async () => (await focused(page)).id).toBe('remove-button')
    expect(await testId(page, 'remove-dialog').count()).toBe(0)
  }, 60_000)

  it('says a notice through a status region that was there before it', async () => {
    const page = await browser.newPage({ width: 1200, height: 900 })
    await serveRenderer(page)
    await openWindow(page)
    await pushState(page, appState())
    const region = testId(page, 'message-status')
    await region.waitFor({ state: 'attached', timeout: 15_000 })
    expect(await region.getAttribute('role')).toBe('status')
    // Tick a machine and send with the keyboard: the notice appears inside that same region.
    await page.evaluate(() => { document.querySelector('[data-testid="message-status"]')?.setAttribute('data-seen', '1') })
    await tabTo(page, 'machine-lab-09', 60)
    await page.keyboard.press('Space')
    await tabTo(page, 'send-button', 5)
    await page.keyboard.press('Enter')
    await testId(page, 'notice').waitFor({ timeout: 5_000 })
    expect(await page.locator('[data-seen="1"] [data-testid="notice"]').count()).toBe(1)
  }, 60_000)
})
