/// <reference lib="dom" />
// The end-to-end setup for the UI: real agents started with `--ui` in lab namespaces, and one
// Debian Chromium per host, driven by Playwright, running inside that host's namespace (the web
// UI listens on the namespace's own loopback, as it would on a headless server).
import { chromium, type Browser, type Page } from 'playwright-core'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { writeChromiumWrapper, DEFAULT_CHROMIUM, type NsWrapper } from '../lab/chromium-in-ns.js'
import type { LabAgent } from '../multi/lab-agent.js'
import { labFixture, type LabFixture } from '../multi/lab-fixture.js'

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const UI_URL = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/

export function chromiumMissing (): string | undefined {
  return existsSync(DEFAULT_CHROMIUM) ? undefined : `${DEFAULT_CHROMIUM} is missing: install Debian's chromium (scripts/install-test-deps.sh does)`
}

/** The URL (with its token) a `--ui` agent printed, waiting for it up to `timeoutMs`. */
export async function uiUrlOf (agent: LabAgent, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    for (const line of agent.lines) {
      const m = UI_URL.exec(line)
      if (m) return m[0]
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${agent.name} printed no web UI URL within ${timeoutMs} ms\n${agent.tail()}`)
}

export interface HostBrowser {
  readonly browser: Browser
  readonly page: Page
  close (): Promise<void>
}

/** Chromium inside host i's namespace, one page open on `url`. */
export async function openUi (fx: LabFixture, i: number, url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<HostBrowser> {
  const wrapper = await writeChromiumWrapper(fx.host(i).ns)
  if (!wrapper.ok) throw new Error(wrapper.error.message)
  const w: NsWrapper = wrapper.value
  let browser: Browser | undefined
  try {
    browser = await chromium.launch({ executablePath: w.path, args: CHROMIUM_FLAGS, timeout: 30_000 })
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme })
    const page = await context.newPage()
    await page.goto(url, { timeout: 20_000 })
    const b = browser
    return {
      browser: b,
      page,
      close: async () => {
        await b.close().catch(() => {})
        await w.remove()
      }
    }
  } catch (err) {
    await browser?.close().catch(() => {})
    await w.remove()
    throw err
  }
}

/** The machine names of the three-machine UI lab: a sender and two lab machines. */
export const UI_LAB_NAMES = ['studio', 'lab-01', 'lab-02'] as const

export interface UiLab {
  readonly fx: LabFixture
  /** The agents, in the order of UI_LAB_NAMES (filled by the lab's beforeAll). */
  readonly agents: LabAgent[]
  /** The sender's and the two recipients' pages. */
  pages (): [Page, Page, Page]
}

/**
 * The set-up every UI end-to-end test shares: three lab namespaces, each running `swarmdrop agent
 * --ui` (the sender accepting all, the recipients asking), recipients receiving at `downMbit`, and
 * one Chromium per host on its agent's UI; closed after the file's tests. Call inside `describe`.
 * `beforeStart` runs once the lab is up, before the agents start.
 */
export function uiLab (tag: string, downMbit: number, beforeStart?: (fx: LabFixture) => void): UiLab {
  const fx = labFixture([{ name: 'sender' }, { downMbit }, { downMbit }], tag)
  const agents: LabAgent[] = []
  const ui: HostBrowser[] = []
  beforeAll(async () => {
    // An agent runs in its namespace's own view of the mounts, taken when it starts: a folder
    // mounted for it (a small disk) must be there before.
    beforeStart?.(fx)
    for (const [i, name] of UI_LAB_NAMES.entries()) agents.push(fx.agent(i, name, i === 0 ? 'all' : 'ask', ['--ui']))
    for (const a of agents) await a.start()
    for (const [i, a] of agents.entries()) ui.push(await openUi(fx, i, await uiUrlOf(a)))
  }, 120_000)
  afterAll(async () => {
    for (const b of ui) await b.close()
  })
  return {
    fx,
    agents,
    pages: () => {
      const [a, b, c] = ui.map(u => u.page)
      if (!a || !b || !c) throw new Error('browsers did not open')
      return [a, b, c]
    }
  }
}

/** A screenshot of `page` from the top of its view, saved as `dir/name.png`. */
export async function screenshot (page: Page, dir: string, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true })
  // From the top of the view; transitions finished, so a theme switch just before is fully painted.
  await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0))
  await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled' })
}

/** A screenshot of `page` at 800 px wide (as the windows are judged), saved as `dir/name.png`; the size is put back after. */
export async function screenshotAt800 (page: Page, dir: string, name: string): Promise<void> {
  await page.setViewportSize({ width: 800, height: 900 })
  try {
    await page.waitForTimeout(500)
    await screenshot(page, dir, name)
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 })
  }
}

/** Deterministic bytes (xorshift32) that the page and the test can both produce from a seed. */
export function patternBytes (length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    out[i] = x & 0xff
  }
  return out
}

/**
 * Drops a file of `length` pattern bytes named `name` on the page's drop zone, as a person's drag
 * and drop would: dragenter, dragover and drop events carrying a real DataTransfer with a File.
 */
export async function dropFile (page: Page, name: string, length: number, seed: number): Promise<void> {
  await page.evaluate(({ name, length, seed }) => {
    const bytes = new Uint8Array(length)
    let x = seed >>> 0 || 1
    for (let i = 0; i < length; i++) {
      x ^= x << 13; x >>>= 0
      x ^= x >>> 17
      x ^= x << 5; x >>>= 0
      bytes[i] = x & 0xff
    }
    const dt = new DataTransfer()
    dt.items.add(new File([bytes], name, { type: 'application/octet-stream' }))
    const target = document.querySelector('[data-testid="drop-zone"]') ?? document.body
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }))
    }
  }, { name, length, seed })
}
