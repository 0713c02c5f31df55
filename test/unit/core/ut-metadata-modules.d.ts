// Modules the ut_metadata patch test imports, untyped upstream.
declare module 'bencode' {
  const bencode: { encode: (value: unknown) => Uint8Array, decode: (buf: Uint8Array) => { info: unknown } }
  export default bencode
}
declare module 'ut_metadata' {
  const utMetadata: unknown
  export default utMetadata
}
