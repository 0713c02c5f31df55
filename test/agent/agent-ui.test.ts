// `swarmdrop agent --ui` end to end: the real agent (built CLI) in a lab namespace serves its web
// UI on 127.0.0.1 there; the test reaches it through a Unix-socket relay (ui-client.ts) and checks
// the token, cookie, Host and Origin rules, the state frames, commands over the socket, the
// upload-then-create path, and the browser-side web bridge against the same agent.
import type { ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppState } from '../../common/api.js'
import { encodeCommandFrame, parseServerFrame, type ServerFrame } from '../../common/wire.js'
import { killGroup } from '../lab/run-command.js'
import { labFixture } from '../multi/lab-fixture.js'
import type { LabAgent } from '../multi/lab-agent.js'
import { httpVia, startRelay, uiAddress, wsVia, type WsOutcome } from './ui-client.js'
import type WebSocket from 'ws'

const fx = labFixture(1, 'agent-ui')
const BUILT_UI = resolve('renderer/dist')
let agent: LabAgent
let relay: ChildProcess | undefined
let sock = ''
let port = 0
let token = ''
let selfId = ''
let host = ''
const sockets: WebSocket[] = []

/** The UI folder: the real renderer build when it is there, else a minimal page of our own. */
function uiDirArgs (): string[] {
  if (existsSync(join(BUILT_UI, 'index.html'))) return []
  const dir = join(fx.work, 'ui')
  mkdirSync(join(dir, 'assets'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body><div id="root"></div></body></html>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'document.getElementById("root").textContent = "swarmdrop"\n')
  return ['--ui-dir', dir]
}

function opened (o: WsOutcome): WebSocket {
  if (!('open' in o)) throw new Error(`the WebSocket was refused with ${o.refused}`)
  sockets.push(o.open)
  return o.open
}

type Next = <T extends ServerFrame>(match: (f: ServerFrame) => f is T, what: string, ms?: number) => Promise<T>

/** Frames from a socket, with a bounded wait for the first (not yet taken) one that matches. */
function frames (ws: WebSocket): { next: Next } {
  const seen: ServerFrame[] = []
  const waiters = new Set<() => void>()
  ws.on('message', (data: Buffer) => {
    const f = parseServerFrame(data.toString())
    if (f.ok) { seen.push(f.value); for (const w of [...waiters]) w() }
  })
  const next: Next = <T extends ServerFrame>(match: (f: ServerFrame) => f is T, what: string, ms = 15_000) => new Promise<T>((resolve, reject) => {
    const take = (): boolean => {
      const i = seen.findIndex(match)
      const found = seen[i]
      if (found === undefined || !match(found)) return false
      seen.splice(0, i + 1)
      waiters.delete(take)
      clearTimeout(timer)
      resolve(found)
      return true
    }
    const timer = setTimeout(() => { waiters.delete(take); reject(new Error(`no ${what} within ${ms} ms`)) }, ms)
    if (!take()) waiters.add(take)
  })
  return { next }
}

const isState = (f: ServerFrame): f is Extract<ServerFrame, { kind: 'state' }> => f.kind === 'state'
const stateWhere = (p: (s: AppState) => boolean) => (f: ServerFrame): f is Extract<ServerFrame, { kind: 'state' }> => f.kind === 'state' && p(f.state)
const replyTo = (id: number) => (f: ServerFrame): f is Extract<ServerFrame, { kind: 'reply' }> => f.kind === 'reply' && f.id === id

beforeAll(async () => {
  agent = fx.agent(0, 'ui-host', 'ask', ['--ui', ...uiDirArgs()])
  const listening = await agent.start()
  selfId = listening.id
  await agent.waitFor(e => e.event === 'ui', 15_000, 'its "ui" line', 0)
  const ui = uiAddress(agent.lines)
  port = ui.port
  token = ui.token
  host = ui.host
  sock = join(fx.work, 'ui.sock')
  relay = await startRelay(fx.lab, fx.host(0), sock, port, 120_000)
}, 60_000)

afterAll(() => {
  for (const s of sockets) s.terminate()
  if (relay?.pid !== undefined && relay.exitCode === null) killGroup(relay.pid, 'SIGKILL')
})

describe('agent --ui: who may use it', () => {
  it('prints a token of at least 128 bits, base64url', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{22,}$/)
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16)
  })

  it('refuses the page without the token', async () => {
    const r = await httpVia(sock, 'GET', '/', { host })
    expect(r.status).toBe(401)
    const wrong = await httpVia(sock, 'GET', `/?token=${'A'.repeat(token.length)}`, { host })
    expect(wrong.status).toBe(401)
  })

  it('serves the page with the token: the app root, a strict CSP, and the session cookie', async () => {
    const r = await httpVia(sock, 'GET', `/?token=${token}`, { host })
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toMatch(/text\/html/)
    expect(r.body.toString()).toContain('id="root"')
    const csp = String(r.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port}`)
    expect(csp).toContain("default-src 'none'")
    const cookie = ([] as string[]).concat(r.headers['set-cookie'] ?? [])[0] ?? ''
    expect(cookie).toMatch(new RegExp(`^swarmdrop_ui_${port}=${token};`))
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
  })

  it('serves assets with the cookie or a bearer token, and refuses them without', async () => {
    const page = (await httpVia(sock, 'GET', `/?token=${token}`, { host })).body.toString()
    const src = /src="\.?\/?([^"]+\.js)"/.exec(page)?.[1]
    expect(src).toBeDefined()
    const asset = `/${src ?? ''}`
    expect((await httpVia(sock, 'GET', asset, { host })).status).toBe(401)
    expect((await httpVia(sock, 'GET', asset, { host, cookie: `swarmdrop_ui_${port}=nope` })).status).toBe(401)
    const withCookie = await httpVia(sock, 'GET', asset, { host, cookie: `other=1; swarmdrop_ui_${port}=${token}` })
    expect(withCookie.status).toBe(200)
    expect(withCookie.headers['content-type']).toMatch(/javascript/)
    expect((await httpVia(sock, 'GET', asset, { host, authorization: `Bearer ${token}` })).status).toBe(200)
    expect((await httpVia(sock, 'GET', '/../../etc/passwd', { host, authorization: `Bearer ${token}` })).status).toBe(404)
  })

  it('refuses a wrong Host header (DNS rebinding), even with the token', async () => {
    expect((await httpVia(sock, 'GET', `/?token=${token}`, { host: `evil.example:${port}` })).status).toBe(403)
    expect((await httpVia(sock, 'GET', `/?token=${token}`, { host: '127.0.0.1' })).status).toBe(403)
    expect((await httpVia(sock, 'GET', `/?token=${token}`, { host: `localhost:${port}` })).status).toBe(200)
    expect(await wsVia(sock, { host: `evil.example:${port}`, cookie: `swarmdrop_ui_${port}=${token}` })).toEqual({ refused: 403 })
  })

  it('refuses the WebSocket without the token, and from another origin', async () => {
    expect(await wsVia(sock, { host })).toEqual({ refused: 401 })
    expect(await wsVia(sock, { host, cookie: `swarmdrop_ui_${port}=${token}` }, 'http://evil.example')).toEqual({ refused: 403 })
  })
})

describe('agent --ui: state and commands over the WebSocket', () => {
  it('sends state frames with this device, and applies update-settings', async () => {
    const connectedAt = Date.now()
    const ws = opened(await wsVia(sock, { host, cookie: `swarmdrop_ui_${port}=${token}` }, `http://${host}`))
    const arrivals: number[] = []
    ws.on('message', (data: Buffer) => { if (data.toString().startsWith('{"kind":"state"')) arrivals.push(Date.now()) })
    const f = frames(ws)
    const first = await f.next(isState, 'state frame')
    expect((arrivals[0] ?? Infinity) - connectedAt).toBeLessThan(2_000)
    // Throttled: a state about every second while idle, never more than one per 250 ms. Counted
    // over a window, not gap by gap: arrival gaps here include the relay's and the loaded host's jitter.
    const from = arrivals.length
    await new Promise(resolve => setTimeout(resolve, 3_000))
    const inWindow = arrivals.length - from
    expect(inWindow).toBeGreaterThanOrEqual(2)
    expect(inWindow).toBeLessThanOrEqual(13)
    expect(first.state.self.id).toBe(selfId)
    expect(first.state.self.name).toBe('ui-host')
    expect(first.state.shell).toBe('web')

    ws.send(encodeCommandFrame(1, { type: 'update-settings', patch: { name: 'renamed-host', uploadLimit: 5_000_000 } }))
    const reply = await f.next(replyTo(1), 'reply 1')
    expect(reply.result).toEqual({ ok: true, value: expect.objectContaining({ name: 'renamed-host', uploadLimit: 5_000_000 }) })
    const renamed = await f.next(stateWhere(s => s.self.name === 'renamed-host'), 'state with the new name')
    expect(renamed.state.settings.uploadLimit).toBe(5_000_000)
    // Persisted in settings.json, without this run's command-line overrides.
    const stored = JSON.parse(readFileSync(join(fx.work, 'd0', 'settings.json'), 'utf8')) as Record<string, unknown>
    expect(stored.name).toBe('renamed-host')
    expect(stored.uploadLimit).toBe(5_000_000)

    ws.send(encodeCommandFrame(2, { type: 'trust', id: 'not-a-device' } as never))
    const refused = await f.next(replyTo(2), 'reply 2')
    expect(refused.result.ok).toBe(false)
    if (!refused.result.ok) expect(refused.result.error.message).toMatch(/^id must be a device id/)

    ws.send(encodeCommandFrame(3, { type: 'create', path: join(fx.work, 'no-such-file') }))
    const missing = await f.next(replyTo(3), 'reply 3')
    expect(missing.result.ok).toBe(false)
  })

  it('shares an uploaded file: PUT /ui/upload, then create; the distribution has the file\'s SHA-256', async () => {
    const bytes = randomBytes(1024 * 1024 + 333)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const auth = { host, cookie: `swarmdrop_ui_${port}=${token}` }
    expect((await httpVia(sock, 'PUT', '/ui/upload?name=..', { ...auth, 'content-length': '1' }, Buffer.from('x'))).status).toBe(400)
    expect((await httpVia(sock, 'PUT', '/ui/upload?name=a.bin', { host, 'content-length': '1' }, Buffer.from('x'))).status).toBe(401)
    const up = await httpVia(sock, 'PUT', '/ui/upload?name=upload%20one.bin', { ...auth, 'content-length': String(bytes.length), 'content-type': 'application/octet-stream' }, bytes)
    expect(up.status, up.body.toString()).toBe(200)
    const { path } = JSON.parse(up.body.toString()) as { path: string }
    expect(path.startsWith(join(fx.work, 'd0', 'uploads'))).toBe(true)
    expect(path.endsWith('/upload one.bin')).toBe(true)
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(sha256)
    // Readable by the agent's user only.
    expect(statSync(path).mode & 0o777).toBe(0o600)

    const ws = opened(await wsVia(sock, auth, `http://${host}`))
    const f = frames(ws)
    ws.send(encodeCommandFrame(7, { type: 'create', path }))
    const reply = await f.next(replyTo(7), 'create reply', 30_000)
    expect(reply.result).toEqual({ ok: true, value: { jobId: expect.stringMatching(/^[0-9a-f-]{36}$/) } })
    const shown = await f.next(stateWhere(s => s.distributions.some(d => d.name === 'upload one.bin')), 'the new distribution', 30_000)
    const d = shown.state.distributions.find(x => x.name === 'upload one.bin')
    expect(d?.sha256).toBe(sha256)
    expect(d?.role).toBe('origin')
    expect(d?.path).toBe(path)
    expect(d?.totalLength).toBe(bytes.length)
    expect(d?.pieces.holders.length).toBe(d?.pieceCount)
    expect(d?.members[0]?.self).toBe(true)

    ws.send(encodeCommandFrame(8, { type: 'pause', infoHash: d?.infoHash ?? '' }))
    expect((await f.next(replyTo(8), 'pause reply')).result.ok).toBe(true)
    await f.next(stateWhere(s => s.distributions.some(x => x.infoHash === d?.infoHash && x.state === 'paused')), 'paused state')
    ws.send(encodeCommandFrame(9, { type: 'resume', infoHash: d?.infoHash ?? '' }))
    expect((await f.next(replyTo(9), 'resume reply')).result.ok).toBe(true)
    await f.next(stateWhere(s => s.distributions.some(x => x.infoHash === d?.infoHash && x.state === 'seeding')), 'seeding again')
  })
})

