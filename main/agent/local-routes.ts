// The agent's local API: how this machine's command line reaches a running device. It is the
// window's door over HTTP: the state as the window sees it (AppState, in common/wire.ts's JSON
// form) and the window's commands (Command in, ApiResult out), through the same AppService.
// Loopback only, and only with the token from agent.json. Documented in docs/protocol.md,
// "Local API".
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { ApiResult } from '../../common/api.js'
import { fail } from '../../common/result.js'
import { encodeState } from '../../common/wire.js'
import type { AppService } from '../core/app/app-service.js'
import { readJsonBody, sendJson, statusForCode, type Route, type RouteContext } from '../core/control/http-json.js'

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

export function localRoutes (app: AppService, token: string): Route[] {
  const guard = (handle: Route['handle']): Route['handle'] => ctx => {
    if (!authorized(ctx.req, token)) return answer(ctx, fail('unauthorized', 'the local API needs the token from agent.json, from loopback'))
    return handle(ctx)
  }
  const routes: Route[] = [
    { method: 'GET', pattern: /^\/v1\/local\/state$/, handle: ctx => sendJson(ctx.res, 200, encodeState(app.state())) },
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
