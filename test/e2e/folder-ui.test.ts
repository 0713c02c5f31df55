// A folder of many small files sent through the window, end to end in Chromium against real agents
// (three lab namespaces, `swarmdrop agent --ui`, recipients asking): the studio shares a folder of
// about 3,000 small files (sub-folders, names with spaces and non-ASCII characters, one long nested
// path) and one larger file by its path and sends it to lab-01 and lab-02. The offer card says it is
// a folder, how many files, how big, where it lands; the sender's view mid-transfer; lab-02 killed
// with SIGKILL mid-transfer and restarted (it resumes; both windows say so meanwhile); both copies
// identical to the source, file by file; the exported report (JSON and CSV) says what was sent: a
// folder, its size and file count, each machine's state. Screenshots in docs/screenshots.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { FleetReport } from '../../common/api.js'
import { digestTree, partLeftovers } from '../multi/tree-digest.js'
import { answer, overflow, progressOf, sendByPath, stateOf, testId } from './ui-actions.js'
import { chromiumMissing, patternBytes, screenshot, uiLab } from './ui-lab.js'

const MiB = 1024 * 1024
const SHOTS = resolve('docs/screenshots')
const LOOK = process.env.FOLDER_UI_SHOTS ?? ''
const FOLDER = 'hls-2024-06'
const SMALL = 3000
const BIG = 64 * MiB
const LONG_PATH = 'archive/2024/june/week 26/camera-north/raw/unsorted/please keep/segment-with-a-rather-long-descriptive-name-0001.ts'

/** The folder on the studio's disk: its path, its file count and total bytes. */
function folderOnSender (work: string): { path: string; files: number; bytes: number } {
  const root = join(work, 'on-sender', FOLDER)
  const dirs = ['720p', '1080p', 'audio ünd sprache', 'café – 日本']
  let bytes = 0
  const put = (rel: string, size: number, seed: number): void => {
    const path = join(root, rel)
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, patternBytes(size, seed))
    bytes += size
  }
  for (let i = 0; i < SMALL - 1; i++) {
    const dir = dirs[i % dirs.length] ?? '720p'
    put(`${dir}/segment ${String(i).padStart(4, '0')}.ts`, 2048 + (i * 97) % 6144, 0x5000 + i)
  }
  put(LONG_PATH, 4096, 0x4242)
  put('master.mp4', BIG, 0xb16)
  return { path: root, files: SMALL + 1, bytes }
}

/**
 * A screenshot at `width` in `scheme` after checking nothing is pushed sideways; kept in
 * docs/screenshots when `keep`, and with FOLDER_UI_SHOTS=DIR every state is saved there to look at.
 */
async function shot (p: Page, name: string, width: number, opts: { scheme?: 'light' | 'dark'; keep?: boolean } = {}): Promise<void> {
  await p.emulateMedia({ colorScheme: opts.scheme ?? 'light' })
  await p.setViewportSize({ width, height: 900 })
  try {
    await p.waitForTimeout(400)
    const o = await overflow(p)
    expect(Math.max(o.main, o.body, o.card), `${name}: pushed sideways`).toBeLessThanOrEqual(0)
    if (opts.keep === true) await screenshot(p, SHOTS, name)
    if (LOOK !== '') await screenshot(p, LOOK, name)
  } finally {
    await p.emulateMedia({ colorScheme: 'light' })
    await p.setViewportSize({ width: 1280, height: 800 })
  }
}

const text = async (p: Page, id: string): Promise<string> => (await testId(p, id).textContent()) ?? ''

/** The file the page saves when `id` is clicked, as text. */
async function download (p: Page, id: string): Promise<{ name: string; body: string }> {
  const [d] = await Promise.all([p.waitForEvent('download', { timeout: 15_000 }), testId(p, id).click()])
  const path = await d.path()
  return { name: d.suggestedFilename(), body: readFileSync(path, 'utf8') }
}

