// The web UI's ways of sharing a file when things go wrong, end to end in Chromium against real
// agents (`swarmdrop agent --ui` in lab namespaces; studio's uploads folder on a small tmpfs of this
// test's own, the page's upload throttled so a person has time to press Cancel): an upload
// cancelled, too big for the disk, broken off by the agent killed, a second one dropped while one
// runs, an empty file; the path field given what cannot be sent, and the folder browser in a
// folder of 10,000 entries. Each asserts what the window says and what is left on disk.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { overflow, testId } from './ui-actions.js'
import { chromiumMissing, dropFile, screenshot, uiLab } from './ui-lab.js'

const MiB = 1024 * 1024
const SHOTS = resolve('docs/screenshots')
const TMPFS_MB = 400

/** The page's uploads at `bytesPerSec` (Chromium's own network throttle), slow enough to act on. */
async function throttle (page: Page, bytesPerSec: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSec })
}

const errorText = async (page: Page): Promise<string> =>
  await page.locator('[data-testid="error-message"] span').first().textContent({ timeout: 1000 }).catch(() => '') ?? ''

async function dismissError (page: Page): Promise<void> {
  const b = page.locator('[data-testid="error-message"] button')
  if (await b.count() > 0) await b.first().click()
}

/** The bytes the upload bar says were sent, waiting until at least `min` MB. */
async function uploadedAtLeast (page: Page, minMb: number): Promise<void> {
  await expect.poll(async () => {
    const t = await testId(page, 'upload-bytes').textContent({ timeout: 500 }).catch(() => '') ?? ''
    const m = /^([\d.]+) MB of/.exec(t)
    return m ? Number(m[1]) : 0
  }, { timeout: 30_000, interval: 200 }).toBeGreaterThanOrEqual(minMb)
}

const shot = async (page: Page, name: string, width: number, scheme: 'light' | 'dark'): Promise<void> => {
  await page.setViewportSize({ width, height: 800 })
  await page.emulateMedia({ colorScheme: scheme })
  try {
    await page.waitForTimeout(400)
    await screenshot(page, SHOTS, name)
  } finally {
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1280, height: 800 })
  }
}

