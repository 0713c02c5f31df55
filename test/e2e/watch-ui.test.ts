// Watched folders in the window when things go wrong, end to end in Chromium against real agents
// (three lab namespaces, `swarmdrop agent --ui`, recipients accepting all): lab-00 watches a folder
// for the group "lab" (lab-01, lab-02). Files go out in batches; lab-02's agent is killed with
// SIGKILL while files keep appearing (some while a batch is in flight); lab-00's window names who
// is behind and by how much, lab-01's row says what it holds; lab-02 restarted catches up with
// every batch it missed, byte for byte, and lab-00's window then says everyone is up to date. Then
// a file edited after it was sent, and the watched folder renamed away and back (its batches served
// again as they were, none sent again), as the window says them. Screenshots in docs/screenshots.
import { appendFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabAgent } from '../multi/lab-agent.js'
import { labFixture } from '../multi/lab-fixture.js'
import { peersOn } from '../multi/status-json.js'
import { digestTree } from '../multi/tree-digest.js'
import { overflow, testId } from './ui-actions.js'
import { chromiumMissing, openUi, patternBytes, screenshot, uiUrlOf, type HostBrowser } from './ui-lab.js'

const MiB = 1024 * 1024
const SHOTS = resolve('docs/screenshots')
const LOOK = process.env.WATCH_UI_SHOTS ?? ''
// Recipients receive at 40 Mbit/s (5 MB/s): a 24 MiB batch is in flight for about 5 s.
const fx = labFixture([{ name: 'sender' }, { downMbit: 40 }, { downMbit: 40 }], 'e2e-watch')
const agents: LabAgent[] = []
const ui: HostBrowser[] = []
let src = ''

function page (i: number): Page {
  const p = ui[i]?.page
  if (p === undefined) throw new Error(`no browser on host ${i}`)
  return p
}

function agent (i: number): LabAgent {
  const a = agents[i]
  if (a === undefined) throw new Error(`no agent on host ${i}`)
  return a
}

const summaryOf = async (p: Page, row: string): Promise<string> => (await testId(p, `${row}-summary`).textContent()) ?? ''

/**
 * A screenshot at `width`, in `scheme`, after checking nothing is pushed sideways; with `menu` the
 * sidebar (where the watched folders are) is opened first, as it is folded below 900 px. Kept in
 * docs/screenshots when `keep`; with WATCH_UI_SHOTS=DIR every state is also saved there to look at.
 */
async function shot (p: Page, name: string, width: number, opts: { scheme?: 'light' | 'dark'; menu?: boolean; keep?: boolean } = {}): Promise<void> {
  await p.emulateMedia({ colorScheme: opts.scheme ?? 'light' })
  await p.setViewportSize({ width, height: 900 })
  try {
    if (opts.menu === true) await testId(p, 'menu-toggle').click()
    await p.waitForTimeout(400)
    const o = await overflow(p)
    expect(Math.max(o.main, o.body), `${name}: pushed sideways`).toBeLessThanOrEqual(0)
    if (opts.menu === true) {
      const sidebar = await testId(p, 'sidebar').evaluate(el => el.scrollWidth - el.clientWidth)
      expect(sidebar, `${name}: the sidebar pushed sideways`).toBeLessThanOrEqual(0)
    }
    if (opts.keep === true) await screenshot(p, SHOTS, name)
    if (LOOK !== '') await screenshot(p, LOOK, name)
  } finally {
    if (opts.menu === true) await p.keyboard.press('Escape')
    await p.emulateMedia({ colorScheme: 'light' })
    await p.setViewportSize({ width: 1280, height: 800 })
  }
}

function writeSource (name: string, size: number, seed: number): void {
  writeFileSync(join(src, name), patternBytes(size, seed))
}

/** Resolves when host i's channel folder holds every file of the watched folder, byte for byte. */
async function caughtUp (i: number, limitMs: number): Promise<void> {
  const copy = join(fx.work, `dl${i}`, 'segments')
  await expect.poll(async () => {
    if (!existsSync(copy)) return 'no channel folder yet'
    const [want, have] = await Promise.all([digestTree(src), digestTree(copy)])
    const missing = [...want].filter(([path, sha]) => have.get(path) !== sha).map(([path]) => path)
    return missing.length === 0 ? 'all there' : `missing or different: ${missing.join(', ')}`
  }, { timeout: limitMs, interval: 500 }).toBe('all there')
}