describe.skipIf(chromiumMissing() !== undefined)('a folder of many small files, in the window, with a recipient killed', () => {
  // Recipients receive at 40 Mbit/s (5 MB/s): about 80 MB takes some 16 s, time to act mid-way.
  const { fx, agents, pages } = uiLab('e2e-folder', 40)

  it('offers it as a folder, shows it spreading, survives a SIGKILL, lands identical, reports it', async () => {
    const [sender, r1, r2] = pages()
    await expect.poll(async () => sender.locator('[data-testid="machine-lab-02"]').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    await expect.poll(async () => sender.locator('[data-testid="machine-lab-01"]').count(), { timeout: 30_000 }).toBeGreaterThan(0)
    const src = folderOnSender(fx.work)
    const want = await digestTree(src.path)
    expect(want.size).toBe(src.files)

    await sendByPath(sender, src.path, FOLDER, ['lab-01', 'lab-02'])

    // The offer card: a folder, how many files, how big, where it lands.
    await testId(r1, `offer-${FOLDER}`).waitFor({ timeout: 60_000 })
    // The first look at this card read "82.4 MB · 3,001 files … Saves to …/dl1": nothing said it
    // was a folder, nor that it lands as one.
    expect(await text(r1, `offer-size-${FOLDER}`)).toBe(`${(src.bytes / 1e6).toFixed(1)} MB · folder of 3,001 files`)
    expect(await text(r1, `offer-dest-${FOLDER}`)).toMatch(new RegExp(`^Saves as a new folder in ${join(fx.work, 'dl1')}, which has [\\d.]+ [KMGT]?B free\\.`))
    await shot(r1, 'folder-offer-800-light', 800)
    await shot(r1, 'folder-offer-640-dark', 640, { scheme: 'dark', keep: true })

    await answer(r1, FOLDER, 'accept')
    await answer(r2, FOLDER, 'accept')
    await testId(r1, `dist-${FOLDER}`).click()
    await testId(r2, `dist-${FOLDER}`).click()

    // Mid-transfer on the sender.
    for (const m of ['lab-01', 'lab-02']) await expect.poll(async () => progressOf(sender, m), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(15)
    // Said of a folder, not of "the file".
    expect(await text(sender, 'dist-title-text')).toBe(FOLDER)
    expect(await text(sender, 'distribution')).toContain('3,001 files')
    expect(await sender.getByRole('columnheader', { name: 'Whole folder' }).count()).toBe(1)
    expect(await text(sender, 'piece-verified-machines')).toBe('Whole folder verified on 1 of 3 machines.')
    expect(await text(sender, 'swarm-totals')).toContain('sent by the origin (× folder size)')
    await shot(sender, 'folder-sending-800-light', 800)
    await shot(sender, 'folder-sending-640-dark', 640, { scheme: 'dark' })
    await shot(r1, 'folder-receiving-800-light', 800)

    // lab-02 dies mid-transfer.
    const victim = agents[2]
    if (!victim) throw new Error('no lab-02 agent')
    await victim.kill()
    const atKill = await progressOf(r2, 'lab-02')
    await expect.poll(async () => stateOf(sender, 'lab-02'), { timeout: 10_000, interval: 250 }).toBe('lost')
    await sender.waitForTimeout(1500)
    // The sender says it is away and will resume, promises it no time, and counts it.
    expect(await text(sender, 'member-state-lab-02')).toMatch(/^⚠\s*lost contact 0:0\d ago — resumes when it returns$/)
    expect(await text(sender, 'member-eta-lab-02')).toBe('—')
    expect(await text(sender, 'member-rate-lab-02')).toBe('—')
    expect(await text(sender, 'totals-lost')).toContain('1')
    // The slowest is away: no time for everyone (the first look read "0:14 until the slowest is
    // done", lab-01's own time, with lab-02 at 21 % and gone).
    expect(await text(sender, 'totals-eta')).toBe('on hold')
    expect(await text(sender, 'totals-eta-figure')).toContain('until lab-02 returns')
    expect(await stateOf(sender, 'lab-01')).toBe('downloading')
    // Its own window no longer hears its agent and says so.
    await testId(r2, 'connection-lost').waitFor({ timeout: 10_000 })
    await shot(sender, 'folder-lost-800-light', 800, { keep: true })
    await shot(r2, 'folder-killed-own-window-800-light', 800)

    await victim.start()
    await expect.poll(async () => stateOf(sender, 'lab-02'), { timeout: 30_000, interval: 250 }).not.toBe('lost')
    await expect.poll(async () => testId(r2, 'connection-lost').count(), { timeout: 30_000, interval: 250 }).toBe(0)
    // Resumed: it did not start again from nothing (what was written before the kill is kept).
    expect(await progressOf(r2, 'lab-02')).toBeGreaterThanOrEqual(Math.max(0, atKill - 5))
    await shot(r2, 'folder-resumed-800-light', 800)
    await shot(sender, 'folder-resumed-sender-800-light', 800)

    for (const m of ['lab-01', 'lab-02']) await expect.poll(async () => stateOf(sender, m), { timeout: 180_000, interval: 500 }).toBe('verified')
    for (const [p, m] of [[r1, 'lab-01'], [r2, 'lab-02']] as const) await expect.poll(async () => stateOf(p, m), { timeout: 30_000, interval: 500 }).toBe('verified')
    for (const i of [1, 2]) {
      const copy = join(fx.work, `dl${i}`, FOLDER)
      const have = await digestTree(copy)
      const differ = [...want].filter(([p, sha]) => have.get(p) !== sha).map(([p]) => p)
      expect(differ, `dl${i}: missing or different`).toEqual([])
      expect([...have.keys()].filter(p => !want.has(p)), `dl${i}: extra files`).toEqual([])
      expect(await partLeftovers(join(fx.work, `dl${i}`))).toEqual([])
    }
    // Each window learns the others' verification from their reports: within seconds, not at once.
    for (const p of [sender, r1, r2]) {
      await expect.poll(async () => text(p, 'piece-verified-machines'), { timeout: 45_000, interval: 250 }).toBe('Whole folder verified on 3 of 3 machines.')
    }
    await shot(sender, 'folder-done-800-light', 800)
    await shot(r2, 'folder-done-r2-640-dark', 640, { scheme: 'dark' })

    // The report says what was sent (a folder of 3,001 files, its size) and each machine's state;
    // the first export said nothing of a folder or its files.
    const json = await download(sender, 'export-report')
    expect(json.name).toBe(`${FOLDER}-report.json`)
    const report = JSON.parse(json.body) as FleetReport
    expect(report.distributions.length).toBe(1)
    const d = report.distributions[0]
    expect(d && { name: d.name, isFolder: d.isFolder, fileCount: d.fileCount, totalLength: d.totalLength, role: d.role })
      .toEqual({ name: FOLDER, isFolder: true, fileCount: src.files, totalLength: src.bytes, role: 'origin' })
    expect(d?.machines.map(m => [m.name, m.state, m.bytes, m.receipt !== null])).toEqual([['lab-01', 'verified', src.bytes, true], ['lab-02', 'verified', src.bytes, true]])
    const csv = await download(sender, 'export-report-csv')
    expect(csv.name).toBe(`${FOLDER}-report.csv`)
    const [head, ...rows] = csv.body.split('\r\n').filter(l => l !== '')
    const cols = (head ?? '').split(',')
    const cell = (row: string, col: string): string | undefined => row.split(',')[cols.indexOf(col)]
    expect(rows.map(r => ['name', 'size', 'kind', 'files', 'machineName', 'state', 'bytes'].map(c => cell(r, c)))).toEqual([
      [FOLDER, String(src.bytes), 'folder', String(src.files), 'lab-01', 'verified', String(src.bytes)],
      [FOLDER, String(src.bytes), 'folder', String(src.files), 'lab-02', 'verified', String(src.bytes)]
    ])
  }, 420_000)
})
