import { scanSource } from '../../main/core/torrent/source.js'
import { hashForTorrent, choosePieceLength } from '../../main/core/hashing/hash-files.js'
const dir = process.argv[2] as string
let t = performance.now()
const s = await scanSource(dir)
if (!s.ok) throw new Error('scan')
console.log('scan', (performance.now() - t).toFixed(0), 'ms', s.value.entries.length)
t = performance.now()
const h = await hashForTorrent(s.value.entries.map(e => ({ path: e.absolutePath, length: e.length })), choosePieceLength(s.value.totalLength))
console.log('hash', (performance.now() - t).toFixed(0), 'ms', h.ok)
