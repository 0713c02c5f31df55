// The CLI's typed client for a running agent's local API.
import { errorBodyMessage, requestJson } from '../core/control/http-client.js'
import type { OriginRecord, RecipientStatus } from '../core/distributions/records.js'
import type { PeerView } from '../core/node/swarm-node.js'
import { fail, ok, type Result } from '../core/result.js'
import type { LocalStatus } from './local-status.js'

export class LocalClient {
  constructor (private readonly port: number, private readonly token: string) {}

  status (): Promise<Result<LocalStatus>> { return this.call('GET', '/v1/local/status') }
  peers (): Promise<Result<PeerView[]>> { return this.call('GET', '/v1/local/peers') }
  create (path: string): Promise<Result<OriginRecord>> { return this.call('POST', '/v1/local/distributions', { path }, 24 * 3600_000) }
  offer (infoHash: string, to: readonly string[]): Promise<Result<RecipientStatus[]>> { return this.call('POST', `/v1/local/distributions/${infoHash}/offers`, { to }, 60_000) }
  accept (offerId: string, opts: { downloadsDir?: string; alwaysTrust?: boolean }): Promise<Result<unknown>> { return this.call('POST', `/v1/local/offers/${offerId}/accept`, opts) }
  decline (offerId: string): Promise<Result<unknown>> { return this.call('POST', `/v1/local/offers/${offerId}/decline`, {}) }
  trust (id: string): Promise<Result<unknown>> { return this.call('POST', '/v1/local/trust', { id }) }
  untrust (id: string): Promise<Result<unknown>> { return this.call('DELETE', `/v1/local/trust/${id}`) }

  private async call<T> (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, timeoutMs = 30_000): Promise<Result<T>> {
    const r = await requestJson(method, `http://127.0.0.1:${this.port}${path}`, body, { timeoutMs, headers: { authorization: `Bearer ${this.token}` } })
    if (!r.ok) return fail('agent-unreachable', `the local agent did not answer: ${r.error.message}`)
    if (r.value.status >= 400) {
      const code = (r.value.body as { error?: { code?: string } } | undefined)?.error?.code ?? 'error'
      return fail(code, errorBodyMessage(r.value))
    }
    return ok(r.value.body as T)
  }
}
