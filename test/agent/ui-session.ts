// One authorized WebSocket session with an agent's web UI (through the relay of ui-client.ts):
// send commands and await their replies, and await states that satisfy a condition, all bounded.
import type { AppState, Command } from '../../common/api.js'
import { encodeCommandFrame, parseServerFrame, type ReplyFrame } from '../../common/wire.js'
import { wsVia } from './ui-client.js'
import type WebSocket from 'ws'

export class UiSession {
  private nextId = 1
  private latest: AppState | undefined
  private readonly replies = new Map<number, (r: ReplyFrame['result']) => void>()
  private readonly stateWaiters = new Set<(s: AppState) => void>()

  private constructor (private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const f = parseServerFrame(data.toString())
      if (!f.ok) return
      if (f.value.kind === 'state') {
        this.latest = f.value.state
        for (const w of [...this.stateWaiters]) w(f.value.state)
      } else {
        this.replies.get(f.value.id)?.(f.value.result)
        this.replies.delete(f.value.id)
      }
    })
  }

  static async open (sock: string, ui: { readonly port: number; readonly token: string; readonly host: string }): Promise<UiSession> {
    const o = await wsVia(sock, { host: ui.host, cookie: `swarmdrop_ui_${ui.port}=${ui.token}` }, `http://${ui.host}`)
    if (!('open' in o)) throw new Error(`the UI refused the WebSocket with ${o.refused}`)
    return new UiSession(o.open)
  }

  command (command: Command, ms = 30_000): Promise<ReplyFrame['result']> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.replies.delete(id); reject(new Error(`no reply to ${command.type} within ${ms} ms`)) }, ms)
      this.replies.set(id, r => { clearTimeout(timer); resolve(r) })
      this.ws.send(encodeCommandFrame(id, command))
    })
  }

  /** Resolves with the first state (the latest one included) for which `pick` returns a value. */
  until<T> (what: string, pick: (s: AppState) => T | undefined, ms = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (s: AppState): void => {
        const v = pick(s)
        if (v === undefined) return
        this.stateWaiters.delete(check)
        clearTimeout(timer)
        resolve(v)
      }
      const timer = setTimeout(() => { this.stateWaiters.delete(check); reject(new Error(`${what}: not within ${ms} ms`)) }, ms)
      this.stateWaiters.add(check)
      if (this.latest) check(this.latest)
    })
  }

  close (): void { this.ws.terminate() }
}
