// A device's local API: how this machine's command line reaches a running device. It is the
// window's door over HTTP: the state as the window sees it (AppState, in common/wire.ts's JSON
// form) and the window's commands (Command in, ApiResult out), through the same AppService.
// Plain HTTP on its own loopback listener (the control port speaks mutual TLS with device
// certificates, which the CLI has no reason to hold), and only with the token from agent.json.
// Its client is local-client.ts. Documented in docs/protocol.md, "Local API".
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { ApiResult } from '../../../common/api.js'
import { fail, ok, type Result } from '../../../common/result.js'
import { encodeState } from '../../../common/wire.js'
import { ControlServer } from '../control/control-server.js'
import { readJsonBody, sendJson, statusForCode, type Route, type RouteContext } from '../control/http-json.js'
import type { AppService } from './app-service.js'
import { NEXT_STATE_DEFAULT_MS, NEXT_STATE_MAX_MS } from './local-api-limits.js'

/** A command is small: paths and ids, at most a settings patch or a list of recipients. */
const MAX_COMMAND_BYTES = 1024 * 1024
const LOOPBACK = ['127.0.0.1', '::1', '::ffff:127.0.0.1']

function authorized (req: IncomingMessage, token: string): boolean {
  if (!LOOPBACK.includes(req.socket.remoteAddress ?? '')) return false
  const given = Buffer.from(req.headers.authorization?.replace(/^Bearer /, '') ?? '')
  const want = Buffer.from(token)
  return given.length === want.length && timingSafeEqual(given, want)
}

/** An ApiResult as the body, with the HTTP status its code maps to. */
function answer (ctx: RouteContext, r: ApiResult<unknown>): void {
  sendJson(ctx.res, r.ok ? 200 : statusForCode(r.error.code), r)
}

function withinOf (url: URL): Result<number> {
  const raw = url.searchParams.get('within')
  if (raw === null) return ok(NEXT_STATE_DEFAULT_MS)
  const ms = Number(raw)
  if (!/^\d+$/.test(raw) || ms > NEXT_STATE_MAX_MS) return fail('bad-request', `within must be a whole number of milliseconds from 0 to ${NEXT_STATE_MAX_MS}`)
  return ok(ms)
}

function localRoutes (app: AppService, token: string): Route[] {
  const guard = (handle: Route['handle']): Route['handle'] => ctx => {
    if (!authorized(ctx.req, token)) return answer(ctx, fail('unauthorized', 'the local API needs the token from agent.json, from loopback'))
    return handle(ctx)
  }
  const routes: Route[] = [
    { method: 'GET', pattern: /^\/v1\/local\/state$/, handle: ctx => sendJson(ctx.res, 200, encodeState(app.state())) },
    {
      method: 'GET',
      pattern: /^\/v1\/local\/state\/next$/,
      handle: async ctx => {
        const within = withinOf(ctx.url)
        if (!within.ok) return answer(ctx, within)
        // A caller that hangs up stops waiting; its answer goes nowhere.
        const gone = new AbortController()
        ctx.res.once('close', () => gone.abort())
        sendJson(ctx.res, 200, encodeState(await app.nextState(within.value, gone.signal)))
      }
    },
    {
      method: 'POST',
      pattern: /^\/v1\/local\/commands$/,
      handle: async ctx => {
        const body = await readJsonBody(ctx.req, MAX_COMMAND_BYTES)
        // parseCommand (in handle) checks every field; nothing here validates by hand.
        answer(ctx, body.ok ? await app.handle(body.value) : body)
      }
    }
  ]
  return routes.map(r => ({ ...r, handle: guard(r.handle) }))
}

export interface LocalApi {
  readonly port: number
  close (): Promise<void>
}

/** Serves `app` on 127.0.0.1 at a free port, to callers holding `token`. */
export async function openLocalApi (app: AppService, token: string): Promise<Result<LocalApi>> {
  const server = await ControlServer.listen({ port: 0, host: '127.0.0.1', what: 'local API port' })
  if (!server.ok) return server
  server.value.setRoutes(localRoutes(app, token))
  return ok({ port: server.value.port, close: () => server.value.close() })
}
