// The web UI's file serving, on a real loopback HTTP server: index for "/", content types and the
// CSP, nothing outside the folder whatever the encoding, and a 503 page while the UI is not built.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, get, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveStatic } from '../../../main/agent/ui/static-files.js'

let work = ''
let server: Server
let port = 0
/** Which folder the server serves, per test. */
let dir = ''

function fetchPath (path: string): Promise<{ status: number; type: string; csp: string; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, res => {
      let body = ''
      res.on('data', (c: Buffer) => { body += c.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), csp: String(res.headers['content-security-policy']), body }))
    }).on('error', reject)
  })
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sd-static-'))
  mkdirSync(join(work, 'ui', 'assets'), { recursive: true })
  mkdirSync(join(work, 'empty'))
  writeFileSync(join(work, 'ui', 'index.html'), '<div id="root"></div>')
  writeFileSync(join(work, 'ui', 'assets', 'app.js'), 'export {}')
  writeFileSync(join(work, 'secret.txt'), 'secret')
  server = createServer((req, res) => { void serveStatic(res, dir, new URL(req.url ?? '/', 'http://x').pathname, port) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()))
  rmSync(work, { recursive: true, force: true })
})

describe('serveStatic', () => {
  it('serves index.html for / and assets with their types, under a strict CSP', async () => {
    dir = join(work, 'ui')
    const index = await fetchPath('/')
    expect(index).toMatchObject({ status: 200, body: '<div id="root"></div>' })
    expect(index.type).toMatch(/^text\/html/)
    expect(index.csp).toContain("script-src 'self'")
    const js = await fetchPath('/assets/app.js')
    expect(js.status).toBe(200)
    expect(js.type).toMatch(/^text\/javascript/)
    expect((await fetchPath('/assets/missing.js')).status).toBe(404)
  })

  it('never leaves the folder', async () => {
    dir = join(work, 'ui')
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/assets/%00', '/%E0%A4%A']) {
      const r = await fetchPath(p)
      expect(r.status, p).not.toBe(200)
      expect(r.body).not.toContain('secret')
    }
  })

  it('answers 503 with a how-to page while the UI is not built', async () => {
    dir = join(work, 'empty')
    const r = await fetchPath('/')
    expect(r.status).toBe(503)
    expect(r.body).toContain('npm run build:ui')
  })
})
