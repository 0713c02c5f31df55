// A well-formed offer for parser tests to start from (and mutate).
export const id = (c: string): string => c.repeat(32)

export function validOffer (): Record<string, unknown> {
  return {
    protocol: 1,
    offerId: 'o-1',
    sender: { id: id('a'), name: 'origin', publicKey: 'PEM', controlPort: 47620, btPort: 47621 },
    infoHash: 'b'.repeat(40),
    name: 'x.iso',
    totalLength: 10,
    sha256: 'c'.repeat(64),
    files: [{ path: 'x.iso', length: 10 }, { path: 'y', length: 0 }],
    torrent: 'AAAA',
    members: [{ id: id('a'), name: 'origin', address: null, btPort: 47621 }, { id: id('d'), name: 'lab', address: '10.0.0.2', btPort: 47621 }],
    createdAt: '2026-01-01T00:00:00Z'
  }
}
