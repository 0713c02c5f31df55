// The SwarmdropApi of the agent's web UI (`swarmdrop agent --ui`), in the browser: commands and
// state over the WebSocket at /ui/ws (framing in common/wire.ts), files uploaded over HTTP
// before they are shared. It says at once when the socket closes (LinkWatch), and whether the agent
// was stopped (it says goodbye) or killed, reconnects with backoff until the agent is back, and a command that gets no answer
// ends with a clear error instead of hanging. Browser APIs only (no Node). What each method sends
// is api-commands.ts's, shared with the desktop preload.
import type { ApiResult, AppState, Command, CreateOptions, SwarmdropApi } from '../common/api.js'
import type { LinkWatch } from './api.js'
import { AGENT_STOPPING_CLOSE, encodeCommandFrame, parseServerFrame } from '../common/wire.js'
import { fail, ok } from '../common/result.js'
import { formatBytes } from '../common/units.js'
import { createBridgeApi } from './api-commands.js'

export interface BridgeLocation { readonly search: string; readonly host: string; readonly protocol: string }

/** The part of the browser's WebSocket this bridge uses. */
interface SocketLike {
  readonly readyState: number
  send (data: string): void
  close (): void
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { readonly data: unknown }) => void) | null
  onclose: ((ev: { readonly code?: number }) => void) | null
  onerror: ((ev: unknown) => void) | null
}
type SocketConstructor = new (url: string) => SocketLike

const OPEN = 1
const COMMAND_TIMEOUT_MS = 60_000
const FIRST_STATE_TIMEOUT_MS = 10_000
const BACKOFF_MIN_MS = 250
// The agent is on this machine (the UI listens on loopback only): a refused attempt costs nothing,
// and an agent restarted is seen within 2 s, not after a wait grown to 10 s.
const BACKOFF_MAX_MS = 2_000

const UNREACHABLE = 'the agent did not answer: is it still running, and was this page opened with the address it printed (with ?token=)?'
// A stopping agent says goodbye (AGENT_STOPPING_CLOSE); a killed or crashed one cannot.
const STOPPED = 'the agent was stopped (Ctrl-C, SIGTERM or its service). This window reconnects by itself once it runs again'
const BROKE = 'the connection broke without a goodbye: the agent was killed or crashed. This window reconnects by itself once it runs again'

interface Pending { readonly resolve: (r: ApiResult<unknown>) => void; readonly timer: ReturnType<typeof setTimeout> }

class WebBridge {
  private socket: SocketLike | undefined
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Set<(s: AppState) => void>()
  private readonly stateWaiters = new Set<(r: ApiResult<AppState>) => void>()
  private readonly lostListeners = new Set<(message: string) => void>()
  /** Why the link is down, once it was up: what getState answers until the agent is back. */
  private down: string | undefined
  private latest: AppState | undefined
  private backoff = BACKOFF_MIN_MS
  private stopped = false

  constructor (
    private readonly Socket: SocketConstructor,
    private readonly wsUrl: string,
    private readonly uploadBase: string,
    private readonly token: string | undefined
  ) {}

  start (): void { this.open() }

  /** Gives up (the first connection never worked): no more reconnects. */
  stop (): void {
    this.stopped = true
    this.socket?.close()
  }

  /** The first state, or an error if none came in time (wrong token, agent gone). */
  firstState (timeoutMs: number): Promise<ApiResult<AppState>> {
    if (this.latest) return Promise.resolve(ok(this.latest))
    return new Promise(resolve => {
      const done = (r: ApiResult<AppState>): void => {
        clearTimeout(timer)
        this.stateWaiters.delete(done)
        resolve(r)
      }
      const timer = setTimeout(() => done(fail('unreachable', UNREACHABLE)), timeoutMs)
      this.stateWaiters.add(done)
    })
  }

