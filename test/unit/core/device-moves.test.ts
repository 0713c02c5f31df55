// A device back at another place (device-moves.ts): which records follow it, and how.
import { describe, expect, it } from 'vitest'
import { movedRecord, type DevicePlace } from '../../../main/core/node/device-moves.js'
import type { OriginRecord, RecipientRecord, RecipientStatus } from '../../../main/core/distributions/records.js'

const A = 'a'.repeat(32)
const B = 'b'.repeat(32)
const ORIGIN = 'c'.repeat(32)
const common = { infoHash: 'f'.repeat(40), name: 'image.iso', isFolder: false, totalLength: 1, pieceLength: 16384, pieceCount: 1, fileCount: 1, sha256: '0'.repeat(64), createdAt: '2026-12-06T00:00:00Z' }
const row = (id: string, address: string, extra: Partial<RecipientStatus> = {}): RecipientStatus => ({ id, name: id.slice(0, 4), address, controlPort: 47620, state: 'downloading', verifiedPieces: 0, verifiedBytes: 0, downloadSpeed: 0, uploadedBytes: 0, hashFailures: 0, updatedAt: '2026-12-06T00:00:00Z', ...extra })

const origin: OriginRecord = {
  ...common,
  role: 'origin',
  state: 'seeding',
  parentDir: '/srv',
  sources: [],
  recipients: [row(A, '10.0.0.11'), row(B, '10.0.0.12', { state: 'waiting', address: '' })],
  members: [{ id: ORIGIN, name: 'origin', address: null, btPort: 47621 }, { id: A, name: 'aaaa', address: '10.0.0.11', btPort: 47621 }]
}

const recipient: RecipientRecord = {
  ...common,
  role: 'recipient',
  state: 'downloading',
  offerId: 'o1',
  sender: { id: ORIGIN, name: 'origin', address: '10.0.0.10', controlPort: 47620 },
  members: [{ id: ORIGIN, name: 'origin', address: '10.0.0.10', btPort: 47621 }, { id: A, name: 'aaaa', address: '10.0.0.11', btPort: 47621 }],
  downloadsDir: '/dl',
  finalName: 'image.iso'
}

const place = (id: string, address: string, controlPort: number, btPort: number): DevicePlace => ({ id, address, controlPort, btPort })

describe('a record following a device to its new place', () => {
  it('leaves a record alone that names the device nowhere, or already there', () => {
    expect(movedRecord(recipient, place(B, '10.0.0.99', 1, 2))).toBeUndefined()
    expect(movedRecord(recipient, place(A, '10.0.0.11', 47620, 47621))).toBeUndefined()
    expect(movedRecord(origin, place(A, '10.0.0.11', 47620, 47621))).toBeUndefined()
  })

  it("a recipient's record: the sender's control port for reports, and its BitTorrent port for dialling", () => {
    const moved = movedRecord(recipient, place(ORIGIN, '10.0.0.10', 40001, 40002))
    expect(moved?.role === 'recipient' && moved.sender).toEqual({ id: ORIGIN, name: 'origin', address: '10.0.0.10', controlPort: 40001 })
    expect(moved?.members).toEqual([{ id: ORIGIN, name: 'origin', address: '10.0.0.10', btPort: 40002 }, recipient.members[1]])
  })

  it("a recipient's record: another member at a new address and port", () => {
    const moved = movedRecord(recipient, place(A, '10.0.0.21', 40001, 40002))
    expect(moved?.members[1]).toEqual({ id: A, name: 'aaaa', address: '10.0.0.21', btPort: 40002 })
    expect(moved?.role === 'recipient' && moved.sender).toEqual(recipient.sender)
  })

  it("the origin's record: the member's place told to the others, and its row's place for the liveness question", () => {
    const moved = movedRecord(origin, place(A, '10.0.0.21', 40001, 40002))
    expect(moved?.members).toEqual([origin.members[0], { id: A, name: 'aaaa', address: '10.0.0.21', btPort: 40002 }])
    expect(moved?.role === 'origin' && moved.recipients[0]).toMatchObject({ address: '10.0.0.21', controlPort: 40001 })
  })

  it("never gives the origin's own entry a place, nor a machine still waiting to be offered the file", () => {
    expect(movedRecord(origin, place(ORIGIN, '10.0.0.10', 40001, 40002))).toBeUndefined()
    expect(movedRecord(origin, place(B, '10.0.0.12', 40001, 40002))).toBeUndefined()
  })
})
