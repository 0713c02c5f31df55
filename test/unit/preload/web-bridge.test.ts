// The web bridge against a scripted socket: the heartbeat's getState must report a lost link
// instead of answering from its cache, and recover when the agent's next state arrives.
import { afterEach, describe, expect, it } from 'vitest'
import { AGENT_STOPPING_CLOSE, encodeServerFrame } from '../../../common/wire.js'
import { connectWebBridge } from '../../../preload/web-bridge.js'
import { appState } from '../../../renderer/src/test/fixtures.js'

class ScriptedSocket {
  static last: ScriptedSocket | undefined
  readyState = 0
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { readonly data: unknown }) => void) | null = null
  onclose: ((ev: { readonly code?: number }) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  constructor (readonly url: string) { ScriptedSocket.last = this }
  readonly sent: string[] = []
  send (data: string): void { this.sent.push(data) }
  close (): void { this.drop() }
  /** The agent accepts and sends its state, as it does on every new connection. */
  serve (): void {
    this.readyState = 1
    this.onopen?.({})
    this.onmessage?.({ data: encodeServerFrame({ kind: 'state', state: appState({ shell: 'web' }) }) })
  }

  /** Closed: by a stopping agent's goodbye (`code`), or with none (1006: killed, crashed). */
  drop (code = 1006): void {
    this.readyState = 3
    this.onclose?.({ code })
  }
}

/** A browser upload under test control: progress events, the agent's answer, abort. */
class ScriptedXhr {
  static last: ScriptedXhr | undefined
  status = 0
  responseText = ''
  aborted = false
  method = ''
  url = ''
  readonly headers: Record<string, string> = {}
  body: unknown
  readonly upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  constructor () { ScriptedXhr.last = this }
  open (method: string, url: string): void { this.method = method; this.url = url }
  setRequestHeader (name: string, value: string): void { this.headers[name] = value }
  send (body: unknown): void { this.body = body }
  abort (): void { this.aborted = true; this.onabort?.() }
  progress (loaded: number, total: number): void { this.upload.onprogress?.({ loaded, total, lengthComputable: true }) }
  answer (status: number, body: unknown): void { this.status = status; this.responseText = JSON.stringify(body); this.onload?.() }
}

const g = globalThis as unknown as { WebSocket?: unknown; XMLHttpRequest?: unknown }
const saved = g.WebSocket
const savedXhr = g.XMLHttpRequest
afterEach(() => { g.WebSocket = saved; g.XMLHttpRequest = savedXhr })

async function connected () {
  g.WebSocket = ScriptedSocket
  const connecting = connectWebBridge({ search: '?token=t', host: '127.0.0.1:1', protocol: 'http:' })
  ScriptedSocket.last?.serve()
  const bridge = await connecting
  if (!bridge.ok) throw new Error(bridge.error.message)
  return bridge.value
}

