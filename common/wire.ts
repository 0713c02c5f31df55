// The WebSocket framing between `swarmdrop agent --ui` and the browser's web bridge: JSON text
// frames, client → server commands with an id, server → client replies to those ids and state
// snapshots. Piece maps are bytes in AppState; on the wire they travel as base64 strings. Runs in
// Node 20 and in browsers alike (no Buffer).
import type { ApiResult, AppState, Command, Distribution, PieceMaps } from './api.js'
import { parseCommand } from './commands.js'
import { fail, ok } from './result.js'

export interface CommandFrame { readonly kind: 'command'; readonly id: number; readonly command: Command }
export interface ReplyFrame { readonly kind: 'reply'; readonly id: number; readonly result: ApiResult<unknown> }
export interface StateFrame { readonly kind: 'state'; readonly state: AppState }
export type ServerFrame = ReplyFrame | StateFrame

/** PieceMaps with every byte array as base64 text. */
export interface WirePieceMaps {
  readonly pieceCount: number
  readonly holders: string
  readonly local: string
  readonly members: Readonly<Record<string, string>>
}
export type WireDistribution = Omit<Distribution, 'pieces'> & { readonly pieces: WirePieceMaps }
export type WireState = Omit<AppState, 'distributions'> & { readonly distributions: readonly WireDistribution[] }

/**
 * The close code the agent sends to every open page when it is asked to stop (WebSocket 1001,
 * "going away"). A socket that closes with any other code, or with none (1006), went without a
 * goodbye: the agent was killed or crashed. The page tells the two apart.
 */
export const AGENT_STOPPING_CLOSE = 1001

/** Largest frame either side reads: a state with many distributions of 20,000+ pieces fits. */
export const MAX_FRAME_CHARS = 64 * 1024 * 1024

const bad = (message: string): ApiResult<never> => fail('bad-frame', message)

// ---------------------------------------------------------------------------------------------
// base64 of bytes, chunked so a large array never meets the argument limit of fromCharCode.

export function bytesToBase64 (bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return globalThis.btoa(binary)
}

export function base64ToBytes (text: string): Uint8Array | undefined {
  let binary: string
  try {
    binary = globalThis.atob(text)
  } catch {
    return undefined
  }
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

// ---------------------------------------------------------------------------------------------

/** A distribution in its JSON form: piece maps as base64. */
export function encodeDistribution (d: Distribution): WireDistribution {
  return {
    ...d,
    pieces: {
      pieceCount: d.pieces.pieceCount,
      holders: bytesToBase64(d.pieces.holders),
      local: bytesToBase64(d.pieces.local),
      members: Object.fromEntries(Object.entries(d.pieces.members).map(([id, bits]) => [id, bytesToBase64(bits)]))
    }
  }
}

export function encodeState (state: AppState): WireState {
  return { ...state, distributions: state.distributions.map(encodeDistribution) }
}

function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function decodePieces (v: unknown, where: string): ApiResult<PieceMaps> {
  if (!isObject(v) || typeof v.pieceCount !== 'number' || !Number.isInteger(v.pieceCount) || v.pieceCount < 0) return bad(`${where}.pieces is not a piece map`)
  const count = v.pieceCount
  const holders = typeof v.holders === 'string' ? base64ToBytes(v.holders) : undefined
  const local = typeof v.local === 'string' ? base64ToBytes(v.local) : undefined
  if (holders?.length !== count || local?.length !== count) return bad(`${where}.pieces: holders and local must hold one byte per piece`)
  if (!isObject(v.members)) return bad(`${where}.pieces.members must be an object`)
  const members: Record<string, Uint8Array> = {}
  for (const [id, text] of Object.entries(v.members)) {
    const bits = typeof text === 'string' ? base64ToBytes(text) : undefined
    if (bits?.length !== Math.ceil(count / 8)) return bad(`${where}.pieces.members: the bitfield of ${id.slice(0, 40)} has the wrong length`)
    members[id] = bits
  }
  return ok({ pieceCount: count, holders, local, members })
}

/** The AppState in a state frame, piece maps back to bytes; checks the shape the UI relies on. */
export function decodeState (raw: unknown): ApiResult<AppState> {
  if (!isObject(raw)) return bad('state must be an object')
  if (typeof raw.apiVersion !== 'number' || !isObject(raw.self) || typeof raw.self.id !== 'string' || !isObject(raw.settings)) return bad('state lacks apiVersion, self or settings')
  for (const key of ['machines', 'distributions', 'hashing', 'offers'] as const) {
    if (!Array.isArray(raw[key])) return bad(`state.${key} must be a list`)
  }
  const distributions: Distribution[] = []
  for (const [i, d] of (raw.distributions as unknown[]).entries()) {
    if (!isObject(d) || typeof d.infoHash !== 'string' || !Array.isArray(d.members) || !isObject(d.totals)) return bad(`state.distributions[${i}] is not a distribution`)
    const pieces = decodePieces(d.pieces, `state.distributions[${i}]`)
    if (!pieces.ok) return pieces
    distributions.push({ ...(d as unknown as Distribution), pieces: pieces.value })
  }
  return ok({ ...(raw as unknown as AppState), distributions })
}

// ---------------------------------------------------------------------------------------------

export function encodeCommandFrame (id: number, command: Command): string {
  return JSON.stringify({ kind: 'command', id, command } satisfies CommandFrame)
}

export function encodeServerFrame (frame: ServerFrame): string {
  return JSON.stringify(frame.kind === 'state' ? { kind: 'state', state: encodeState(frame.state) } : frame)
}

function parseJson (text: unknown): ApiResult<Record<string, unknown>> {
  if (typeof text !== 'string') return bad('a frame must be text')
  if (text.length > MAX_FRAME_CHARS) return bad(`a frame must be at most ${MAX_FRAME_CHARS} characters`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return bad('a frame must be JSON')
  }
  return isObject(value) ? ok(value) : bad('a frame must be a JSON object')
}

const isFrameId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/**
 * A command frame from a client. On a bad command with a readable id the id comes back with the
 * error, so the client's pending call ends with that error instead of its timeout.
 */
export function parseCommandFrame (text: unknown): { readonly id?: number; readonly result: ApiResult<Command> } {
  const o = parseJson(text)
  if (!o.ok) return { result: o }
  const f = o.value
  if (f.kind !== 'command' || !isFrameId(f.id)) return { result: bad('a client frame must be {kind:"command", id, command}') }
  return { id: f.id, result: parseCommand(f.command) }
}

/** A frame from the server, state decoded. */
export function parseServerFrame (text: unknown): ApiResult<ServerFrame> {
  const o = parseJson(text)
  if (!o.ok) return o
  const f = o.value
  if (f.kind === 'state') {
    const s = decodeState(f.state)
    return s.ok ? ok({ kind: 'state', state: s.value }) : s
  }
  if (f.kind === 'reply' && isFrameId(f.id) && isObject(f.result) && typeof f.result.ok === 'boolean') {
    const r = f.result
    if (r.ok) return ok({ kind: 'reply', id: f.id, result: ok(r.value) })
    const e = r.error
    if (!isObject(e) || typeof e.code !== 'string' || typeof e.message !== 'string') return bad('a failed reply needs error.code and error.message')
    return ok({ kind: 'reply', id: f.id, result: fail(e.code, e.message) })
  }
  return bad('a server frame must be a reply or a state')
}
