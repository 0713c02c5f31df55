// The one SHA-256 people compare for a distribution. For a file it is the file's own SHA-256
// (what `sha256sum FILE` prints). For a folder it is the SHA-256 of the manifest that
// `cd FOLDER && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum` prints, so anyone
// can reproduce it with standard tools: one line per file, "<sha256>  ./<path>\n", in byte order.
import { createHash } from 'node:crypto'

export interface HashedFile { readonly path: readonly string[]; readonly sha256: string }

export function contentSha256 (isFolder: boolean, files: readonly HashedFile[]): string {
  if (!isFolder) {
    const only = files[0]
    if (only === undefined) throw new Error('contentSha256 needs a file')
    return only.sha256
  }
  // Byte order of the UTF-8 paths; for ASCII paths that is plain string order, and sorting strings
  // spares a Buffer per file (a folder of 50,000 files is checked at every offer).
  const keys = files.map(f => './' + f.path.join('/'))
  const order = keys.map((_, i) => i)
  if (keys.every(k => ASCII.test(k))) {
    order.sort((a, b) => { const x = keys[a] as string; const y = keys[b] as string; return x < y ? -1 : x > y ? 1 : 0 })
  } else {
    const raw = keys.map(k => Buffer.from(k, 'utf8'))
    order.sort((a, b) => Buffer.compare(raw[a] as Buffer, raw[b] as Buffer))
  }
  const h = createHash('sha256')
  let chunk = ''
  for (const i of order) {
    chunk += `${files[i]?.sha256 ?? ''}  ${keys[i] ?? ''}\n`
    if (chunk.length >= 65536) { h.update(chunk, 'utf8'); chunk = '' }
  }
  h.update(chunk, 'utf8')
  return h.digest('hex')
}

const ASCII = /^[\x00-\x7f]*$/
