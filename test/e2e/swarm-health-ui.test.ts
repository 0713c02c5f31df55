// Swarm health in the UI, end to end, in Chromium against real agents (three lab namespaces, each
// running `swarmdrop agent --ui`): the first step in the empty state; a file sent by its path on
// the agent's machine, without a copy; a decline on a recipient's UI that stands out on the
// sender's (badge, row) and is confirmed to the recipient; the layout at 800 and 640 px (no
// sideways overflow, the sidebar folded); and a recipient killed with SIGKILL mid-transfer, shown
// as lost within 3 s (its connections close, so the origin asks at once), then verified after it
// restarts on the same data folder, its own window saying its agent is gone (no live figures) and
// reconnecting by itself; and the origin killed mid-transfer, as a recipient sees it: the
// origin lost, both recipients waiting for it with no ETA and no stale rate, then both verified once
// it is back; and a recipient's cable pulled mid-transfer, lost on the sender and cut off from
// every machine on its own window, then verified once it is plugged back; and a recipient whose
// address changes mid-transfer, receiving again within seconds and never failed. Screenshots of the
// decline, the narrow layouts, the lost state, the origin away, the pulled cable and the changed
// address are kept in docs/screenshots.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { answer, fileOnSender, overflow, progressOf, sendByPath, stateOf, testId } from './ui-actions.js'
import { labHostIp } from '../lab/netns-lab.js'
import { renumber } from '../multi/renumber.js'
import { chromiumMissing, patternBytes, screenshot, uiLab } from './ui-lab.js'

const MiB = 1024 * 1024
const SHOTS = resolve('docs/screenshots')
const shot = (page: Page, name: string): Promise<void> => screenshot(page, SHOTS, name)

