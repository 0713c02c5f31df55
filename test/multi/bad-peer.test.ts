// A peer that serves corrupt pieces: a standard client (libtorrent) seeding a damaged copy of the
// file with the good .torrent and its own verification bypassed, beside an honest Swarmdrop seed,
// each on its own host. The download must finish byte-identical from the honest peer, count the
// hash failures, and ban the liar (by address) without banning the honest peer.
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseTorrentFile } from '../../main/core/torrent/metainfo.js'
import { libtorrentAvailable, startLibtorrentPeer, type LibtorrentPeer } from '../interop/libtorrent-peer.js'
import { checkNamespaceSupport, Lab, waitForOutput, type LabHost } from '../lab/netns-lab.js'

const CLI = resolve('dist/main/agent/cli/swarmdrop.js')
let lab: Lab | undefined
let work = ''
let liar: LibtorrentPeer | undefined

beforeAll(async () => {
  const support = await checkNamespaceSupport()
  if (!support.ok) throw new Error(`cannot run multi-machine tests here: ${support.error.message}`)
  const lt = await libtorrentAvailable()
  if (!lt.ok) throw new Error(lt.error.message)
  // The honest seed uploads at 16 Mbit/s (6 MiB in about 3 s): unshaped, it could hand over the
  // whole file before the liar's first piece, and the test would see no bad data at all (seen once in CI).
  const created = await Lab.create({ hosts: [{}, {}, { upMbit: 16 }] })
  if (!created.ok) throw new Error(created.error.message)
  lab = created.value
  work = mkdtempSync(join(tmpdir(), 'sd-badpeer-'))
}, 60_000)

afterAll(async () => {
  await liar?.stop()
  await lab?.destroy()
  if (work) rmSync(work, { recursive: true, force: true })
}, 60_000)

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

describe('a peer serving corrupt pieces', () => {
  it('is found out and banned; the copy completes from the honest peer', async () => {
    const l = lab as Lab
    const [getter, bad, good] = l.hosts as [LabHost, LabHost, LabHost]
    const data = randomBytes(6 * 1024 * 1024)
    mkdirSync(join(work, 'good')); mkdirSync(join(work, 'bad')); mkdirSync(join(work, 'out'))
    writeFileSync(join(work, 'good', 'disk.img'), data)
    const torrent = join(work, 'disk.torrent')
    const made = await l.run(getter, process.execPath, [CLI, 'create', join(work, 'good', 'disk.img'), '-o', torrent, '--json'], { timeoutMs: 30_000 })
    expect(made.code, made.stderr).toBe(0)
    const meta = parseTorrentFile(readFileSync(torrent))
    if (!meta.ok) throw new Error(meta.error.message)
    // The damaged copy: every third piece has bytes flipped.
    writeFileSync(join(work, 'bad', 'disk.img'), data)
    const fd = openSync(join(work, 'bad', 'disk.img'), 'r+')
    for (let i = 0; i < meta.value.pieceCount; i += 3) writeSync(fd, Buffer.from('CORRUPT!'), 0, 8, i * meta.value.pieceLength + 100)
    closeSync(fd)

    const started = await startLibtorrentPeer({ mode: 'seed', torrent, savePath: join(work, 'bad'), listen: `${bad.ip}:0`, trust: 'trust-data', timeoutSeconds: 120, commandPrefix: ['ip', 'netns', 'exec', bad.ns] })
    if (!started.ok) throw new Error(started.error.message)
    liar = started.value
    const honest = l.spawn(good, process.execPath, [CLI, 'seed', torrent, '--in', join(work, 'good'), '--bt-port', '0', '--json'])
    const seeding = await waitForOutput(honest, /"event":"seeding".*"port":(\d+)/, 30_000)
    if (!seeding.ok) throw new Error(seeding.error.message)
    const honestPort = seeding.value[1] ?? ''

    // The liar is listed first so it is dialled first.
    const got = await l.run(getter, process.execPath, [CLI, 'get', torrent, '--peer', `${bad.ip}:${liar.port}`, '--peer', `${good.ip}:${honestPort}`, '--out', join(work, 'out'), '--timeout', '90', '--json'], { timeoutMs: 100_000 })
    honest.kill('SIGTERM')
    const lines = got.stdout.trim().split('\n').map(x => JSON.parse(x) as Record<string, unknown>)
    const done = lines.at(-1) as { ok: boolean; sha256: string; hashFailures: number; bannedPeers: string[] }
    console.log(`hash failures ${done.hashFailures}, banned ${JSON.stringify(done.bannedPeers)}`)
    expect(got.code, got.stderr + got.stdout.slice(-2000)).toBe(0)
    expect(done.ok).toBe(true)
    expect(sha(readFileSync(join(work, 'out', 'disk.img')))).toBe(sha(data))
    expect(done.hashFailures).toBeGreaterThanOrEqual(2)
    expect(done.bannedPeers).toEqual([bad.ip])
    expect(lines.some(x => x.event === 'peer-banned' && x.address === bad.ip)).toBe(true)
  }, 150_000)
})
