// The patched WebTorrent part the rarity-map test imports, untyped upstream.
declare module 'webtorrent/lib/rarity-map.js' {
  const RarityMap: unknown
  export default RarityMap
}
// The patched WebTorrent peer the bulk-gate test drives over real sockets, untyped upstream.
declare module 'webtorrent/lib/peer.js' {
  const Peer: unknown
  export default Peer
}
