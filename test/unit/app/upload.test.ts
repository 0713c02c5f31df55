// The web UI's upload as the agent stores it: refused up front when empty or too big for the disk,
// with sizes as people read them; kept in a `.partial` folder until its last byte, so an upload
// the agent was killed in the middle of is swept away at the next start, with copies no
// distribution shares, and a shared one is not.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { dropUnsharedUpload, receiveUpload, sweepUploads, uploadsDir } from '../../../main/core/app/upload.js'

const work = mkdtempSync(join(tmpdir(), 'sd-upload-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function request (body: Readable, length: number): IncomingMessage {
  const req = body as unknown as IncomingMessage
  req.headers = { 'content-length': String(length) }
  return req
}
const urlFor = (name: string): URL => new URL(`http://127.0.0.1/ui/upload?name=${encodeURIComponent(name)}`)

describe('upload', () => {
  it('refuses an empty file before making a copy, naming the file and not a path in the data folder', async () => {
    const dataDir = join(work, 'empty')
    const r = await receiveUpload(request(Readable.from([]), 0), urlFor('empty.bin'), dataDir)
    expect(r).toEqual({ ok: false, error: { code: 'empty', message: 'empty.bin is empty: there is nothing to send' } })
    expect(existsSync(uploadsDir(dataDir)) ? readdirSync(uploadsDir(dataDir)) : []).toEqual([])
  })

  it('refuses a file too big for the disk up front, in sizes people read', async () => {
    const dataDir = join(work, 'big')
    const r = await receiveUpload(request(Readable.from([]), 2e15), urlFor('huge.iso'), dataDir)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('no-space')
    expect(r.error.message).toMatch(/^not enough space for huge\.iso in the agent's data folder .*uploads: it needs 2\.0 PB, and [\d.]+ [KMGT]?B of the [\d.]+ [KMGT]?B free there can be used \(67\.1 MB stay free for the agent's own files\)$/)
    expect(readdirSync(uploadsDir(dataDir))).toEqual([])
  })

  it('keeps an unfinished upload apart, so a start after a kill sweeps it, and copies no distribution shares, and keeps the shared ones', async () => {
    const dataDir = join(work, 'killed')
    const shared = await receiveUpload(request(Readable.from([Buffer.from('whole')]), 5), urlFor('kept.bin'), dataDir)
    const twice = await receiveUpload(request(Readable.from([Buffer.from('whole')]), 5), urlFor('kept.bin'), dataDir)
    if (!shared.ok || !twice.ok) throw new Error('the uploads failed')
    expect(readFileSync(shared.value.path, 'utf8')).toBe('whole')
    const sharedDir = basename(dirname(shared.value.path))

    // A body that stops coming, as when the agent is killed mid-upload: the receive never ends.
    const body = new PassThrough()
    void receiveUpload(request(body, 1000), urlFor('cut.bin'), dataDir)
    body.write(Buffer.alloc(100))
    await expect.poll(() => readdirSync(uploadsDir(dataDir)).length).toBe(3)
    expect(readdirSync(uploadsDir(dataDir)).filter(n => n.endsWith('.partial'))).toHaveLength(1)

    // Only the first copy became a distribution (the second was the same file dropped again).
    expect(await sweepUploads(dataDir, [shared.value.path, '/srv/elsewhere/kept.bin'])).toEqual({ unfinished: 1, unshared: 1 })
    expect(readdirSync(uploadsDir(dataDir))).toEqual([sharedDir])
    expect(readFileSync(shared.value.path, 'utf8')).toBe('whole')
    body.destroy()
  })

  it('deletes the second copy of a file dropped twice at once, and nothing else', async () => {
    const dataDir = join(work, 'twice')
    const first = await receiveUpload(request(Readable.from([Buffer.from('same')]), 4), urlFor('same.bin'), dataDir)
    const second = await receiveUpload(request(Readable.from([Buffer.from('same')]), 4), urlFor('same.bin'), dataDir)
    if (!first.ok || !second.ok) throw new Error('the uploads failed')
    // The distribution made of the first copy: creating the second resolves to it.
    expect(await dropUnsharedUpload(dataDir, first.value.path, [first.value.path])).toBeUndefined()
    expect(await dropUnsharedUpload(dataDir, '/srv/iso/same.bin', [first.value.path])).toBeUndefined()
    expect(await dropUnsharedUpload(dataDir, second.value.path, [first.value.path])).toBe(first.value.path)
    expect(readdirSync(uploadsDir(dataDir))).toEqual([basename(dirname(first.value.path))])
    expect(readFileSync(first.value.path, 'utf8')).toBe('same')
  })

  it('sweeps nothing where no upload was ever made', async () => {
    expect(await sweepUploads(join(work, 'never'), [])).toEqual({ unfinished: 0, unshared: 0 })
  })
})
