// A torrent's layout (name, piece length and hashes, files) read straight from its bytes. The
// generic decoder makes a dictionary and a Buffer for every value: for a folder of 50,000 files
// that is ~400,000 objects, and at every offer garbage collection cost more than the parse. This
// reader makes only what the layout keeps (a string per path component, an object per file).
// It takes only well-formed torrents of the usual shape; anything else (a syntax error, a value
// of an unexpected type, a key given twice, invalid UTF-8, a limit reached) makes it give up, and
// the caller parses those bytes with the generic decoder, which says what is wrong.
import { isUtf8 } from 'node:buffer'
import { DEFAULT_LIMITS } from './bencode.js'

export interface LayoutEntry {
  readonly path: string[]
  readonly length: number
  readonly sha256?: string | undefined
}

/** A torrent's layout as read from its bytes (or about to be written to them), before any check. */
export interface Layout {
  readonly name: string
  readonly isFolder: boolean
  readonly pieceLength: number | undefined
  readonly pieceHashes: Buffer | undefined
  /** For a single file, one entry whose path is [name]. */
  readonly entries: readonly LayoutEntry[]
}

/** The layout and where the info dictionary lies in the bytes (its SHA-1 is the infohash). */
export interface ReadLayout {
  readonly layout: Layout
  readonly span: { readonly start: number; readonly end: number }
}

const D = 0x64
const L = 0x6c
const I = 0x69
const E = 0x65
const COLON = 0x3a

/** Whether bytes [start, end) of `buf` are lower-case hex digits (a file's SHA-256 in a torrent). */
export function isLowerHex (buf: Uint8Array, start = 0, end = buf.length): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i] as number
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false
  }
  return true
}

/** Thrown inside the reader only: these bytes are for the generic decoder. */
const UNUSUAL = new Error('not a plain torrent')

