// The renderer build in Chromium with a stand-in for the preload, for end-to-end tests that need
// the real window but not a real engine: the page's files are served from renderer/dist under a
// made-up origin, and an init script gives it the API the preload would expose, whose states come
// from the test (pushState) and whose commands answer ok unless the test routes one (exposed
// window functions, see INIT).
import { existsSync, readFileSync } from 'node:fs'
import { extname, join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import type { AppState } from '../../common/api.js'

export const RENDERER_DIST = resolve('renderer/dist')
export const PAGE_ORIGIN = 'http://swarmdrop.test'
const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2'
}

/** The state as JSON, piece maps as plain arrays (the page turns them back into bytes). */
export const stateJson = (s: AppState): string => JSON.stringify(s, (_k, v: unknown) => v instanceof Uint8Array ? [...v] : v)

// Runs in the page before its scripts: the API the preload would expose. The state comes from the
// test (window.__push); restartEngine goes to window.sdRestartEngine when the test exposed one;
// every other command answers ok.
const INIT = `
(() => {
  const revive = (json) => {
    const s = JSON.parse(json);
    for (const d of s.distributions) {
      d.pieces.holders = new Uint8Array(d.pieces.holders);
      d.pieces.local = new Uint8Array(d.pieces.local);
      for (const k of Object.keys(d.pieces.members ?? {})) d.pieces.members[k] = new Uint8Array(d.pieces.members[k]);
    }
    return s;
  };
  let state = null;
  const listeners = new Set();
  window.__push = (json) => { state = revive(json); for (const l of listeners) l(state); };
  const ok = (value) => Promise.resolve({ ok: true, value });
  const api = new Proxy({}, {
    get: (_t, name) => {
      if (name === 'shell') return 'electron';
      if (name === 'getState') return () => state ? ok(state) : Promise.resolve({ ok: false, error: { code: 'starting', message: 'not yet' } });
      if (name === 'subscribe') return (l) => { listeners.add(l); return () => listeners.delete(l); };
      if (name === 'restartEngine' && typeof window.sdRestartEngine === 'function') return () => window.sdRestartEngine();
      if (name === 'then') return undefined;
      return () => ok({});
    }
  });
  Object.defineProperty(window, 'swarmdrop', { value: api });
})();
`

/** Serves the renderer build to `page` and installs the stand-in API; call before `openWindow`. */
export async function serveRenderer (page: Page): Promise<void> {
  if (!existsSync(join(RENDERER_DIST, 'index.html'))) throw new Error('renderer/dist is missing: run npm run build:ui first')
  await page.route('**/*', route => {
    const url = new URL(route.request().url())
    const file = join(RENDERER_DIST, url.pathname === '/' ? 'index.html' : url.pathname)
    if (url.origin !== PAGE_ORIGIN || !file.startsWith(RENDERER_DIST) || !existsSync(file)) return route.fulfill({ status: 404, body: '' })
    return route.fulfill({ status: 200, headers: { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }, body: readFileSync(file) })
  })
  await page.addInitScript({ content: INIT })
}

/** Opens the window (after serveRenderer). */
export async function openWindow (page: Page): Promise<void> {
  await page.goto(`${PAGE_ORIGIN}/index.html`, { timeout: 20_000 })
}

/** Hands the window a state, as the preload would. */
export async function pushState (page: Page, s: AppState): Promise<void> {
  await page.evaluate(json => { (window as unknown as { __push: (j: string) => void }).__push(json) }, stateJson(s))
}
