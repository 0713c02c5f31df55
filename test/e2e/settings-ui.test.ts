// Settings as a person meets them when things go wrong, end to end in Chromium against real agents
// (three lab namespaces, `swarmdrop agent --ui`; a read-only tmpfs of this test's own): a name
// another machine already uses, an empty one, one too long, one with invisible characters; a
// downloads folder that is read-only, a file, or relative; limits that are not limits; the accept
// policy switched while an offer waits; an upload limit set on the sender mid-transfer. What the
// form says, what the other windows show, and that nothing refused was taken. Screenshots in
// docs/screenshots (settings-*-800-light, settings-*-640-dark).
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { fileOnSender, overflow, sendByPath, stateOf, testId } from './ui-actions.js'
import { chromiumMissing, screenshot, uiLab } from './ui-lab.js'

const MiB = 1024 * 1024
const SHOTS = resolve('docs/screenshots')

async function shot (page: Page, name: string, width: number, scheme: 'light' | 'dark'): Promise<void> {
  await page.setViewportSize({ width, height: 900 })
  await page.emulateMedia({ colorScheme: scheme })
  try {
    await page.waitForTimeout(400)
    // The whole form fits its width: nothing to scroll sideways to.
    const o = await overflow(page)
    expect(o.main).toBeLessThanOrEqual(0)
    expect(o.body).toBeLessThanOrEqual(0)
    await screenshot(page, SHOTS, name)
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme: 'light' })
  }
}

const openSettings = async (page: Page): Promise<void> => {
  await testId(page, 'settings-button').click()
  await testId(page, 'settings-form').waitFor()
}

/** Types `value` into a field, saves, and answers what the form then says beside that field (or its status). */
async function saveField (page: Page, field: string, value: string): Promise<string> {
  await testId(page, field).fill(value)
  await testId(page, 'settings-save').click()
  await expect.poll(async () => await testId(page, 'settings-save').isDisabled(), { timeout: 10_000 }).toBe(false)
  const error = page.locator(`#${field}-error`)
  if (await error.count() > 0) return (await error.textContent()) ?? ''
  return (await testId(page, 'settings-status').textContent()) ?? ''
}

/** The rate a text such as "↑ Upload 944 KB/s" says, in bytes per second. */
function rateOf (text: string | null): number {
  const m = /([\d.]+)\s*(B|KB|MB|GB)\/s/.exec(text ?? '')
  if (!m) return NaN
  return Number(m[1]) * { B: 1, KB: 1e3, MB: 1e6, GB: 1e9 }[m[2] as 'B' | 'KB' | 'MB' | 'GB']
}

