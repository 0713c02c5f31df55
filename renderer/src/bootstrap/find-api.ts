// Where the engine is: the desktop app's preload puts the API on `window.swarmdrop`; in a plain
// browser (`swarmdrop agent --ui`) the web bridge connects to the agent over a WebSocket.
import type { ApiResult } from '../../../preload/api.js'
import { connectWebBridge } from '../../../preload/web-bridge.js'
import type { WindowApi } from '../store/app-store.js'

export async function findApi (win: Window): Promise<ApiResult<WindowApi>> {
  if (win.swarmdrop !== undefined) return { ok: true, value: win.swarmdrop }
  return await connectWebBridge(win.location)
}
