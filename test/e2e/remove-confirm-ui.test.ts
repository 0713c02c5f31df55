// The confirmation before a distribution leaves this device, in the real renderer build in Chromium
// (a stand-in for the preload gives it the state, see renderer-page.ts): on the origin while
// machines are still receiving ("Stop sending"), and for a verified copy received here with a file
// name near 255 bytes ("Remove", its file to delete too or not), at 800 px light and 640 px dark.
// The dialog takes the focus, says its figures, must not push the page sideways, and Escape gives
// the focus back to its button. Screenshots of both are kept in docs/screenshots.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppState, Distribution } from '../../common/api.js'
import { appState, originDistribution, recipientDistribution } from '../../renderer/src/test/fixtures.js'
import { labFixture } from '../multi/lab-fixture.js'
import { labChromium } from './lab-chromium.js'
import { openWindow, pushState, serveRenderer } from './renderer-page.js'
import { overflow, testId } from './ui-actions.js'
import { chromiumMissing, screenshot } from './ui-lab.js'

const SHOTS = resolve('docs/screenshots')
/** A file name near the 255 bytes a file system takes, with nothing to break at. */
const LONG_FILE = 'capture_' + '0123456789abcdef'.repeat(14) + '.iso'

/** The fixture's ISO sent from this device, lab-02 and lab-03 still receiving, lab-01 verified. */
function sending (): Distribution {
  const d = originDistribution()
  return {
    ...d,
    members: d.members.map(m => m.name === 'lab-03' ? { ...m, state: 'downloading' as const, verifiedPieces: 2, verifiedBytes: 2 * d.pieceLength, rate: 54_000_000, etaSeconds: 13 } : m)
  }
}

/** A verified copy received here, under a long name. */
function copy (): Distribution {
  return recipientDistribution({ name: LONG_FILE, path: `/home/lab/Downloads/${LONG_FILE}` }, { verified: true })
}

function state (): AppState {
  return appState({ distributions: [sending(), copy()] })
}

/** How far the dialog, the page or the main column would scroll sideways (≤ 0: it fits). */
async function sideways (page: Page): Promise<number> {
  const o = await overflow(page)
  const dialog = await page.evaluate(() => {
    const el = document.querySelector('[role="alertdialog"]')
    return el === null ? -1 : el.scrollWidth - el.clientWidth
  })
  return Math.max(o.main, o.body, dialog)
}

/** Whether the focus is inside the open dialog. */
async function focusInDialog (page: Page): Promise<boolean> {
  return await page.evaluate(() => (document.activeElement?.closest('[role="alertdialog"]') ?? null) !== null)
}

async function showDist (page: Page, name: string, narrow: boolean): Promise<void> {
  // Below 900 px the sidebar is folded behind the menu button.
  if (narrow) await testId(page, 'menu-toggle').click()
  await testId(page, `dist-${name}`).click()
  await page.waitForTimeout(200)
}

async function openDialog (page: Page): Promise<void> {
  await testId(page, 'remove-button').click()
  await page.getByRole('alertdialog').waitFor({ timeout: 5_000 })
}

async function closeWithEscape (page: Page): Promise<void> {
  await page.keyboard.press('Escape')
  expect(await page.getByRole('alertdialog').count()).toBe(0)
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('remove-button')
}

describe.skipIf(chromiumMissing() !== undefined)('the stop sending / remove confirmation', () => {
  const browser = labChromium(labFixture(1, 'removeui'))

  it('fits 800 px light and 640 px dark, for the origin mid-transfer and a verified copy with a long name', async () => {
    const page = await browser.newPage({ width: 800, height: 900 })
    await page.emulateMedia({ colorScheme: 'light' })
    await serveRenderer(page)
    await openWindow(page)
    await pushState(page, state())
    await testId(page, 'remove-button').waitFor({ timeout: 15_000 })

    // 800 px, light: the origin, two machines still receiving.
    expect(await testId(page, 'remove-button').textContent()).toBe('Stop sending…')
    await openDialog(page)
    expect(await focusInDialog(page)).toBe(true)
    const said = await testId(page, 'remove-consequences').textContent()
    expect(said).toContain('lab-02 and lab-03 have not finished: they will be told to stop and delete what they received (33.6 MB between them).')
    expect(said).toContain('lab-01 has a verified copy and keeps it.')
    expect(said).toContain('The file on this device is not touched (/home/lab/ubuntu-24.04-server.iso).')
    expect(await sideways(page), 'origin dialog at 800 px').toBeLessThanOrEqual(0)
    await screenshot(page, SHOTS, 'remove-confirm-800-light')
    await closeWithEscape(page)

    await showDist(page, LONG_FILE, true)
    expect(await testId(page, 'remove-button').textContent()).toBe('Remove…')
    await openDialog(page)
    expect(await sideways(page), 'copy dialog at 800 px').toBeLessThanOrEqual(0)
    await closeWithEscape(page)

    // 640 px, dark: the same two.
    await page.setViewportSize({ width: 640, height: 900 })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.waitForTimeout(300)
    await showDist(page, 'ubuntu-24.04-server.iso', true)
    await openDialog(page)
    expect(await sideways(page), 'origin dialog at 640 px').toBeLessThanOrEqual(0)
    await closeWithEscape(page)

    await showDist(page, LONG_FILE, true)
    await openDialog(page)
    expect(await focusInDialog(page)).toBe(true)
    await testId(page, 'remove-delete-files').check()
    expect(await testId(page, 'remove-confirm').textContent()).toBe('Remove and delete file')
    expect(await testId(page, 'remove-delete-where').textContent()).toBe(`46.1 MB at /home/lab/Downloads/${LONG_FILE}`)
    expect(await sideways(page), 'copy dialog at 640 px').toBeLessThanOrEqual(0)
    // The title keeps the name's end (its extension) in view, whole in its tooltip.
    const title = page.getByRole('alertdialog').locator('h3')
    expect(await title.getAttribute('title')).toBe(LONG_FILE)
    expect(await title.textContent()).toMatch(/^Remove capture_0123.*….*abcdef\.iso from this list\?$/)
    await screenshot(page, SHOTS, 'remove-copy-640-dark')
    await closeWithEscape(page)
  }, 60_000)
})