describe.skipIf(chromiumMissing() !== undefined)('the web UI\'s upload and path field when things go wrong', () => {
  let uploads = ''
  const { fx, agents, pages } = uiLab('e2e-upld', 100, lab => {
    uploads = join(lab.work, 'd0', 'uploads')
    mkdirSync(uploads, { recursive: true })
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MB}m`, 'swarmdrop-e2e-tmpfs', uploads])
  })
  let socketServer: Server | undefined
  afterAll(() => {
    socketServer?.close()
    if (uploads) execFileSync('umount', ['-l', uploads])
  })
  const onDisk = (): string[] => readdirSync(uploads).sort()

  it('cancels an upload mid-way, keeps nothing, and takes the same file again', async () => {
    const [s] = pages()
    await throttle(s, 40 * MiB)
    await dropFile(s, 'big.iso', 200 * MiB, 1)
    await uploadedAtLeast(s, 20)
    expect(onDisk()).toHaveLength(1)
    expect(onDisk()[0]).toMatch(/\.partial$/)
    await testId(s, 'upload-cancel').click()
    await expect.poll(async () => testId(s, 'notice').textContent()).toBe('Upload of big.iso cancelled; nothing was kept.')
    await expect.poll(onDisk, { timeout: 5000 }).toEqual([])
    expect(await testId(s, 'upload').count()).toBe(0)

    await dropFile(s, 'big.iso', 200 * MiB, 1)
    await testId(s, 'dist-big.iso').waitFor({ timeout: 60_000 })
    expect(onDisk()).toHaveLength(1)
    expect(readdirSync(join(uploads, onDisk()[0] ?? ''))).toEqual(['big.iso'])
  }, 120_000)

  it('refuses an upload too big for the data folder before sending it, in sizes people read', async () => {
    const [s] = pages()
    const before = onDisk()
    const t0 = Date.now()
    // About 200 MiB is left of the 400 MiB disk; 64 MiB of it stay free.
    await dropFile(s, 'huge.iso', 150 * MiB, 2)
    await expect.poll(async () => errorText(s), { timeout: 10_000, interval: 100 }).toMatch(/^Not enough space for huge\.iso in the agent's data folder .*\/uploads: it needs 157 MB, and [\d.]+ MB of the [\d.]+ MB free there can be used \(67\.1 MB stay free for the agent's own files\)\.$/)
    // 157 MB at 40 MiB/s takes almost 4 s to send: the answer comes before the bytes.
    console.log('too big: refused after', Date.now() - t0, 'ms')
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(onDisk()).toEqual(before)
    await dismissError(s)
  }, 60_000)

  it('deletes a second upload of the same file at once; says the connection broke when the agent is killed mid-upload; its restart deletes the part; a new upload works', async () => {
    const [s] = pages()
    // The same file dropped twice is one distribution (the first copy); the second copy, shared by
    // none, is deleted as soon as that is known.
    const shared = onDisk()
    for (let i = 0; i < 2; i++) {
      await dropFile(s, 'twice.bin', 1 * MiB, 9)
      await testId(s, 'dist-twice.bin').waitFor({ timeout: 30_000 })
      await expect.poll(async () => testId(s, 'hashing').count(), { timeout: 10_000 }).toBe(0)
    }
    expect(await s.locator('[data-testid="dist-twice.bin"]').count()).toBe(1)
    await expect.poll(() => onDisk().filter(n => !shared.includes(n)), { timeout: 10_000 }).toHaveLength(1)
    const twice = onDisk().filter(n => !shared.includes(n))
    // The window says why the second drop added nothing.
    const said = s.locator('[data-testid="device-notice"]', { hasText: 'twice.bin was uploaded again' })
    await said.waitFor({ timeout: 10_000 })
    expect(await said.textContent()).toMatch(/^twice\.bin was uploaded again: it is shared already \(from \/.*\/twice\.bin\), so the second copy was deleted\./)
    await shot(s, 'upload-twice-800-light', 800, 'light')
    await said.getByRole('button', { name: 'Dismiss' }).click()
    const before = onDisk()
    await dropFile(s, 'killed.iso', 80 * MiB, 3)
    await uploadedAtLeast(s, 15)
    await agents[0]?.kill()
    await expect.poll(async () => errorText(s), { timeout: 10_000 }).toMatch(/^The upload of killed\.iso broke off after [\d.]+ MB of 83\.9 MB: the connection to the agent was lost; the part it received is deleted \(at its next start, if it stopped\), and the file can be dropped again once the agent is back\.$/)
    expect(await testId(s, 'upload').count()).toBe(0)
    // Killed, the agent could not delete it: the part waits on disk, marked unfinished.
    const left = onDisk().filter(n => !before.includes(n))
    expect(left).toHaveLength(1)
    expect(left[0]).toMatch(/\.partial$/)
    // The window also says the agent is gone (its heartbeat), so nothing on it reads as live.
    await testId(s, 'connection-lost').waitFor({ timeout: 15_000 })
    await shot(s, 'upload-killed-800-light', 800, 'light')

    await agents[0]?.start()
    // The UI server sweeps as it starts, just after the agent's listening line: the unfinished
    // upload is gone, the shared copies stay.
    await expect.poll(onDisk, { timeout: 10_000 }).toHaveLength(shared.length + 1)
    expect(onDisk().filter(n => !twice.includes(n))).toEqual(shared)
    expect(readdirSync(join(uploads, onDisk().find(n => twice.includes(n)) ?? ''))).toEqual(['twice.bin'])
    await dismissError(s)
    await expect.poll(async () => s.locator('.banner').count(), { timeout: 20_000 }).toBe(0)
    await dropFile(s, 'after.bin', 3 * MiB, 4)
    await testId(s, 'dist-after.bin').waitFor({ timeout: 30_000 })
  }, 120_000)

  it('refuses a second upload while one runs, keeping the first one\'s bar, and an empty file without a copy', async () => {
    const [s] = pages()
    await throttle(s, 20 * MiB)
    await dropFile(s, 'one.iso', 40 * MiB, 5)
    await uploadedAtLeast(s, 5)
    await dropFile(s, 'two.iso', 10 * MiB, 6)
    await expect.poll(async () => errorText(s)).toBe('two.iso was not uploaded: one.iso is still uploading; wait for it or cancel it, then drop the file again.')
    expect(await testId(s, 'upload').textContent()).toContain('Uploading one.iso to the agent')
    await shot(s, 'upload-busy-640-dark', 640, 'dark')
    await testId(s, 'dist-one.iso').waitFor({ timeout: 30_000 })
    expect(await s.locator('[data-testid="dist-two.iso"]').count()).toBe(0)
    await dismissError(s)

    const before = onDisk()
    await dropFile(s, 'empty.bin', 0, 7)
    await expect.poll(async () => errorText(s)).toBe('empty.bin is empty: there is nothing to send.')
    expect(onDisk()).toEqual(before)
    await dismissError(s)
  }, 90_000)

  it('says in one sentence why the path field cannot share a missing path, a FIFO, a socket or an empty /proc file', async () => {
    const [s] = pages()
    const odd = join(fx.work, 'odd')
    mkdirSync(odd, { recursive: true })
    execFileSync('mkfifo', [join(odd, 'pipe')])
    socketServer = createServer()
    await new Promise<void>(done => socketServer?.listen(join(odd, 'sock'), done))
    await testId(s, 'nav-send-path').click()
    const said = {
      [join(odd, 'missing.iso')]: `${join(odd, 'missing.iso')}: no such file or folder.`,
      // A FIFO would block the hashing forever: refused by what it is, at once.
      [join(odd, 'pipe')]: `${join(odd, 'pipe')} is neither a file nor a folder.`,
      [join(odd, 'sock')]: `${join(odd, 'sock')} is neither a file nor a folder.`,
      '/proc/self/status': '/proc/self/status is empty: there is nothing to send.'
    }
    for (const [path, text] of Object.entries(said)) {
      await dismissError(s)
      await testId(s, 'path-input').fill(path)
      await testId(s, 'path-send').click()
      await expect.poll(async () => errorText(s), { timeout: 5000 }).toBe(text)
      expect(await testId(s, 'hashing').count()).toBe(0)
      expect(await testId(s, 'path-send').textContent()).toBe('Share this path')
    }
    await dismissError(s)
  }, 60_000)

  it('browses a folder of 10,000 entries at once: the first 2,000, says so, fits 800 px', async () => {
    const [s] = pages()
    const many = join(fx.work, 'many')
    mkdirSync(many, { recursive: true })
    for (let i = 0; i < 10_000; i++) writeFileSync(join(many, `frame-${String(i).padStart(5, '0')}.exr`), 'x')
    await s.setViewportSize({ width: 800, height: 800 })
    try {
      await testId(s, 'path-input').fill(many)
      const t0 = Date.now()
      await testId(s, 'path-browse').click()
      await testId(s, 'folder-browser').waitFor({ timeout: 10_000 })
      expect(Date.now() - t0).toBeLessThan(3000)
      expect(await testId(s, 'folder-path').textContent()).toBe(many)
      expect(await s.locator('[data-testid="folder-browser"] li').count()).toBe(2000)
      expect(await testId(s, 'folder-browser').innerText()).toContain('Showing the first 2,000 entries; type the path to reach the others.')
      // The list scrolls inside the card; the page stays within the window.
      const box = await testId(s, 'folder-browser').boundingBox()
      expect(box?.height ?? Infinity).toBeLessThan(800)
      const o = await overflow(s)
      expect(Math.max(o.main, o.body)).toBeLessThanOrEqual(0)
      // Still answering: a file picked from the list fills the path field.
      await testId(s, 'entry-frame-00042.exr').click()
      expect(await testId(s, 'path-input').inputValue()).toBe(join(many, 'frame-00042.exr'))
      await screenshot(s, '/tmp/upload-shots', 'browse-10000-800')
    } finally {
      await s.setViewportSize({ width: 1280, height: 800 })
    }
  }, 90_000)
})
