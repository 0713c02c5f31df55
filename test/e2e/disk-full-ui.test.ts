// A recipient's disk fills up mid-transfer, as both windows show it, end to end in Chromium against
// real agents (three lab namespaces, `swarmdrop agent --ui`; lab-01 downloads into a small tmpfs of
// this test's own): the recipient's window says its copy waits for space and how much more it
// needs, the sender's row for it says the same and stands out, and neither promises a time; once
// the space is freed it goes on by itself and ends verified with the sender's bytes. Screenshots
// of both windows are kept in docs/screenshots.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { fillDisk } from '../multi/fill-disk.js'
import { answer, fileOnSender, overflow, progressOf, sendByPath, stateOf, testId } from './ui-actions.js'
import { chromiumMissing, patternBytes, screenshotAt800, uiLab } from './ui-lab.js'

const MiB = 1024 * 1024
const SHOTS = resolve('docs/screenshots')
const TMPFS_MB = 48
const SIZE = 32 * MiB
const SEED = 0xf111

const shot = (page: Page, name: string): Promise<void> => screenshotAt800(page, SHOTS, name)

describe.skipIf(chromiumMissing() !== undefined)('a recipient whose disk fills up, in both windows', () => {
  // Recipients receive at 24 Mbit/s (3 MB/s): 32 MiB takes about 11 s, time to fill the disk.
  let mounted = ''
  const { fx, pages } = uiLab('e2e-dfull', 24, lab => {
    mounted = join(lab.work, 'dl1')
    mkdirSync(mounted, { recursive: true })
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MB}m`, 'swarmdrop-e2e-tmpfs', mounted])
  })

  afterAll(() => {
    // Before the fixture stops the agents: a lazy unmount detaches it even while files are open.
    if (mounted) execFileSync('umount', ['-l', mounted])
  })

  it('says it waits for space, how much, on both sides, with no ETA; goes on by itself once freed', async () => {
    const [sender, r1] = pages()
    await expect.poll(async () => sender.locator('[data-testid="machine-lab-01"]').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    const path = fileOnSender(fx, 'full.iso', SIZE, SEED)
    await sendByPath(sender, path, 'full.iso', ['lab-01'])
    await answer(r1, 'full.iso', 'accept')
    await testId(r1, 'dist-full.iso').click()
    await expect.poll(async () => progressOf(r1, 'lab-01'), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(15)

    const filler = join(mounted, 'filler.bin')
    fillDisk(filler, TMPFS_MB + 8)

    await expect.poll(async () => stateOf(r1, 'lab-01'), { timeout: 20_000, interval: 250 }).toBe('no-space')
    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 20_000, interval: 250 }).toBe('no-space')
    // Both say how much more it needs and that it goes on by itself; no time is promised.
    const needs = /not enough space in .*dl1: [\d.]+ [KMG]?B more needed \([\d.]+ [KMG]?B free\); it resumes by itself once space is freed/
    for (const page of [r1, sender]) {
      expect(await testId(page, 'member-state-lab-01').textContent()).toMatch(needs)
      expect(await testId(page, 'member-state-lab-01').textContent()).toContain('out of space')
      expect(await testId(page, 'member-eta-lab-01').textContent()).toBe('—')
      expect(await testId(page, 'member-lab-01').getAttribute('class')).toContain('member-attention')
      expect(await testId(page, 'piece-verified-machines').textContent()).toBe('Whole file verified on 1 of 2 machines.')
    }
    // On the sender it stands out as out of space, waiting: not as failed (the first screenshot
    // of this state read "✕ 1 failed").
    expect(await testId(sender, 'totals-no-space').textContent()).toBe('! 1')
    expect(await testId(sender, 'totals-refused').count()).toBe(0)
    expect(await testId(sender, 'badge-noSpace').textContent()).toBe('! 1 out of space')
    expect(await testId(sender, 'badge-failed').count()).toBe(0)
    // No time promised, and what it waits for.
    expect(await testId(r1, 'totals-eta').textContent()).toBe('on hold')
    expect(await testId(r1, 'totals-eta-figure').textContent()).toContain('until space is freed here')
    expect(await testId(sender, 'totals-eta-figure').textContent()).toContain('until space is freed on lab-01')
    await r1.waitForTimeout(1000)
    await shot(r1, 'disk-full-recipient-800-light')
    await shot(sender, 'disk-full-sender-800-light')
    await sender.emulateMedia({ colorScheme: 'dark' })
    await shot(sender, 'disk-full-sender-800-dark')
    await sender.emulateMedia({ colorScheme: 'light' })
    // The long reason and the extra figure still fit a narrow window.
    for (const page of [r1, sender]) {
      await page.setViewportSize({ width: 640, height: 900 })
      try {
        await page.waitForTimeout(300)
        const o = await overflow(page)
        expect(Math.max(o.main, o.card, o.body)).toBeLessThanOrEqual(0)
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 })
      }
    }

    rmSync(filler)
    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 90_000 }).toBe('verified')
    await expect.poll(async () => stateOf(r1, 'lab-01'), { timeout: 20_000 }).toBe('verified')
    const want = createHash('sha256').update(patternBytes(SIZE, SEED)).digest('hex')
    expect(createHash('sha256').update(readFileSync(join(mounted, 'full.iso'))).digest('hex')).toBe(want)
  }, 240_000)
})
