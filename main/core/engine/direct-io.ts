// Direct I/O (O_DIRECT) for a receiver's big files: the bytes go between the process and the disk
// without the page cache. On these VMs every page-cache page the kernel allocates for a write may
// first have to be faulted in again at the host (free page reporting, session 20): 1 GiB written
// through the page cache cost 3–5 s of system time once the host had taken the memory back,
// against 0.19 s direct from page-aligned memory. A receiver writes each byte once and reads it
// back at most once or twice soon after (its running SHA-256, serving it to other members), so the
// page cache buys it little and costs it most of its CPU.
//
// The kernel takes a direct transfer only from page-aligned memory, at a position and of a length
// that are multiples of the device's block. Node's Buffers are not aligned, but a WebAssembly
// memory is mapped in whole pages, so each thread stages its bytes through one (stageBuffer). The
// unaligned head and tail of a range, and every range whose direct call the file system refuses
// (EINVAL), go through the page cache as before.
import { readSync, writeSync } from 'node:fs'
import { writeInSlices, type WriteAt } from './write-slice.js'

/** Position and length multiple for a direct transfer: the largest logical block in common use. */
export const DIRECT_ALIGNMENT = 4096
/** Bytes staged per direct call; a piece of up to 4 MiB is a few calls. */
export const STAGE_BYTES = 1024 * 1024
const WASM_PAGE = 64 * 1024

/** A blocking positional read, as node:fs's readSync: the bytes read (0 at the end of the file). */
export type ReadAt = (fd: number, buf: Uint8Array, bufOffset: number, length: number, position: number) => number

/** The one part of the WebAssembly API used here (Node's types for the build do not declare it). */
declare const WebAssembly: { readonly Memory: new (size: { initial: number, maximum: number }) => { readonly buffer: ArrayBuffer } }

let stage: Uint8Array | null | undefined

/**
 * This thread's page-aligned staging memory (STAGE_BYTES), made at first use and kept; undefined
 * where it cannot be made (V8 reserves address space around a WebAssembly memory, which a limit
 * on virtual memory may refuse): then everything goes through the page cache.
 */
export function stageBuffer (): Uint8Array | undefined {
  if (stage === undefined) {
    try {
      stage = new Uint8Array(new WebAssembly.Memory({ initial: STAGE_BYTES / WASM_PAGE, maximum: STAGE_BYTES / WASM_PAGE }).buffer)
    } catch {
      stage = null
    }
  }
  return stage ?? undefined
}

export function alignDown (n: number): number { return n - (n % DIRECT_ALIGNMENT) }
export function alignUp (n: number): number { return alignDown(n + DIRECT_ALIGNMENT - 1) }

function refused (err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EINVAL'
}

/**
 * Writes `length` bytes of `buf` from `bufOffset` at `position`: the aligned middle through
 * `directFd`, in order, straight from `buf` when `bufAligned` says its memory starts on a page and
 * those bytes lie on a page in it, else staged in aligned memory; the unaligned head and tail,
 * and whatever the file system refuses to take direct, through `fd` (write-slice.ts). Throws what
 * the writes throw (ENOSPC, EIO), or EIO when the disk takes no bytes.
 */
export function writeDirect (fd: number, directFd: number, buf: Uint8Array, bufOffset: number, length: number, position: number, write: WriteAt = writeSync, bufAligned = false): void {
  const end = position + length
  const from = Math.min(end, alignUp(position))
  const to = Math.max(from, alignDown(end))
  // Where the byte for file position p lies in buf: p + shift.
  const shift = bufOffset - position
  if (from > position) writeInSlices(fd, buf, bufOffset, from - position, position, write)
  let at = from
  if (bufAligned && (buf.byteOffset + from + shift) % DIRECT_ALIGNMENT === 0) at = writeInPlace(directFd, buf, shift, at, to, write)
  at = writeStaged(directFd, buf, shift, at, to, write)
  if (end > at) writeInSlices(fd, buf, at + shift, end - at, at, write)
}

/**
 * The aligned range [at, to) straight from buf's own page-aligned bytes; where the kernel refuses
 * them (EINVAL) the rest is left to the staging memory. Returns how far it got.
 */
