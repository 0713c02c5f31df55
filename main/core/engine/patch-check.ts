// The engine relies on hooks that patches/*.patch add to WebTorrent and two of its parts (applied
// by patch-package at install). A patch that stops applying after a dependency bump leaves no
// error behind: the policy, audit, buffer, disk-full and wire-gate hooks would simply never be
// called. So the engine checks at start that each hook is in the code it loaded, and refuses to
// run without one. The check reads the classes' source text: a hook is a property the patched
// code reads (`this.wireGate`), which no object of ours can add from outside.
import { fail, ok, type Result } from '../../../common/result.js'

/** Loaded code whose source text can be read: a class as imported. */
export interface LoadedCode { toString (): string }

/** The patched classes, as the engine loads them. */
export interface PatchedParts {
  /** webtorrent/lib/torrent.js: Torrent. */
  readonly torrent: LoadedCode
  /** bittorrent-protocol: Wire. */
  readonly wire: LoadedCode
  /** torrent-piece: Piece. */
  readonly piece: LoadedCode
  /** webtorrent/lib/peer.js: Peer (a connection before and around its wire). */
  readonly peer: LoadedCode
}

export interface PatchHook {
  /** The hook's name in the engine's words. */
  readonly name: string
  readonly part: keyof PatchedParts
  /** An identifier only the patched source has. */
  readonly marker: string
  /** What goes silent without it. */
  readonly role: string
}

const WHERE: Readonly<Record<keyof PatchedParts, { readonly file: string; readonly patch: string }>> = {
  torrent: { file: 'webtorrent/lib/torrent.js', patch: 'webtorrent' },
  wire: { file: 'bittorrent-protocol/index.js', patch: 'bittorrent-protocol' },
  piece: { file: 'torrent-piece/index.js', patch: 'torrent-piece' },
  peer: { file: 'webtorrent/lib/peer.js', patch: 'webtorrent' }
}

/** Every hook engine.ts sets or calls on the patched classes. */
export const PATCH_HOOKS: readonly PatchHook[] = [
  { name: 'swarm policy', part: 'torrent', marker: 'swarmPolicy', role: 'refusing (BEP 6 reject) blocks another member can serve' },
  { name: 'piece audit', part: 'torrent', marker: 'pieceAudit', role: 'banning a peer that sends bad data' },
  { name: 'piece buffers', part: 'torrent', marker: 'pieceBuffers', role: 'pooled piece buffers for received blocks' },
  { name: 'disk-full', part: 'torrent', marker: 'onStoreWriteError', role: 'pausing on a full disk instead of destroying the torrent' },
  { name: 'wire gate', part: 'torrent', marker: 'wireGate', role: 'holding a connection back until its peer proves a member key' },
  { name: 'graceful drain', part: 'torrent', marker: 'drainPieces', role: 'completing begun pieces on a graceful stop' },
  { name: 'piece buffers', part: 'piece', marker: '_fillTarget', role: 'blocks copied into one piece-sized buffer' },
  { name: 'spanned-piece reuse', part: 'wire', marker: 'reuseSpannedPieces', role: 'piece messages assembled in a reused buffer' },
  { name: 'piece check thread', part: 'torrent', marker: 'pieceHasher', role: 'SHA-1 of received pieces off the main loop' },
  { name: 'failed piece written', part: 'torrent', marker: 'onFailedPieceWritten', role: 'no file digest from a piece written and then failed' },
  { name: 'member requests', part: 'torrent', marker: 'agreedBlockLength', role: 'requests of the size agreed with a member (sd_member bs)' },
  { name: 'member requests', part: 'piece', marker: 'reserveRun', role: 'a run of blocks reserved as one request' },
  { name: 'member requests', part: 'wire', marker: 'agreedBlockLength', role: 'large piece messages assembled in the reused buffer' },
  { name: 'lent blocks', part: 'wire', marker: '_batchReleases', role: 'blocks a seeder lends from its reused piece buffers, released once copied or written' },
  { name: 'kept torrent bytes', part: 'torrent', marker: 'parsedTorrent.torrentFile', role: 'the .torrent bytes kept as the engine parsed them (re-encoded from its parsed form, the metadata served to peers would lack the file list)' },
  { name: 'borrowed reads', part: 'wire', marker: '_writeBorrowed', role: 'socket reads parsed in one reused buffer, without a buffer per read' },
  { name: 'limit mid-message', part: 'wire', marker: '_fillAssembly', role: 'a piece message begun in borrowed reads finished when a rate limit moves the connection to owned writes' },
  { name: 'no delay', part: 'peer', marker: 'setNoDelay', role: 'requests sent at once, not held by Nagle\'s algorithm until the peer\'s delayed ACK' },
  { name: 'end game', part: 'torrent', marker: '_endGame', role: 'the last requests asked of a second peer too, so a frozen or busy one does not hold the end of a download' },
  { name: 'direct reads', part: 'peer', marker: 'wire.readTarget()', role: 'a socket read landing where the wire asks (a large block\'s piece buffer), not in the shared read buffer' },
  { name: 'direct reads', part: 'wire', marker: 'readTarget', role: 'the rest of a large block read straight into its piece, not copied twice' },
  { name: 'direct reads', part: 'torrent', marker: 'blockTarget', role: 'a piece\'s memory lent to the wire reading a block into it' },
  { name: 'direct reads', part: 'piece', marker: '_cancelLater', role: 'a block being read into is not taken, completed or freed by anything else' },
  { name: 'write queue', part: 'torrent', marker: '_endWrite', role: 'no new piece begun while two wait for the disk, so a crash loses few' },
  { name: 'write-bound pipeline', part: 'torrent', marker: '_writingBytes', role: 'what is asked of a standard peer and what waits for its write kept within one pipeline, so a crash fetches at most that twice' },
  { name: 'begun-piece budget', part: 'torrent', marker: '_mayBeginOn', role: 'the pieces a member\'s wire began and that are not yet written kept within one pipeline, so a crash fetches at most 4 MiB twice from it' }
]

/** ok when every hook is in `parts`; otherwise the first one missing, in one line. */
export function checkPatches (parts: PatchedParts, hooks: readonly PatchHook[] = PATCH_HOOKS): Result<void> {
  const sources = new Map<keyof PatchedParts, string>()
  for (const hook of hooks) {
    const source = sources.get(hook.part) ?? parts[hook.part].toString()
    sources.set(hook.part, source)
    if (!source.includes(hook.marker)) {
      const where = WHERE[hook.part]
      return fail('unpatched', `the ${hook.name} hook (${hook.marker} in ${where.file}, for ${hook.role}) is missing: patches/${where.patch}+*.patch is not applied; run npm install (or npx patch-package) again`)
    }
  }
  return ok(undefined)
}
