// An offer waiting on a recipient's window whose sender dies before anyone answers it, end to end
// in Chromium against real agents (three lab namespaces, each `swarmdrop agent --ui`, recipients
// asking): the sender's agent is killed with SIGKILL while lab-01's offer card is open. What the
// card says then, what accepting it does, and whether the copy completes once the sender is back.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { fileOnSender, sendByPath, testId } from './ui-actions.js'
import { chromiumMissing, patternBytes, screenshot, uiLab } from './ui-lab.js'

const MiB = 1024 * 1024
const SHOTS = resolve('docs/screenshots')
const shot = (page: Page, name: string): Promise<void> => screenshot(page, SHOTS, name)
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

describe.skipIf(chromiumMissing() !== undefined)('an offer whose sender dies before it is answered', () => {
  const { fx, agents, pages } = uiLab('e2e-offgone', 80)

  it('tells the recipient the sender is away, and completes once it is back', async () => {
    const [sender, r1] = pages()
    await expect.poll(async () => sender.locator('[data-testid="machine-lab-01"]').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    const size = 24 * MiB
    const path = fileOnSender(fx, 'orphan.iso', size, 0x51)
    await sendByPath(sender, path, 'orphan.iso', ['lab-01'])
    await testId(r1, 'offer-orphan.iso').waitFor({ timeout: 30_000 })
    await r1.setViewportSize({ width: 800, height: 800 })
    const before = await testId(r1, 'offer-orphan.iso').textContent()
    console.log(`offer while the sender runs: ${before}`)

    const studio = agents[0]
    if (!studio) throw new Error('no sender agent')
    await studio.kill()
    const killedAt = Date.now()
    // Within the mDNS expiry (16 s) and a tick: the card says the sender is gone, and Accept stays.
    await expect.poll(async () => await testId(r1, 'sender-away-orphan.iso').count(), { timeout: 25_000, interval: 500 }).toBe(1)
    console.log(`offer card said the sender is away ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`)
    expect(await testId(r1, 'sender-away-orphan.iso').textContent()).toMatch(/^studio is not on the network now \(last seen .*\)\. Accepting starts the\s+download when it is back\.$/)
    await shot(r1, 'offer-sender-away-800-light')

    // Accepted anyway: the download waits on hold for the sender, nothing reads as live.
    await testId(r1, 'accept-orphan.iso').click()
    const members = testId(r1, 'members-card')
    await expect.poll(async () => await members.textContent(), { timeout: 20_000, interval: 500 }).toMatch(/lost contact .* resumes when it returns/)
    const main = (await r1.locator('main').textContent()) ?? ''
    expect(main).toContain('on hold')
    expect(main).toMatch(/copies in the swarm\s*0\.0|0\.0\s*copies in the swarm/)
    expect(main).not.toContain('estimating')
    await shot(r1, 'offer-sender-away-accepted-800-light')

    await studio.start()
    await expect.poll(() => {
      try { return sha256(readFileSync(join(fx.work, 'dl1', 'orphan.iso'))) } catch { return '' }
    }, { timeout: 90_000, interval: 500 }).toBe(sha256(patternBytes(size, 0x51)))
  }, 240_000)
})