describe.skipIf(chromiumMissing() !== undefined)('swarm health in the UI against real agents', () => {
  // Recipients receive at 40 Mbit/s (5 MB/s): a 96 MiB file takes about 20 s, long enough to kill
  // one mid-transfer.
  const { fx, agents, pages } = uiLab('e2e-health', 40)

  it('puts the first step in the empty state: "Choose a file…", drop anywhere, and a path on this machine', async () => {
    const [sender] = pages()
    const empty = sender.locator('.empty', { hasText: 'Nothing shared yet.' })
    await empty.waitFor({ timeout: 20_000 })
    expect(await sender.getByText('Nothing shared yet', { exact: false }).count()).toBe(1)
    expect(await empty.locator('[data-testid="empty-pick-file"]').textContent()).toBe('Choose a file…')
    expect(await empty.textContent()).toContain('drop one anywhere on this window')
    // The button opens the browser's file chooser.
    const chooser = sender.waitForEvent('filechooser', { timeout: 5_000 })
    await empty.locator('[data-testid="empty-pick-file"]').click()
    expect((await chooser).isMultiple()).toBe(false)
    expect(await testId(sender, 'path-sender').textContent()).toContain('nothing is copied')
  }, 60_000)

  it('sends a file by its path on the agent\'s machine, with no copy in the data folder; a decline stands out and is confirmed', async () => {
    const [sender, r1, r2] = pages()
    await expect.poll(async () => sender.locator('[data-testid="machine-lab-02"]').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    const path = fileOnSender(fx, 'health.iso', 24 * MiB, 0xbeef)

    // The folder browser reaches the file too.
    await testId(sender, 'nav-send-path').click()
    await testId(sender, 'path-input').fill(join(fx.work, 'on-sender'))
    await testId(sender, 'path-browse').click()
    await testId(sender, 'entry-health.iso').click()
    expect(await testId(sender, 'path-input').inputValue()).toBe(path)

    await sendByPath(sender, path, 'health.iso', ['lab-01', 'lab-02'])
    await expect.poll(async () => testId(sender, 'notice').textContent(), { timeout: 10_000 }).toBe('Offered to 2 machines.')
    const uploads = join(fx.work, 'd0', 'uploads')
    expect(existsSync(uploads) ? readdirSync(uploads) : []).toEqual([])

    await answer(r1, 'health.iso', 'accept')
    await answer(r2, 'health.iso', 'decline')
    // The sender hears it at once, in a notice that clears by itself.
    await expect.poll(async () => (await sender.locator('[data-testid="notice"]').allTextContents()).join(''), { timeout: 10_000, interval: 200 }).toBe('lab-02 declined health.iso.')
    // The one who declined is told so, and the confirmation goes away by itself.
    await expect.poll(async () => testId(r2, 'notice').textContent(), { timeout: 10_000 }).toBe('You declined health.iso from studio.')
    await shot(r2, 'decline-confirmation-light')

    // On the sender: the row says declined with its icon and tone, the sidebar has a badge, the
    // summary counts it, and the "Offered to" notice cleared once both had answered.
    await expect.poll(async () => stateOf(sender, 'lab-02'), { timeout: 15_000 }).toBe('declined')
    expect(await testId(sender, 'member-state-lab-02').textContent()).toContain('⊘declined')
    expect(await testId(sender, 'member-lab-02').getAttribute('class')).toContain('member-attention')
    expect(await testId(sender, 'badge-declined').textContent()).toBe('⊘ 1 declined')
    expect(await testId(sender, 'totals-refused').textContent()).toBe('⊘ 1')
    await expect.poll(async () => sender.locator('[data-testid="notice"]').count(), { timeout: 10_000 }).toBe(0)
    await shot(sender, 'decline-light')
    await sender.emulateMedia({ colorScheme: 'dark' })
    await shot(sender, 'decline-dark')
    await sender.emulateMedia({ colorScheme: 'light' })

    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 90_000 }).toBe('verified')
    expect(await testId(sender, 'totals-verified').textContent()).toBe('1 of 2')
    expect(await testId(sender, 'piece-verified-machines').textContent()).toBe('Whole file verified on 2 of 2 machines.')
    await expect.poll(async () => r2.locator('[data-testid="notice"]').count(), { timeout: 10_000 }).toBe(0)
    const want = createHash('sha256').update(patternBytes(24 * MiB, 0xbeef)).digest('hex')
    expect(createHash('sha256').update(readFileSync(join(fx.work, 'dl1', 'health.iso'))).digest('hex')).toBe(want)
  }, 180_000)

  it('fits 800 px and 640 px: no sideways overflow, the sidebar folded behind the menu button', async () => {
    const [sender] = pages()
    await testId(sender, 'dist-health.iso').click()
    // Wide: the sidebar is there and there is no menu button.
    expect(await testId(sender, 'sidebar').isVisible()).toBe(true)
    expect(await testId(sender, 'menu-toggle').isVisible()).toBe(false)
    try {
      await narrowLayouts(sender)
    } finally {
      await sender.setViewportSize({ width: 1280, height: 800 })
    }
  }, 60_000)

  async function narrowLayouts (sender: Page): Promise<void> {
    for (const width of [800, 640]) {
      await sender.setViewportSize({ width, height: 900 })
      await sender.waitForTimeout(300)
      expect(await testId(sender, 'sidebar').isVisible()).toBe(false)
      expect(await testId(sender, 'menu-toggle').isVisible()).toBe(true)
      const o = await overflow(sender)
      expect(o.main).toBeLessThanOrEqual(0)
      expect(o.card).toBeLessThanOrEqual(0)
      expect(o.body).toBeLessThanOrEqual(0)
      await shot(sender, `layout-${width}-light`)
    }
    // The menu opens the sidebar over the content; Escape folds it again.
    await testId(sender, 'menu-toggle').click()
    await expect.poll(async () => testId(sender, 'sidebar').isVisible()).toBe(true)
    expect(await testId(sender, 'badge-declined').isVisible()).toBe(true)
    await sender.waitForTimeout(300)
    await shot(sender, 'layout-640-menu-light')
    await sender.keyboard.press('Escape')
    await expect.poll(async () => testId(sender, 'sidebar').isVisible()).toBe(false)
  }

  it('shows a recipient killed mid-transfer as lost within 3 s, then verified after it restarts', async () => {
    const [sender, r1] = pages()
    const victim = agents[1]
    if (!victim) throw new Error('no lab-01 agent')
    const size = 96 * MiB
    const path = fileOnSender(fx, 'lost.iso', size, 0x1057)
    await sendByPath(sender, path, 'lost.iso', ['lab-01'])
    await answer(r1, 'lost.iso', 'accept')

    // Mid-transfer: a tenth of it is there.
    const progress = async (): Promise<number> => progressOf(sender, 'lab-01')
    await expect.poll(progress, { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(10)
    expect(await progress()).toBeLessThan(90)
    await victim.kill()
    const killedAt = Date.now()

    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 3_000, interval: 250 }).toBe('lost')
    expect(Date.now() - killedAt).toBeLessThanOrEqual(3_000)
    await expect.poll(async () => testId(sender, 'member-state-lab-01').textContent(), { timeout: 5_000 }).toMatch(/lost contact \d+:\d\d ago — resumes when it returns/)
    expect(await testId(sender, 'member-eta-lab-01').textContent()).toBe('—')
    expect(await testId(sender, 'badge-lost').textContent()).toBe('⚠ 1 lost contact')
    await sender.waitForTimeout(1500)
    await shot(sender, 'lost-light')
    await sender.emulateMedia({ colorScheme: 'dark' })
    await shot(sender, 'lost-dark')
    await sender.emulateMedia({ colorScheme: 'light' })

    // The killed machine's own window says its agent is gone, keeping the last known state.
    await testId(r1, 'dist-lost.iso').click()
    await expect.poll(async () => testId(r1, 'connection-lost').count(), { timeout: 10_000, interval: 250 }).toBe(1)
    expect(await testId(r1, 'connection-lost').textContent()).toMatch(/Below is what it said \d+:\d\d ago, without rates or times/)
    // Nothing on it reads as live: the first screenshot of this kept "4.3 MB/s" and "0:21 left".
    for (const id of ['member-rate-lab-01', 'member-eta-lab-01', 'totals-eta', 'totals-rate']) expect(await testId(r1, id).textContent()).toBe('—')
    expect(await testId(r1, 'rate-down').textContent()).toContain('—')
    await shot(r1, 'agent-gone-light')

    // Back on the same data folder: found again, resumed, verified; its window reconnects by itself.
    await victim.start()
    await expect.poll(async () => stateOf(sender, 'lab-01'), { timeout: 120_000 }).toBe('verified')
    await expect.poll(async () => testId(r1, 'connection-lost').count(), { timeout: 30_000 }).toBe(0)
    await expect.poll(async () => stateOf(r1, 'lab-01'), { timeout: 10_000 }).toBe('verified')
    const want = createHash('sha256').update(patternBytes(size, 0x1057)).digest('hex')
    expect(createHash('sha256').update(readFileSync(join(fx.work, 'dl1', 'lost.iso'))).digest('hex')).toBe(want)
  }, 240_000)

  // Seen by hand (session 26): with the origin killed, the recipients read "44% receiving … 0:07
  // left" and the other machine's last relayed rate, while most of the file was on no machine
  // still connected.
  it('shows a recipient the origin killed mid-transfer: away, no ETA, no stale rate; verified once it is back', async () => {
    const [sender, r1, r2] = pages()
    const origin = agents[0]
    if (!origin) throw new Error('no studio agent')
    const size = 96 * MiB
    const path = fileOnSender(fx, 'away.iso', size, 0xa3a7)
    await sendByPath(sender, path, 'away.iso', ['lab-01', 'lab-02'])
    await answer(r1, 'away.iso', 'accept')
    await answer(r2, 'away.iso', 'accept')
    await testId(r1, 'dist-away.iso').click()
    const own = async (): Promise<number> => progressOf(r1, 'lab-01')
    await expect.poll(own, { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(20)
    expect(await own()).toBeLessThan(80)
    await origin.kill()

    // The origin reads lost; what the two recipients hold does not make the whole file, so neither
    // row promises a time, and the other machine's rate is no longer the one last relayed.
    await expect.poll(async () => stateOf(r1, 'studio'), { timeout: 15_000, interval: 250 }).toBe('lost')
    await expect.poll(async () => testId(r1, 'member-waits-lab-01').count(), { timeout: 5_000 }).toBe(1)
    expect(await testId(r1, 'member-state-lab-01').textContent()).toContain('the rest is on a machine that is away')
    expect(await testId(r1, 'member-eta-lab-01').textContent()).toBe('—')
    expect(await testId(r1, 'member-waits-lab-02').count()).toBe(1)
    expect(await testId(r1, 'member-eta-lab-02').textContent()).toBe('—')
    expect(await testId(r1, 'member-rate-lab-02').textContent()).toBe('—')
    expect(await testId(r1, 'totals-eta').textContent()).toBe('on hold')
    // The machine that is away is named: it is the one everything waits for.
    expect(await testId(r1, 'totals-eta-figure').textContent()).toContain('until studio returns')
    // The origin's copy serves nobody while it is away: the swarm holds about what the two have.
    expect(Number(await testId(r1, 'totals-copies').textContent())).toBeLessThan(1)
    await r1.setViewportSize({ width: 800, height: 900 })
    try {
      await r1.waitForTimeout(500)
      await shot(r1, 'origin-away-800-light')
    } finally {
      await r1.setViewportSize({ width: 1280, height: 800 })
    }

    // The origin back on its data folder: it seeds again and both finish, verified on disk.
    await origin.start()
    await expect.poll(async () => stateOf(r1, 'lab-01'), { timeout: 120_000 }).toBe('verified')
    await expect.poll(async () => stateOf(r1, 'lab-02'), { timeout: 60_000 }).toBe('verified')
    expect(await testId(r1, 'member-waits-lab-01').count()).toBe(0)
    const want = createHash('sha256').update(patternBytes(size, 0xa3a7)).digest('hex')
    for (const dl of ['dl1', 'dl2']) expect(createHash('sha256').update(readFileSync(join(fx.work, dl, 'away.iso'))).digest('hex')).toBe(want)
  }, 300_000)

  it('shows a recipient whose cable is pulled: lost on the sender, and on its own window cut off from every machine', async () => {
    const [sender, , r2] = pages()
    const size = 96 * MiB
    const path = fileOnSender(fx, 'cable.iso', size, 0xcab1)
    await sendByPath(sender, path, 'cable.iso', ['lab-02'])
    await answer(r2, 'cable.iso', 'accept')
    await testId(r2, 'dist-cable.iso').click()
    await expect.poll(async () => progressOf(r2, 'lab-02'), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(15)
    expect((await fx.lab.setLink(fx.host(2), false)).ok).toBe(true)
    try {
      await expect.poll(async () => stateOf(sender, 'lab-02'), { timeout: 20_000, interval: 250 }).toBe('lost')
      await expect.poll(async () => stateOf(r2, 'studio'), { timeout: 20_000, interval: 250 }).toBe('lost')
      // Its own window: the origin lost, nothing it can finish from, no time promised, and no peer
      // counted as connected (the first screenshot read "1 peer connected": the socket to the
      // origin stays open across a pulled cable).
      await expect.poll(async () => testId(r2, 'totals-peers').textContent(), { timeout: 10_000, interval: 250 }).toBe('0')
      expect(await testId(r2, 'member-state-lab-02').textContent()).toContain('the rest is on a machine that is away')
      expect(await testId(r2, 'member-eta-lab-02').textContent()).toBe('—')
      expect(await testId(r2, 'totals-eta').textContent()).toBe('on hold')
      expect(await testId(r2, 'badge-lost').textContent()).toBe('⚠ 1 lost contact')
      await shot(r2, 'cable-pulled-light')
    } finally {
      expect((await fx.lab.setLink(fx.host(2), true)).ok).toBe(true)
    }
    await expect.poll(async () => stateOf(sender, 'lab-02'), { timeout: 120_000 }).toBe('verified')
    await expect.poll(async () => stateOf(r2, 'lab-02'), { timeout: 20_000 }).toBe('verified')
    const want = createHash('sha256').update(patternBytes(size, 0xcab1)).digest('hex')
    expect(createHash('sha256').update(readFileSync(join(fx.work, 'dl2', 'cable.iso'))).digest('hex')).toBe(want)
  }, 240_000)

  it('shows a recipient whose address changes mid-transfer (Wi-Fi to cable) as receiving, never failed, then verified', async () => {
    const [sender, , r2] = pages()
    const size = 96 * MiB
    const path = fileOnSender(fx, 'renumbered.iso', size, 0x4e77)
    await sendByPath(sender, path, 'renumbered.iso', ['lab-02'])
    await answer(r2, 'renumbered.iso', 'accept')
    await expect.poll(async () => progressOf(sender, 'lab-02'), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(15)
    const before = await progressOf(sender, 'lab-02')
    const movedAt = Date.now()
    await renumber(fx.lab, fx.host(2), labHostIp(220, fx.host(2).subnet))
    // What the sender's window says, every quarter second, until the row moves on again.
    const states = new Set<string>()
    let shotTaken = false
    while (Date.now() - movedAt < 30_000) {
      states.add(await stateOf(sender, 'lab-02'))
      if (!shotTaken && Date.now() - movedAt > 1_500) {
        await shot(sender, 'renumbered-recipient-light')
        shotTaken = true
      }
      if (await progressOf(sender, 'lab-02') >= before + 5) break
      await sender.waitForTimeout(250)
    }
    const movingMs = Date.now() - movedAt
    console.log(`address changed at ${before} %: the sender's row moved on after ${movingMs} ms; states seen: ${[...states].join(', ')}`)
    expect(movingMs).toBeLessThan(15_000)
    expect(states).not.toContain('failed')
    await expect.poll(async () => stateOf(sender, 'lab-02'), { timeout: 120_000 }).toBe('verified')
    const want = createHash('sha256').update(patternBytes(size, 0x4e77)).digest('hex')
    expect(createHash('sha256').update(readFileSync(join(fx.work, 'dl2', 'renumbered.iso'))).digest('hex')).toBe(want)
  }, 240_000)
})
