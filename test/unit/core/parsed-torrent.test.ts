// The engine hands WebTorrent a torrent it has already parsed (parsed-torrent.ts) instead of the
// .torrent bytes, so WebTorrent neither decodes nor re-encodes them. The object must say what
// parse-torrent would have said, WebTorrent must keep the very bytes it was given (patched), and
// peers asking for the metadata (ut_metadata) must get the original info dictionary.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebTorrent from 'webtorrent'
import { createDistribution } from '../../../main/core/distributions/create.js'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { Engine } from '../../../main/core/engine/engine.js'
import { parsedTorrentOf } from '../../../main/core/engine/parsed-torrent.js'
import type { TorrentLike } from '../../../main/core/engine/webtorrent-types.js'
import type { Metainfo } from '../../../main/core/torrent/metainfo.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c() })
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-parsed-')); cleanups.push(() => rmSync(d, { recursive: true, force: true })); return d }
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

type ParseTorrent = (t: Uint8Array) => Promise<Record<string, unknown>>
// parse-torrent is WebTorrent's own parser (no types of its own): what WebTorrent made of the bytes before.
const parseTorrent = async (): Promise<ParseTorrent> => ((await import('parse-torrent' as string)) as { default: ParseTorrent }).default

async function folder (): Promise<{ dir: string, m: Metainfo }> {
  const dir = join(tmp(), 'set')
  mkdirSync(join(dir, 'a', 'b'), { recursive: true })
  writeFileSync(join(dir, 'a', 'b', 'one.bin'), randomBytes(40_000))
  writeFileSync(join(dir, 'a', 'empty'), Buffer.alloc(0))
  writeFileSync(join(dir, 'two.bin'), randomBytes(70_001))
  const created = await createDistribution(dir, { createdBy: 'test', pieceLength: 16384 })
  if (!created.ok) throw new Error(created.error.message)
  return { dir, m: created.value.metainfo }
}

async function single (): Promise<Metainfo> {
  const file = join(tmp(), 'image.iso')
  writeFileSync(file, randomBytes(100_000))
  const created = await createDistribution(file, { createdBy: 'test', pieceLength: 32768 })
  if (!created.ok) throw new Error(created.error.message)
  return created.value.metainfo
}

describe('the torrent the engine hands WebTorrent', () => {
  it('says what parse-torrent says of the same bytes, for a folder and for a single file', async () => {
    const parse = await parseTorrent()
    for (const m of [(await folder()).m, await single()]) {
      const theirs = await parse(m.torrentFile)
      const ours = parsedTorrentOf(m)
      for (const key of ['infoHash', 'name', 'files', 'length', 'pieceLength', 'lastPieceLength', 'pieces', 'announce', 'urlList'] as const) {
        expect(ours[key], key).toEqual(theirs[key])
      }
      expect(ours.infoHashBuffer.equals(theirs['infoHashBuffer'] as Uint8Array)).toBe(true)
    }
  })

  it('is kept by WebTorrent as the bytes it was given, not re-encoded', async () => {
    const m = await single()
    const client = new WebTorrent({ torrentPort: 0, dht: false, tracker: false, lsd: false, natUpnp: false, natPmp: false, utPex: false, utp: false, webSeeds: false, maxConns: 10, secure: 0 })
    cleanups.push(() => new Promise<void>(resolve => client.destroy(() => resolve())))
    const torrent = client.add(parsedTorrentOf(m), { path: tmp(), deselect: true })
    const end = Date.now() + 5_000
    while ((torrent as TorrentLike & { torrentFile?: Uint8Array }).torrentFile === undefined && Date.now() < end) await sleep(10)
    expect((torrent as TorrentLike & { torrentFile?: Uint8Array }).torrentFile).toBe(m.torrentFile)
  })

  it('gives a peer asking by magnet link the original metadata, SHA-256 of every file included', async () => {
    const { dir, m } = await folder()
    const origin = await Engine.start({ btPort: 0 })
    if (!origin.ok) throw new Error(origin.error.message)
    cleanups.push(() => origin.value.stop())
    const targets = m.files.map(f => ({ path: join(dir, ...f.path), length: f.length, offset: f.offset }))
    expect(origin.value.seed({ metainfo: m, targets }).ok).toBe(true)

    const getter = await Engine.start({ btPort: 0 })
    if (!getter.ok) throw new Error(getter.error.message)
    cleanups.push(() => getter.value.stop())
    const downloads = tmp()
    let done = false
    getter.value.on('done', () => { done = true })
    const added = getter.value.downloadMagnet(`magnet:?xt=urn:btih:${m.infoHash}`, got => targetsFor(got, { downloadsDir: downloads, finalName: got.name }, false))
    expect(added.ok).toBe(true)
    getter.value.connect(m.infoHash, [`127.0.0.1:${origin.value.port}`])
    const end = Date.now() + 20_000
    while (!done && Date.now() < end) await sleep(20)
    expect(done).toBe(true)
    const got = getter.value.metainfo(m.infoHash)
    expect(got?.files).toEqual(m.files)
    expect(got?.files.every(f => f.sha256?.length === 64)).toBe(true)
    expect(readFileSync(join(downloads, m.name, 'two.bin')).equals(readFileSync(join(dir, 'two.bin')))).toBe(true)
  })
})
