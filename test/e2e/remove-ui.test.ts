// Taking a distribution off, end to end, in Chromium against real agents (three lab namespaces,
// each running `swarmdrop agent --ui`), the way a person meets it: a send stopped on the sender's
// window mid-transfer while one recipient's agent is killed — the live recipient stops and deletes
// what it received at once and its window says why, the killed one does the same when it comes
// back, and the source file is untouched; then a download cancelled on a recipient's window — its
// part deleted, the sender's row reading declined with the reason — and a verified copy removed
// from the other recipient's list with its file kept. Screenshots of the confirmation and of the
// withdrawn recipient's window are kept in docs/screenshots.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { answer, fileOnSender, progressOf, sendByPath, stateOf, testId } from './ui-actions.js'
import { chromiumMissing, patternBytes, screenshot, uiLab } from './ui-lab.js'

const MiB = 1024 * 1024
const SHOTS = resolve('docs/screenshots')
const shot = (page: Page, name: string): Promise<void> => screenshot(page, SHOTS, name)
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

describe.skipIf(chromiumMissing() !== undefined)('taking a distribution off, in the UI against real agents', () => {
  // Recipients receive at 40 Mbit/s (5 MB/s): 96 MiB takes about 20 s, long enough to act mid-way.
  const { fx, agents, pages } = uiLab('e2e-remove', 40)

  it('stops a send mid-transfer: the recipient that hears it deletes at once, the one killed meanwhile when it returns; both windows say why', async () => {
    const [sender, r1, r2] = pages()
    await expect.poll(async () => sender.locator('[data-testid="machine-lab-02"]').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    const size = 96 * MiB
    const path = fileOnSender(fx, 'wrong.iso', size, 0x3e3)
    await sendByPath(sender, path, 'wrong.iso', ['lab-01', 'lab-02'])
    await answer(r1, 'wrong.iso', 'accept')
    await answer(r2, 'wrong.iso', 'accept')
    for (const m of ['lab-01', 'lab-02']) await expect.poll(async () => progressOf(sender, m), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(10)
    const part1 = join(fx.work, 'dl1', 'wrong.iso.part')
    const part2 = join(fx.work, 'dl2', 'wrong.iso.part')
    expect([existsSync(part1), existsSync(part2)]).toEqual([true, true])

    // lab-01's agent dies: it cannot hear the withdrawal now.
    const victim = agents[1]
    if (!victim) throw new Error('no lab-01 agent')
    await victim.kill()
    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 5_000, interval: 250 }).toBe('lost')

    await testId(sender, 'remove-button').click()
    const dialog = sender.getByRole('alertdialog')
    expect(await testId(sender, 'remove-button').textContent()).toBe('Stop sending…')
    const said = await testId(sender, 'remove-consequences').textContent()
    expect(said).toMatch(/lab-01 and lab-02 have not finished: they will be told to stop and delete what they received \([\d.]+ MB between them\)\./)
    expect(said).toContain('lab-01 is away now: told when it comes back.')
    expect(said).toContain(`The file on this device is not touched (${path}).`)
    await shot(sender, 'withdraw-confirm-light')
    await dialog.getByRole('button', { name: 'Stop sending' }).click()
    await expect.poll(async () => testId(sender, 'notice').textContent(), { timeout: 15_000 })
      .toBe('Stopped sending wrong.iso: 1 machine told to stop; 1 machine not reached now stops when it comes back.')
    expect(await testId(sender, 'dist-wrong.iso').count()).toBe(0)

    // lab-02 heard it: stopped, its part deleted, and its window says why until dismissed.
    await expect.poll(async () => testId(r2, 'device-notice').textContent(), { timeout: 10_000 })
      .toMatch(/^studio withdrew wrong\.iso before it finished here; the [\d.]+ MB received were deleted\. \(/)
    expect(await testId(r2, 'dist-wrong.iso').count()).toBe(0)
    expect(existsSync(part2)).toBe(false)
    await shot(r2, 'withdrawn-recipient-light')

    // lab-01 comes back on the same data folder: the sender's answer to its first report tells it.
    await victim.start()
    await expect.poll(() => existsSync(part1), { timeout: 30_000, interval: 250 }).toBe(false)
    await expect.poll(async () => testId(r1, 'device-notice').textContent(), { timeout: 30_000 }).toMatch(/^studio withdrew wrong\.iso before it finished here/)
    expect(await testId(r1, 'dist-wrong.iso').count()).toBe(0)
    // The source on the sender's disk is as it was.
    expect(sha256(readFileSync(path))).toBe(sha256(patternBytes(size, 0x3e3)))
  }, 240_000)

  it('cancels a download on a recipient (the sender reads it declined) and removes a verified copy from the other\'s list, keeping its file', async () => {
    const [sender, r1, r2] = pages()
    await expect.poll(async () => sender.locator('[data-testid="machine-lab-01"]').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    const size = 96 * MiB
    const path = fileOnSender(fx, 'keep.iso', size, 0x6e6)
    await sendByPath(sender, path, 'keep.iso', ['lab-01', 'lab-02'])
    await answer(r1, 'keep.iso', 'accept')
    await answer(r2, 'keep.iso', 'accept')
    await expect.poll(async () => progressOf(sender, 'lab-01'), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(10)

    // lab-01 changes its mind mid-way.
    await testId(r1, 'dist-keep.iso').click()
    expect(await testId(r1, 'remove-button').textContent()).toBe('Cancel download…')
    await testId(r1, 'remove-button').click()
    expect(await testId(r1, 'remove-consequences').textContent()).toMatch(/received so far/)
    await r1.getByRole('alertdialog').getByRole('button', { name: 'Cancel download' }).click()
    await expect.poll(async () => testId(r1, 'notice').textContent(), { timeout: 15_000 }).toMatch(/^Cancelled keep\.iso: [\d.]+ MB received were deleted\.$/)
    expect(existsSync(join(fx.work, 'dl1', 'keep.iso.part'))).toBe(false)
    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 10_000, interval: 250 }).toBe('declined')
    expect(await testId(sender, 'member-state-lab-01').textContent()).toContain('cancelled on lab-01')

    // lab-02 finishes, then takes the copy off its list; the file stays where it landed.
    await expect.poll(async () => stateOf(sender, 'lab-02'), { timeout: 120_000 }).toBe('verified')
    await testId(r2, 'dist-keep.iso').click()
    await expect.poll(async () => testId(r2, 'remove-button').textContent(), { timeout: 10_000 }).toBe('Remove…')
    await testId(r2, 'remove-button').click()
    await r2.getByRole('alertdialog').getByRole('button', { name: 'Remove', exact: true }).click()
    await expect.poll(async () => testId(r2, 'notice').textContent(), { timeout: 15_000 }).toBe('Removed keep.iso from this list; its file stays on disk.')
    expect(await testId(r2, 'dist-keep.iso').count()).toBe(0)
    expect(sha256(readFileSync(join(fx.work, 'dl2', 'keep.iso')))).toBe(sha256(patternBytes(size, 0x6e6)))
    // The sender still lists it, lab-02 verified: a copy removed from a list is still a copy delivered.
    expect(await stateOf(sender, 'lab-02')).toBe('verified')
  }, 240_000)
})
