// The engine refuses to start when a WebTorrent patch it relies on is not in place.
import Wire from 'bittorrent-protocol'
import Piece from 'torrent-piece'
import Torrent from 'webtorrent/lib/torrent.js'
import Peer from 'webtorrent/lib/peer.js'
import { describe, expect, it } from 'vitest'
import { checkPatches, PATCH_HOOKS, type LoadedCode, type PatchedParts } from '../../../main/core/engine/patch-check.js'

const installed: PatchedParts = { torrent: Torrent, wire: Wire, piece: Piece, peer: Peer }

/** The installed class's source with one hook taken out, as an unpatched release would read. */
function without (code: LoadedCode, marker: string): LoadedCode {
  const source = code.toString().replaceAll(marker, 'unpatched')
  return { toString: () => source }
}

describe('patch check at engine start', () => {
  it('finds every hook in the installed, patched modules', () => {
    expect(checkPatches(installed)).toEqual({ ok: true, value: undefined })
  })

  it('covers the policy, audit, buffer, disk-full and wire-gate hooks', () => {
    const markers = PATCH_HOOKS.map(h => h.marker)
    for (const m of ['swarmPolicy', 'pieceAudit', 'pieceBuffers', 'onStoreWriteError', 'wireGate']) expect(markers).toContain(m)
  })

  for (const hook of PATCH_HOOKS) {
    it(`refuses with one line naming the ${hook.name} hook (${hook.marker}) when it is missing`, () => {
      const r = checkPatches({ ...installed, [hook.part]: without(installed[hook.part], hook.marker) })
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.error.code).toBe('unpatched')
      expect(r.error.message).toContain(`${hook.name} hook (${hook.marker}`)
      expect(r.error.message).toMatch(/patch-package/)
      expect(r.error.message).not.toContain('\n')
    })
  }
})
