// The app end to end, in Chromium against real agents: three machines in lab namespaces, each
// running `swarmdrop agent --ui`. On the sender's UI a real file is dropped on the drop zone, two
// machines are ticked and Send is pressed; on each recipient's UI the offer card is accepted. Both
// sides must then show the distribution verified and a fully verified piece map, and the bytes
// on the recipients' disks must be the dropped bytes. Screenshots of each main view, light and
// dark, are saved as test artifacts (test-results/screenshots).
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { chromiumMissing, dropFile, patternBytes, screenshot, uiLab } from './ui-lab.js'

const MiB = 1024 * 1024
const FILE = 'lab-image.iso'
const SIZE = 24 * MiB
const SEED = 0x5eed
const SHOTS = resolve('test-results/screenshots')

const testId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`)

const shot = (page: Page, name: string): Promise<void> => screenshot(page, SHOTS, name)

/** The first cell's pixel on the piece-map canvas, and the token colour "held by every machine". */
async function firstCellColour (page: Page): Promise<{ pixel: string; token: string }> {
  return await testId(page, 'piece-map').first().evaluate(el => {
    const canvas = el instanceof HTMLCanvasElement ? el : el.querySelector('canvas')
    if (canvas === null) return { pixel: 'no canvas', token: '' }
    const dpr = canvas.width / canvas.getBoundingClientRect().width
    const [r = 0, g = 0, b = 0] = canvas.getContext('2d')?.getImageData(Math.round(2 * dpr), Math.round(2 * dpr), 1, 1).data ?? []
    const hex = (n: number): string => n.toString(16).padStart(2, '0')
    return { pixel: `#${hex(r)}${hex(g)}${hex(b)}`, token: getComputedStyle(canvas).getPropertyValue('--piece-all').trim().toLowerCase() }
  })
}

async function pieceMapComplete (page: Page, timeoutMs: number): Promise<{ count: number; verified: number }> {
  const map = testId(page, 'piece-map').first()
  const deadline = Date.now() + timeoutMs
  let last = { count: -1, verified: -2 }
  while (Date.now() < deadline) {
    const count = Number(await map.getAttribute('data-piece-count'))
    const verified = Number(await map.getAttribute('data-verified'))
    last = { count, verified }
    if (count > 0 && verified === count) return last
    await page.waitForTimeout(250)
  }
  return last
}

describe.skipIf(chromiumMissing() !== undefined)('the app in a browser against real agents', () => {
  // Recipients receive at 80 Mbit/s so the swarm is watchable for a few seconds.
  const { fx, pages } = uiLab('e2e-ui', 80)

  it('refuses the UI without its token', async () => {
    const [page] = pages()
    // From inside the sender's namespace: the page itself, asking without its cookie or token.
    const status = await page.evaluate(async () => (await fetch('/', { credentials: 'omit' })).status)
    expect(status).toBe(401)
  })

  it('sends a dropped file to two ticked machines, accepted on their UIs, verified everywhere', async () => {
    const [sender, r1, r2] = pages()

    // The sender sees both machines through mDNS.
    await expect.poll(async () => testId(sender, 'machine-lab-01').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    await expect.poll(async () => testId(sender, 'machine-lab-02').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    await shot(sender, 'machines-light')

    await dropFile(sender, FILE, SIZE, SEED)
    await testId(sender, `dist-${FILE}`).first().waitFor({ timeout: 60_000 })
    await testId(sender, `dist-${FILE}`).first().click()
    await testId(sender, 'machine-lab-01').first().check()
    await testId(sender, 'machine-lab-02').first().check()
    await expect.poll(async () => testId(sender, 'send-button').first().textContent()).toContain('2')
    await shot(sender, 'send-light')
    await testId(sender, 'send-button').first().click()

    // Each recipient accepts on its own UI.
    for (const [i, page] of [r1, r2].entries()) {
      const card = page.locator('[data-testid^="offer-"]').first()
      await card.waitFor({ timeout: 30_000 })
      if (i === 0) {
        await shot(page, 'incoming-offer-light')
        await page.emulateMedia({ colorScheme: 'dark' })
        await shot(page, 'incoming-offer-dark')
        await page.emulateMedia({ colorScheme: 'light' })
      }
      await page.locator('[data-testid^="accept-"]').first().click()
    }

    // Mid-transfer views on the sender.
    await sender.waitForTimeout(1500)
    await shot(sender, 'swarm-health-light')
    await sender.emulateMedia({ colorScheme: 'dark' })
    await shot(sender, 'swarm-health-dark')
    await sender.emulateMedia({ colorScheme: 'light' })

    // Verified everywhere: the recipients' own views, then the sender's swarm view.
    for (const page of [r1, r2]) {
      await testId(page, `dist-${FILE}`).first().click()
      await expect.poll(async () => (await testId(page, 'dist-state').first().textContent())?.toLowerCase() ?? '', { timeout: 90_000 }).toContain('verified')
      const map = await pieceMapComplete(page, 30_000)
      expect(map.count).toBeGreaterThan(0)
      expect(map.verified).toBe(map.count)
    }
    const senderMap = await pieceMapComplete(sender, 60_000)
    expect(senderMap.count).toBeGreaterThan(0)
    expect(senderMap.verified).toBe(senderMap.count)
    await shot(sender, 'piece-map-light')
    // The canvas follows the OS theme like the rest of the page: every cell in the token colour.
    const light = await firstCellColour(sender)
    expect(light.pixel).toBe(light.token)
    await sender.emulateMedia({ colorScheme: 'dark' })
    // Repainted by the theme change itself, not by a later state update: two frames later.
    await sender.evaluate(async () => { for (let i = 0; i < 2; i++) await new Promise(resolve => requestAnimationFrame(resolve)) })
    const dark = await firstCellColour(sender)
    expect(dark.token).not.toBe(light.token)
    expect(dark.pixel).toBe(dark.token)
    await shot(sender, 'piece-map-dark')
    await sender.emulateMedia({ colorScheme: 'light' })

    // The bytes on disk are the dropped bytes.
    const want = createHash('sha256').update(patternBytes(SIZE, SEED)).digest('hex')
    for (const i of [1, 2]) {
      const path = join(fx.work, `dl${i}`, FILE)
      expect(existsSync(path)).toBe(true)
      expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(want)
    }
  }, 240_000)

  it('saves a new device name in Settings, and the other machines see it without a restart', async () => {
    const [sender, , page] = pages()
    await testId(page, 'settings-button').first().click()
    await shot(page, 'settings-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot(page, 'settings-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    await testId(page, 'settings-name').fill('lab-02-renamed')
    await testId(page, 'settings-save').click()
    await expect.poll(async () => await testId(page, 'settings-status').textContent(), { timeout: 10_000 }).toMatch(/saved/i)
    // Re-announced over mDNS at once: the sender's machine list shows the new name.
    await expect.poll(async () => testId(sender, 'machine-lab-02-renamed').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    expect(await testId(sender, 'machine-lab-02').count()).toBe(0)
  }, 60_000)
})
