// The command line's client for a running device's local API: the window's state and commands,
// over loopback HTTP (local-api.ts), and the same contract types back.
import type { ApiResult, AppState, CommandReplies, CommandType } from '../../../common/api.js'
import { fail, ok } from '../../../common/result.js'
import { decodeState } from '../../../common/wire.js'
import { requestJson } from '../control/http-client.js'
import type { CommandOf, DeviceClient } from './device-client.js'
import { nextStateWithin } from './local-api-limits.js'

/** Hashing a big file takes minutes; a send answers once it is hashed and offered. */
const SEND_TIMEOUT_MS = 24 * 3600_000
const COMMAND_TIMEOUT_MS = 60_000

function isApiResult (v: unknown): v is ApiResult<unknown> {
  if (typeof v !== 'object' || v === null) return false
  const r = v as { ok?: unknown; error?: { code?: unknown; message?: unknown } }
  return r.ok === true || (r.ok === false && typeof r.error?.code === 'string' && typeof r.error.message === 'string')
}

export class LocalClient implements DeviceClient {
  constructor (private readonly port: number, private readonly token: string) {}

  async state (): Promise<ApiResult<AppState>> {
    return this.stateAt('/v1/local/state', 30_000)
  }

  async nextState (withinMs: number): Promise<ApiResult<AppState>> {
    const within = nextStateWithin(withinMs)
    return this.stateAt(`/v1/local/state/next?within=${within}`, within + 30_000)
  }

  private async stateAt (path: string, timeoutMs: number): Promise<ApiResult<AppState>> {
    const r = await this.call('GET', path, undefined, timeoutMs)
    if (!r.ok) return r
    // A refusal (a wrong token) is an ApiResult too; a state is not.
    if (isApiResult(r.value) && !r.value.ok) return r.value
    return decodeState(r.value)
  }

  async run<T extends CommandType> (command: CommandOf<T>): Promise<ApiResult<CommandReplies[T]>> {
    const r = await this.call('POST', '/v1/local/commands', command, command.type === 'send' ? SEND_TIMEOUT_MS : COMMAND_TIMEOUT_MS)
    if (!r.ok) return r
    if (!isApiResult(r.value)) return fail('bad-response', 'the local agent answered a command with something that is not a result')
    // The agent runs this same build: its reply to a command of type T is CommandReplies[T].
    return r.value as ApiResult<CommandReplies[T]>
  }

  private async call (method: 'GET' | 'POST', path: string, body: unknown, timeoutMs: number): Promise<ApiResult<unknown>> {
    const r = await requestJson(method, `http://127.0.0.1:${this.port}${path}`, body, { timeoutMs, headers: { authorization: `Bearer ${this.token}` } })
    if (!r.ok) return fail('agent-unreachable', `the local agent did not answer: ${r.error.message}`)
    return ok(r.value.body)
  }
}
