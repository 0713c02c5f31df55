// The web bridge against a scripted socket: the heartbeat's getState must report a lost link
// instead of answering from its cache, and recover when the agent's next state arrives.
import { afterEach, describe, expect, it } from 'vitest'
import { encodeServerFrame } from '../../../common/wire.js'
import { connectWebBridge } from '../../../preload/web-bridge.js'
import { appState } from '../../../renderer/src/test/fixtures.js'

class ScriptedSocket {
  static last: ScriptedSocket | undefined
  readyState = 0
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { readonly data: unknown }) => void) | null = null
  onclose: ((ev: unknown) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  constructor (readonly url: string) { ScriptedSocket.last = this }
  send (): void {}
  close (): void { this.drop() }
  /** The agent accepts and sends its state, as it does on every new connection. */
  serve (): void {
    this.readyState = 1
    this.onopen?.({})
    this.onmessage?.({ data: encodeServerFrame({ kind: 'state', state: appState({ shell: 'web' }) }) })
  }

  drop (): void {
    this.readyState = 3
    this.onclose?.({})
  }
}

const g = globalThis as unknown as { WebSocket?: unknown }
const saved = g.WebSocket
afterEach(() => { g.WebSocket = saved })

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
})
