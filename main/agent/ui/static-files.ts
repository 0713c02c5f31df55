// The built renderer (renderer/dist) served read-only: a path is served only when every component
// is a plain name as the build writes them (letters, digits, ".", "_", "-", no leading dot), a
// strict CSP on every answer, and a plain 503 page while it is not built.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The names the UI's build gives its files: nothing else is ours to serve ("..", "%2f", NUL never match). */
const PLAIN_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/

/** The file of `components` inside `dir`, or undefined when a component is not a plain name. */
function fileInside (dir: string, components: readonly string[]): string | undefined {
  if (components.length === 0 || components.length > 16 || !components.every(c => PLAIN_NAME.test(c))) return undefined
  const base = resolve(dir)
  const file = resolve(base, ...components)
  return file.startsWith(base + sep) ? file : undefined
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8'
}

/**
 * renderer/dist next to this package: from the compiled dist/main/agent/ui/, four levels up;
 * from the source (tsx), three.
 */
export async function defaultRendererDir (): Promise<string> {
  const candidates = ['../../../../renderer/dist/', '../../../renderer/dist/'].map(p => fileURLToPath(new URL(p, import.meta.url)))
  for (const dir of candidates) {
    if (await stat(`${dir}index.html`).then(s => s.isFile(), () => false)) return dir
  }
  return candidates[0] ?? ''
}

export function contentSecurityPolicy (port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}

/** Headers every answer of the UI server carries. */
export function baseHeaders (port: number): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(port),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store'
  }
}

export function sendText (res: ServerResponse, status: number, port: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...baseHeaders(port), 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...extra })
  res.end(text)
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Swarmdrop</title></head>
<body><h1>The web UI is not built</h1><p>Run <code>npm run build:ui</code> in the Swarmdrop folder, then reload this page.</p></body></html>`

/** Answers GET `pathname` from `dir`; `/` is index.html. `extra` headers go on the answer (the session cookie). */
export async function serveStatic (res: ServerResponse, dir: string, pathname: string, port: number, extra: Record<string, string> = {}): Promise<void> {
  let components: string[]
  try {
    components = (pathname === '/' ? '/index.html' : pathname).split('/').slice(1).map(decodeURIComponent)
  } catch {
    return sendText(res, 400, port, 'bad path')
  }
  const file = fileInside(dir, components)
  const index = fileInside(dir, ['index.html'])
  if (file === undefined || index === undefined) return sendText(res, 404, port, 'not found')
  const st = await stat(file).catch(() => undefined)
  if (!st?.isFile()) {
    if (file === index) {
      res.writeHead(503, { ...baseHeaders(port), 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(NOT_BUILT), ...extra })
      res.end(NOT_BUILT)
      return
    }
    return sendText(res, 404, port, 'not found')
  }
  res.writeHead(200, { ...baseHeaders(port), 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': st.size, ...extra })
  const stream = createReadStream(file)
  stream.on('error', () => res.destroy())
  stream.pipe(res)
}
