// Room on disk for a download: how much it still needs, and how to say so to a person. Pure, so
// the arithmetic behind "resume when space is freed" is tested without filling a disk.
import { formatBytes } from '../../../common/units.js'

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
export function noSpaceReason (dir: string, needed: number, free: number): string {
  // The write already failed, so something is short even if statfs rounds it away.
  const more = Math.max(shortfall(needed, free), 1)
  return `not enough space in ${dir}: ${formatBytes(more)} more needed (${formatBytes(Math.max(0, free))} free); it resumes by itself once space is freed`
}

/** Why an offer cannot be accepted into `dir`. */
export function acceptSpaceReason (dir: string, size: number, free: number): string {
  return `not enough space in ${dir}: ${formatBytes(size)} needed, ${formatBytes(Math.max(0, free))} free (${formatBytes(shortfall(size, free))} more needed)`
}
