// Pairing by address, below the lab: dialling an address learns and proves its key, a pinned id
// answered by another key is `key-changed`, something that is not Swarmdrop or not there says so in
// one sentence; the store of pairings is owner-only, bounded, and evicts learned pairings first.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { platform } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCommand, parseHostPort } from '../../../common/commands.js'
import { ControlServer } from '../../../main/core/control/control-server.js'
import { sendJson } from '../../../main/core/control/http-json.js'
import { loadOrCreateIdentity, type Identity } from '../../../main/core/identity/identity.js'
import { dialAddress } from '../../../main/core/pairing/dial-address.js'
import { MAX_LEARNED_DEVICES, PAIRED_DEVICES_FILE, PairedStore, type PairedDevice } from '../../../main/core/pairing/paired-store.js'
import { deviceCredentials } from '../../../main/core/tls/device-certificate.js'

const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-pair-')); dirs.push(d); return d }
async function identity (): Promise<Identity> {
  const r = await loadOrCreateIdentity(tmp())
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** A device's control port answering /v1/info as `who`. */
async function controlPort (who: Identity): Promise<ControlServer> {
  const s = await ControlServer.listen({ port: 0, host: '127.0.0.1', tls: deviceCredentials(who) })
  if (!s.ok) throw new Error(s.error.message)
  s.value.setRoutes([{
    method: 'GET',
    pattern: /^\/v1\/info$/,
    handle: ({ res }) => sendJson(res, 200, { protocol: 3, id: who.id, name: 'site-b-01', platform: platform(), version: '0.1.0', controlPort: s.value.port, btPort: 47621, publicKey: who.publicKeyPem })
  }])
  return s.value
}

let me: Identity
let b1: Identity
let impostor: Identity
const servers: Array<{ close: () => unknown }> = []
beforeAll(async () => { me = await identity(); b1 = await identity(); impostor = await identity() })
afterAll(async () => {
  for (const s of servers) await s.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('dialling an address', () => {
  it('learns the key at first contact and proves it again when pinned', async () => {
    const s = await controlPort(b1)
    servers.push(s)
    const first = await dialAddress(deviceCredentials(me), { host: '127.0.0.1', port: s.port })
    expect(first.ok && first.value.info.id).toBe(b1.id)
    expect(first.ok && first.value.address).toBe('127.0.0.1')
    expect(first.ok && first.value.info.btPort).toBe(47621)
    const again = await dialAddress(deviceCredentials(me), { host: '127.0.0.1', port: s.port, expectId: b1.id })
    expect(again.ok).toBe(true)
  })

  it('refuses another key at a pinned address', async () => {
    const s = await controlPort(impostor)
    servers.push(s)
    const r = await dialAddress(deviceCredentials(me), { host: '127.0.0.1', port: s.port, expectId: b1.id })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('key-changed')
      expect(r.error.message).toBe(`127.0.0.1:${s.port} now answers with a different device key (${impostor.id.slice(0, 4)}·${impostor.id.slice(4, 8)} instead of ${b1.id.slice(0, 4)}·${b1.id.slice(4, 8)}), so it was refused; if that machine was reinstalled, unpair it and pair again`)
    }
  })

  it('says an address that answers without TLS is not a Swarmdrop device', async () => {
    // Reading, so it sees the client close (a paused socket would keep the server open).
    const plain: Server = createServer(socket => { socket.resume(); socket.end('SSH-2.0-OpenSSH_9.6\r\n') })
    await new Promise<void>(resolve => plain.listen(0, '127.0.0.1', resolve))
    servers.push({ close: async () => await new Promise(resolve => plain.close(resolve)) })
    const port = (plain.address() as { port: number }).port
    const r = await dialAddress(deviceCredentials(me), { host: '127.0.0.1', port })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('not-swarmdrop')
      expect(r.error.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port} answered, but it is not a Swarmdrop device \\([^\\n]+\\)$`))
    }
  })

  it('says an address nobody listens on cannot be reached', async () => {
    const probe: Server = createServer()
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as { port: number }).port
    await new Promise(resolve => probe.close(resolve))
    const r = await dialAddress(deviceCredentials(me), { host: '127.0.0.1', port })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toBe(`cannot reach 127.0.0.1:${port} (connection refused); check the address and that Swarmdrop runs there`)
  })
})

describe('the store of pairings', () => {
  const device = (n: number, over: Partial<PairedDevice> = {}): PairedDevice => ({ id: n.toString(16).padStart(32, '0'), host: `10.1.2.${n % 250}`, port: 47620, name: `m${n}`, pairedAt: new Date(n).toISOString(), ...over })

  it('keeps pairings across a reload, owner-only, and refuses a pairing beyond its bound', async () => {
    const dir = tmp()
    const store = await PairedStore.load(dir, 2)
    if (!store.ok) throw new Error(store.error.message)
    expect((await store.value.put(device(1))).ok).toBe(true)
    expect((await store.value.put(device(2))).ok).toBe(true)
    const third = await store.value.put(device(3))
    expect(!third.ok && third.error.code).toBe('too-many')
    // The same device again (a new address) is a move, not one more.
    expect((await store.value.put(device(2, { host: '10.9.9.9' }))).ok).toBe(true)
    if (process.platform !== 'win32') expect(statSync(join(dir, PAIRED_DEVICES_FILE)).mode & 0o777).toBe(0o600)
    const again = await PairedStore.load(dir, 2)
    expect(again.ok && again.value.list().map(d => d.host)).toEqual(['10.1.2.1', '10.9.9.9'])
    expect(again.ok && again.value.at('10.9.9.9', 47620)?.id).toBe(device(2).id)
  })

  it('bounds learned pairings apart, dropping the oldest learned one', async () => {
    const store = await PairedStore.load(tmp(), 1)
    if (!store.ok) throw new Error(store.error.message)
    expect((await store.value.put(device(1))).ok).toBe(true)
    for (let n = 100; n < 100 + MAX_LEARNED_DEVICES + 1; n++) expect((await store.value.put(device(n, { learned: true }))).ok).toBe(true)
    const list = store.value.list()
    expect(list.length).toBe(1 + MAX_LEARNED_DEVICES)
    expect(store.value.get(device(100).id)).toBeUndefined()
    expect(store.value.get(device(1).id)?.name).toBe('m1')
  })
})

describe('the pair command', () => {
  it('takes a host name or IPv4 address and a port, nothing else', () => {
    expect(parseCommand({ type: 'pair', host: '10.1.2.30', port: 47620 })).toEqual({ ok: true, value: { type: 'pair', host: '10.1.2.30', port: 47620 } })
    expect(parseCommand({ type: 'pair', host: 'build-07.site-b.example' })).toEqual({ ok: true, value: { type: 'pair', host: 'build-07.site-b.example' } })
    for (const host of ['10.1.2.3\u001b[2J', 'a b', '', '999.1.1.1', 'x'.repeat(254), '-lead.example', 'http://x']) expect(parseCommand({ type: 'pair', host }).ok, host).toBe(false)
    for (const port of [0, 65536, 1.5, '47620']) expect(parseCommand({ type: 'pair', host: '10.1.2.30', port }).ok).toBe(false)
    expect(parseCommand({ type: 'pair', host: '10.1.2.30', extra: 1 }).ok).toBe(false)
    expect(parseCommand({ type: 'unpair', id: 'ab'.repeat(16) }).ok).toBe(true)
    expect(parseCommand({ type: 'unpair', id: 'lab-07' }).ok).toBe(false)
  })

  it('reads HOST[:PORT] as typed', () => {
    expect(parseHostPort(' 10.1.2.30:47700 ')).toEqual({ ok: true, value: { host: '10.1.2.30', port: 47700 } })
    expect(parseHostPort('site-b')).toEqual({ ok: true, value: { host: 'site-b' } })
    expect(parseHostPort('10.1.2.30:0').ok).toBe(false)
    expect(parseHostPort('[::1]:47620').ok).toBe(false)
  })
})
