// One machine's row in a distribution (MemberRow), as the engine reports it, for every layer's
// tests: the CLI's lines, the renderer's tables and the desktop shell's tray and notifications.
// A receiving machine with nothing verified yet; each test says what differs. Contract types only,
// so the renderer's tests may use it too.
import type { MemberRow } from '../../common/api.js'

export function memberRow (over: Partial<MemberRow> & Pick<MemberRow, 'id' | 'name'>): MemberRow {
  return {
    fingerprint: `${over.id.slice(0, 4)}·${over.id.slice(4, 8)}`,
    address: '10.0.0.2',
    self: false,
    origin: false,
    state: 'downloading',
    verifiedPieces: 0,
    verifiedBytes: 0,
    rate: 0,
    etaSeconds: null,
    verified: false,
    hashFailures: 0,
    ...over
  }
}