describe('agent --ui: cancelled uploads and sending a path where it is', () => {
  it('deletes an upload cut short (the page pressed Cancel): nothing is left in the data folder', async () => {
    const uploads = join(fx.work, 'd0', 'uploads')
    const before = existsSync(uploads) ? readdirSync(uploads).sort() : []
    const total = 8 * 1024 * 1024
    await new Promise<void>((resolve, reject) => {
      const req = request({ socketPath: sock, method: 'PUT', path: '/ui/upload?name=cancelled.bin', headers: { host, cookie: `swarmdrop_ui_${port}=${token}`, 'content-length': String(total) } })
      req.on('error', () => resolve())
      req.on('close', () => resolve())
      req.on('response', res => reject(new Error(`the agent answered ${res.statusCode} to a body cut short`)))
      // A first part of the body, then the connection goes, as when a browser aborts its request.
      req.write(randomBytes(1024 * 1024), () => setTimeout(() => req.destroy(), 200))
    })
    await expect.poll(() => (existsSync(uploads) ? readdirSync(uploads).sort() : []), { timeout: 5_000 }).toEqual(before)
  })

  it('answers an upload too big for the disk at once and closes the connection, rather than read a body it will not keep', async () => {
    const uploads = join(fx.work, 'd0', 'uploads')
    const before = existsSync(uploads) ? readdirSync(uploads).sort() : []
    const answered = await new Promise<{ status: number; connection: string; body: string }>((resolve, reject) => {
      const req = request({ socketPath: sock, method: 'PUT', path: '/ui/upload?name=huge.iso', headers: { host, cookie: `swarmdrop_ui_${port}=${token}`, 'content-length': String(2e15) } })
      req.on('error', reject)
      req.on('response', res => {
        let body = ''
        res.on('data', (c: Buffer) => { body += c.toString() })
        // The answer, then the connection closed by the agent while the body is still owed.
        req.on('close', () => resolve({ status: res.statusCode ?? 0, connection: String(res.headers.connection), body }))
      })
      req.write(randomBytes(64 * 1024))
      setTimeout(() => reject(new Error('the agent kept the connection open, reading a body it refused')), 5_000)
    })
    expect(answered.status).toBe(507)
    expect(answered.connection).toBe('close')
    expect(JSON.parse(answered.body).error.message).toMatch(/^not enough space for huge\.iso in the agent's data folder .*: it needs 2\.0 PB/)
    expect(existsSync(uploads) ? readdirSync(uploads).sort() : []).toEqual(before)
  })

  it('lists a folder of this machine for the folder browser, and shares a file there without copying it', async () => {
    const dir = join(fx.work, 'images')
    mkdirSync(dir, { recursive: true })
    const bytes = randomBytes(300_000)
    writeFileSync(join(dir, 'in-place.bin'), bytes)
    const auth = { host, cookie: `swarmdrop_ui_${port}=${token}` }
    const ws = opened(await wsVia(sock, auth, `http://${host}`))
    const f = frames(ws)
    ws.send(encodeCommandFrame(20, { type: 'browse', path: dir }))
    const listed = await f.next(replyTo(20), 'browse reply')
    expect(listed.result).toEqual({ ok: true, value: { path: dir, parent: fx.work, entries: [{ name: 'in-place.bin', kind: 'file', size: 300_000, link: false }], truncated: false } })
    ws.send(encodeCommandFrame(21, { type: 'browse', path: join(dir, 'in-place.bin') }))
    const notFolder = await f.next(replyTo(21), 'browse reply for a file')
    expect(notFolder.result.ok ? '' : notFolder.result.error.code).toBe('not-a-folder')

    const uploads = join(fx.work, 'd0', 'uploads')
    const before = existsSync(uploads) ? readdirSync(uploads).length : 0
    ws.send(encodeCommandFrame(22, { type: 'create', path: join(dir, 'in-place.bin') }))
    expect((await f.next(replyTo(22), 'create reply', 30_000)).result.ok).toBe(true)
    const shown = await f.next(stateWhere(s => s.distributions.some(d => d.name === 'in-place.bin')), 'the new distribution', 30_000)
    expect(shown.state.distributions.find(d => d.name === 'in-place.bin')?.path).toBe(join(dir, 'in-place.bin'))
    expect(existsSync(uploads) ? readdirSync(uploads).length : 0).toBe(before)
  })
})

describe('agent --ui: the web bridge', () => {
  it('connects with the token, refuses several files, uploads one, creates it, and reconnects after a restart', async () => {
    const file = join(fx.work, 'bridge.bin')
    const bytes = randomBytes(300_001)
    writeFileSync(file, bytes)
    const probe = fx.lab.spawn(fx.host(0), process.execPath, ['--import', 'tsx', resolve('test/agent/web-bridge-probe.ts'), `http://${host}/?token=${token}`, file, '90000'], { cwd: resolve('.') })
    const lines: Array<Record<string, unknown>> = []
    const err: string[] = []
    if (probe.stderr) createInterface({ input: probe.stderr }).on('line', l => err.push(l))
    if (!probe.stdout || !probe.stdin) throw new Error('probe without pipes')
    const stdin = probe.stdin
    const exited = new Promise<number | null>(resolve => probe.once('exit', c => resolve(c)))
    let restarted: Promise<void> | undefined
    createInterface({ input: probe.stdout }).on('line', l => {
      let o: Record<string, unknown>
      try { o = JSON.parse(l) as Record<string, unknown> } catch { err.push(l); return }
      lines.push(o)
      if (o.step === 'restart-me') {
        restarted = (async () => {
          await agent.stop()
          await agent.start()
          await agent.waitFor(e => e.event === 'ui', 15_000, 'its "ui" line', 0)
          // Same data directory: same address and token, so the open page can reconnect.
          expect(uiAddress(agent.lines)).toEqual({ port, token, host })
          stdin.write('restarted\n')
        })()
      }
    })
    const code = await exited
    await restarted
    const step = (name: string): Record<string, unknown> | undefined => lines.find(l => l.step === name)
    expect(code, `${JSON.stringify(lines)}\n${err.join('\n')}`).toBe(0)
    expect(step('without-token')).toEqual({ step: 'without-token', ok: false, code: 'unreachable' })
    expect(step('connected')).toEqual({ step: 'connected', ok: true, selfId, shell: 'web' })
    expect(step('two-files')).toMatchObject({ ok: false, code: 'one-file' })
    expect(step('choose-folder')).toMatchObject({ ok: false, code: 'unsupported' })
    expect(step('restart-engine')).toMatchObject({ ok: false, code: 'unsupported' })
    expect(step('created')).toMatchObject({ ok: true })
    expect(step('distribution')).toMatchObject({ sha256: createHash('sha256').update(bytes).digest('hex') })
    expect(step('after-restart')).toMatchObject({ ok: true, name: 'after-restart' })
    expect(step('state-after-restart')).toMatchObject({ name: 'after-restart' })
  }, 120_000)
})
