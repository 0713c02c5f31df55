// How the engine names a peer: its IP address, the unit of membership and of bans on a LAN.
import type { WireLike } from './webtorrent-types.js'

/** A wire's remote IP, with IPv4-mapped IPv6 (how a dual-stack listener sees IPv4) unwrapped. */
export function peerAddress (wire: WireLike): string {
  const a = wire.remoteAddress ?? 'unknown'
  return a.startsWith('::ffff:') ? a.slice(7) : a
}