  private open (): void {
    const ws = new this.Socket(this.wsUrl)
    this.socket = ws
    ws.onopen = () => { this.backoff = BACKOFF_MIN_MS }
    ws.onmessage = ev => { if (typeof ev.data === 'string') this.onFrame(ev.data) }
    ws.onerror = () => {}
    ws.onclose = ev => {
      if (this.socket !== ws) return
      this.socket = undefined
      // A link that worked is lost: said now, not at the window's next heartbeat. Only once per
      // loss (each failed reconnect closes a socket too).
      if (this.latest && this.down === undefined) {
        const why = ev.code === AGENT_STOPPING_CLOSE ? STOPPED : BROKE
        this.down = why
        for (const l of [...this.lostListeners]) l(why)
      }
      // Refused (no token) or nobody there: whoever waits for a first state hears it now.
      if (!this.latest) for (const w of [...this.stateWaiters]) w(fail('unreachable', UNREACHABLE))
      // Commands sent on a lost connection may or may not have run: say so instead of guessing.
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer)
        this.pending.delete(id)
        p.resolve(fail('disconnected', 'the connection to the agent was lost before it answered; check the result and try again'))
      }
      if (this.stopped) return
      const wait = this.backoff * (0.75 + Math.random() / 2)
      this.backoff = Math.min(BACKOFF_MAX_MS, this.backoff * 2)
      setTimeout(() => this.open(), wait)
    }
  }

  private onFrame (text: string): void {
    const frame = parseServerFrame(text)
    if (!frame.ok) return
    const f = frame.value
    if (f.kind === 'state') {
      this.latest = f.state
      this.down = undefined
      for (const w of [...this.stateWaiters]) w(ok(f.state))
      for (const l of [...this.listeners]) l(f.state)
      return
    }
    const p = this.pending.get(f.id)
    if (!p) return
    clearTimeout(p.timer)
    this.pending.delete(f.id)
    p.resolve(f.result)
  }

  command<T> (command: Command): Promise<ApiResult<T>> {
    const ws = this.socket
    if (!ws || ws.readyState !== OPEN) return Promise.resolve(fail('disconnected', 'not connected to the agent right now; reconnecting, try again in a moment'))
    const id = this.nextId++
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        resolve(fail('timeout', `the agent did not answer "${command.type}" within ${COMMAND_TIMEOUT_MS / 1000} s`))
      }, COMMAND_TIMEOUT_MS)
      // Replies are checked for shape by parseServerFrame; their values are what the command promises.
      this.pending.set(id, { resolve: r => resolve(r as ApiResult<T>), timer })
      ws.send(encodeCommandFrame(id, command))
    })
  }

  onLinkLost (listener: (message: string) => void): () => void {
    this.lostListeners.add(listener)
    return () => { this.lostListeners.delete(listener) }
  }

  subscribe (listener: (s: AppState) => void): () => void {
    this.listeners.add(listener)
    if (this.latest) listener(this.latest)
    return () => { this.listeners.delete(listener) }
  }

  getState (): Promise<ApiResult<AppState>> {
    // A cached state while the socket is down would tell the UI all is well: say the link is lost.
    if (this.latest && (this.socket?.readyState !== OPEN || this.down !== undefined)) return Promise.resolve(fail('disconnected', this.down ?? 'not connected to the agent right now; reconnecting…'))
    return this.firstState(FIRST_STATE_TIMEOUT_MS)
  }

  /**
   * PUT /ui/upload with XMLHttpRequest, the browser API that reports upload progress; aborting
   * `signal` aborts the request, and the agent deletes the partial file when the body stops short.
   */
  upload (file: File, opts: CreateOptions): Promise<ApiResult<{ path: string }>> {
    const Xhr = (globalThis as unknown as { XMLHttpRequest?: XhrConstructor }).XMLHttpRequest
    if (Xhr === undefined) return this.uploadByFetch(file, opts)
    return new Promise(resolve => {
      const xhr = new Xhr()
      let settled = false
      const done = (r: ApiResult<{ path: string }>): void => {
        if (settled) return
        settled = true
        opts.signal?.removeEventListener('abort', onAbort)
        resolve(r)
      }
      const onAbort = (): void => {
        xhr.abort()
        done(fail('cancelled', `the upload of ${file.name} was cancelled`))
      }
      if (opts.signal?.aborted === true) return onAbort()
      opts.signal?.addEventListener('abort', onAbort)
      xhr.open('PUT', `${this.uploadBase}?name=${encodeURIComponent(file.name)}`)
      if (this.token !== undefined) xhr.setRequestHeader('authorization', `Bearer ${this.token}`)
      let sent = 0
      xhr.upload.onprogress = e => {
        sent = e.loaded
        opts.onProgress?.({ bytesSent: e.loaded, bytesTotal: e.lengthComputable ? e.total : file.size })
      }
      xhr.onerror = () => done(brokenOff(file, sent))
      xhr.onabort = () => done(fail('cancelled', `the upload of ${file.name} was cancelled`))
      xhr.onload = () => done(uploadAnswer(file.name, xhr.status, xhr.responseText))
      xhr.send(file)
    })
  }

  /** Without XMLHttpRequest (a worker, Node): the same upload by fetch, cancellable, without progress. */
  private async uploadByFetch (file: File, opts: CreateOptions): Promise<ApiResult<{ path: string }>> {
    let res: Response
    try {
      res = await fetch(`${this.uploadBase}?name=${encodeURIComponent(file.name)}`, {
        method: 'PUT',
        body: file,
        credentials: 'same-origin',
        headers: this.token !== undefined ? { authorization: `Bearer ${this.token}` } : {},
        ...(opts.signal !== undefined ? { signal: opts.signal } : {})
      })
      return uploadAnswer(file.name, res.status, await res.text())
    } catch {
      if (opts.signal?.aborted === true) return fail('cancelled', `the upload of ${file.name} was cancelled`)
      return fail('upload-failed', `${file.name} could not be read or sent. A folder cannot be uploaded: give its path on this machine instead.`)
    }
  }
}

