// Bounded state where network input arrives (issue 11): the control port holds at most 16
// connections from one address and 256 in all, refusing the rest at once; refusals reach the log
// once per cause and address per interval, escaped; a report cannot make the origin keep more than
// one bit per piece of its distribution.
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ControlServer, CONTROL_PORT_LIMITS, type ConnectionLimits } from '../../../main/core/control/control-server.js'
import { requestPeer } from '../../../main/core/control/peer-client.js'
import { RefusalLog } from '../../../main/core/control/refusal-log.js'
import { deviceIdFromPublicKey } from '../../../main/core/identity/device-id.js'
import { rawPublicKey, type Identity } from '../../../main/core/identity/identity.js'
import type { Report } from '../../../main/core/protocol/messages.js'
import { reportFits } from '../../../main/core/protocol/report-bounds.js'
import { SwarmNode } from '../../../main/core/node/swarm-node.js'
import { deviceCredentials } from '../../../main/core/tls/device-certificate.js'

function freshIdentity (): Identity {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { id: deviceIdFromPublicKey(rawPublicKey(publicKey)), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey, publicKey }
}

describe('refusal log', () => {
  it('logs a cause from an address once per interval, then says how many were left out', () => {
    let now = 0
    const lines: string[] = []
    const log = new RefusalLog(m => lines.push(m), { intervalMs: 60_000, now: () => now })
    for (let i = 0; i < 1_000; i++) log.refused('bad-request', '10.0.0.5', 'refused an offer from 10.0.0.5')
    expect(lines).toEqual(['refused an offer from 10.0.0.5'])
    log.refused('bad-request', '10.0.0.6', 'refused an offer from 10.0.0.6')
    log.refused('too-large', '10.0.0.5', 'too large from 10.0.0.5')
    expect(lines).toHaveLength(3)
    now = 60_000
    log.refused('bad-request', '10.0.0.5', 'refused an offer from 10.0.0.5')
    expect(lines[3]).toBe('refused an offer from 10.0.0.5 (and 999 more like it from 10.0.0.5 since the last such line)')
  })

  it('bounds lines per interval across many addresses, and escapes what it quotes', () => {
    let now = 0
    const lines: string[] = []
    const log = new RefusalLog(m => lines.push(m), { intervalMs: 60_000, maxLinesPerInterval: 5, now: () => now })
    for (let i = 0; i < 200; i++) log.refused('bad-request', `10.0.${i >> 8}.${i & 255}`, `refused "\u001b[2Kverified\u202e" from ${i}`)
    expect(lines).toHaveLength(5)
    expect(lines[0]).toBe('refused "\\u{1b}[2Kverified\\u{202e}" from 0')
    now = 60_000
    log.refused('other', '10.9.9.9', 'next')
    expect(lines.slice(5)).toEqual(['195 more refusals were not logged (more than 5 a minute)', 'next'])
  })
})

