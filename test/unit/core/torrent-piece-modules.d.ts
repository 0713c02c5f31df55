// The patched WebTorrent part the rarity-map test imports, untyped upstream.
declare module 'webtorrent/lib/rarity-map.js' {
  const RarityMap: unknown
  export default RarityMap
}
