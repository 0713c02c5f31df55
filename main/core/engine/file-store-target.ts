// One file of a distribution as the file store and the source guard see it: where it lies on disk,
// how long it is, and where it starts in the torrent's byte stream.
export interface FileStoreTarget { readonly path: string; readonly length: number; readonly offset: number }
