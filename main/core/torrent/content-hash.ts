// The one SHA-256 people compare for a distribution. For a file it is the file's own SHA-256
// (what `sha256sum FILE` prints). For a folder it is the SHA-256 of the manifest that
// `cd FOLDER && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum` prints, so anyone
// can reproduce it with standard tools: one line per file, "<sha256>  ./<path>\n", in byte order.
import { createHash } from 'node:crypto'
import { byteOrder } from './byte-order.js'

export interface HashedFile { readonly path: readonly string[]; readonly sha256: string }

export function contentSha256 (isFolder: boolean, files: readonly HashedFile[]): string {
  if (!isFolder) {
    const only = files[0]
    if (only === undefined) throw new Error('contentSha256 needs a file')
    return only.sha256
  }
  const keys = files.map(f => './' + f.path.join('/'))
  const h = createHash('sha256')
  let chunk = ''
  for (const i of byteOrder(keys)) {
    chunk += `${files[i]?.sha256 ?? ''}  ${keys[i] ?? ''}\n`
    if (chunk.length >= 65536) { h.update(chunk, 'utf8'); chunk = '' }
  }
  h.update(chunk, 'utf8')
  return h.digest('hex')
}