describe.skipIf(chromiumMissing() !== undefined)('a watched folder in the window when a machine is away, a file changes, the folder goes', () => {
  beforeAll(async () => {
    for (const [i, name] of ['lab-00', 'lab-01', 'lab-02'].entries()) agents.push(fx.agent(i, name, 'all', ['--ui']))
    const ids: string[] = []
    for (const a of agents) ids.push((await a.start()).id)
    // Outside a test expect.poll is not allowed: a bounded wait of its own.
    const deadline = Date.now() + 30_000
    while (!(await peersOn(fx, 0, 10_000)).some(m => m.id === ids[2]) || !(await peersOn(fx, 0, 10_000)).some(m => m.id === ids[1])) {
      if (Date.now() > deadline) throw new Error('lab-00 did not see lab-01 and lab-02 within 30 s')
      await new Promise(resolve => setTimeout(resolve, 500))
    }
    const grouped = await fx.cli(0, ['group', 'add', 'lab', ...ids.slice(1)])
    expect(grouped.code, grouped.stderr).toBe(0)
    src = join(fx.work, 'segments')
    mkdirSync(src, { recursive: true })
    for (const i of [0, 1]) ui.push(await openUi(fx, i, await uiUrlOf(agent(i))))
  }, 120_000)

  afterAll(async () => {
    for (const b of ui) await b.close()
  })

  it('sends what appears in batches; with lab-02 killed, says who is behind and by how much; lab-02 back catches up', async () => {
    const origin = page(0)
    const r1 = page(1)
    // Watched from the window, as an operator would.
    await testId(origin, 'watch-add').click()
    await testId(origin, 'watch-path').fill(src)
    await testId(origin, 'watch-form').evaluate(f => { (f as HTMLFormElement).requestSubmit() })
    await testId(origin, 'channel-segments').waitFor({ timeout: 10_000 })
    expect(await testId(origin, 'channel-segments').textContent()).toContain('segments → @lab')

    for (let n = 0; n < 3; n++) writeSource(`a-${n}.bin`, 2 * MiB, 0xa0 + n)
    await expect.poll(async () => summaryOf(origin, 'channel-segments'), { timeout: 60_000, interval: 250 })
      .toBe('nothing waiting · batch 1: 2 of 2 verified · everyone up to date')

    // lab-02 dies; files keep appearing, some while a batch is in flight to lab-01.
    await agent(2).kill()
    writeSource('b-0.bin', 24 * MiB, 0xb0)
    await expect.poll(async () => summaryOf(origin, 'channel-segments'), { timeout: 30_000, interval: 250 }).toContain('batch 2: 0 of 2 verified')
    writeSource('c-0.bin', 3 * MiB, 0xc0)
    writeSource('c-1.bin', 3 * MiB, 0xc1)
    await expect.poll(async () => summaryOf(origin, 'channel-segments'), { timeout: 30_000, interval: 250 }).toContain('batch 3:')
    // One more still being written when the windows are looked at: it is the backlog.
    const growing = join(src, 'd-0.bin')
    writeFileSync(growing, patternBytes(MiB, 0xd0))
    const writer = setInterval(() => { appendFileSync(growing, patternBytes(64 * 1024, 0xd1)) }, 500)
    try {
      // Who is behind, by how much, and that it is away: batches 2 and 3 (24 + 6 MiB).
      await expect.poll(async () => testId(origin, 'channel-segments-details').textContent(), { timeout: 30_000, interval: 250 })
        .toBe('lab-02 is away: 2 batches behind (31.5 MB), sent when it is back')
      await expect.poll(async () => summaryOf(origin, 'channel-segments'), { timeout: 10_000, interval: 250 }).toMatch(/^1 waiting · [\d.]+ MB · batch 3: [01] of 2 verified$/)
      await testId(origin, 'channel-segments').locator('button').first().click()
      // The row opens its last batch led by the folder as a whole: lab-02 lacks two batches, not
      // only the last one the batch's table shows it "offline" on.
      await expect.poll(async () => testId(origin, 'channel-card-members').locator('li').allTextContents(), { timeout: 10_000, interval: 250 })
        .toEqual(['lab-01 up to date', 'lab-02 away: 2 batches behind (31.5 MB), sent when it is back'])
      expect(await testId(origin, 'channel-card-shown').textContent()).toBe('Below: batch 3, the last of 3 batches sent.')
      await shot(origin, 'watch-folder-whole-800-light', 800, { keep: true })
      await shot(origin, 'watch-behind-800-light', 800, { menu: true, keep: true })
      await shot(origin, 'watch-behind-640-dark', 640, { scheme: 'dark', menu: true, keep: true })
      await shot(origin, 'look-behind-batch-800-light', 800)
      // lab-01's row: what it holds from lab-00, the last batch arriving or verified.
      await expect.poll(async () => summaryOf(r1, 'received-segments'), { timeout: 60_000, interval: 250 })
        .toBe('from lab-00 · 3 batches · 37.7 MB · last batch ✓ verified')
      await shot(r1, 'look-r1-800-light', 800, { menu: true })
    } finally {
      clearInterval(writer)
    }

    await agent(2).start()
    await caughtUp(2, 120_000)
    await caughtUp(1, 30_000)
    await expect.poll(async () => summaryOf(origin, 'channel-segments'), { timeout: 30_000, interval: 250 })
      .toBe('nothing waiting · batch 4: 2 of 2 verified · everyone up to date')
    expect(await testId(origin, 'channel-segments-details').count()).toBe(0)
    await shot(origin, 'look-caught-up-800-light', 800, { menu: true })
  }, 300_000)

  it('a file edited after it was sent goes out again by itself; the folder renamed away stands out, and is watched again once back', async () => {
    const origin = page(0)
    // a-1.bin went out in batch 1: edited, batch 1 is no longer served; its unchanged files go
    // again (to no one: both hold them) and the new version in a batch of its own.
    writeSource('a-1.bin', 2 * MiB, 0xe1)
    await caughtUp(1, 60_000)
    await caughtUp(2, 60_000)
    await expect.poll(async () => summaryOf(origin, 'channel-segments'), { timeout: 30_000, interval: 250 })
      .toMatch(/^nothing waiting · batch \d+: 2 of 2 verified · everyone up to date$/)
    await shot(origin, 'look-edited-800-light', 800, { menu: true })

    const before = /batch (\d+):/.exec(await summaryOf(origin, 'channel-segments'))?.[1] ?? ''
    renameSync(src, `${src}-old`)
    const gone = `! the watched folder ${src} is gone (moved, renamed or deleted); nothing is sent until it is back`
    await expect.poll(async () => summaryOf(origin, 'channel-segments'), { timeout: 20_000, interval: 250 }).toBe(gone)
    // And it stays said: the row read "a batch of 1 files could not be made: cannot open …" a round later.
    await origin.waitForTimeout(3000)
    expect(await summaryOf(origin, 'channel-segments')).toBe(gone)
    expect(await testId(origin, 'channel-segments').getAttribute('class')).toContain('channel-attention')
    // The batch the row opens is no longer served. Both machines had verified it: it was not being
    // sent (the banner said "changed on disk while being sent"), and it is served again once back.
    await testId(origin, 'channel-segments').locator('button').first().click()
    await expect.poll(async () => testId(origin, 'dist-reason').textContent(), { timeout: 20_000, interval: 250 })
      .toMatch(/^segments\/.+ went from the folder after every machine had verified this batch\. This batch is no longer served; it is served again if its files come back as they were\.$/)
    await shot(origin, 'watch-folder-gone-800-light', 800, { menu: true, keep: true })
    await shot(origin, 'look-folder-gone-batch-800-light', 800)

    renameSync(`${src}-old`, src)
    // Back as it was: its batches are served again as they were, none hashed or sent again (every
    // batch went out again, to nobody, as a new one: the row read "batch 12" for 6 batches).
    await expect.poll(async () => summaryOf(origin, 'channel-segments'), { timeout: 20_000, interval: 250 })
      .toBe(`nothing waiting · batch ${before}: 2 of 2 verified · everyone up to date`)
    await expect.poll(async () => testId(origin, 'dist-reason').count(), { timeout: 10_000, interval: 250 }).toBe(0)
    expect(await testId(origin, 'channel-segments').getAttribute('class')).not.toContain('channel-attention')
    await origin.waitForTimeout(6000)
    expect(await summaryOf(origin, 'channel-segments')).toBe(`nothing waiting · batch ${before}: 2 of 2 verified · everyone up to date`)
    await shot(origin, 'watch-folder-back-800-light', 800, { menu: true, keep: true })
    writeSource('f-0.bin', MiB, 0xf0)
    await caughtUp(1, 60_000)
    await caughtUp(2, 60_000)
    await expect.poll(async () => summaryOf(origin, 'channel-segments'), { timeout: 30_000, interval: 250 })
      .toBe(`nothing waiting · batch ${Number(before) + 1}: 2 of 2 verified · everyone up to date`)
    await shot(origin, 'look-back-800-light', 800, { menu: true })
  }, 240_000)
})
