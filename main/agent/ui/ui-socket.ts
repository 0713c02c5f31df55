// The web UI's WebSocket (/ui/ws): every client gets state frames from the AppService and a reply
// frame for each command frame it sends (see common/wire.ts).
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { AppState } from '../../../common/api.js'
import type { AppService } from '../../core/app/app-service.js'
import { encodeServerFrame, parseCommandFrame } from '../../../common/wire.js'

/** A client that reads slower than states arrive skips states instead of queueing them. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024
const MAX_COMMAND_BYTES = 1024 * 1024
const PING_MS = 20_000

export function uiSocketServer (service: AppService): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_COMMAND_BYTES })
  // Every client of one delivery round gets the same snapshot: encode it once.
  const encoded = new WeakMap<AppState, string>()
  const stateFrame = (state: AppState): string => {
    let text = encoded.get(state)
    if (text === undefined) encoded.set(state, text = encodeServerFrame({ kind: 'state', state }))
    return text
  }
  wss.on('connection', (ws: WebSocket) => {
    let alive = true
    const send = (text: string): void => { if (ws.readyState === ws.OPEN) ws.send(text) }
    const unsubscribe = service.subscribe(state => {
      if (ws.bufferedAmount <= MAX_BUFFERED_BYTES) send(stateFrame(state))
    })
    // A browser that went away without closing (laptop lid) is noticed and dropped.
    const ping = setInterval(() => {
      if (!alive) return ws.terminate()
      alive = false
      ws.ping()
    }, PING_MS)
    ping.unref()
    ws.on('pong', () => { alive = true })
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const frame = parseCommandFrame(isBinary ? undefined : data.toString())
      if (frame.id === undefined) {
        if (!frame.result.ok) ws.close(1008, frame.result.error.message.slice(0, 120))
        return
      }
      const id = frame.id
      if (!frame.result.ok) return send(encodeServerFrame({ kind: 'reply', id, result: frame.result }))
      void service.execute(frame.result.value).then(result => send(encodeServerFrame({ kind: 'reply', id, result })))
    })
    ws.on('close', () => {
      clearInterval(ping)
      unsubscribe()
    })
    ws.on('error', () => ws.terminate())
  })
  return wss
}
