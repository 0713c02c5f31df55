// Validation of every Command that crosses IPC or the WebSocket. A renderer (or a page that got
// hold of the socket) may send anything, so each field is checked for type, pattern and size, and
// anything unknown is refused, before the engine sees it. Plain TypeScript: both shells load it.
import type { AcceptPolicy, ApiResult, Command, SettingsPatch } from './api.js'
import { isDeviceId } from './device-id.js'
import { isDisplayText, isOfferId, MAX_DEVICE_NAME } from './network-text.js'
import { fail, ok as good } from './result.js'

const INFO_HASH = /^[0-9a-f]{40}$/
const MAX_PATH = 4096
const MAX_NAME = MAX_DEVICE_NAME
const MAX_RECIPIENTS = 1000
const MAX_RATE = 1e12
const ACCEPT_POLICIES: readonly AcceptPolicy[] = ['ask', 'trusted', 'all']
/** A group name is typed after `@` in `--to @lab,lab-03`: no comma, no space, no `@`. */
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/
/** How many groups a device keeps, and machines a group holds. */
export const MAX_GROUPS = 100
export const MAX_GROUP_MEMBERS = MAX_RECIPIENTS
/** A watched folder's settle time: how long a file must hold still before it is sent. */
export const MAX_SETTLE_SECONDS = 3600

export function isGroupName (v: unknown): v is string {
  return typeof v === 'string' && GROUP_NAME.test(v)
}

type Fields = Readonly<Record<string, unknown>>

/** A value from the request, echoed in a message: quoted, escaped, short. */
const shown = (s: string): string => JSON.stringify(s.slice(0, 40))

const bad = (message: string): ApiResult<never> => fail('bad-request', message)

function isObject (v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The first key of `o` outside `allowed`, if any. */
function extraKey (o: Fields, allowed: readonly string[]): string | undefined {
  return Object.keys(o).find(k => !allowed.includes(k))
}

function infoHashOf (v: unknown, field: string): ApiResult<string> {
  return typeof v === 'string' && INFO_HASH.test(v) ? good(v) : bad(`${field} must be an infohash (40 lowercase hex digits)`)
}

function deviceIdOf (v: unknown, field: string): ApiResult<string> {
  return isDeviceId(v) ? good(v) : bad(`${field} must be a device id (32 lowercase hex digits)`)
}

/** The device ids an offer goes to, each once. */
function recipientsOf (to: unknown): ApiResult<readonly string[]> {
  if (!Array.isArray(to) || to.length < 1 || to.length > MAX_RECIPIENTS) return bad(`to must be a list of 1 to ${MAX_RECIPIENTS} device ids`)
  const ids: string[] = []
  for (const [i, id] of to.entries()) {
    const d = deviceIdOf(id, `to[${i}]`)
    if (!d.ok) return d
    if (!ids.includes(d.value)) ids.push(d.value)
  }
  return good(ids)
}

/** A point in time as ISO 8601 (a date alone is its UTC midnight), answered in toISOString form. */
function timeOf (v: unknown, field: string): ApiResult<string> {
  const ms = typeof v === 'string' && v.length <= 64 ? Date.parse(v) : NaN
  return Number.isFinite(ms) ? good(new Date(ms).toISOString()) : bad(`${field} must be a date or time, e.g. 2026-12-01 or 2026-12-01T08:00:00Z`)
}

function groupNameOf (v: unknown): ApiResult<string> {
  return isGroupName(v) ? good(v) : bad('name must be a group name: 1 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit')
}

/** The device ids of a group command, each once; `min` is 0 where an empty list means something. */
function groupIdsOf (v: unknown, min: number): ApiResult<readonly string[]> {
  if (!Array.isArray(v) || v.length < min || v.length > MAX_GROUP_MEMBERS) return bad(`ids must be a list of ${min} to ${MAX_GROUP_MEMBERS} device ids`)
  const ids: string[] = []
  for (const [i, id] of v.entries()) {
    const d = deviceIdOf(id, `ids[${i}]`)
    if (!d.ok) return d
    if (!ids.includes(d.value)) ids.push(d.value)
  }
  return good(ids)
}

function offerIdOf (v: unknown): ApiResult<string> {
  return isOfferId(v) ? good(v) : bad('offerId must be 1 to 64 letters, digits or dashes')
}

function pathOf (v: unknown, field: string): ApiResult<string> {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_PATH) return bad(`${field} must be a path of 1 to ${MAX_PATH} characters`)
  if (v.includes('\0')) return bad(`${field} must not contain a NUL character`)
  return good(v)
}

