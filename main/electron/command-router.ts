// Where each command from the window goes. Two need the desktop itself (a native folder dialog,
// showing a folder in the file manager); the engine's AppService answers every other one. Kept
// free of Electron so the routing is tested under Node; ipc.ts passes the real dialog and shell.
import type { ApiResult, AppState, Command } from '../../common/api.js'
import { parseCommand } from '../../common/commands.js'
import { IPC_COMMAND, IPC_GET_STATE } from '../../common/ipc.js'
import { errorMessage, fail, ok } from '../../common/result.js'

export interface DesktopActions {
  /** A native "choose folder" dialog: the chosen path, or null when cancelled. */
  chooseFolder (): Promise<string | null>
  /** Shows the item selected in the platform's file manager. */
  showInFolder (path: string): void
}

export interface CommandExecutor {
  execute (command: Command): Promise<ApiResult<unknown>>
}

/** The engine as the window reaches it: the supervisor of its process. */
export interface EngineService extends CommandExecutor {
  state (): AppState
}

/** What the main process answers on each request channel, given the request's payload. */
export type RequestHandlers = Readonly<Record<string, (payload: unknown) => Promise<ApiResult<unknown>>>>

export function requestHandlers (engine: EngineService, desktop: DesktopActions): RequestHandlers {
  return {
    [IPC_COMMAND]: raw => routeCommand(raw, engine, desktop),
    [IPC_GET_STATE]: async () => {
      try {
        return ok(engine.state())
      } catch (err) {
        return fail('internal', `state unavailable: ${errorMessage(err)}`)
      }
    }
  }
}

/** Validates `raw` (it comes from the renderer and is never trusted), then runs it. Never throws. */
export async function routeCommand (raw: unknown, engine: EngineService, desktop: DesktopActions): Promise<ApiResult<unknown>> {
  const parsed = parseCommand(raw)
  if (!parsed.ok) return parsed
  const command = parsed.value
  try {
    if (command.type === 'choose-folder') {
      const path = await desktop.chooseFolder()
      return ok(path === null ? null : { path })
    }
    if (command.type === 'open-folder') return await openFolder(command, engine, desktop)
    return await engine.execute(command)
  } catch (err) {
    // An exception would reach the renderer as a rejected promise with Electron's wording.
    return fail('internal', `${command.type} failed: ${errorMessage(err)}`)
  }
}

/**
 * The engine answers with the folder; the file manager opens that folder with the distribution's
 * own file (or folder) selected in it, which is what a person looks for.
 */
async function openFolder (command: Extract<Command, { type: 'open-folder' }>, engine: EngineService, desktop: DesktopActions): Promise<ApiResult<unknown>> {
  const answer = await engine.execute(command)
  if (!answer.ok) return answer
  const value = answer.value
  const path = typeof value === 'object' && value !== null && 'path' in value ? (value as { path: unknown }).path : undefined
  if (typeof path !== 'string' || path.length === 0) return fail('internal', 'the engine did not say where the files are')
  const item = engine.state().distributions.find(d => d.infoHash === command.infoHash)?.path
  desktop.showInFolder(item !== undefined && item.length > 0 ? item : path)
  return ok({ path, opened: true })
}