describe.skipIf(chromiumMissing() !== undefined)('settings when things go wrong', () => {
  let readOnly = ''
  const { fx, pages } = uiLab('e2e-settings', 80, lab => {
    readOnly = join(lab.work, 'stick')
    mkdirSync(readOnly, { recursive: true })
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,ro', 'swarmdrop-e2e-settings-ro', readOnly])
  })

  afterAll(() => {
    if (readOnly) execFileSync('umount', ['-l', readOnly])
  })

  it('refuses a name another machine uses, an empty, too long or hidden-character one; the other windows keep one lab-02', async () => {
    const [sender, r1, r2] = pages()
    await expect.poll(async () => sender.locator('[data-testid="machine-lab-01"]').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    await openSettings(r1)
    const clash = await saveField(r1, 'settings-name', 'LAB-02')
    expect(clash).toMatch(/^Another machine on this network is already called lab-02 \(10\.\d+\.\d+\.\d+, [0-9a-f]{4}·[0-9a-f]{4}\): choose another name, or the two cannot be told apart when sending by name\.$/)
    await shot(r1, 'settings-name-taken-800-light', 800, 'light')
    expect(await testId(r1, 'self').textContent()).toContain('lab-01')
    await r1.waitForTimeout(2000)
    for (const other of [sender, r2]) {
      await testId(other, 'nav-machines').click()
      expect(await other.locator('[data-testid="known-lab-02"]').count()).toBe(other === r2 ? 0 : 1)
      expect(await other.locator('[data-testid="known-lab-01"]').count()).toBe(1)
    }

    expect(await saveField(r1, 'settings-name', '   ')).toBe('Give this device a name other machines will see.')
    expect(await saveField(r1, 'settings-name', 'x'.repeat(65))).toBe('Keep the name to 64 characters or fewer (this one has 65).')
    expect(await saveField(r1, 'settings-name', 'evil\u202eexe.fdp\u0007')).toBe('Remove the control or text-direction characters (U+202E, U+0007): other machines refuse a name with them.')
    // 64 characters is what every machine takes: saved, and the others see it.
    expect(await saveField(r1, 'settings-name', 'y'.repeat(64))).toBe('Saved.')
    await expect.poll(async () => await sender.locator(`[data-testid="known-${'y'.repeat(64)}"]`).count(), { timeout: 15_000 }).toBe(1)
    expect(await saveField(r1, 'settings-name', 'lab-01')).toBe('Saved.')
    await expect.poll(async () => await sender.locator('[data-testid="known-lab-01"]').count(), { timeout: 15_000 }).toBe(1)
  }, 120_000)

  it('refuses a downloads folder that is read-only, a file or relative, in the offer card\'s words, and keeps the one it had', async () => {
    const [, r1] = pages()
    await openSettings(r1)
    const kept = await testId(r1, 'settings-downloads-dir').inputValue()
    expect(await saveField(r1, 'settings-downloads-dir', readOnly)).toBe(`Cannot save here: ${readOnly} is on a read-only file system. Choose another folder.`)
    await shot(r1, 'settings-readonly-640-dark', 640, 'dark')
    expect(await saveField(r1, 'settings-downloads-dir', join(readOnly, 'new'))).toBe(`Cannot save here: ${join(readOnly, 'new')} is on a read-only file system. Choose another folder.`)
    const file = join(fx.work, 'a-file')
    writeFileSync(file, 'x')
    expect(await saveField(r1, 'settings-downloads-dir', file)).toBe(`Cannot save here: ${file} is not a folder. Choose another folder.`)
    expect(await saveField(r1, 'settings-downloads-dir', 'downloads/here')).toBe('The downloads folder must be a full path, not "downloads/here": a relative one would depend on where Swarmdrop was started.')
    // Nothing refused was taken: the Settings view opened afresh shows the folder it had.
    await testId(r1, 'nav-machines').click()
    await openSettings(r1)
    expect(await testId(r1, 'settings-downloads-dir').inputValue()).toBe(kept)
  }, 60_000)

  it('says what a limit must be instead of saving a negative, a word, an absurd or a vanishing one', async () => {
    const [sender] = pages()
    await openSettings(sender)
    expect(await saveField(sender, 'settings-upload-limit', '-1')).toBe('A limit cannot be negative: enter MB/s, or 0 for no limit.')
    expect(await saveField(sender, 'settings-upload-limit', 'fast')).toBe('Enter a number of MB/s, or 0 for no limit.')
    expect(await saveField(sender, 'settings-upload-limit', '99999999999')).toBe('Enter at most 1,000,000 MB/s, or 0 for no limit.')
    expect(await saveField(sender, 'settings-download-limit', '0.0000001')).toBe('Enter at least 0.01 MB/s, or 0 for no limit.')
    await testId(sender, 'settings-download-limit').fill('0')
    expect(await saveField(sender, 'settings-upload-limit', '0')).toBe('Nothing changed.')
  }, 60_000)

  it('says an offer already waiting still needs an answer when the policy is switched to everyone', async () => {
    const [sender, r1] = pages()
    await testId(r1, 'nav-incoming').click()
    await sendByPath(sender, fileOnSender(fx, 'wait.bin', 4 * MiB, 0x51), 'wait.bin', ['lab-01'])
    await testId(r1, 'offer-wait.bin').waitFor({ timeout: 30_000 })
    await openSettings(r1)
    await testId(r1, 'settings-accept-all').check()
    await testId(r1, 'settings-save').click()
    await expect.poll(async () => await testId(r1, 'settings-status').textContent(), { timeout: 10_000 })
      .toBe('Saved. The offer of wait.bin already waiting in Incoming still needs your answer: the new policy applies to offers that arrive from now on.')
    await testId(r1, 'nav-incoming').click()
    expect(await testId(r1, 'accept-wait.bin').isVisible()).toBe(true)
    await testId(r1, 'accept-wait.bin').click()
    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 60_000, interval: 250 }).toBe('verified')
  }, 120_000)

  it('slows the sender within seconds of an upload limit set mid-transfer, and lets it go again when lifted', async () => {
    const [sender, r1] = pages()
    await sendByPath(sender, fileOnSender(fx, 'big.bin', 64 * MiB, 0x52), 'big.bin', ['lab-01'])
    // lab-01 now accepts everyone (the test before): no answer to give.
    await expect.poll(async () => rateOf(await testId(sender, 'member-rate-lab-01').textContent()), { timeout: 30_000, interval: 250 }).toBeGreaterThan(3e6)
    await openSettings(sender)
    expect(await saveField(sender, 'settings-upload-limit', '1')).toBe('Saved.')
    await testId(sender, 'dist-big.bin').click()
    await expect.poll(async () => rateOf(await testId(sender, 'rate-up').textContent()), { timeout: 8_000, interval: 250 }).toBeLessThan(1.3e6)
    expect(rateOf(await testId(sender, 'member-rate-lab-01').textContent())).toBeLessThan(2e6)
    await openSettings(sender)
    expect(await saveField(sender, 'settings-upload-limit', '0')).toBe('Saved.')
    await testId(sender, 'dist-big.bin').click()
    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 60_000, interval: 250 }).toBe('verified')
    await openSettings(r1)
    await testId(r1, 'settings-accept-ask').check()
    await testId(r1, 'settings-save').click()
  }, 150_000)
})
