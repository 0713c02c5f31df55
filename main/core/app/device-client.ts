// What a command of the command line needs of a device: its state, the next state once something
// changed, and its commands. Two ways in: over the local API to a device in another process
// (local-client.ts), or straight to the AppService of a device in this one (in-process-client.ts).
import type { ApiResult, AppState, Command, CommandReplies, CommandType } from '../../../common/api.js'

/** The command of type T. */
export type CommandOf<T extends CommandType> = Extract<Command, { readonly type: T }>

export interface DeviceClient {
  state (): Promise<ApiResult<AppState>>
  /**
   * The device's state once something changed (an event or a command), or the current one after
   * `withinMs`: a wait that answers as soon as something happened.
   */
  nextState (withinMs: number): Promise<ApiResult<AppState>>
  run<T extends CommandType> (command: CommandOf<T>): Promise<ApiResult<CommandReplies[T]>>
}
