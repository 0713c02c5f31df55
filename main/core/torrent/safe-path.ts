// File names inside torrent metadata come from other machines. Path traversal through them has hit
// libtorrent, Transmission and aria2, so every component is checked here, for every platform we
// ship on (a name that is harmless on Linux may be a device or a stream on Windows).
import { resolve, sep } from 'node:path'
import { isAscii } from './byte-order.js'

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i
/** A download is written as NAME.part and renamed at the end (distributions/finish.ts). */
const PART_SUFFIX = '.part'
/** NAME_MAX is 255 bytes (ext4, APFS, NTFS in UTF-16 units); NAME.part must fit too. */
export const MAX_COMPONENT_BYTES = 255 - PART_SUFFIX.length
export const MAX_DEPTH = 64
/**
 * The whole relative path as written ("NAME.part/dir/file", UTF-8). A fixed bound, the same on
 * every platform so a torrent is refused or taken alike everywhere: 1,024 bytes is far beyond any
 * real tree and leaves 3 KiB of Linux's 4,096-byte PATH_MAX for the downloads folder. (macOS's
 * PATH_MAX is 1,024 for the whole path: there a downloads folder deep enough can still be too long.)
 */
export const MAX_PATH_BYTES = 1024

/**
 * Plain ASCII names of letters, digits, "-", "_" and inner dots pass every rule below but the
 * reserved names and the length: a folder of 50,000 files is ~100,000 components, checked at
 * every offer, so they skip the other tests.
 */
const PLAIN = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/

/** Why a path component is unsafe, or undefined when it is fine. */
export function unsafeComponentReason (component: string): string | undefined {
  if (component.length <= MAX_COMPONENT_BYTES && PLAIN.test(component) && !WINDOWS_RESERVED.test(component)) return undefined
  if (component.length === 0) return 'an empty path component'
  if (component === '.' || component === '..') return `"${component}" as a path component`
  if (component.includes('\0')) return 'a NUL byte'
  if (/[\u0000-\u001f\u007f-\u009f]/.test(component)) return 'a control character'
  // Bidi embeddings, overrides and isolates make "gpj.exe" show as "exe.jpg"; real right-to-left
  // names never need them. (Other format characters, such as the ZWNJ of Persian, are kept.)
  if (/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(component)) return 'a bidi control character'
  if (component.includes('/') || component.includes('\\')) return 'a slash inside a name'
  if (component.includes(':')) return 'a ":" (drive letter or stream name)'
  if (/[<>"|?*]/.test(component)) return 'a character Windows forbids in names'
  if (/[. ]$/.test(component)) return 'a name ending in a dot or space'
  if (WINDOWS_RESERVED.test(component)) return `a name reserved on Windows ("${component}")`
  if (Buffer.byteLength(component, 'utf8') > MAX_COMPONENT_BYTES) return `a name longer than ${MAX_COMPONENT_BYTES} bytes (no room for "${PART_SUFFIX}")`
  return undefined
}

/**
 * Why a path is unsafe, or undefined. `top` is the torrent's name when `components` is a file
 * inside its folder: the file is written under NAME.part, so its length counts too.
 */
export function unsafePathReason (components: readonly string[], top?: string): string | undefined {
  if (components.length === 0) return 'an empty path'
  if (components.length > MAX_DEPTH) return `a path deeper than ${MAX_DEPTH} folders`
  for (const c of components) {
    const reason = unsafeComponentReason(c)
    if (reason !== undefined) return reason
  }
  const written = [...(top === undefined ? [] : [top]), ...components].join('/') + PART_SUFFIX
  const bytes = Buffer.byteLength(written, 'utf8')
  if (bytes > MAX_PATH_BYTES) return `a path of ${bytes} bytes, longer than ${MAX_PATH_BYTES}`
  return undefined
}

/** The absolute target of `components` under `root`, or undefined if it would leave `root`. */
export function resolveInside (root: string, components: readonly string[]): string | undefined {
  const base = resolve(root)
  const target = resolve(base, ...components)
  return target.startsWith(base + sep) ? target : undefined
}

/** Key for detecting two entries that would land on the same file on a case-insensitive disk. */
export function collisionKey (components: readonly string[]): string {
  // Upper- then lower-casing folds what toLowerCase alone keeps apart (ſ/s, ς/σ, ß/SS), and NFKC
  // joins compatibility forms (ﬀ/ff): names Windows and macOS would put in the same file.
  const joined = components.join('/')
  // For ASCII, NFKC changes nothing and upper- then lower-casing is lower-casing.
  return isAscii(joined) ? joined.toLowerCase() : joined.normalize('NFKC').toUpperCase().toLowerCase()
}

