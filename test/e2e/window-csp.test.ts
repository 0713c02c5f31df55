// The desktop window's Content-Security-Policy against the real renderer build: in Chromium, with
// exactly the header window.ts installs, the app must draw its state with no violation at all,
// while an injected inline script is refused (so the policy is in force, not ignored).
// Electron cannot run here; Chromium (in a lab namespace, pages served by Playwright's router
// from renderer/dist, nothing on any network) enforces CSP the same way. The page gets its
// window.swarmdrop from an init script standing in for the preload, answering a fixed state.
import { existsSync, readFileSync } from 'node:fs'
import { extname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AppState } from '../../common/api.js'
import { CONTENT_SECURITY_POLICY } from '../../main/electron/security-policy.js'
import { DEFAULT_CHROMIUM } from '../lab/chromium-in-ns.js'
import { labFixture } from '../multi/lab-fixture.js'
import { HASH_A, MiB, appState, distribution, member, offer } from '../unit/electron/app-state-fixture.js'
import { labChromium } from './lab-chromium.js'

const DIST = resolve('renderer/dist')
const ORIGIN = 'http://swarmdrop.test'
const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2'
}

/** A state with something in every part of the window, piece bytes as plain arrays for JSON. */
function stateJson (): string {
  const self = member({ id: 'f'.repeat(32), name: 'desk-01', self: true, origin: true, state: 'verified', verified: true, verifiedBytes: 16 * MiB })
  const state: AppState = appState({
    distributions: [distribution({
      infoHash: HASH_A,
      name: 'ubuntu-24.04-server.iso',
      members: [self, member({ id: 'a'.repeat(32), name: 'lab-01', verifiedBytes: 8 * MiB, rate: 96e6, etaSeconds: 7 })]
    })],
    offers: [offer({ offerId: 'o1', name: 'dataset.tar' })],
    rates: { upload: 118e6, download: 0 }
  })
  return JSON.stringify(state, (_k, v: unknown) => v instanceof Uint8Array ? [...v] : v)
}

// Runs in the page before its scripts: the API the preload would expose, and a violation log.
const INIT = (json: string): string => `
(() => {
  const state = ${json};
  for (const d of state.distributions) {
    d.pieces.holders = new Uint8Array(d.pieces.holders);
    d.pieces.local = new Uint8Array(d.pieces.local);
  }
  const ok = (value) => Promise.resolve({ ok: true, value });
  const api = {
    shell: 'electron',
    getState: () => ok(state),
    subscribe: (listener) => { setTimeout(() => listener(state), 0); return () => {}; },
    createFromFiles: () => ok({ jobId: 'job' }), offer: () => ok({ offered: 1 }),
    accept: () => ok({ infoHash: state.offers[0].infoHash }), decline: () => ok({}),
    pause: () => ok({}), resume: () => ok({}), openFolder: () => ok({ path: '/', opened: true }),
    chooseFolder: () => ok(null), updateSettings: () => ok(state.settings), trust: () => ok({}), untrust: () => ok({})
  };
  Object.defineProperty(window, 'swarmdrop', { value: Object.freeze(api) });
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample);
  });
})();
`

describe.skipIf(!existsSync(DEFAULT_CHROMIUM))('the desktop window CSP with the real renderer', () => {
  const browser = labChromium(labFixture(1, 'ecsp'))

  it.each([
    ['with the header the desktop shell adds', true],
    ['from the page\'s own meta policy alone (a file:// load has no headers)', false]
  ])('draws the app with no violation, and refuses an inline script: %s', async (_how, withHeader) => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('renderer/dist is missing: run npm run build:ui first')
    const page = await browser.newPage()
    await page.route('**/*', route => {
      const url = new URL(route.request().url())
      const file = join(DIST, url.pathname === '/' ? 'index.html' : url.pathname)
      if (url.origin !== ORIGIN || !file.startsWith(DIST) || !existsSync(file)) return route.fulfill({ status: 404, body: '' })
      return route.fulfill({
        status: 200,
        headers: { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...(withHeader ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } : {}) },
        body: readFileSync(file)
      })
    })
    await page.addInitScript({ content: INIT(stateJson()) })
    await page.goto(`${ORIGIN}/index.html`, { timeout: 20_000 })
    await page.getByText('desk-01').first().waitFor({ timeout: 15_000 })
    await page.getByText('ubuntu-24.04-server.iso').first().waitFor({ timeout: 5_000 })
    expect(await page.evaluate('window.__violations')).toEqual([])

    const ran = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = true';
      document.head.appendChild(s);
      return window.__inline === true;
    })()`)
    expect(ran).toBe(false)
    const violations = await page.evaluate('window.__violations') as string[]
    expect(violations.some(v => v.startsWith('script-src'))).toBe(true)
  }, 60_000)
})
