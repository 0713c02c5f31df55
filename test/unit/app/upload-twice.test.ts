// The same file uploaded twice through the web UI: the second `create` resolves to the first copy's
// distribution (same content, same infohash), so the second copy is shared by nothing. It is deleted
// as soon as that is known, with a notice saying why (every front end lists it), not left taking its
// size on disk until the agent's next start.
import { readdirSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { Readable } from 'node:stream'
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { runCommand } from '../../../main/core/app/command-runner.js'
import { receiveUpload, uploadsDir } from '../../../main/core/app/upload.js'
import { loopbackNodes, until } from '../core/loopback-nodes.js'

const { start, tmp } = loopbackNodes('sd-upload-twice-')

function upload (bytes: Buffer): IncomingMessage {
  const req = Readable.from([bytes]) as unknown as IncomingMessage
  req.headers = { 'content-length': String(bytes.length) }
  return req
}

describe('a file uploaded twice', () => {
  it('is shared once, and the second copy is deleted with a notice that says so', async () => {
    const dataDir = tmp()
    const node = await start('desk', {}, { dataDir })
    const notices: string[] = []
    node.on('notice', text => notices.push(text))
    const url = new URL('http://127.0.0.1/ui/upload?name=image.iso')
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7)
    const first = await receiveUpload(upload(bytes), url, dataDir)
    if (!first.ok) throw new Error(first.error.message)
    expect((await runCommand(node, { type: 'create', path: first.value.path })).ok).toBe(true)
    await until('the first distribution', () => node.registry.list().some(r => r.name === 'image.iso'), 10_000)
    const second = await receiveUpload(upload(bytes), url, dataDir)
    if (!second.ok) throw new Error(second.error.message)
    expect(readdirSync(uploadsDir(dataDir))).toHaveLength(2)
    expect((await runCommand(node, { type: 'create', path: second.value.path })).ok).toBe(true)
    await until('the second copy to go', () => readdirSync(uploadsDir(dataDir)).length === 1, 10_000)
    expect(readdirSync(uploadsDir(dataDir))).toEqual([basename(dirname(first.value.path))])
    expect(node.registry.list().filter(r => r.name === 'image.iso')).toHaveLength(1)
    expect(notices).toContain(`image.iso was uploaded again: it is shared already (from ${first.value.path}), so the second copy was deleted`)
  }, 30_000)
})