describe('web bridge', () => {
  it('reports a lost link on getState while the socket is down, then recovers', async () => {
    g.WebSocket = ScriptedSocket
    const connecting = connectWebBridge({ search: '?token=t', host: '127.0.0.1:1', protocol: 'http:' })
    ScriptedSocket.last?.serve()
    const bridge = await connecting
    if (!bridge.ok) throw new Error(bridge.error.message)
    expect((await bridge.value.getState()).ok).toBe(true)

    const first = ScriptedSocket.last
    first?.drop()
    const down = await bridge.value.getState()
    expect(down.ok ? 'ok' : down.error.code).toBe('disconnected')

    // The bridge reconnects after its backoff (about 250 ms); the agent answers with a state.
    const deadline = Date.now() + 3000
    while (ScriptedSocket.last === first && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    expect(ScriptedSocket.last).not.toBe(first)
    ScriptedSocket.last?.serve()
    expect((await bridge.value.getState()).ok).toBe(true)
  })

  it('says the agent was stopped when it closed with its goodbye, and killed or crashed when the link just broke', async () => {
    const bridge = await connected()
    const heard: string[] = []
    bridge.onLinkLost(m => heard.push(m))
    const nextSocket = async (): Promise<void> => {
      const was = ScriptedSocket.last
      const deadline = Date.now() + 3000
      while (ScriptedSocket.last === was && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    }
    ScriptedSocket.last?.drop(AGENT_STOPPING_CLOSE)
    // A reconnect the agent does not answer yet closes its socket too: the loss is told once.
    await nextSocket()
    ScriptedSocket.last?.drop()
    expect(heard).toEqual(['the agent was stopped (Ctrl-C, SIGTERM or its service). This window reconnects by itself once it runs again'])
    const down = await bridge.getState()
    expect(down.ok ? '' : down.error.message).toBe(heard[0])

    await nextSocket()
    ScriptedSocket.last?.serve()
    expect((await bridge.getState()).ok).toBe(true)
    ScriptedSocket.last?.drop()
    expect(heard[1]).toBe('the connection broke without a goodbye: the agent was killed or crashed. This window reconnects by itself once it runs again')
  })

  it('uploads with progress, bytes and total, then creates the distribution from the saved path', async () => {
    const api = await connected()
    g.XMLHttpRequest = ScriptedXhr
    const seen: Array<[number, number]> = []
    const file = new File([new Uint8Array(1000)], 'big.iso')
    const creating = api.createFromFiles([file], { onProgress: p => seen.push([p.bytesSent, p.bytesTotal]) })
    const xhr = ScriptedXhr.last
    if (xhr === undefined) throw new Error('no upload started')
    expect(xhr.method).toBe('PUT')
    expect(xhr.url).toBe('http://127.0.0.1:1/ui/upload?name=big.iso')
    expect(xhr.headers.authorization).toBe('Bearer t')
    expect(xhr.body).toBe(file)
    xhr.progress(400, 1000)
    xhr.progress(1000, 1000)
    xhr.answer(200, { path: '/data/uploads/x/big.iso' })
    // The create command goes over the socket; the agent's reply ends the call.
    await new Promise(resolve => setTimeout(resolve, 0))
    const sent = ScriptedSocket.last?.sent.at(-1) ?? ''
    const frame = JSON.parse(sent) as { id: number; command: unknown }
    expect(frame.command).toEqual({ type: 'create', path: '/data/uploads/x/big.iso' })
    ScriptedSocket.last?.onmessage?.({ data: JSON.stringify({ kind: 'reply', id: frame.id, result: { ok: true, value: { jobId: 'j1' } } }) })
    expect(await creating).toEqual({ ok: true, value: { jobId: 'j1' } })
    expect(seen).toEqual([[400, 1000], [1000, 1000]])
  })

  it('cancels an upload through its signal, answering "cancelled" and creating nothing', async () => {
    const api = await connected()
    g.XMLHttpRequest = ScriptedXhr
    const controller = new AbortController()
    const creating = api.createFromFiles([new File(['abc'], 'a.iso')], { signal: controller.signal })
    const before = ScriptedSocket.last?.sent.length
    controller.abort()
    const r = await creating
    expect(r.ok ? 'ok' : r.error.code).toBe('cancelled')
    expect(ScriptedXhr.last?.aborted).toBe(true)
    expect(ScriptedSocket.last?.sent.length).toBe(before)
  })

  it('says the connection to the agent broke when an upload fails after bytes went out, not that the file is a folder', async () => {
    const api = await connected()
    g.XMLHttpRequest = ScriptedXhr
    const creating = api.createFromFiles([new File([new Uint8Array(2_000_000)], 'killed.iso')])
    ScriptedXhr.last?.progress(630_000, 2_000_000)
    ScriptedXhr.last?.onerror?.()
    const r = await creating
    expect(r.ok ? '' : r.error.message).toBe('the upload of killed.iso broke off after 630 KB of 2.0 MB: the connection to the agent was lost; the part it received is deleted (at its next start, if it stopped), and the file can be dropped again once the agent is back')
  })

  it('says a folder cannot be uploaded when nothing of it could be sent', async () => {
    const api = await connected()
    g.XMLHttpRequest = ScriptedXhr
    const creating = api.createFromFiles([new File([], 'photos')])
    ScriptedXhr.last?.onerror?.()
    const r = await creating
    expect(r.ok ? '' : r.error.message).toContain('A folder cannot be uploaded')
  })

  it('passes the agent\'s error of a refused upload on as a value', async () => {
    const api = await connected()
    g.XMLHttpRequest = ScriptedXhr
    const creating = api.createFromFiles([new File(['abc'], 'a.iso')])
    ScriptedXhr.last?.answer(507, { error: { code: 'no-space', message: 'not enough space for a.iso' } })
    expect(await creating).toEqual({ ok: false, error: { code: 'no-space', message: 'not enough space for a.iso' } })
  })
})