/** The layout of a plain torrent, or undefined for the generic decoder to handle (see above). */
export function readLayoutFast (buf: Buffer, maxFiles: number): ReadLayout | undefined {
  let pos = 0
  let tokens = 0
  const { maxDepth, maxTokens } = DEFAULT_LIMITS

  const token = (depth: number): void => {
    if (++tokens > maxTokens || depth > maxDepth || pos >= buf.length) throw UNUSUAL
  }
  /** A canonical non-negative integer up to `terminator` (as the generic decoder takes them). */
  const natural = (terminator: number): number => {
    const first = pos
    let n = 0
    for (;;) {
      if (pos >= buf.length) throw UNUSUAL
      const c = buf[pos] as number
      if (c === terminator) break
      if (c < 0x30 || c > 0x39) throw UNUSUAL
      n = n * 10 + (c - 0x30)
      pos++
    }
    const digits = pos - first
    if (digits === 0 || digits > 16 || (buf[first] === 0x30 && digits > 1) || !Number.isSafeInteger(n)) throw UNUSUAL
    pos++
    return n
  }
  /** A byte string's range; pos moves past it. */
  const string = (): number => {
    if (pos >= buf.length) throw UNUSUAL
    const c = buf[pos] as number
    if (c < 0x30 || c > 0x39) throw UNUSUAL
    const length = natural(COLON)
    if (pos + length > buf.length) throw UNUSUAL
    const start = pos
    pos += length
    return start
  }
  const text = (start: number, end: number): string => {
    for (let i = start; i < end; i++) {
      if ((buf[i] as number) >= 0x80) {
        if (!isUtf8(buf.subarray(start, end))) throw UNUSUAL
        return buf.toString('utf8', start, end)
      }
    }
    return buf.toString('latin1', start, end)
  }
  const key = (): string => { const start = string(); return text(start, pos) }
  const integer = (): number => {
    if (buf[pos] !== I) throw UNUSUAL
    pos++
    if (buf[pos] === 0x2d /* - */) throw UNUSUAL
    return natural(E)
  }
  /** Any value, checked but not kept. */
  const skip = (depth: number): void => {
    token(depth)
    const c = buf[pos]
    if (c === I) {
      pos++
      // "-0" is not canonical: the generic decoder refuses it.
      if (buf[pos] === 0x2d) { pos++; if (buf[pos] === 0x30) throw UNUSUAL }
      natural(E)
      return
    }
    if (c === L || c === D) {
      pos++
      for (;;) {
        if (pos >= buf.length) throw UNUSUAL
        if (buf[pos] === E) { pos++; return }
        if (c === D) string()
        skip(depth + 1)
      }
    }
    string()
  }
  const sha256 = (): string => {
    const start = string()
    if (pos - start !== 64 || !isLowerHex(buf, start, pos)) throw UNUSUAL
    return buf.toString('latin1', start, pos)
  }
  const pathOf = (depth: number): string[] => {
    token(depth)
    if (buf[pos] !== L) throw UNUSUAL
    pos++
    const path: string[] = []
    while (buf[pos] !== E) {
      token(depth + 1)
      const start = string()
      path.push(text(start, pos))
    }
    pos++
    return path
  }
  const entry = (depth: number): LayoutEntry => {
    token(depth)
    if (buf[pos] !== D) throw UNUSUAL
    pos++
    let length: number | undefined
    let path: string[] | undefined
    let utf8Path: string[] | undefined
    let sha: string | undefined
    while (buf[pos] !== E) {
      const k = key()
      if (k === 'length' && length === undefined) { token(depth + 1); length = integer() } else if (k === 'path' && path === undefined) path = pathOf(depth + 1)
      else if (k === 'path.utf-8' && utf8Path === undefined) utf8Path = pathOf(depth + 1)
      else if (k === 'sha256' && sha === undefined) { token(depth + 1); sha = sha256() } else if (k === 'length' || k === 'path' || k === 'path.utf-8' || k === 'sha256') throw UNUSUAL
      else skip(depth + 1)
      if (pos >= buf.length) throw UNUSUAL
    }
    pos++
    const chosen = utf8Path ?? path
    if (length === undefined || chosen === undefined) throw UNUSUAL
    return { path: chosen, length, sha256: sha }
  }
  const files = (depth: number): LayoutEntry[] => {
    token(depth)
    if (buf[pos] !== L) throw UNUSUAL
    pos++
    const out: LayoutEntry[] = []
    while (buf[pos] !== E) {
      if (out.length >= maxFiles) throw UNUSUAL
      out.push(entry(depth + 1))
      if (pos >= buf.length) throw UNUSUAL
    }
    pos++
    if (out.length === 0) throw UNUSUAL
    return out
  }

  try {
    token(0)
    if (buf[pos] !== D) return undefined
    pos++
    let span: { start: number; end: number } | undefined
    let name: string | undefined
    let utf8Name: string | undefined
    let pieceLength: number | undefined
    let pieceHashes: Buffer | undefined
    let length: number | undefined
    let sha: string | undefined
    let list: LayoutEntry[] | undefined
    while (buf[pos] !== E) {
      if (key() !== 'info') { skip(1); continue }
      if (span !== undefined) throw UNUSUAL
      const start = pos
      token(1)
      if (buf[pos] !== D) throw UNUSUAL
      pos++
      while (buf[pos] !== E) {
        const k = key()
        const fresh = (v: unknown): void => { if (v !== undefined) throw UNUSUAL }
        if (k === 'name') { fresh(name); token(2); const s = string(); name = text(s, pos) } else if (k === 'name.utf-8') { fresh(utf8Name); token(2); const s = string(); utf8Name = text(s, pos) } else if (k === 'piece length') { fresh(pieceLength); token(2); pieceLength = integer() } else if (k === 'pieces') { fresh(pieceHashes); token(2); const s = string(); pieceHashes = buf.subarray(s, pos) } else if (k === 'length') { fresh(length); token(2); length = integer() } else if (k === 'sha256') { fresh(sha); token(2); sha = sha256() } else if (k === 'files') { fresh(list); list = files(2) } else skip(2)
        if (pos >= buf.length) throw UNUSUAL
      }
      pos++
      span = { start, end: pos }
      if (pos >= buf.length) throw UNUSUAL
    }
    pos++
    const top = utf8Name ?? name
    if (pos !== buf.length || span === undefined || top === undefined) return undefined
    if (list === undefined && length === undefined) return undefined
    const entries = list ?? [{ path: [top], length: length ?? 0, sha256: sha }]
    return { layout: { name: top, isFolder: list !== undefined, pieceLength, pieceHashes, entries }, span }
  } catch (err) {
    if (err === UNUSUAL || err instanceof RangeError) return undefined
    throw err
  }
}
