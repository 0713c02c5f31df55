// WebTorrent ships JavaScript only; its runtime shape is described in webtorrent-types.ts.
declare module 'webtorrent' {
  const WebTorrent: import('./webtorrent-types.js').ClientConstructor
  export default WebTorrent
}

// The patched classes, loaded only so patch-check.ts can read their source (see engine.ts).
declare module 'webtorrent/lib/torrent.js' {
  const Torrent: abstract new (...args: never[]) => object
  export default Torrent
}
declare module 'webtorrent/lib/peer.js' {
  const Peer: abstract new (...args: never[]) => object
  export default Peer
}
declare module 'bittorrent-protocol' {
  const Wire: abstract new (...args: never[]) => object
  export default Wire
}
declare module 'torrent-piece' {
  const Piece: abstract new (...args: never[]) => object
  export default Piece
}
