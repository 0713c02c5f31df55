// A recipient whose downloads folder cannot be written (a read-only mount: a write-protected
// stick, a server's folder mounted read-only by mistake), end to end in Chromium against real
// agents (three lab namespaces, `swarmdrop agent --ui`; lab-01 downloads into a read-only tmpfs of
// this test's own). What the offer card, the recipient's window and the sender's row say, and that
// choosing another folder on the card gets the file through.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { fileOnSender, sendByPath, stateOf, testId } from './ui-actions.js'
import { chromiumMissing, patternBytes, screenshotAt800, uiLab } from './ui-lab.js'

const MiB = 1024 * 1024
const SHOTS = resolve('docs/screenshots')
const SIZE = 8 * MiB
const SEED = 0x70

const shot = (page: Page, name: string): Promise<void> => screenshotAt800(page, SHOTS, name)

describe.skipIf(chromiumMissing() !== undefined)('a recipient whose downloads folder is read-only', () => {
  let mounted = ''
  const { fx, pages } = uiLab('e2e-rodl', 80, lab => {
    mounted = join(lab.work, 'dl1')
    mkdirSync(mounted, { recursive: true })
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,ro', 'swarmdrop-e2e-ro', mounted])
  })

  afterAll(() => {
    if (mounted) execFileSync('umount', ['-l', mounted])
  })

  it('says on the offer card why it cannot save there, refuses Accept, and takes the file into a folder typed instead', async () => {
    const [sender, r1] = pages()
    await expect.poll(async () => sender.locator('[data-testid="machine-lab-01"]').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    const path = fileOnSender(fx, 'ro.iso', SIZE, SEED)
    await sendByPath(sender, path, 'ro.iso', ['lab-01'])
    await testId(r1, 'offer-ro.iso').waitFor({ timeout: 30_000 })
    await expect.poll(async () => testId(r1, 'not-writable-ro.iso').textContent(), { timeout: 10_000, interval: 250 })
      .toBe(`Cannot save here: ${mounted} is on a read-only file system. Choose another folder.`)
    expect(await testId(r1, 'accept-ro.iso').isDisabled()).toBe(true)
    await shot(r1, 'readonly-offer-800-light')
    // The web UI has no folder dialog: the path is typed on the card.
    await r1.getByText('Choose another folder…').click()
    const elsewhere = join(fx.work, 'dl1-elsewhere')
    await testId(r1, 'folder-input-ro.iso').fill(elsewhere)
    expect(await testId(r1, 'accept-ro.iso').isDisabled()).toBe(false)
    await testId(r1, 'accept-ro.iso').click()
    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 60_000, interval: 250 }).toBe('verified')
    expect(createHash('sha256').update(readFileSync(join(elsewhere, 'ro.iso'))).digest('hex')).toBe(createHash('sha256').update(patternBytes(SIZE, SEED)).digest('hex'))
  }, 180_000)
})