/**
 * An upload the browser gave up on. Bytes already sent prove the file could be read, so the
 * connection to the agent broke (the agent stopped or was killed); none sent is more often a
 * folder, which a browser cannot read as a file.
 */
export function brokenOff (file: File, sent: number): ApiResult<never> {
  if (sent > 0) {
    return fail('upload-failed', `the upload of ${file.name} broke off after ${formatBytes(sent)} of ${formatBytes(file.size)}: the connection to the agent was lost; the part it received is deleted (at its next start, if it stopped), and the file can be dropped again once the agent is back`)
  }
  return fail('upload-failed', `${file.name} could not be read or sent. A folder cannot be uploaded: give its path on this machine instead.`)
}

/** The part of the browser's XMLHttpRequest the upload uses. */
interface XhrLike {
  readonly status: number
  readonly responseText: string
  readonly upload: { onprogress: ((e: { readonly loaded: number; readonly total: number; readonly lengthComputable: boolean }) => void) | null }
  onload: (() => void) | null
  onerror: (() => void) | null
  onabort: (() => void) | null
  open (method: string, url: string): void
  setRequestHeader (name: string, value: string): void
  send (body: File): void
  abort (): void
}
type XhrConstructor = new () => XhrLike

/** The agent's answer to an upload: the saved path, or its error as a value. */
function uploadAnswer (name: string, status: number, text: string): ApiResult<{ path: string }> {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const b = typeof body === 'object' && body !== null ? body as { path?: unknown; error?: { code?: unknown; message?: unknown } } : {}
  if (status >= 200 && status < 300 && typeof b.path === 'string') return ok({ path: b.path })
  const code = typeof b.error?.code === 'string' ? b.error.code : 'upload-failed'
  const message = typeof b.error?.message === 'string' ? b.error.message : `the upload of ${name} failed (HTTP ${status})`
  return fail(code, message)
}

/** True for an entry that came from a folder (a folder picker or a dropped directory). */
function fromFolder (f: File): boolean {
  const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath
  return typeof rel === 'string' && rel.length > 0
}

export async function connectWebBridge (loc: BridgeLocation): Promise<ApiResult<SwarmdropApi & LinkWatch>> {
  const Socket = (globalThis as unknown as { WebSocket?: SocketConstructor }).WebSocket
  if (Socket === undefined) return fail('unsupported', 'this browser has no WebSocket support')
  const token = new URLSearchParams(loc.search).get('token') ?? undefined
  const secure = loc.protocol === 'https:'
  const query = token !== undefined ? `?token=${encodeURIComponent(token)}` : ''
  const bridge = new WebBridge(Socket, `${secure ? 'wss' : 'ws'}://${loc.host}/ui/ws${query}`, `${secure ? 'https' : 'http'}://${loc.host}/ui/upload`, token)
  bridge.start()
  const first = await bridge.firstState(FIRST_STATE_TIMEOUT_MS)
  if (!first.ok) {
    bridge.stop()
    return first
  }

  const api: SwarmdropApi = createBridgeApi({
    shell: 'web',
    send: command => bridge.command(command),
    getState: () => bridge.getState(),
    subscribe: listener => bridge.subscribe(listener),
    // The agent may run on another machine: a dropped file is uploaded to it first.
    pathOfFiles: async (files, opts) => {
      const file = files[0]
      if (files.length !== 1 || file === undefined || fromFolder(file)) {
        return fail('one-file', 'drop exactly one file here; to send a folder or several files, give its path on this machine instead')
      }
      const uploaded = await bridge.upload(file, opts)
      return uploaded.ok ? ok(uploaded.value.path) : uploaded
    }
  })
  return ok({ ...api, onLinkLost: listener => bridge.onLinkLost(listener) })
}
