// The command line's client of a device running in its own process (`send` with no agent running):
// the AppService's state and commands called directly, not over loopback HTTP to itself. Each
// state the local API would have sent was built, encoded to JSON, parsed and decoded again, four
// times a second while `send --wait` followed a transfer, on a machine whose cores the transfer
// needed. Commands go through the same parseCommand as the local API's.
import type { ApiResult, AppState, CommandReplies, CommandType } from '../../../common/api.js'
import { errorMessage, fail, ok } from '../../../common/result.js'
import type { AppService } from './app-service.js'
import type { CommandOf, DeviceClient } from './device-client.js'
import { nextStateWithin } from './local-api-limits.js'

export class InProcessClient implements DeviceClient {
  constructor (private readonly app: AppService) {}

  async state (): Promise<ApiResult<AppState>> {
    try {
      return ok(this.app.state())
    } catch (err) {
      return fail('internal', `the device's state could not be built: ${errorMessage(err)}`)
    }
  }

  async nextState (withinMs: number): Promise<ApiResult<AppState>> {
    const within = nextStateWithin(withinMs)
    try {
      return ok(await this.app.nextState(within))
    } catch (err) {
      return fail('internal', `the device's state could not be built: ${errorMessage(err)}`)
    }
  }

  async run<T extends CommandType> (command: CommandOf<T>): Promise<ApiResult<CommandReplies[T]>> {
    // The same device answers its own commands: its reply to a command of type T is CommandReplies[T].
    return await this.app.handle(command) as ApiResult<CommandReplies[T]>
  }
}
