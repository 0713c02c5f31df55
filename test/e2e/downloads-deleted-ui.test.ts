// A recipient's downloads folder deleted while a file is arriving into it (a person tidying up, a
// cleanup job), end to end in Chromium against real agents (three lab namespaces, `swarmdrop agent
// --ui`): the download stops within seconds (it used to fetch the rest into the deleted file and
// fail at the final check), both windows say why, and a new send from the sender's window starts
// it over and ends verified.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { answer, fileOnSender, progressOf, sendByPath, stateOf, testId } from './ui-actions.js'
import { chromiumMissing, patternBytes, screenshotAt800, uiLab } from './ui-lab.js'

const MiB = 1024 * 1024
const SHOTS = resolve('docs/screenshots')
const SIZE = 48 * MiB
const SEED = 0xde1

const shot = (page: Page, name: string): Promise<void> => screenshotAt800(page, SHOTS, name)

describe.skipIf(chromiumMissing() !== undefined)('a downloads folder deleted mid-transfer', () => {
  const { fx, pages } = uiLab('e2e-dldel', 40)

  it('stops the download within seconds and says why on both windows; a new send starts it over', async () => {
    const [sender, r1] = pages()
    await expect.poll(async () => sender.locator('[data-testid="machine-lab-01"]').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    const path = fileOnSender(fx, 'tidy.iso', SIZE, SEED)
    await sendByPath(sender, path, 'tidy.iso', ['lab-01'])
    await answer(r1, 'tidy.iso', 'accept')
    await testId(r1, 'dist-tidy.iso').click()
    await expect.poll(async () => progressOf(r1, 'lab-01'), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(20)
    const dir = join(fx.work, 'dl1')
    rmSync(dir, { recursive: true, force: true })
    const deletedAt = Date.now()
    const reason = `tidy.iso.part was deleted from ${dir} while it was arriving; the download stopped (a new send starts it over)`
    await expect.poll(async () => stateOf(r1, 'lab-01'), { timeout: 10_000, interval: 250 }).toBe('failed')
    const progress = await progressOf(r1, 'lab-01')
    console.log(`stopped ${((Date.now() - deletedAt) / 1000).toFixed(1)} s after the folder was deleted, at ${progress} %`)
    expect(progress).toBeLessThan(100)
    expect(await testId(r1, 'member-lab-01').textContent()).toContain(reason)
    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 10_000, interval: 250 }).toBe('failed')
    expect(await testId(sender, 'member-lab-01').textContent()).toContain(reason)
    await shot(r1, 'downloads-deleted-recipient-800-light')
    expect(existsSync(join(dir, 'tidy.iso.part'))).toBe(false)

    // Sent again from the sender's window: it starts over and ends with the sender's bytes.
    await testId(sender, 'machine-lab-01').check()
    await testId(sender, 'send-button').click()
    await answer(r1, 'tidy.iso', 'accept')
    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 90_000, interval: 500 }).toBe('verified')
    expect(createHash('sha256').update(readFileSync(join(dir, 'tidy.iso'))).digest('hex')).toBe(createHash('sha256').update(patternBytes(SIZE, SEED)).digest('hex'))
  }, 240_000)
})