describe('control port connection limits', () => {
  const sockets: Socket[] = []
  let server: ControlServer | undefined
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy()
    await server?.close()
  })

  async function listen (limits?: ConnectionLimits): Promise<{ server: ControlServer; warnings: string[]; id: string }> {
    const me = freshIdentity()
    const s = await ControlServer.listen({ port: 0, host: '0.0.0.0', tls: deviceCredentials(me), ...(limits ? { limits } : {}) })
    if (!s.ok) throw new Error(s.error.message)
    server = s.value
    const warnings: string[] = []
    s.value.onWarning(m => warnings.push(m))
    return { server: s.value, warnings, id: me.id }
  }

  /** Opens `n` raw TCP connections from `from`; answers how many the server closed within 500 ms. */
  async function open (port: number, n: number, from: string): Promise<number> {
    let closed = 0
    await Promise.all(Array.from({ length: n }, async () => await new Promise<void>(resolve => {
      const s = connect({ host: '127.0.0.1', port, localAddress: from }, () => resolve())
      s.on('error', () => {})
      s.on('close', () => { closed++ })
      sockets.push(s)
    })))
    await new Promise(resolve => setTimeout(resolve, 500))
    return closed
  }

  it('holds at most 16 from one address, refusing the rest at once with one log line', async () => {
    const { server: s, warnings } = await listen()
    expect(CONTROL_PORT_LIMITS.perAddress).toBe(16)
    expect(await open(s.port, 20, '127.0.0.1')).toBe(4)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/refused a connection from 127\.0\.0\.1: 16 already open from that address \(at most 16\)/)
    // Another address is not held back by the first one's crowd.
    expect(await open(s.port, 3, '127.0.0.2')).toBe(0)
  })

  it('holds at most the total, and admits again once connections close', async () => {
    const { server: s, warnings, id } = await listen({ perAddress: 4, total: 10 })
    let refused = 0
    for (const from of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) refused += await open(s.port, 4, from)
    expect(refused).toBe(2)
    expect(warnings.some(w => /10 connections already open \(at most 10\)/.test(w))).toBe(true)
    for (const sock of sockets.splice(0)) sock.destroy()
    await new Promise(resolve => setTimeout(resolve, 200))
    // A real device's request goes through (404: this test server has no routes).
    const caller = freshIdentity()
    const r = await requestPeer(deviceCredentials(caller), { id, name: 'x', address: '127.0.0.1', controlPort: s.port }, 'GET', '/v1/info')
    expect(r.ok && r.value.status).toBe(404)
    expect(await open(s.port, 4, '127.0.0.5')).toBe(0)
  })
})

const report = (over: Partial<Report> = {}): Report => ({
  protocol: 2, infoHash: 'b'.repeat(40), from: 'd'.repeat(32), state: 'downloading', verifiedPieces: 3, pieceCount: 20, verifiedBytes: 3 * 16384,
  downloadSpeed: 0, uploadSpeed: 0, uploadedBytes: 0, hashFailures: 0, bitfield: Buffer.alloc(3, 0xff).toString('base64'), ...over
})

describe('report bounds', () => {
  const dist = { pieceCount: 20, totalLength: 20 * 16384 - 100 }

  it('takes a report within its distribution', () => {
    expect(reportFits(report(), dist).ok).toBe(true)
  })

  it.each([
    ['a 4 MiB bitfield for 20 pieces', { bitfield: Buffer.alloc(4 * 1024 * 1024 - 16).toString('base64') }],
    ['a bitfield one byte too long', { bitfield: Buffer.alloc(4).toString('base64') }],
    ['a bitfield padded with junk that decodes short', { bitfield: 'AA==' + '='.repeat(1000) }],
    ['another piece count', { pieceCount: 1_000_000 }],
    ['more verified pieces than pieces', { verifiedPieces: 21 }],
    ['more verified bytes than the distribution holds', { verifiedBytes: 20 * 16384 }]
  ])('refuses %s', (_what, over) => {
    const r = reportFits(report(over), dist)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('bad-request')
  })
})

describe('reports at the control port', () => {
  it('refuses a bitfield larger than the distribution before the origin keeps anything', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sd-report-'))
    const started = await SwarmNode.start({ dataDir: join(work, 'data'), overrides: { btPort: 0, controlPort: 0 }, anyPortIfTaken: true })
    if (!started.ok) throw new Error(started.error.message)
    const node = started.value
    try {
      writeFileSync(join(work, 'x.bin'), Buffer.alloc(50_000, 1))
      const created = await node.createDistribution(join(work, 'x.bin'))
      if (!created.ok) throw new Error(created.error.message)
      const who = freshIdentity()
      const body = report({ infoHash: created.value.infoHash, from: who.id, pieceCount: created.value.pieceCount, verifiedPieces: 0, verifiedBytes: 0, bitfield: Buffer.alloc(1024 * 1024).toString('base64') })
      const r = await requestPeer(deviceCredentials(who), { id: node.identity.id, name: 'origin', address: '127.0.0.1', controlPort: node.controlPort }, 'POST', '/v1/reports', body)
      expect(r.ok && r.value.status).toBe(400)
      if (r.ok) expect(JSON.stringify(r.value.body)).toContain('report.bitfield')
    } finally {
      await node.stop()
      rmSync(work, { recursive: true, force: true })
    }
  })
})