function nameOf (v: unknown, field: string): ApiResult<string> {
  if (typeof v !== 'string') return bad(`${field} must be text`)
  const t = v.trim()
  if (!isDisplayText(t, MAX_NAME)) return bad(`${field} must be 1 to ${MAX_NAME} printable characters`)
  return good(t)
}

function rateOf (v: unknown, field: string): ApiResult<number> {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_RATE
    ? good(v)
    : bad(`${field} must be a whole number of bytes per second from 0 (unlimited) to ${MAX_RATE}`)
}

/**
 * A settings patch, each setting checked. `field` names a setting in messages: `patch.name` for a
 * command, the flag (`--name`) where the CLI's settings flags are checked as a patch.
 */
export function parseSettingsPatch (v: unknown, field: (setting: string) => string = s => `patch.${s}`): ApiResult<SettingsPatch> {
  if (!isObject(v)) return bad('patch must be an object of settings')
  const keys = Object.keys(v)
  if (keys.length === 0) return bad('patch must change at least one setting')
  const patch: { -readonly [K in keyof SettingsPatch]: SettingsPatch[K] } = {}
  for (const key of keys) {
    const value = v[key]
    switch (key) {
      case 'name': {
        const n = nameOf(value, field(key))
        if (!n.ok) return n
        patch.name = n.value
        break
      }
      case 'downloadsDir': {
        const p = pathOf(value, field(key))
        if (!p.ok) return p
        patch.downloadsDir = p.value
        break
      }
      case 'accept':
        if (typeof value !== 'string' || !(ACCEPT_POLICIES as readonly string[]).includes(value)) return bad(`${field(key)} must be one of ${ACCEPT_POLICIES.join(', ')}`)
        patch.accept = value as AcceptPolicy
        break
      case 'uploadLimit':
      case 'downloadLimit': {
        const r = rateOf(value, field(key))
        if (!r.ok) return r
        patch[key] = r.value
        break
      }
      case 'startAtLogin':
      case 'startHidden':
        if (typeof value !== 'boolean') return bad(`${field(key)} must be true or false`)
        patch[key] = value
        break
      default:
        return bad(`patch has an unknown setting ${shown(key)}`)
    }
  }
  return good(patch)
}

/** Longest DNS name (RFC 1035). */
const MAX_HOST = 253
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i

/** An IPv4 address or a DNS name (letters, digits, dashes, dots): nothing a terminal or a URL could misread. */
export function isHostName (v: unknown): v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_HOST) return false
  if (IPV4.test(v)) return true
  // A dotted quad that is not an address (999.1.1.1) is a typo, not a name.
  if (/^[\d.]+$/.test(v)) return false
  return v.replace(/\.$/, '').split('.').every(l => HOST_LABEL.test(l))
}

function hostOf (v: unknown): ApiResult<string> {
  return isHostName(v) ? good(v) : bad('host must be an IPv4 address or a host name (letters, digits, dashes and dots, at most 253)')
}

function portOf (v: unknown): ApiResult<number> {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? good(v) : bad('port must be a whole number from 1 to 65535')
}

/** "HOST" or "HOST:PORT" as a person types it (CLI, Add by address), checked like the pair command. */
export function parseHostPort (text: string): ApiResult<{ readonly host: string; readonly port?: number }> {
  const t = text.trim()
  const m = /^([^:]*)(?::(\d{1,5}))?$/.exec(t)
  if (m === null) return bad(`${shown(t)} is not HOST or HOST:PORT`)
  const host = hostOf(m[1])
  if (!host.ok) return host
  if (m[2] === undefined) return good({ host: host.value })
  const port = portOf(Number(m[2]))
  return port.ok ? good({ host: host.value, port: port.value }) : port
}