function writeInPlace (directFd: number, buf: Uint8Array, shift: number, at: number, to: number, write: WriteAt): number {
  while (at < to) {
    const wrote = directOnce(directFd, buf, at + shift, to - at, at, write)
    if (wrote === undefined) return at
    at += wrote
    if (wrote % DIRECT_ALIGNMENT !== 0) return at
  }
  return at
}

/**
 * The aligned range [at, to) copied through this thread's staging memory, STAGE_BYTES at a time;
 * stops where the file system refuses a direct write or a write ends off a block (the caller
 * writes the rest through the page cache). Returns how far it got.
 */
function writeStaged (directFd: number, buf: Uint8Array, shift: number, at: number, to: number, write: WriteAt): number {
  const staged = to > at && at % DIRECT_ALIGNMENT === 0 ? stageBuffer() : undefined
  while (staged !== undefined && at < to) {
    const n = Math.min(STAGE_BYTES, to - at)
    staged.set(buf.subarray(at + shift, at + shift + n))
    const wrote = directOnce(directFd, staged, 0, n, at, write)
    if (wrote === undefined) return at
    at += wrote
    // A short direct write may end off a block: the rest goes through the page cache.
    if (wrote % DIRECT_ALIGNMENT !== 0) return at
  }
  return at
}

/** One direct write: the bytes taken, undefined if the file system refuses it (EINVAL); EIO if it takes none. */
function directOnce (directFd: number, src: Uint8Array, offset: number, length: number, position: number, write: WriteAt): number | undefined {
  let wrote: number
  try {
    wrote = write(directFd, src, offset, length, position)
  } catch (err) {
    if (!refused(err)) throw err
    return undefined
  }
  if (wrote <= 0) throw Object.assign(new Error('the disk took no bytes of a write'), { code: 'EIO' })
  return wrote
}

/**
 * Calls `each` with the file's bytes [position, position + length), in order, in pieces of at most
 * STAGE_BYTES that are valid only during the call: read through `directFd` in aligned blocks, or
 * through `fd` (the page cache) where the file system refuses. Throws ENOENT when the file ends
 * first, or what the reads throw.
 */
export function readDirectEach (fd: number, directFd: number, position: number, length: number, each: (bytes: Uint8Array) => void, read: ReadAt = readSync): void {
  const end = position + length
  const staged = stageBuffer()
  if (staged === undefined) return readBufferedEach(fd, position, length, each, read)
  let at = alignDown(position)
  let next = position
  while (next < end) {
    const asked = Math.min(STAGE_BYTES, alignUp(end) - at)
    let got: number
    try {
      got = read(directFd, staged, 0, asked, at)
    } catch (err) {
      if (!refused(err)) throw err
      return readBufferedEach(fd, next, end - next, each, read)
    }
    const upTo = Math.min(end, at + got)
    if (upTo > next) each(staged.subarray(next - at, upTo - at))
    next = Math.max(next, upTo)
    // A direct read comes back short only at the end of the file.
    if (got < asked && next < end) throw shorter()
    at += got
  }
}

/** readDirectEach's fallback: the same pieces through the page cache. */
function readBufferedEach (fd: number, position: number, length: number, each: (bytes: Uint8Array) => void, read: ReadAt): void {
  const staged = stageBuffer() ?? new Uint8Array(Math.min(STAGE_BYTES, length))
  let done = 0
  while (done < length) {
    const got = read(fd, staged, 0, Math.min(staged.byteLength, length - done), position + done)
    if (got <= 0) throw shorter()
    each(staged.subarray(0, got))
    done += got
  }
}

/** Reads [position, position + length) into `out` at `outOffset` (see readDirectEach). */
export function readDirect (fd: number, directFd: number, out: Uint8Array, outOffset: number, length: number, position: number, read: ReadAt = readSync): void {
  let put = outOffset
  readDirectEach(fd, directFd, position, length, bytes => { out.set(bytes, put); put += bytes.byteLength }, read)
}

function shorter (): NodeJS.ErrnoException {
  return Object.assign(new Error('file is shorter than expected'), { code: 'ENOENT' })
}
