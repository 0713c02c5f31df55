// WebTorrent ships JavaScript only; its runtime shape is described in webtorrent-types.ts.
declare module 'webtorrent' {
  const WebTorrent: import('./webtorrent-types.js').ClientConstructor
  export default WebTorrent
}