function only (o: Fields, allowed: readonly string[]): ApiResult<void> {
  const extra = extraKey(o, ['type', ...allowed])
  return extra === undefined ? good(undefined) : bad(`${String(o.type)} takes no field ${shown(extra)}`)
}

/** A Command from anything a shell received; never throws. */
export function parseCommand (raw: unknown): ApiResult<Command> {
  if (!isObject(raw)) return bad('a command must be an object')
  const type = raw.type
  switch (type) {
    case 'create': {
      const o = only(raw, ['path'])
      if (!o.ok) return o
      const p = pathOf(raw.path, 'path')
      return p.ok ? good({ type, path: p.value }) : p
    }
    case 'offer':
    case 'send': {
      // One shape: what goes (a shared infohash, or a path that send shares first) and to whom.
      const what = type === 'offer' ? 'infoHash' : 'path'
      const o = only(raw, [what, 'to'])
      if (!o.ok) return o
      const v = type === 'offer' ? infoHashOf(raw.infoHash, what) : pathOf(raw.path, what)
      if (!v.ok) return v
      const to = recipientsOf(raw.to)
      if (!to.ok) return to
      return good(type === 'offer' ? { type, infoHash: v.value, to: to.value } : { type, path: v.value, to: to.value })
    }
    case 'report': {
      const o = only(raw, ['infoHash', 'since'])
      if (!o.ok) return o
      const ih = raw.infoHash === undefined ? undefined : infoHashOf(raw.infoHash, 'infoHash')
      if (ih !== undefined && !ih.ok) return ih
      const since = raw.since === undefined ? undefined : timeOf(raw.since, 'since')
      if (since !== undefined && !since.ok) return since
      return good({ type, ...(ih !== undefined ? { infoHash: ih.value } : {}), ...(since !== undefined ? { since: since.value } : {}) })
    }
    case 'prune-history': {
      const o = only(raw, ['before'])
      if (!o.ok) return o
      const before = timeOf(raw.before, 'before')
      return before.ok ? good({ type, before: before.value }) : before
    }
    case 'accept': {
      const o = only(raw, ['offerId', 'downloadsDir', 'alwaysTrust'])
      if (!o.ok) return o
      const id = offerIdOf(raw.offerId)
      if (!id.ok) return id
      let downloadsDir: string | undefined
      if (raw.downloadsDir !== undefined) {
        const p = pathOf(raw.downloadsDir, 'downloadsDir')
        if (!p.ok) return p
        downloadsDir = p.value
      }
      if (raw.alwaysTrust !== undefined && typeof raw.alwaysTrust !== 'boolean') return bad('alwaysTrust must be true or false')
      return good({
        type,
        offerId: id.value,
        ...(downloadsDir !== undefined ? { downloadsDir } : {}),
        ...(raw.alwaysTrust !== undefined ? { alwaysTrust: raw.alwaysTrust } : {})
      })
    }
    case 'decline': {
      const o = only(raw, ['offerId'])
      if (!o.ok) return o
      const id = offerIdOf(raw.offerId)
      return id.ok ? good({ type, offerId: id.value }) : id
    }
    case 'pause':
    case 'resume': {
      const o = only(raw, ['infoHash'])
      if (!o.ok) return o
      if (raw.infoHash === undefined) return good({ type })
      const ih = infoHashOf(raw.infoHash, 'infoHash')
      return ih.ok ? good({ type, infoHash: ih.value }) : ih
    }
    case 'remove': {
      const o = only(raw, ['infoHash', 'deleteFiles'])
      if (!o.ok) return o
      const ih = infoHashOf(raw.infoHash, 'infoHash')
      if (!ih.ok) return ih
      if (raw.deleteFiles !== undefined && typeof raw.deleteFiles !== 'boolean') return bad('deleteFiles must be true or false')
      return good({ type, infoHash: ih.value, ...(raw.deleteFiles !== undefined ? { deleteFiles: raw.deleteFiles } : {}) })
    }
    case 'open-folder': {
      const o = only(raw, ['infoHash'])
      if (!o.ok) return o
      const ih = infoHashOf(raw.infoHash, 'infoHash')
      return ih.ok ? good({ type, infoHash: ih.value }) : ih
    }
    case 'choose-folder':
    case 'stop':
    case 'restart-engine': {
      const o = only(raw, [])
      return o.ok ? good({ type }) : o
    }
    case 'update-settings': {
      const o = only(raw, ['patch'])
      if (!o.ok) return o
      const p = parseSettingsPatch(raw.patch)
      return p.ok ? good({ type, patch: p.value }) : p
    }
    case 'browse': {
      const o = only(raw, ['path'])
      if (!o.ok) return o
      if (raw.path === undefined) return good({ type })
      const p = pathOf(raw.path, 'path')
      return p.ok ? good({ type, path: p.value }) : p
    }
    case 'trust':
    case 'untrust': {
      const o = only(raw, ['id'])
      if (!o.ok) return o
      const id = deviceIdOf(raw.id, 'id')
      return id.ok ? good({ type, id: id.value }) : id
    }
    case 'group-add':
    case 'group-set': {
      const o = only(raw, ['name', 'ids'])
      if (!o.ok) return o
      const name = groupNameOf(raw.name)
      if (!name.ok) return name
      const ids = groupIdsOf(raw.ids, type === 'group-add' ? 1 : 0)
      return ids.ok ? good({ type, name: name.value, ids: ids.value }) : ids
    }
    case 'group-remove': {
      const o = only(raw, ['name', 'ids'])
      if (!o.ok) return o
      const name = groupNameOf(raw.name)
      if (!name.ok) return name
      if (raw.ids === undefined) return good({ type, name: name.value })
      const ids = groupIdsOf(raw.ids, 1)
      return ids.ok ? good({ type, name: name.value, ids: ids.value }) : ids
    }
    case 'pair': {
      const o = only(raw, ['host', 'port'])
      if (!o.ok) return o
      const host = hostOf(raw.host)
      if (!host.ok) return host
      if (raw.port === undefined) return good({ type, host: host.value })
      const port = portOf(raw.port)
      return port.ok ? good({ type, host: host.value, port: port.value }) : port
    }
    case 'unpair': {
      const o = only(raw, ['id'])
      if (!o.ok) return o
      const id = deviceIdOf(raw.id, 'id')
      return id.ok ? good({ type, id: id.value }) : id
    }
    case 'watch-add': {
      const o = only(raw, ['path', 'group', 'ids', 'settleSeconds', 'mirrorDeletes'])
      if (!o.ok) return o
      const p = pathOf(raw.path, 'path')
      if (!p.ok) return p
      let group: string | undefined
      if (raw.group !== undefined) {
        const g = isGroupName(raw.group) ? good(raw.group) : bad('group must be a group name: 1 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit')
        if (!g.ok) return g
        group = g.value
      }
      let ids: readonly string[] | undefined
      if (raw.ids !== undefined) {
        const i = groupIdsOf(raw.ids, 1)
        if (!i.ok) return i
        ids = i.value
      }
      if (group === undefined && ids === undefined) return bad('watch-add needs a group, ids, or both: where to send')
      const settle = raw.settleSeconds
      if (settle !== undefined && (typeof settle !== 'number' || !Number.isFinite(settle) || settle < 0 || settle > MAX_SETTLE_SECONDS)) {
        return bad(`settleSeconds must be a number of seconds from 0 to ${MAX_SETTLE_SECONDS}`)
      }
      if (raw.mirrorDeletes !== undefined && typeof raw.mirrorDeletes !== 'boolean') return bad('mirrorDeletes must be true or false')
      return good({
        type,
        path: p.value,
        ...(group !== undefined ? { group } : {}),
        ...(ids !== undefined ? { ids } : {}),
        ...(settle !== undefined ? { settleSeconds: settle } : {}),
        ...(raw.mirrorDeletes === true ? { mirrorDeletes: true } : {})
      })
    }
    case 'watch-remove': {
      const o = only(raw, ['channel'])
      if (!o.ok) return o
      const c = pathOf(raw.channel, 'channel')
      return c.ok ? good({ type, channel: c.value }) : c
    }
    default:
      return bad(typeof type === 'string' ? `unknown command type ${shown(type)}` : 'a command needs a type')
  }
}
