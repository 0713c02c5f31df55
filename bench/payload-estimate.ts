// BitTorrent payload out of a cable's byte and packet counters. The veth counts every frame whole;
// each one carries one Ethernet + IPv4 + TCP header (a TSO/GRO frame too: one header for many
// segments), and every request's block (16 KiB, or the larger size two members agree on) travels
// in a piece message with a 13-byte header. What is
// left after taking both off is the file's bytes, plus whatever was fetched more than once, plus
// a little control traffic (mDNS, the TLS control channel, HAVE/keep-alive messages: some KB).

/** Ethernet 14 + IPv4 20 + TCP 20 with the 12-byte timestamp option Linux uses by default. */
export const FRAME_HEADER_BYTES = 14 + 20 + 32
/** BitTorrent block size every client here requests. */
export const BLOCK_BYTES = 16 * 1024
/** length (4) + id (1) + index (4) + begin (4) before each block. */
export const PIECE_MESSAGE_HEADER_BYTES = 13

/** TCP payload of `bytes` counted in `packets` frames. */
export function tcpPayload (bytes: number, packets: number): number {
  return bytes - packets * FRAME_HEADER_BYTES
}

/**
 * Piece-message headers needed to move `fileBytes` once in requests of `requestBytes`: 16 KiB
 * blocks for standard peers, the larger size two Swarmdrop members agree on (one header per request).
 */
export function pieceFraming (fileBytes: number, requestBytes = BLOCK_BYTES): number {
  return Math.ceil(fileBytes / requestBytes) * PIECE_MESSAGE_HEADER_BYTES
}

/**
 * Bytes received beyond one copy of the file: (rx payload) − file − framing. Negative by a few KB
 * at most (the headers of control packets without timestamps, UDP).
 */
export function excessBytes (rxBytes: number, rxPackets: number, fileBytes: number, requestBytes = BLOCK_BYTES): number {
  return tcpPayload(rxBytes, rxPackets) - fileBytes - pieceFraming(fileBytes, requestBytes)
}
