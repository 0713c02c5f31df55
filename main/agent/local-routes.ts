// The agent's local API: what the CLI (and later the web UI) asks of a running agent. Loopback
// only, and only with the token from agent.json. Documented in docs/protocol.md, "Local API".
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readJsonBody, sendError, sendJson, sendNoContent, statusForCode, type Route, type RouteContext } from '../core/control/http-json.js'
import { isRecord } from '../core/store/json-file.js'
import type { AppService } from '../core/app/app-service.js'
import type { SwarmNode } from '../core/node/swarm-node.js'
import type { Result } from '../core/result.js'
import { remoteIPv4 } from '../core/node/peer-routes.js'
import { localStatus } from './local-status.js'

function authorized (req: IncomingMessage, token: string): boolean {
  const addr = remoteIPv4(req)
  if (addr !== '127.0.0.1' && addr !== '::1') return false
  const given = Buffer.from(req.headers.authorization?.replace(/^Bearer /, '') ?? '')
  const want = Buffer.from(token)
  return given.length === want.length && timingSafeEqual(given, want)
}

function reply<T> (res: ServerResponse, r: Result<T>): void {
  if (r.ok) sendJson(res, 200, r.value ?? {})
  else sendError(res, statusForCode(r.error.code), r.error.code, r.error.message)
}

async function body (ctx: RouteContext): Promise<Record<string, unknown> | undefined> {
  const b = await readJsonBody(ctx.req, 1024 * 1024)
  if (!b.ok) { sendError(ctx.res, 400, b.error.code, b.error.message); return undefined }
  if (b.value === undefined) return {}
  if (!isRecord(b.value)) { sendError(ctx.res, 400, 'bad-request', 'request body must be a JSON object'); return undefined }
  return b.value
}

/** `app` is the agent's AppService over `node`: status rows are the ones the app shows. */
export function localRoutes (node: SwarmNode, app: AppService, token: string, onStop: () => void): Route[] {
  const guard = (handle: Route['handle']): Route['handle'] => ctx => {
    if (!authorized(ctx.req, token)) return sendError(ctx.res, 401, 'unauthorized', 'the local API needs the token from agent.json, from loopback')
    return handle(ctx)
  }
  const routes: Route[] = [
    { method: 'GET', pattern: /^\/v1\/local\/status$/, handle: ({ res }) => sendJson(res, 200, localStatus(node, app)) },
    { method: 'GET', pattern: /^\/v1\/local\/peers$/, handle: ({ res }) => { node.discovery.refresh(); sendJson(res, 200, node.peers()) } },
    {
      method: 'POST',
      pattern: /^\/v1\/local\/distributions$/,
      handle: async ctx => {
        const b = await body(ctx)
        if (!b) return
        if (typeof b.path !== 'string') return sendError(ctx.res, 400, 'bad-request', 'path must be text')
        reply(ctx.res, await node.createDistribution(b.path))
      }
    },
    {
      method: 'POST',
      pattern: /^\/v1\/local\/distributions\/([0-9a-f]{40})\/offers$/,
      handle: async ctx => {
        const b = await body(ctx)
        if (!b) return
        const to = b.to
        if (!Array.isArray(to) || !to.every(x => typeof x === 'string')) return sendError(ctx.res, 400, 'bad-request', 'to must be a list of device ids')
        reply(ctx.res, await node.offer(ctx.params[0] ?? '', to as string[]))
      }
    },
    { method: 'GET', pattern: /^\/v1\/local\/offers$/, handle: ({ res }) => sendJson(res, 200, node.status().offers) },
    {
      method: 'POST',
      pattern: /^\/v1\/local\/offers\/([0-9a-zA-Z-]{1,64})\/accept$/,
      handle: async ctx => {
        const b = await body(ctx)
        if (!b) return
        const opts = {
          ...(typeof b.downloadsDir === 'string' ? { downloadsDir: b.downloadsDir } : {}),
          ...(b.alwaysTrust === true ? { alwaysTrust: true } : {})
        }
        reply(ctx.res, await node.acceptOffer(ctx.params[0] ?? '', opts))
      }
    },
    {
      method: 'POST',
      pattern: /^\/v1\/local\/offers\/([0-9a-zA-Z-]{1,64})\/decline$/,
      handle: async ctx => reply(ctx.res, await node.declineOffer(ctx.params[0] ?? ''))
    },
    {
      method: 'POST',
      pattern: /^\/v1\/local\/trust$/,
      handle: async ctx => {
        const b = await body(ctx)
        if (!b) return
        if (typeof b.id !== 'string') return sendError(ctx.res, 400, 'bad-request', 'id must be a device id')
        const name = typeof b.name === 'string' ? b.name : node.discovery.get(b.id)?.name ?? ''
        reply(ctx.res, await node.trust.trust(b.id, name))
      }
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/local\/trust\/([0-9a-f]{32})$/,
      handle: async ({ res, params }) => {
        const removed = await node.trust.untrust(params[0] ?? '')
        if (!removed) return sendError(res, 404, 'not-found', 'that device is not trusted')
        sendNoContent(res)
      }
    },
    { method: 'POST', pattern: /^\/v1\/local\/stop$/, handle: ({ res }) => { sendNoContent(res); onStop() } }
  ]
  return routes.map(r => ({ ...r, handle: guard(r.handle) }))
}
