// Room on disk for a download: how much it still needs (bytes, and file entries: a file system out
// of inodes refuses a new file with ENOSPC as a full one does), and how to say so to a person.
// Pure, so the arithmetic behind "resume when space is freed" is tested without filling a disk.
import { formatBytes, formatCount, plural } from '../../../common/units.js'

/** What a folder's file system has free: bytes, and file entries where it counts them. */
export interface Room {
  readonly bytes: number
  /** Free file entries (inodes); absent where the file system counts none (btrfs). */
  readonly files?: number
}

/** What a download still needs to go on: bytes, and files it has not created yet. */
export interface Need {
  readonly bytes: number
  readonly files: number
}

export function fits (room: Room, need: Need): boolean {
  return room.bytes >= need.bytes && (room.files === undefined || room.files >= need.files)
}

/** Whether `room` is short of file entries, not of bytes: the words differ. */
function outOfEntries (room: Room, need: Need): room is Room & { readonly files: number } {
  return room.bytes >= need.bytes && room.files !== undefined && room.files < need.files
}

/**
 * Files of a torrent with no verified piece (so not created yet: a file is made at its first
 * write), each needing a file entry; `has` says whether a piece is verified.
 */
export function filesNotStarted (files: ReadonlyArray<{ readonly offset: number; readonly length: number }>, pieceLength: number, has: (index: number) => boolean): number {
  let n = 0
  for (const f of files) {
    if (f.length === 0) continue
    const first = Math.floor(f.offset / pieceLength)
    const last = Math.floor((f.offset + f.length - 1) / pieceLength)
    let started = false
    for (let i = first; i <= last && !started; i++) started = has(i)
    if (!started) n++
  }
  return n
}

/** Resuming with barely enough room would fill the disk again at once: keep a little spare. */
const MARGIN_MIN = 1024 * 1024

/**
 * The extra room asked for above the missing bytes: one piece, at least 1 MiB. Small on purpose:
 * a download accepted with little room to spare must still be able to resume.
 */
export function spaceMargin (pieceLength: number): number {
  return Math.max(MARGIN_MIN, pieceLength)
}

/**
 * Free bytes a download needs before it may resume: what is still missing (its files are written
 * sparse, so verified pieces already have their room) plus a margin.
 */
export function spaceNeeded (totalLength: number, verifiedBytes: number, pieceLength: number): number {
  const missing = Math.max(0, totalLength - verifiedBytes)
  return missing === 0 ? 0 : missing + spaceMargin(pieceLength)
}

/** Bytes that must be freed before `needed` fits in `free` (0 when it fits). */
export function shortfall (needed: number, free: number): number {
  return Math.max(0, needed - Math.max(0, free))
}

/** Why a running download stopped: "not enough space in /data/downloads: 1.2 GB more needed". */
export function noSpaceReason (dir: string, needed: Need, room: Room): string {
  if (outOfEntries(room, needed)) {
    return `no room for more files in ${dir}: its file system has ${plural(room.files, 'free file entry', 'free file entries')} (inodes) for ${plural(needed.files, 'file')} still to create, though ${formatBytes(room.bytes)} are free; it resumes by itself once files are deleted there`
  }
  // The write already failed, so something is short even if statfs rounds it away.
  const more = Math.max(shortfall(needed.bytes, room.bytes), 1)
  return `not enough space in ${dir}: ${formatBytes(more)} more needed (${formatBytes(Math.max(0, room.bytes))} free); it resumes by itself once space is freed`
}

/** Why an offer cannot be accepted into `dir`. */
export function acceptSpaceReason (dir: string, size: number, free: number): string {
  return `not enough space in ${dir}: ${formatBytes(size)} needed, ${formatBytes(Math.max(0, free))} free (${formatBytes(shortfall(size, free))} more needed)`
}

/** Why an offer needing `entries` file entries (one per file and folder) cannot be accepted into `dir`, whose file system has `free` left. */
export function acceptFilesReason (dir: string, entries: number, free: number): string {
  return `no room in ${dir}: its file system has ${plural(free, 'free file entry', 'free file entries')} (inodes) left, and this needs ${formatCount(entries)}, one per file and folder`
}
