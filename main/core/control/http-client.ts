// Calls to another device's control port (and to the local agent), bounded in time, returning
// the JSON answer or a failure that says which device did not answer and why.
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'

export interface JsonResponse { readonly status: number; readonly body: unknown }

export async function requestJson (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  opts: { timeoutMs?: number; headers?: Record<string, string> } = {}
): Promise<Result<JsonResponse>> {
  let res: Response
  try {
    res = await fetch(url, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000)
    })
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code
    const why = cause === 'ECONNREFUSED' ? 'connection refused' : (err as Error).name === 'TimeoutError' ? 'no answer in time' : cause ?? errorMessage(err)
    return fail('unreachable', `${new URL(url).host}: ${why}`)
  }
  const text = await res.text()
  if (text.length === 0) return ok({ status: res.status, body: undefined })
  try {
    return ok({ status: res.status, body: JSON.parse(text) as unknown })
  } catch {
    return fail('bad-response', `${new URL(url).host} answered with something that is not JSON (HTTP ${res.status})`)
  }
}

/** The code of an error body ({"error":{"code"}}), if it is one. */
export function errorBodyCode (r: JsonResponse): string | undefined {
  const e = (r.body as { error?: { code?: unknown } } | undefined)?.error
  return typeof e?.code === 'string' ? e.code : undefined
}

/** The message of an error body ({"error":{"message"}}), or a generic line with the status. */
export function errorBodyMessage (r: JsonResponse): string {
  const e = (r.body as { error?: { message?: unknown } } | undefined)?.error
  return typeof e?.message === 'string' ? e.message : `HTTP ${r.status}`
}
